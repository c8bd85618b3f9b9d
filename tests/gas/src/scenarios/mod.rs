//! One module per contract. Each scenario sets up state with real executes (driven by the
//! `rewind-types` messages) and records the figures of the operations under measurement.
//!
//! To measure a new contract: add `scenarios/<contract>.rs` with
//! `pub fn run(vm: &Vm, report: &mut Report)` and append it to [`SCENARIOS`].

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::harness::Vm;
use crate::report::{Artifact, Report};

pub mod cw20;
pub mod executor;
pub mod governance;
pub mod guardian;
pub mod journal;
pub mod stake;
pub mod timelock;
pub mod vault;

/// A scenario: the artifacts it needs and the function that measures.
pub struct Scenario {
    pub name: &'static str,
    pub artifacts: &'static [&'static str],
    pub run: fn(&Vm, &mut Report),
    /// The goals it decides: `(id, goal)`. Listed as pending when it cannot run.
    pub goals: &'static [(&'static str, &'static str)],
}

/// Every scenario over `artifacts/`. Governance runs last: its goals add the cost of the
/// queries it sends, as measured on the stake and vault artifacts.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "stake",
        artifacts: &["rewind_stake"],
        run: stake::run,
        goals: &[],
    },
    Scenario {
        name: "vault",
        artifacts: &["rewind_vault"],
        run: vault::run,
        goals: vault::GOALS,
    },
    Scenario {
        name: "guardian",
        artifacts: &["rewind_guardian"],
        run: guardian::run,
        goals: guardian::GOALS,
    },
    Scenario {
        name: "timelock",
        artifacts: &["rewind_timelock"],
        run: timelock::run,
        goals: &[],
    },
    Scenario {
        name: "executor",
        artifacts: &["rewind_executor"],
        run: executor::run,
        goals: &[],
    },
    Scenario {
        name: "cw20",
        artifacts: &["cw20_token", "restorable_cw20_token"],
        run: cw20::run,
        goals: cw20::GOALS,
    },
    Scenario {
        name: "governance",
        artifacts: &["rewind_governance"],
        run: governance::run,
        goals: governance::GOALS,
    },
];

/// Runs every scenario whose artifacts exist, the journal benchmark if `bench` holds its
/// artifact, then the artifact sizes and the size goal. Returns how many scenarios failed.
pub fn run_all(vm: &Vm, bench: Option<&Path>, report: &mut Report) -> usize {
    let mut failures = 0;
    match bench {
        Some(dir) if dir.join("rewind_journal_bench.wasm").is_file() => {
            failures += guarded("journal", report, |r| journal::run(dir, r));
        }
        _ => report.pending.push(
            "journal: the rewind_journal_bench artifact is not built (scripts/gas.sh builds it)"
                .into(),
        ),
    }
    pending_goals(journal::GOALS, "the journal benchmark did not run", report);
    for s in SCENARIOS {
        if let Some(missing) = s.artifacts.iter().find(|a| !vm.has_artifact(a)) {
            report.pending.push(format!(
                "{}: artifacts/{missing}.wasm is not built yet",
                s.name
            ));
        } else {
            failures += guarded(s.name, report, |r| (s.run)(vm, r));
        }
        pending_goals(s.goals, &format!("{} not measured", s.name), report);
    }
    sizes(vm, report);
    failures
}

/// Lists each goal of `goals` the scenario did not decide as pending.
fn pending_goals(goals: &[(&str, &str)], why: &str, report: &mut Report) {
    for (id, goal) in goals {
        if !report.goals.iter().any(|g| g.id == *id) {
            report.goal_pending(id, goal, why);
        }
    }
}

/// Runs `f`; a panic (a step that had to succeed did not) is recorded, not fatal, so the rest
/// of the report is still written.
fn guarded(name: &str, report: &mut Report, f: impl FnOnce(&mut Report)) -> usize {
    let mut scratch = report.clone();
    match catch_unwind(AssertUnwindSafe(|| f(&mut scratch))) {
        Ok(()) => {
            *report = scratch;
            0
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into());
            report.pending.push(format!("{name}: FAILED: {msg}"));
            1
        }
    }
}

/// The size of every contract artifact and the 400 KB goal.
fn sizes(vm: &Vm, report: &mut Report) {
    let dir = vm.artifact_path("x");
    let dir = dir.parent().expect("artifacts dir");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".wasm"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    for n in names {
        let Ok(bytes) = std::fs::read(dir.join(&n)) else {
            continue;
        };
        report.artifacts.push(Artifact {
            name: n,
            bytes: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(&bytes)),
        });
    }
    let measured_by_scenarios = SCENARIOS.iter().flat_map(|s| s.artifacts.iter()).count();
    let over: Vec<String> = report
        .artifacts
        .iter()
        .filter(|a| a.bytes > 400 * 1024)
        .map(|a| format!("{} {:.1} KB", a.name, a.bytes as f64 / 1024.0))
        .collect();
    let largest = report
        .artifacts
        .iter()
        .max_by_key(|a| a.bytes)
        .map(|a| format!("largest {} {:.1} KB", a.name, a.bytes as f64 / 1024.0))
        .unwrap_or_else(|| "no artifacts".into());
    let measured = format!(
        "{} artifacts built ({measured_by_scenarios} of them measured by a scenario); {largest}",
        report.artifacts.len()
    );
    if over.is_empty() && report.artifacts.len() < measured_by_scenarios {
        report.goal_pending(
            "size",
            "every artifact <= 400 KB",
            &format!("{measured} (the rest are not built yet)"),
        );
    } else if over.is_empty() {
        report.goal("size", "every artifact <= 400 KB", measured, true);
    } else {
        report.goal(
            "size",
            "every artifact <= 400 KB",
            format!("{measured}; over: {}", over.join(", ")),
            false,
        );
    }
}

/// Formats an SDK gas figure for goal texts: `12,345`.
pub fn gas(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

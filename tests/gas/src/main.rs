//! rewind-gas: runs the built artifacts in cosmwasm-vm 3.0.10 with wasmd's gas accounting and
//! writes the gas and size report.
//!
//! ```text
//! rewind-gas run   [--artifacts DIR] [--bench DIR] [--json FILE] [--markdown FILE]
//! rewind-gas check --baseline FILE --current FILE
//! ```
//! `run` measures every scenario whose artifact exists (the others are listed as pending),
//! prints the goals and writes the JSON and markdown. It exits 2 if a scenario failed.
//! `check` exits 1 if any figure of `current` grew more than 10 % over `baseline`.

use std::path::PathBuf;
use std::process::ExitCode;

use rewind_gas::harness::Vm;
use rewind_gas::report::{compare, Report, REGRESSION_TOLERANCE};
use rewind_gas::scenarios;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args),
        Some("check") => check(&args),
        _ => {
            eprintln!("usage: rewind-gas run [--artifacts DIR] [--bench DIR] [--json FILE] [--markdown FILE]\n       rewind-gas check --baseline FILE --current FILE");
            ExitCode::from(64)
        }
    }
}

fn run(args: &[String]) -> ExitCode {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let artifacts = arg(args, "--artifacts").map_or_else(|| repo.join("artifacts"), PathBuf::from);
    let bench = arg(args, "--bench").map(PathBuf::from);
    let vm = match Vm::new(&artifacts) {
        Ok(vm) => vm,
        Err(e) => {
            eprintln!("error: creating the VM cache: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut report = Report::new(vm.gas_limit);
    let failures = scenarios::run_all(&vm, bench.as_deref(), &mut report);

    print!("{}", report.goals_text());
    for p in &report.pending {
        println!("[pending] {p}");
    }
    if let Some(path) = arg(args, "--json") {
        if let Err(e) = std::fs::write(&path, report.to_json()) {
            eprintln!("error: writing {path}: {e}");
            return ExitCode::FAILURE;
        }
        println!("wrote {path}");
    }
    if let Some(path) = arg(args, "--markdown") {
        if let Err(e) = std::fs::write(&path, report.to_markdown()) {
            eprintln!("error: writing {path}: {e}");
            return ExitCode::FAILURE;
        }
        println!("wrote {path}");
    }
    if failures > 0 {
        eprintln!("error: {failures} scenario(s) failed (see the pending list)");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn check(args: &[String]) -> ExitCode {
    let (Some(baseline), Some(current)) = (arg(args, "--baseline"), arg(args, "--current")) else {
        eprintln!("usage: rewind-gas check --baseline FILE --current FILE");
        return ExitCode::from(64);
    };
    let load = |p: &str| {
        std::fs::read_to_string(p)
            .map_err(|e| format!("{p}: {e}"))
            .and_then(|s| Report::from_json(&s))
    };
    let (base, cur) = match (load(&baseline), load(&current)) {
        (Ok(b), Ok(c)) => (b, c),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (regressions, notes) = compare(&base, &cur);
    for n in &notes {
        println!("note: {n}");
    }
    if regressions.is_empty() {
        println!(
            "gas check passed: {} figures within {}% of the baseline",
            cur.figures.len(),
            (REGRESSION_TOLERANCE * 100.0) as u32
        );
        return ExitCode::SUCCESS;
    }
    for r in &regressions {
        let pct = (r.current as f64 / r.baseline as f64 - 1.0) * 100.0;
        println!(
            "REGRESSION {}: {} -> {} (+{pct:.1}%)",
            r.id, r.baseline, r.current
        );
    }
    eprintln!(
        "error: {} figure(s) grew more than {}%; if intended, regenerate the report with scripts/gas.sh",
        regressions.len(),
        (REGRESSION_TOLERANCE * 100.0) as u32
    );
    ExitCode::FAILURE
}

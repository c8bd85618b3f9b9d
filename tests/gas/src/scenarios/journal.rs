//! The journal against its anchors (tests/journal-bench): the same balance entry through a
//! plain `Map`, a `SnapshotMap` (EveryBlock) and a `JournaledMap`; the gate check; and the
//! rollback cost per undone entry at batch sizes 10, 100 and 1000.

use std::path::Path;

use cosmwasm_std::{Timestamp, Uint128};
use rewind_types::restorable::DigestAtResponse;
use rewind_types::PauseScope;
use serde::{Deserialize, Serialize};

use super::gas;
use crate::harness::{Block, Contract, Measured, Vm};
use crate::report::{Figure, JournalRow, Report};

const C: &str = "rewind_journal_bench";

pub const GOALS: &[(&str, &str)] = &[
    (
        "journal_vs_plain",
        "journaled first write <= 2.0x plain Map",
    ),
    (
        "journal_vs_snapshot",
        "journaled first write <= 0.8x SnapshotMap",
    ),
    (
        "rollback_per_entry",
        "rollback <= 10k per undone balance-sized entry",
    ),
    ("rollback_per_10m", ">= 1,000 undone entries per 10M gas"),
];

// The benchmark's messages (tests/journal-bench/src/msg.rs), mirrored: the bench is not a
// rewind-types contract and the harness must not depend on the contracts' workspace.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
enum StoreKind {
    Plain,
    Snapshot,
    Journaled,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Exec {
    Noop {},
    Write {
        store: StoreKind,
        first: u32,
        count: u32,
        amount: Uint128,
    },
    Read {
        store: StoreKind,
        first: u32,
        count: u32,
    },
    SetPause {
        scope: PauseScope,
        until: Timestamp,
    },
    Gated {
        scope: PauseScope,
    },
    StartRollback {
        height: u64,
        expected_digest: cosmwasm_std::HexBinary,
    },
    RollbackStep {
        limit: u32,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Query {
    DigestAt { height: u64 },
}

#[derive(Serialize)]
struct Instantiate {
    retention_blocks: u64,
}

const KINDS: [(StoreKind, &str); 3] = [
    (StoreKind::Plain, "plain"),
    (StoreKind::Snapshot, "snapshot"),
    (StoreKind::Journaled, "journaled"),
];
/// Keys touched by a marginal measurement.
const MARGINAL_KEYS: u32 = 10;
/// Rollback batch sizes.
const BATCHES: [u32; 3] = [10, 100, 1000];
/// A batch above what fits in the 10M limit: shown running out of gas (row D1's cliff).
pub const OVER_LIMIT_BATCH: u32 = 1_500;

fn fresh(vm: &Vm, block: Block) -> Contract {
    let mut c = vm.load(C, "journal-bench").expect("load journal bench");
    let admin = vm.addr("admin");
    vm.instantiate(
        &mut c,
        block,
        &admin,
        &[],
        &Instantiate {
            retention_blocks: 100_000,
        },
    )
    .expect_ok("instantiate bench");
    c
}

pub fn run(dir: &Path, report: &mut Report) {
    let vm = Vm::new(dir).expect("bench VM");
    let user = vm.addr("user");
    let mut block = Block::genesis();
    let mut c = fresh(&vm, block);
    block.advance(1);
    // Every key exists from an earlier block: a balance update, the common case.
    for (kind, _) in KINDS {
        let seed = Exec::Write {
            store: kind,
            first: 0,
            count: 1 + MARGINAL_KEYS,
            amount: Uint128::new(1_000_000),
        };
        vm.execute(&mut c, block, &user, &[], &seed)
            .expect_ok("seed");
    }
    block.advance(1);
    let noop = vm
        .execute(&mut c, block, &user, &[], &Exec::Noop {})
        .expect_ok("noop");
    report.push(Figure::from_measured(
        "journal.noop",
        C,
        "empty execute (the baseline)",
        &noop,
    ));

    let mut single = Vec::new();
    let mut marginal = Vec::new();
    for (kind, name) in KINDS {
        let w = |first, count, amount| Exec::Write {
            store: kind,
            first,
            count,
            amount: Uint128::new(amount),
        };
        let r = |first, count| Exec::Read {
            store: kind,
            first,
            count,
        };
        let first = vm
            .execute(&mut c, block, &user, &[], &w(0, 1, 2_000_000))
            .expect_ok("first write");
        let second = vm
            .execute(&mut c, block, &user, &[], &w(0, 1, 3_000_000))
            .expect_ok("second write");
        let read = vm
            .execute(&mut c, block, &user, &[], &r(0, 1))
            .expect_ok("read");
        let first_n = vm
            .execute(&mut c, block, &user, &[], &w(1, MARGINAL_KEYS, 2_000_000))
            .expect_ok("first writes");
        let second_n = vm
            .execute(&mut c, block, &user, &[], &w(1, MARGINAL_KEYS, 3_000_000))
            .expect_ok("second writes");
        let read_n = vm
            .execute(&mut c, block, &user, &[], &r(1, MARGINAL_KEYS))
            .expect_ok("reads");
        let push = |report: &mut Report, op: &str, what: &str, m: &Measured| {
            report.push(Figure::from_measured(
                &format!("journal.{name}.{op}"),
                C,
                &format!("{name}: {what}"),
                m,
            ))
        };
        push(
            report,
            "first_write",
            "first write of a key in a block (one key)",
            &first,
        );
        push(
            report,
            "second_write",
            "second write of the key in the same block",
            &second,
        );
        push(report, "read", "read of one key", &read);
        push(
            report,
            "first_write_10",
            "first write in a block of 10 keys",
            &first_n,
        );
        push(
            report,
            "second_write_10",
            "second write in the block of the 10 keys",
            &second_n,
        );
        push(report, "read_10", "read of 10 keys", &read_n);
        let d = |m: &Measured| m.sdk_gas.saturating_sub(noop.sdk_gas);
        single.push([d(&first), d(&second), d(&read)]);
        let per = |m: &Measured| d(m) / u64::from(MARGINAL_KEYS);
        marginal.push([per(&first_n), per(&second_n), per(&read_n)]);
        block.advance(1);
    }
    let ops = [
        "first write in a block",
        "second write in the block",
        "read",
    ];
    for (i, op) in ops.iter().enumerate() {
        report.journal.push(JournalRow::new(
            op,
            "single",
            single[0][i],
            single[1][i],
            single[2][i],
        ));
    }
    for (i, op) in ops.iter().enumerate() {
        report.journal.push(JournalRow::new(
            op,
            "marginal",
            marginal[0][i],
            marginal[1][i],
            marginal[2][i],
        ));
    }
    let first_single = &report.journal[0];
    let first_marginal = &report.journal[3];
    let (jp, js) = (
        first_single.journaled_vs_plain,
        first_single.journaled_vs_snapshot,
    );
    let (mjp, mjs) = (
        first_marginal.journaled_vs_plain,
        first_marginal.journaled_vs_snapshot,
    );
    let text = |r: f64, m: f64, j: u64, a: u64, anchor: &str| {
        format!(
            "{r:.2}x ({} vs {anchor} {}, one write + the digest flush); marginal per key {m:.2}x",
            gas(j),
            gas(a)
        )
    };
    let t1 = text(
        jp,
        mjp,
        first_single.journaled_map,
        first_single.plain_map,
        "Map",
    );
    let t2 = text(
        js,
        mjs,
        first_single.journaled_map,
        first_single.snapshot_map,
        "SnapshotMap",
    );
    report.goal("journal_vs_plain", GOALS[0].1, t1, jp <= 2.0);
    report.goal("journal_vs_snapshot", GOALS[1].1, t2, js <= 0.8);

    gate(&vm, &mut c, &mut block, report);
    rollback(&vm, report);
}

/// The journal's gate: a gated execute refused by a pause, and the same execute let through.
fn gate(vm: &Vm, c: &mut Contract, block: &mut Block, report: &mut Report) {
    let guardian = vm.addr("guardian");
    let until = block.time.plus_seconds(3_600);
    vm.execute(
        c,
        *block,
        &guardian,
        &[],
        &Exec::SetPause {
            scope: PauseScope::named("deposit"),
            until,
        },
    )
    .expect_ok("set pause");
    block.advance(1);
    let user = vm.addr("user");
    let refused = vm
        .execute(
            c,
            *block,
            &user,
            &[],
            &Exec::Gated {
                scope: PauseScope::named("deposit"),
            },
        )
        .expect_err("gated while paused", "paused");
    report.push(Figure::from_measured(
        "journal.gate_refused",
        C,
        "gated execute refused by the pause (ensure_open)",
        &refused,
    ));
    let open = vm
        .execute(
            c,
            *block,
            &user,
            &[],
            &Exec::Gated {
                scope: PauseScope::named("trade"),
            },
        )
        .expect_ok("gated, other scope");
    report.push(Figure::from_measured(
        "journal.gate_open",
        C,
        "gated execute let through (ensure_open, other scope paused)",
        &open,
    ));
}

/// Rollback of balance-sized entries: N keys written at the target height, all overwritten
/// one block later (N undo entries), then batches of 10, 100 and 1000, each in its own execute.
fn rollback(vm: &Vm, report: &mut Report) {
    let user = vm.addr("user");
    let mut block = Block::genesis();
    let mut c = fresh(vm, block);
    block.advance(1);
    let total: u32 = BATCHES.iter().sum::<u32>() + OVER_LIMIT_BATCH;
    let chunk = 100;
    for amount in [1_000_000u128, 2_000_000] {
        for first in (0..total).step_by(chunk as usize) {
            let w = Exec::Write {
                store: StoreKind::Journaled,
                first,
                count: chunk.min(total - first),
                amount: Uint128::new(amount),
            };
            vm.execute(&mut c, block, &user, &[], &w)
                .expect_ok("rollback setup write");
        }
        block.advance(1);
    }
    let target = block.height - 2;
    let digest: DigestAtResponse =
        vm.query_json(&mut c, block, &Query::DigestAt { height: target });
    let start = vm
        .execute(
            &mut c,
            block,
            &user,
            &[],
            &Exec::StartRollback {
                height: target,
                expected_digest: digest.digest,
            },
        )
        .expect_ok("start rollback");
    report.push(Figure::from_measured(
        "journal.rollback_start",
        C,
        "start a rollback (validate target, set lock)",
        &start,
    ));

    // The verify pass first: it reads every undo entry (and its live value) and undoes none,
    // in steps of at most 1,000 entries; the last one leaves nothing to verify.
    let mut left = total;
    let mut first_verify = true;
    while left > 0 {
        let b = left.min(1000);
        block.advance(1);
        let m = vm
            .execute(&mut c, block, &user, &[], &Exec::RollbackStep { limit: b })
            .expect_ok("verify step");
        assert_eq!(
            m.attr("undone").as_deref(),
            Some("0"),
            "the verify pass undoes nothing"
        );
        if first_verify && b == 1000 {
            report.push(Figure::from_measured(
                "journal.verify_1000",
                C,
                "rollback verify pass reading 1000 balance entries (undoes none)",
                &m,
            ));
            report.push(Figure::derived(
                "journal.verify_1000_per_entry",
                C,
                "verify pass per read entry at batch 1000",
                m.sdk_gas / 1000,
                "journal.verify_1000 / 1000",
            ));
            first_verify = false;
        }
        left -= b;
    }

    let mut per_entry = Vec::new();
    for b in BATCHES {
        block.advance(1);
        let m = vm
            .execute(&mut c, block, &user, &[], &Exec::RollbackStep { limit: b })
            .expect_ok("rollback step");
        assert_eq!(
            m.attr("undone").as_deref(),
            Some(b.to_string().as_str()),
            "batch {b} undid a full batch"
        );
        report.push(Figure::from_measured(
            &format!("journal.rollback_{b}"),
            C,
            &format!("rollback step undoing {b} balance entries"),
            &m,
        ));
        let per = m.sdk_gas / u64::from(b);
        report.push(Figure::derived(
            &format!("journal.rollback_{b}_per_entry"),
            C,
            &format!("rollback per undone entry at batch {b}"),
            per,
            &format!("journal.rollback_{b} / {b}"),
        ));
        per_entry.push((b, m.sdk_gas, per));
    }
    // The largest batch that fits in the limit, from the marginal cost between 100 and 1000.
    let (b1, g1, _) = per_entry[1];
    let (b2, g2, per_1000) = per_entry[2];
    let marginal = (g2 - g1) / u64::from(b2 - b1);
    let fixed = g2.saturating_sub(marginal * u64::from(b2));
    let fits = (vm.gas_limit - fixed) / marginal;
    report.push(Figure::derived(
        "journal.rollback_marginal_per_entry",
        C,
        "rollback marginal cost per undone entry",
        marginal,
        "(rollback_1000 - rollback_100) / 900",
    ));
    // The cliff: a batch above what fits does not complete in the VM (and reverts).
    block.advance(1);
    let m = vm.execute(
        &mut c,
        block,
        &user,
        &[],
        &Exec::RollbackStep {
            limit: OVER_LIMIT_BATCH,
        },
    );
    assert!(
        m.out_of_gas,
        "a batch of {OVER_LIMIT_BATCH} should exceed the limit: {:?}",
        m.error
    );
    report.push(
        Figure::from_measured(
            &format!("journal.rollback_{OVER_LIMIT_BATCH}"),
            C,
            &format!("rollback step undoing {OVER_LIMIT_BATCH} balance entries"),
            &m,
        )
        .with_note("does not complete: out of gas at the 10M limit, reverted"),
    );
    report.goal(
        "rollback_per_entry",
        GOALS[2].1,
        format!(
            "{} per entry at batch 1000 ({} marginal)",
            gas(per_1000),
            gas(marginal)
        ),
        per_1000 <= 10_000,
    );
    report.goal(
        "rollback_per_10m",
        GOALS[3].1,
        format!(
            "batch 1000 costs {}; about {} entries fit in 10M",
            gas(g2),
            gas(fits)
        ),
        g2 <= 10_000_000,
    );
}

//! The cw20-spec token, plain (examples/cw20-token) and restorable
//! (examples/restorable-cw20-token), side by side: the same state, the same messages. The
//! restorable token pays for its gate read, the sender's activity note, one undo entry per
//! key on its first write in a block and one digest record per execution.

use cosmwasm_std::Addr;
use serde_json::{json, Value};

use super::gas;
use crate::harness::{Block, Measured, Vm};

/// A contract's raw storage.
type Raw = std::collections::BTreeMap<Vec<u8>, Vec<u8>>;
use crate::report::{Figure, Report};

const PLAIN: &str = "cw20_token";
const RESTORABLE: &str = "restorable_cw20_token";
/// Holders present before the measured calls.
const BACKGROUND: u32 = 50;

pub const GOALS: &[(&str, &str)] = &[
    (
        "cw20_transfer",
        "restorable cw20 transfer, first write in a block <= 1.25 x the plain token's",
    ),
    (
        "cw20_redo_record",
        "the redo record of a cw20 transfer <= 15 % of the plain token's transfer",
    ),
    (
        "cw20_replay_batch",
        "the largest replay crank (25 recorded transfers) < 10,000,000 gas",
    ),
];
/// The restorable transfer (first write in a block) measured in this harness at commit
/// 66f67f9, the last one before the redo log: an anchor, like the cw3 figures, for what the
/// record added to the whole execution (its write and its serialisation).
const TRANSFER_BEFORE_REDO: u64 = 103_048;
/// Recorded transfers replayed by the measured crank: the most one crank replays
/// (`MAX_CRANK_LIMIT / REPLAY_WEIGHT`).
const REPLAYED: u32 = 25;

/// What one variant measured.
struct Measures {
    transfer_first: Measured,
    transfer_repeat: Measured,
    transfer_from: Measured,
    mint: Measured,
    /// Bytes the first transfer in a block added to storage, by kind.
    transfer_bytes: Bytes,
    /// The restorable token's replay crank of [`REPLAYED`] recorded transfers.
    replay: Option<Measured>,
}

#[derive(Default, Debug, Clone, Copy)]
struct Bytes {
    undo: u64,
    digest: u64,
    activity: u64,
    redo: u64,
    other: i64,
}

fn instantiate_msg(vm: &Vm, restorable: bool) -> Value {
    let mut balances: Vec<Value> = (0..BACKGROUND)
        .map(|i| json!({"address": vm.addr(&format!("holder{i}")), "amount": "1000000"}))
        .collect();
    for name in ["alice", "bob", "carol"] {
        balances.push(json!({"address": vm.addr(name), "amount": "1000000000"}));
    }
    let mut msg = json!({
        "name": "Rewind Token",
        "symbol": "RWD",
        "decimals": 6,
        "initial_balances": balances,
        "mint": {"minter": vm.addr("minter"), "cap": null},
    });
    if restorable {
        msg["rewind"] = json!({
            "guardian": vm.addr("guardian"),
            "retention_blocks": 100_000,
            "retention_seconds": 2_592_000,
        });
    }
    msg
}

/// Storage bytes (key + value) under each journal prefix that `after` has beyond `before`.
fn added_bytes(before: &Raw, after: &Raw) -> Bytes {
    let prefix = |ns: &str| [&[0u8, 4][..], ns.as_bytes()].concat();
    let (undo, digest, activity, redo) = (
        prefix("rj/u"),
        prefix("rj/d"),
        prefix("rj/l"),
        prefix("rj/o"),
    );
    let size = |k: &[u8], v: &[u8]| (k.len() + v.len()) as i64;
    let mut b = Bytes::default();
    for (k, v) in after {
        let old = before.get(k).map_or(0, |ov| size(k, ov));
        let grown = size(k, v) - old;
        if grown == 0 {
            continue;
        }
        if k.starts_with(&undo) {
            b.undo += grown as u64;
        } else if k.starts_with(&digest) {
            b.digest += grown as u64;
        } else if k.starts_with(&activity) {
            b.activity += grown as u64;
        } else if k.starts_with(&redo) {
            b.redo += grown as u64;
        } else {
            b.other += grown;
        }
    }
    b
}

fn measure(vm: &Vm, name: &str, restorable: bool) -> Measures {
    let mut c = vm
        .load(name, name)
        .unwrap_or_else(|e| panic!("load {name}: {e}"));
    let mut block = Block::genesis();
    let deployer = vm.addr("deployer");
    vm.instantiate(
        &mut c,
        block,
        &deployer,
        &[],
        &instantiate_msg(vm, restorable),
    )
    .expect_ok("instantiate the token");
    let (alice, bob, carol, spender, minter) = (
        vm.addr("alice"),
        vm.addr("bob"),
        vm.addr("carol"),
        vm.addr("spender"),
        vm.addr("minter"),
    );
    let transfer = |to: &Addr| json!({"transfer": {"recipient": to, "amount": "10"}});
    block.advance(1);
    vm.execute(
        &mut c,
        block,
        &alice,
        &[],
        &json!({"increase_allowance": {"spender": spender, "amount": "1000"}}),
    )
    .expect_ok("allowance");

    block.advance(1);
    let before = c.storage.raw().clone();
    let transfer_first = vm
        .execute(&mut c, block, &alice, &[], &transfer(&bob))
        .expect_ok("first transfer in a block");
    let transfer_bytes = added_bytes(&before, c.storage.raw());
    let transfer_repeat = vm
        .execute(&mut c, block, &alice, &[], &transfer(&bob))
        .expect_ok("second transfer of the same keys in the block");
    block.advance(1);
    let transfer_from = vm
        .execute(
            &mut c,
            block,
            &spender,
            &[],
            &json!({"transfer_from": {"owner": alice, "recipient": carol, "amount": "10"}}),
        )
        .expect_ok("transfer_from");
    block.advance(1);
    let mint = vm
        .execute(
            &mut c,
            block,
            &minter,
            &[],
            &json!({"mint": {"recipient": alice, "amount": "10"}}),
        )
        .expect_ok("mint");
    let replay = restorable.then(|| measure_replay(vm, &mut c, &mut block));
    Measures {
        transfer_first,
        transfer_repeat,
        transfer_from,
        mint,
        transfer_bytes,
        replay,
    }
}

/// [`REPLAYED`] transfers, one per block, after a height; a restoration to it with no
/// exclusion; the crank that replays them all.
fn measure_replay(vm: &Vm, c: &mut crate::harness::Contract, block: &mut Block) -> Measured {
    let (alice, bob, guardian) = (vm.addr("alice"), vm.addr("bob"), vm.addr("guardian"));
    let height = block.height;
    for i in 0..REPLAYED {
        block.advance(1);
        let (from, to) = if i % 2 == 0 {
            (&alice, &bob)
        } else {
            (&bob, &alice)
        };
        vm.execute(
            c,
            *block,
            from,
            &[],
            &json!({"transfer": {"recipient": to, "amount": "7"}}),
        )
        .expect_ok("a transfer after the height");
    }
    block.advance(1);
    let digest: Value = vm.query_json(c, *block, &json!({"digest_at": {"height": height}}));
    let until = block.time.plus_seconds(86_400);
    vm.execute(
        c,
        *block,
        &guardian,
        &[],
        &json!({"gate": {"set_restoration_lock": {"until": until}}}),
    )
    .expect_ok("the restoration lock");
    vm.migrate(
        c,
        *block,
        &json!({"restore": {
            "height": height,
            "exclusions": [],
            "shortfall_policy": "pro_rata_haircut",
            "expected_digest": digest["digest"],
        }}),
    )
    .expect_ok("restore");
    block.advance(1);
    vm.execute(c, *block, &alice, &[], &json!({"crank": {"limit": 200}}))
        .expect_ok("the rollback crank");
    block.advance(1);
    let replay = vm
        .execute(c, *block, &alice, &[], &json!({"crank": {"limit": 200}}))
        .expect_ok("the replay crank");
    let status: Value = vm.query_json(c, *block, &json!({"restoration_status": {}}));
    assert_eq!(status["phase"], "complete", "{status}");
    assert_eq!(status["replayed_executions"], REPLAYED, "{status}");
    replay
}

/// The restorable transfer's extra gas over the plain one, by the record it pays for: what
/// the 1.25 x goal would have to cut (storage from the ledger's key kinds; the rest is VM gas).
fn where_the_gas_goes(plain: &Measured, restorable: &Measured) -> String {
    use crate::backend::KeyKind;
    let (p, r) = (&plain.storage, &restorable.storage);
    let extra = restorable.sdk_gas.saturating_sub(plain.sdk_gas);
    let state = r
        .gas_of(KeyKind::State)
        .saturating_sub(p.gas_of(KeyKind::State));
    let vm = restorable.vm_sdk_gas.saturating_sub(plain.vm_sdk_gas);
    format!(
        "the extra {} gas by record: undo entries {}, redo record {}, activity note (row G14) \
         {}, digest {}, gate and frozen-account reads {}, the journal's key and value headers \
         on the balances {}, VM {} (the goal allows {})",
        gas(extra),
        gas(r.gas_of(KeyKind::Undo)),
        gas(r.gas_of(KeyKind::Redo)),
        gas(r.gas_of(KeyKind::Activity)),
        gas(r.gas_of(KeyKind::Digest)),
        gas(r.gas_of(KeyKind::Library)),
        gas(state),
        gas(vm),
        gas(plain.sdk_gas / 4),
    )
}

pub fn run(vm: &Vm, report: &mut Report) {
    let plain = measure(vm, PLAIN, false);
    let restorable = measure(vm, RESTORABLE, true);
    for (label, name, m) in [
        ("plain", PLAIN, &plain),
        ("restorable", RESTORABLE, &restorable),
    ] {
        let push = |report: &mut Report, id: &str, op: &str, measured: &Measured| {
            report.push(Figure::from_measured(
                &format!("cw20.{label}.{id}"),
                name,
                op,
                measured,
            ));
        };
        push(
            report,
            "transfer_first",
            "transfer, first write of both keys in the block",
            &m.transfer_first,
        );
        push(
            report,
            "transfer_repeat",
            "transfer, the same keys again in the block",
            &m.transfer_repeat,
        );
        push(
            report,
            "transfer_from",
            "transfer_from (allowance set in an earlier block)",
            &m.transfer_from,
        );
        push(report, "mint", "mint by the minter", &m.mint);
    }
    let (p, r) = (
        plain.transfer_first.sdk_gas,
        restorable.transfer_first.sdk_gas,
    );
    let ratio = r as f64 / p as f64;
    let b = restorable.transfer_bytes;
    report.goal(
        "cw20_transfer",
        GOALS[0].1,
        format!(
            "plain {} vs restorable {} = {ratio:.2} x; retained history per transfer: {} bytes of \
             undo entries + {} bytes of digest record (+ {} bytes of activity note, outside the \
             digest); repeat in the block: plain {} vs restorable {}; {}",
            gas(p),
            gas(r),
            b.undo,
            b.digest,
            b.activity,
            gas(plain.transfer_repeat.sdk_gas),
            gas(restorable.transfer_repeat.sdk_gas),
            where_the_gas_goes(&plain.transfer_first, &restorable.transfer_first),
        ),
        ratio <= 1.25,
    );
    // The record is one write (flat, then per byte of key with the contract prefix and value)
    // and the iterator step that numbers it; its serialisation is VM gas, in the totals above.
    use crate::backend::{kv, CONTRACT_PREFIX_LEN};
    let redo_gas =
        kv::WRITE_FLAT + kv::WRITE_PER_BYTE * (b.redo + CONTRACT_PREFIX_LEN) + kv::ITER_STEP_FLAT;
    let grown = r.saturating_sub(TRANSFER_BEFORE_REDO).max(redo_gas);
    let share = grown as f64 / p as f64;
    report.goal(
        "cw20_redo_record",
        GOALS[1].1,
        format!(
            "{} bytes (key + value) per transfer = {} gas of storage; the whole transfer grew \
             from {} (before the redo log) to {}: +{} = {:.1} % of the plain transfer's {}",
            b.redo,
            gas(redo_gas),
            gas(TRANSFER_BEFORE_REDO),
            gas(r),
            gas(grown),
            share * 100.0,
            gas(p),
        ),
        share <= 0.15,
    );
    let replay = restorable
        .replay
        .as_ref()
        .expect("the restorable token measures its replay");
    report.push(Figure::from_measured(
        "cw20.restorable.replay_crank",
        RESTORABLE,
        &format!("crank replaying {REPLAYED} recorded transfers"),
        replay,
    ));
    report.goal(
        "cw20_replay_batch",
        GOALS[2].1,
        format!(
            "{} gas for {REPLAYED} replays = {} per replayed transfer",
            gas(replay.sdk_gas),
            gas(replay.sdk_gas / u64::from(REPLAYED)),
        ),
        replay.sdk_gas < 10_000_000,
    );
}

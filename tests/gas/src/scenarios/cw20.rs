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

pub const GOALS: &[(&str, &str)] = &[(
    "cw20_transfer",
    "restorable cw20 transfer, first write in a block <= 1.25 x the plain token's",
)];

/// What one variant measured.
struct Measures {
    transfer_first: Measured,
    transfer_repeat: Measured,
    transfer_from: Measured,
    mint: Measured,
    /// Bytes the first transfer in a block added to storage, by kind.
    transfer_bytes: Bytes,
}

#[derive(Default, Debug, Clone, Copy)]
struct Bytes {
    undo: u64,
    digest: u64,
    activity: u64,
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
    let (undo, digest, activity) = (prefix("rj/u"), prefix("rj/d"), prefix("rj/l"));
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
        } else {
            b.other += grown;
        }
    }
    b
}

fn measure(vm: &Vm, name: &str, restorable: bool) -> Measures {
    let mut c = vm.load(name, name).unwrap_or_else(|e| panic!("load {name}: {e}"));
    let mut block = Block::genesis();
    let deployer = vm.addr("deployer");
    vm.instantiate(&mut c, block, &deployer, &[], &instantiate_msg(vm, restorable))
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
    vm.execute(&mut c, block, &alice, &[], &json!({"increase_allowance": {"spender": spender, "amount": "1000"}}))
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
        .execute(&mut c, block, &minter, &[], &json!({"mint": {"recipient": alice, "amount": "10"}}))
        .expect_ok("mint");
    Measures {
        transfer_first,
        transfer_repeat,
        transfer_from,
        mint,
        transfer_bytes,
    }
}

pub fn run(vm: &Vm, report: &mut Report) {
    let plain = measure(vm, PLAIN, false);
    let restorable = measure(vm, RESTORABLE, true);
    for (label, name, m) in [("plain", PLAIN, &plain), ("restorable", RESTORABLE, &restorable)] {
        let push = |report: &mut Report, id: &str, op: &str, measured: &Measured| {
            report.push(Figure::from_measured(&format!("cw20.{label}.{id}"), name, op, measured));
        };
        push(report, "transfer_first", "transfer, first write of both keys in the block", &m.transfer_first);
        push(report, "transfer_repeat", "transfer, the same keys again in the block", &m.transfer_repeat);
        push(report, "transfer_from", "transfer_from (allowance set in an earlier block)", &m.transfer_from);
        push(report, "mint", "mint by the minter", &m.mint);
    }
    let (p, r) = (plain.transfer_first.sdk_gas, restorable.transfer_first.sdk_gas);
    let ratio = r as f64 / p as f64;
    let b = restorable.transfer_bytes;
    report.goal(
        "cw20_transfer",
        GOALS[0].1,
        format!(
            "plain {} vs restorable {} = {ratio:.2} x; retained history per transfer: {} bytes of \
             undo entries + {} bytes of digest record (+ {} bytes of activity note, outside the \
             digest); repeat in the block: plain {} vs restorable {}",
            gas(p),
            gas(r),
            b.undo,
            b.digest,
            b.activity,
            gas(plain.transfer_repeat.sdk_gas),
            gas(restorable.transfer_repeat.sdk_gas),
        ),
        ratio <= 1.25,
    );
}

//! The storage charges match wasmd's KV gas table on hand-computed cases: directly on the
//! backend, and end to end through the VM on the benchmark contract.

use cosmwasm_std::Order;
use cosmwasm_vm::Storage;
use rewind_gas::backend::{GasStorage, GAS_MULTIPLIER};
use rewind_gas::harness::{Block, Vm};

#[test]
fn backend_charges_the_kv_table() {
    let mut s = GasStorage::new();

    // set: 2000 + 30 * (33 prefix + 2 key + 10 value) = 3350
    let (r, gas) = s.set(b"k1", b"0123456789");
    r.unwrap();
    assert_eq!(gas.externally_used, 3_350 * GAS_MULTIPLIER);
    assert_eq!(gas.cost, 0);

    // get (found): 1000 + 3 * (33 + 2 + 10) = 1135
    let (r, gas) = s.get(b"k1");
    assert_eq!(r.unwrap().as_deref(), Some(&b"0123456789"[..]));
    assert_eq!(gas.externally_used, 1_135 * GAS_MULTIPLIER);

    // get (missing, 3-byte key): 1000 + 3 * (33 + 3) = 1108
    let (r, gas) = s.get(b"zzz");
    assert_eq!(r.unwrap(), None);
    assert_eq!(gas.externally_used, 1_108 * GAS_MULTIPLIER);

    // delete: 1000 flat
    let (r, gas) = s.remove(b"zzz");
    r.unwrap();
    assert_eq!(gas.externally_used, 1_000 * GAS_MULTIPLIER);

    let ledger = s.take_ledger();
    assert_eq!((ledger.reads, ledger.writes, ledger.deletes), (2, 1, 1));
    assert_eq!(ledger.sdk_gas, 3_350 + 1_135 + 1_108 + 1_000);
    assert_eq!(s.take_ledger().sdk_gas, 0, "the ledger restarts after take");
}

#[test]
fn iterator_steps_charge_flat_plus_bytes() {
    let mut s = GasStorage::new();
    s.set(b"a1", b"xy").0.unwrap();
    s.set(b"a2", b"xyz").0.unwrap();
    s.set(b"b1", b"x").0.unwrap();
    s.take_ledger();

    // The seek at creation is one step over the first record: 30 + 3 * (33 + 2 + 2) = 141.
    let (id, gas) = s.scan(Some(b"a"), Some(b"b"), Order::Ascending);
    let id = id.unwrap();
    assert_eq!(gas.externally_used, 141 * GAS_MULTIPLIER);
    // Each record returned: 30 + 3 * (33 + key + value).
    let (r, gas) = s.next(id);
    assert_eq!(r.unwrap().unwrap().0, b"a1".to_vec());
    assert_eq!(gas.externally_used, 141 * GAS_MULTIPLIER);
    let (r, gas) = s.next(id);
    assert_eq!(r.unwrap().unwrap().0, b"a2".to_vec());
    assert_eq!(
        gas.externally_used,
        (30 + 3 * (33 + 2 + 3)) * GAS_MULTIPLIER
    );
    // The end of the range is free.
    let (r, gas) = s.next(id);
    assert_eq!(r.unwrap(), None);
    assert_eq!(gas.externally_used, 0);

    // Descending, and an empty range costs the flat step only.
    let (id, _) = s.scan(None, None, Order::Descending);
    assert_eq!(s.next(id.unwrap()).0.unwrap().unwrap().0, b"b1".to_vec());
    let (_, gas) = s.scan(Some(b"c"), None, Order::Ascending);
    assert_eq!(gas.externally_used, 30 * GAS_MULTIPLIER);

    let ledger = s.take_ledger();
    assert_eq!(ledger.scans, 3);
    assert_eq!(ledger.iter_steps, 3 + 2 + 1);
}

/// End to end: a plain `Map` save of one balance through the real artifact. The key is
/// `u16be(3) ‖ "bal" ‖ "acct1" + 38 digits` = 2 + 3 + 43 = 48 bytes; the value is the JSON
/// string `"2000000"` = 9 bytes. One write: 2000 + 30 * (33 + 48 + 9) = 4700 SDK gas.
#[test]
fn vm_call_storage_gas_matches_hand_computation() {
    let dir = bench_dir();
    let vm = Vm::new(&dir).unwrap();
    let mut c = vm.load("rewind_journal_bench", "bench").unwrap();
    let mut block = Block::genesis();
    let admin = vm.addr("admin");
    vm.instantiate(
        &mut c,
        block,
        &admin,
        &[],
        &serde_json::json!({ "retention_blocks": 10 }),
    )
    .expect_ok("instantiate");
    block.advance(1);
    let write = serde_json::json!({ "write": { "store": "plain", "first": 0, "count": 1, "amount": "2000000" } });
    let m = vm
        .execute(&mut c, block, &admin, &[], &write)
        .expect_ok("write");
    assert_eq!(
        (m.storage.reads, m.storage.writes, m.storage.deletes),
        (0, 1, 0)
    );
    assert_eq!(m.storage.sdk_gas, 4_700);

    // Reading it back: 1000 + 3 * (33 + 48 + 9) = 1270.
    let read = serde_json::json!({ "read": { "store": "plain", "first": 0, "count": 1 } });
    let m = vm
        .execute(&mut c, block, &admin, &[], &read)
        .expect_ok("read");
    assert_eq!((m.storage.reads, m.storage.sdk_gas), (1, 1_270));
    // The total is the sum of its parts, with the 60k load.
    assert_eq!(m.sdk_gas, 60_000 + 1_270 + m.vm_sdk_gas + m.events_sdk_gas);
    assert!(m.vm_sdk_gas > 0, "Wasm execution is charged");
}

fn bench_dir() -> std::path::PathBuf {
    let lowered = std::env::var("REWIND_LOWERED_WASM").expect(
        "REWIND_LOWERED_WASM must name the optimized rewind_journal_bench.wasm (scripts/gas.sh sets it)",
    );
    std::path::Path::new(&lowered)
        .parent()
        .expect("dir")
        .to_path_buf()
}

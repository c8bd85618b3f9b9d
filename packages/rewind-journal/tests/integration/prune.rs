//! Retention: bounded pruning that keeps the window restorable and stops while a
//! restoration is pending.

use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{Addr, Int128, Storage, Uint128};
use rewind_journal::keys::{records_root, undo_root};
use rewind_journal::{
    digest_at, flows_after, initialize, journal_info, prune, record_flow, rollback_step,
    set_restoration_lock, set_retention, start_rollback, Journal, JournalError, JournaledMap,
};

use crate::common::{dump, env_at};

const BALANCES: JournaledMap<&str, Uint128> = JournaledMap::new("balances");

fn count_prefix(store: &dyn Storage, prefix: &[u8]) -> usize {
    dump(store)
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .count()
}

/// Heights 10..=29 each write "a" and "b"; every height also records a flow.
fn busy(retention: u64) -> MockStorage {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), retention, 1).unwrap();
    for h in 10..30u64 {
        let mut j = Journal::new(&env_at(h));
        BALANCES
            .save(&mut store, &mut j, "a", &Uint128::new(h.into()))
            .unwrap();
        BALANCES
            .save(&mut store, &mut j, "b", &Uint128::new(h.into()))
            .unwrap();
        j.flush(&mut store).unwrap();
        record_flow(
            &mut store,
            &env_at(h),
            &Addr::unchecked("x"),
            "u",
            Int128::one(),
        )
        .unwrap();
    }
    store
}

#[test]
fn prune_is_bounded_and_keeps_every_height_of_the_window() {
    let mut store = busy(5);
    let env = env_at(30); // window: 25..30, prune heights <= 25
    assert_eq!(count_prefix(&store, &undo_root()), 40);
    let mut total = 0;
    loop {
        let n = prune(&mut store, &env, 3).unwrap();
        assert!(n <= 3);
        if n == 0 {
            break;
        }
        total += n;
    }
    // 16 heights (10..=25) x 2 undo entries, 15 records (10..=24), 16 flows + 16 height index.
    assert_eq!(total, 32 + 15 + 32);
    assert_eq!(count_prefix(&store, &undo_root()), 8);
    assert_eq!(count_prefix(&store, &records_root()), 5);
    assert_eq!(journal_info(&store, &env).unwrap().retained_from, 25);
    assert_eq!(flows_after(&store, 0, None, 100).unwrap().len(), 4);
    for h in 25..30u64 {
        let d = digest_at(&store, &env, h).unwrap();
        assert_eq!(d.recorded_at, h);
    }
    assert_eq!(
        digest_at(&store, &env, 24),
        Err(JournalError::BeforeRetainedHistory {
            height: 24,
            retained_from: 25
        })
    );
    // The oldest retained height still rolls back exactly.
    let d = digest_at(&store, &env, 25).unwrap().digest;
    start_rollback(&mut store, &env, 25, &d).unwrap();
    while !rollback_step(&mut store, &env, 2).unwrap().done {}
    assert_eq!(BALANCES.load(&store, "a").unwrap(), Uint128::new(25));
}

#[test]
fn prune_with_a_partial_batch_reports_the_honest_floor() {
    let mut store = busy(5);
    let env = env_at(30);
    assert_eq!(prune(&mut store, &env, 3).unwrap(), 3); // heights 10, 10, 11
    let info = journal_info(&store, &env).unwrap();
    assert_eq!(info.retained_from, 11);
    // 11 is restorable: only an entry AT 11 is gone.
    let d = digest_at(&store, &env, 11).unwrap().digest;
    start_rollback(&mut store, &env, 11, &d).unwrap();
    while !rollback_step(&mut store, &env, 7).unwrap().done {}
    assert_eq!(BALANCES.load(&store, "b").unwrap(), Uint128::new(11));
}

#[test]
fn prune_stops_while_a_restoration_is_pending() {
    let mut store = busy(5);
    let env = env_at(30);
    // Restoration lock held: nothing pruned.
    set_restoration_lock(&mut store, Some(env.block.time.plus_seconds(60))).unwrap();
    let before = dump(&store);
    assert_eq!(prune(&mut store, &env, 100).unwrap(), 0);
    assert_eq!(before, dump(&store));
    // An expired lock no longer stops it... but a running rollback does.
    let later = env_at(40);
    let d = digest_at(&store, &later, 26).unwrap().digest;
    start_rollback(&mut store, &later, 26, &d).unwrap();
    let before = dump(&store);
    assert_eq!(prune(&mut store, &later, 100).unwrap(), 0);
    assert_eq!(before, dump(&store));
    while !rollback_step(&mut store, &later, 100).unwrap().done {}
    assert_eq!(prune(&mut store, &later, 100).unwrap(), 0); // verified, not finished
    crate::common::finish_and_release(&mut store, &later).unwrap();
    assert!(prune(&mut store, &later, 100).unwrap() > 0);
}

#[test]
fn prune_cleans_tombstones_of_past_blocks_only() {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 2, 1).unwrap();
    let mut j = Journal::new(&env_at(10));
    BALANCES
        .save(&mut store, &mut j, "a", &Uint128::one())
        .unwrap();
    j.flush(&mut store).unwrap();
    let mut j = Journal::new(&env_at(11));
    BALANCES.remove(&mut store, &mut j, "a").unwrap();
    j.flush(&mut store).unwrap();
    let key = BALANCES.storage_key(&"a");
    assert_eq!(store.get(&key).map(|v| v.len()), Some(9)); // the tombstone

    while prune(&mut store, &env_at(14), 10).unwrap() > 0 {}
    assert_eq!(store.get(&key), None);
    assert_eq!(BALANCES.may_load(&store, "a").unwrap(), None);
}

#[test]
fn retention_is_validated() {
    let mut store = MockStorage::new();
    assert_eq!(
        initialize(&mut store, &env_at(1), 0, 1),
        Err(JournalError::InvalidRetention {
            retention_blocks: 0,
            retention_seconds: 1
        })
    );
    assert_eq!(
        initialize(&mut store, &env_at(1), 10, 0),
        Err(JournalError::InvalidRetention {
            retention_blocks: 10,
            retention_seconds: 0
        })
    );
    initialize(&mut store, &env_at(1), 10, 1).unwrap();
    assert_eq!(
        initialize(&mut store, &env_at(2), 10, 1),
        Err(JournalError::AlreadyInitialized { start_height: 1 })
    );
    assert_eq!(
        set_retention(&mut store, 0, 1),
        Err(JournalError::InvalidRetention {
            retention_blocks: 0,
            retention_seconds: 1
        })
    );
    assert_eq!(
        set_retention(&mut store, 3, 0),
        Err(JournalError::InvalidRetention {
            retention_blocks: 3,
            retention_seconds: 0
        })
    );
    set_retention(&mut store, 3, 7).unwrap();
    let info = journal_info(&store, &env_at(5)).unwrap();
    assert_eq!((info.retention_blocks, info.retention_seconds), (3, 7));
    // Nothing to prune before the window is full.
    assert_eq!(prune(&mut store, &env_at(3), 10).unwrap(), 0);
}

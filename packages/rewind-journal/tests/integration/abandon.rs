//! `abandon_rollback`: the way out of a stuck rollback for a governance-voted code upgrade.
//! The journal unlocks and stays consistent: the live digest matches the state, heights the
//! partial rollback erased cannot be targeted, and later rollbacks to retained heights at or
//! below the abandoned target still verify.

use crate::common::scopes::*;
use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{HexBinary, Order, StdResult, Storage, Uint128};
use rewind_journal::{
    abandon_rollback, digest_at, ensure_open, finish_restoration, initialize, journal_info,
    live_digest, rollback_status, rollback_step, start_rollback, Journal, JournalError,
    JournaledItem, JournaledMap,
};

use crate::common::{dump, env_at, independent_digest};

const TOTAL: JournaledItem<Uint128> = JournaledItem::new("total");
const BALANCES: JournaledMap<&str, Uint128> = JournaledMap::new("balances");

/// Journal started at 10; at each height h in 11..=15 "alice" holds h, "bob" holds 5 from
/// 12 until removed at 14, the total is the sum.
fn history() -> MockStorage {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 50, 1).unwrap();
    for h in 11..=15u64 {
        let mut j = Journal::new(&env_at(h));
        BALANCES
            .save(&mut store, &mut j, "alice", &Uint128::new(h.into()))
            .unwrap();
        if h == 12 {
            BALANCES
                .save(&mut store, &mut j, "bob", &Uint128::new(5))
                .unwrap();
        }
        if h == 14 {
            BALANCES.remove(&mut store, &mut j, "bob").unwrap();
        }
        let total = sum(&store);
        TOTAL.save(&mut store, &mut j, &total).unwrap();
        j.flush(&mut store).unwrap();
    }
    store
}

fn sum(store: &MockStorage) -> Uint128 {
    BALANCES
        .range(store, None, None, Order::Ascending)
        .map(|r| r.map(|(_, v)| v))
        .sum::<StdResult<Uint128>>()
        .unwrap()
}

fn digest(store: &MockStorage, now: u64, h: u64) -> HexBinary {
    digest_at(store, &env_at(now), h).unwrap().digest
}

fn assert_live_digest_is_the_state(store: &MockStorage) {
    assert_eq!(
        live_digest(store).unwrap(),
        independent_digest(&dump(store)),
        "the live digest no longer describes the state"
    );
}

#[test]
fn abandoning_a_partial_rollback_unlocks_and_keeps_the_journal_consistent() {
    let mut store = history();
    let d12 = digest(&store, 16, 12);
    let d13 = digest(&store, 16, 13);
    start_rollback(&mut store, &env_at(16), 13, &d13).unwrap();
    // One undo entry only (after the verify pass): the state is between heights.
    let step = loop {
        let step = rollback_step(&mut store, &env_at(16), 1).unwrap();
        if step.undone > 0 {
            break step;
        }
    };
    assert_eq!((step.undone, step.done), (1, false));

    let abandoned = abandon_rollback(&mut store, &env_at(17)).unwrap().unwrap();
    assert_eq!(abandoned.height, 13);
    assert!(!abandoned.rolled_back);
    assert_eq!(rollback_status(&store).unwrap(), None);
    assert!(!journal_info(&store, &env_at(17)).unwrap().restoring);
    assert_eq!(ensure_open(&store, &env_at(17), &TRADE), Ok(()));
    // The running digest of the partial state is the live digest again.
    assert_live_digest_is_the_state(&store);
    // Heights above the abandoned target are erased (their undo entries are partly used);
    // the target and below keep their recorded digests.
    assert_eq!(
        digest_at(&store, &env_at(17), 14),
        Err(JournalError::HeightRolledBack {
            height: 14,
            rolled_back_to: 13,
            restored_at: 17,
        })
    );
    assert_eq!(digest(&store, 17, 13), d13);
    assert_eq!(digest(&store, 17, 12), d12);

    // The contract carries on: a write at 18 journals and flushes as usual.
    let mut j = Journal::new(&env_at(18));
    BALANCES
        .save(&mut store, &mut j, "carol", &Uint128::new(7))
        .unwrap();
    let total = sum(&store);
    TOTAL.save(&mut store, &mut j, &total).unwrap();
    j.flush(&mut store).unwrap();
    assert_live_digest_is_the_state(&store);

    // A later rollback to a retained height below the abandoned target verifies, and
    // reaches exactly the state at the end of 12.
    start_rollback(&mut store, &env_at(19), 12, &d12).unwrap();
    while !rollback_step(&mut store, &env_at(19), 2).unwrap().done {}
    crate::common::finish_and_release(&mut store, &env_at(19)).unwrap();
    assert_eq!(BALANCES.load(&store, "alice").unwrap(), Uint128::new(12));
    assert_eq!(BALANCES.load(&store, "bob").unwrap(), Uint128::new(5));
    assert_eq!(BALANCES.may_load(&store, "carol").unwrap(), None);
    assert_eq!(TOTAL.load(&store).unwrap(), Uint128::new(17));
    assert_eq!(live_digest(&store).unwrap().to_vec(), d12.to_vec());
    assert_live_digest_is_the_state(&store);
}

#[test]
fn r4_a_digest_mismatch_stays_locked_until_a_voted_upgrade_abandons_it() {
    let mut store = history();
    let d12 = digest(&store, 16, 12);
    // Tamper with alice's live value behind the journal's back.
    let key = BALANCES.storage_key(&"alice");
    let mut raw = store.get(&key).unwrap();
    raw.truncate(9);
    raw.extend_from_slice(b"\"1000000\"");
    store.set(&key, &raw);

    start_rollback(&mut store, &env_at(16), 12, &d12).unwrap();
    let why = loop {
        let step = rollback_step(&mut store, &env_at(16), 2).unwrap();
        assert!(!step.done, "a tampered state verified");
        assert_eq!(step.undone, 0, "the verify pass undoes nothing");
        if let Some(why) = step.failed {
            break why;
        }
    };
    assert!(why.contains("digest mismatch at height 12"), "{why}");
    // It failed before it changed anything: the tampered value is still there.
    assert_eq!(store.get(&key).unwrap(), raw);

    // Safe failure: locked, cannot finish, cannot start another rollback.
    assert_eq!(
        ensure_open(&store, &env_at(17), &DEPOSIT),
        Err(JournalError::Restoring)
    );
    assert_eq!(
        finish_restoration(&mut store, &env_at(17)),
        Err(JournalError::RollbackNotVerified { height: 12 })
    );
    let d11 = digest(&store, 17, 11);
    assert_eq!(
        start_rollback(&mut store, &env_at(17), 11, &d11),
        Err(JournalError::RollbackAlreadyRunning { running_height: 12 })
    );

    // The fixed code's migration abandons it.
    let abandoned = abandon_rollback(&mut store, &env_at(18)).unwrap().unwrap();
    assert_eq!(abandoned.height, 12);
    assert!(!abandoned.rolled_back);
    assert_eq!(ensure_open(&store, &env_at(18), &DEPOSIT), Ok(()));
    assert!(!journal_info(&store, &env_at(18)).unwrap().restoring);
    // Nothing left to abandon.
    assert_eq!(
        abandon_rollback(&mut store, &env_at(18)),
        Err(JournalError::NoRollbackRunning)
    );
}

#[test]
fn abandoning_a_verified_rollback_clears_only_the_lock_and_state() {
    let mut store = history();
    let d13 = digest(&store, 16, 13);
    start_rollback(&mut store, &env_at(16), 13, &d13).unwrap();
    while !rollback_step(&mut store, &env_at(16), 10).unwrap().done {}
    // The embedding contract's own steps got stuck after the rollback verified.
    let abandoned = abandon_rollback(&mut store, &env_at(17)).unwrap().unwrap();
    assert!(abandoned.rolled_back);
    assert!(!journal_info(&store, &env_at(17)).unwrap().restoring);
    assert_eq!(live_digest(&store).unwrap().to_vec(), d13.to_vec());
    assert_live_digest_is_the_state(&store);
    // The gap is the one the verified rollback recorded (completed at 16).
    assert_eq!(
        digest_at(&store, &env_at(17), 14),
        Err(JournalError::HeightRolledBack {
            height: 14,
            rolled_back_to: 13,
            restored_at: 16,
        })
    );
}

#[test]
fn abandon_without_a_rollback_is_refused() {
    let mut store = history();
    assert_eq!(
        abandon_rollback(&mut store, &env_at(16)),
        Err(JournalError::NoRollbackRunning)
    );
}

//! The pause gate: one read, expiry by block time, scopes, lock and restoring flag.

use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{Storage, Timestamp};
use rewind_journal::{
    ensure_not_locked, ensure_open, gate_state, initialize, journal_info, set_pause,
    set_pause_from, set_restoration_lock, GateState, JournalError, PauseSource, ScopePause,
};
use rewind_types::PauseScope;

use crate::common::env_at;

#[test]
fn a_paused_scope_stops_until_its_end_then_reopens_by_itself() {
    let mut store = MockStorage::new();
    let env = env_at(10);
    let until = env.block.time.plus_seconds(60);
    set_pause(&mut store, &env, PauseScope::Trade, until).unwrap();
    assert_eq!(
        ensure_open(&store, &env, PauseScope::Trade),
        Err(JournalError::Paused {
            scope: PauseScope::Trade,
            until
        })
    );
    ensure_open(&store, &env, PauseScope::Deposit).unwrap();
    ensure_not_locked(&store, &env).unwrap();
    // Expiry is automatic: 10 blocks (60 s) later, no transaction needed.
    ensure_open(&store, &env_at(20), PauseScope::Trade).unwrap();
    // A time at or before now lifts it.
    set_pause(&mut store, &env, PauseScope::Trade, env.block.time).unwrap();
    ensure_open(&store, &env, PauseScope::Trade).unwrap();
}

#[test]
fn all_scope_stops_every_scope() {
    let mut store = MockStorage::new();
    let env = env_at(10);
    let until = env.block.time.plus_seconds(30);
    set_pause(&mut store, &env, PauseScope::All, until).unwrap();
    for scope in PauseScope::ALL_SCOPES {
        assert_eq!(
            ensure_open(&store, &env, scope),
            Err(JournalError::Paused {
                scope: PauseScope::All,
                until
            })
        );
    }
    // The later-ending of the scope's own pause and All is reported.
    let longer = env.block.time.plus_seconds(90);
    set_pause(&mut store, &env, PauseScope::Withdraw, longer).unwrap();
    assert_eq!(
        ensure_open(&store, &env, PauseScope::Withdraw),
        Err(JournalError::Paused {
            scope: PauseScope::Withdraw,
            until: longer
        })
    );
    let state = gate_state(&store).unwrap();
    assert_eq!(
        state.paused_until,
        vec![
            ScopePause {
                scope: PauseScope::All,
                until
            },
            ScopePause {
                scope: PauseScope::Withdraw,
                until: longer
            }
        ]
    );
}

#[test]
fn restoration_lock_stops_everything_until_it_expires_or_is_released() {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(1), 10, 1).unwrap();
    let env = env_at(10);
    let until = env.block.time.plus_seconds(600);
    set_restoration_lock(&mut store, Some(until)).unwrap();
    assert_eq!(
        ensure_open(&store, &env, PauseScope::Deposit),
        Err(JournalError::RestorationLocked { until })
    );
    assert_eq!(
        ensure_not_locked(&store, &env),
        Err(JournalError::RestorationLocked { until })
    );
    assert_eq!(
        journal_info(&store, &env).unwrap().restoration_lock_until,
        Some(until)
    );
    // Expired: open again, and reported as no lock.
    let after = env_at(200);
    ensure_open(&store, &after, PauseScope::Deposit).unwrap();
    assert_eq!(
        journal_info(&store, &after).unwrap().restoration_lock_until,
        None
    );
    // Released explicitly.
    set_restoration_lock(&mut store, None).unwrap();
    ensure_open(&store, &env, PauseScope::Deposit).unwrap();
}

#[test]
fn restoring_flag_wins_over_every_other_reason() {
    let mut store = MockStorage::new();
    let env = env_at(10);
    assert_eq!(gate_state(&store).unwrap(), GateState::default());
    set_pause(
        &mut store,
        &env,
        PauseScope::All,
        env.block.time.plus_seconds(60),
    )
    .unwrap();
    set_restoration_lock(&mut store, Some(env.block.time.plus_seconds(60))).unwrap();
    assert!(matches!(
        ensure_open(&store, &env, PauseScope::Trade),
        Err(JournalError::RestorationLocked { .. })
    ));
    // `restoring` is set by start_rollback only (see rollback tests); here through the
    // stored record (its last byte) to check precedence.
    let mut raw = store.get(b"rj/g").unwrap();
    assert_eq!(raw.len(), 98);
    raw[97] = 1;
    store.set(b"rj/g", &raw);
    assert_eq!(
        ensure_open(&store, &env, PauseScope::Trade),
        Err(JournalError::Restoring)
    );
}

/// The raw record, built from the layout in docs/JOURNAL.md: version 02, then u64be nanos of
/// the guardian's `until` per scope in `ALL_SCOPES` order (0 = never set), the breaker's the
/// same way, u64be nanos of the lock (0 = never set, 1 = released), of the exit-only end
/// (0 = none), the `restoring` byte.
fn documented_record(
    guardian: [u64; 5],
    breaker: [u64; 5],
    lock: u64,
    exit_only: u64,
    restoring: bool,
) -> Vec<u8> {
    let mut raw = vec![2u8];
    for u in guardian.iter().chain(breaker.iter()) {
        raw.extend_from_slice(&u.to_be_bytes());
    }
    raw.extend_from_slice(&lock.to_be_bytes());
    raw.extend_from_slice(&exit_only.to_be_bytes());
    raw.push(u8::from(restoring));
    raw
}

/// The version-1 layout (50 bytes), still read after an upgrade.
fn documented_record_v1(until: [u64; 5], lock: u64, restoring: bool) -> Vec<u8> {
    let mut raw = vec![1u8];
    for u in until {
        raw.extend_from_slice(&u.to_be_bytes());
    }
    raw.extend_from_slice(&lock.to_be_bytes());
    raw.push(u8::from(restoring));
    raw
}

#[test]
fn the_gate_is_one_fixed_size_binary_record() {
    let mut store = MockStorage::new();
    let env = env_at(10);
    let trade = env.block.time.plus_seconds(60);
    let all = env.block.time.minus_seconds(1);
    let lock = env.block.time.plus_seconds(600);
    set_pause(&mut store, &env, PauseScope::Trade, trade).unwrap();
    set_pause(&mut store, &env, PauseScope::All, all).unwrap();
    set_restoration_lock(&mut store, Some(lock)).unwrap();
    let expected = documented_record(
        [all.nanos(), 0, 0, trade.nanos(), 0],
        [0; 5],
        lock.nanos(),
        0,
        false,
    );
    assert_eq!(store.get(b"rj/g").unwrap(), expected);
    set_pause_from(
        &mut store,
        &env,
        PauseSource::Breaker,
        PauseScope::Liquidate,
        trade,
    )
    .unwrap();
    let expected = documented_record(
        [all.nanos(), 0, 0, trade.nanos(), 0],
        [0, 0, 0, 0, trade.nanos()],
        lock.nanos(),
        0,
        false,
    );
    assert_eq!(store.get(b"rj/g").unwrap(), expected);
    // Whatever is set, the record keeps its 98 bytes.
    for scope in PauseScope::ALL_SCOPES {
        set_pause(&mut store, &env, scope, trade).unwrap();
    }
    assert_eq!(store.get(b"rj/g").unwrap().len(), 98);
    // Every field decodes back; only scopes ever set are listed, in ALL_SCOPES order, each
    // with the later end of its two sources.
    let mut store = MockStorage::new();
    store.set(
        b"rj/g",
        &documented_record([0, 0, 7, 0, 3], [0, 0, 5, 0, u64::MAX], 9, 11, true),
    );
    let withdraw = |n| ScopePause {
        scope: PauseScope::Withdraw,
        until: Timestamp::from_nanos(n),
    };
    let liquidate = |n| ScopePause {
        scope: PauseScope::Liquidate,
        until: Timestamp::from_nanos(n),
    };
    assert_eq!(
        gate_state(&store).unwrap(),
        GateState {
            paused_until: vec![withdraw(7), liquidate(u64::MAX)],
            breaker_paused_until: vec![withdraw(5), liquidate(u64::MAX)],
            restoration_lock_until: Some(Timestamp::from_nanos(9)),
            lock_was_set: true,
            restoring: true,
            exit_only_until: Some(Timestamp::from_nanos(11)),
        }
    );
    // The version-1 record of an older journal reads as guardian pauses.
    store.set(b"rj/g", &documented_record_v1([0, 0, 7, 0, 0], 9, false));
    assert_eq!(
        gate_state(&store).unwrap(),
        GateState {
            paused_until: vec![withdraw(7)],
            breaker_paused_until: vec![],
            restoration_lock_until: Some(Timestamp::from_nanos(9)),
            lock_was_set: true,
            restoring: false,
            exit_only_until: None,
        }
    );
    // A corrupt record is an error, never an open gate.
    store.set(b"rj/g", &[2u8; 97]);
    assert!(matches!(
        ensure_open(&store, &env, PauseScope::Trade),
        Err(JournalError::Std(_))
    ));
    let mut bad = documented_record([0; 5], [0; 5], 0, 0, false);
    bad[0] = 3;
    store.set(b"rj/g", &bad);
    assert!(gate_state(&store).is_err());
}

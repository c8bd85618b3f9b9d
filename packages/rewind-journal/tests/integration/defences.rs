//! This round's target-side defences: retention in time, history holds and incident freezes
//! (row G12), account activity (G14), two-source pauses (P7), inconsistent heights (R10),
//! release after completion (R12) and abandon / exit-only mode (R13).

#[allow(unused_imports)]
use crate::common::scopes::*;
use cosmwasm_std::testing::{MockApi, MockStorage};
use cosmwasm_std::{Env, HexBinary, Int128, Storage, Timestamp, Uint128};
use proptest::prelude::*;
use rewind_journal::{
    abandon_restoration, account_activity, digest_at, ensure_crank_allowed, ensure_exit_not_locked,
    ensure_not_locked, ensure_open, finish_restoration, hold_history, initialize, journal_info,
    last_acted_height, note_activity, prune, record_flow, release_restoration, rollback_step,
    set_pause, set_pause_from, set_restoration_lock, start_rollback, Journal, JournalError,
    JournaledMap, PauseSource, MAX_HISTORY_HOLDS,
};
use rewind_types::restorable::MAX_RESTORATION_CHECK_ACCOUNTS;
use rewind_types::PauseScope;

use crate::common::{env_at, GENESIS_SECONDS};

const BALANCES: JournaledMap<&str, Uint128> = JournaledMap::new("balances");

/// An env at `height` and block time `seconds` after genesis.
fn env_t(height: u64, seconds: u64) -> Env {
    let mut env = env_at(height);
    env.block.time = Timestamp::from_seconds(GENESIS_SECONDS + seconds);
    env
}

fn write(store: &mut dyn Storage, env: &Env, key: &str, value: u128) {
    let mut j = Journal::new(env);
    BALANCES
        .save(store, &mut j, key, &Uint128::new(value))
        .unwrap();
    j.flush(store).unwrap();
}

/// The digest at every height in `from..to`, `None` where refused.
fn digests(store: &dyn Storage, env: &Env, from: u64, to: u64) -> Vec<Option<HexBinary>> {
    (from..to)
        .map(|h| digest_at(store, env, h).ok().map(|d| d.digest))
        .collect()
}

/// Row G12: fast blocks do not shorten the window in time. Heights stay restorable until
/// they are older than BOTH the window in blocks and the window in seconds.
#[test]
fn g12_prune_keeps_the_window_in_seconds_under_fast_blocks() {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_t(10, 10), 5, 100).unwrap();
    // 60 blocks, one second apart: far beyond the 5-block window, inside 100 seconds.
    for h in 10..70u64 {
        write(&mut store, &env_t(h, h), "a", h.into());
    }
    let now = env_t(70, 70);
    let before = digests(&store, &now, 10, 70);
    assert!(before.iter().all(Option::is_some));
    for _ in 0..20 {
        prune(&mut store, &now, 100).unwrap();
    }
    assert_eq!(digests(&store, &now, 10, 70), before);
    assert_eq!(journal_info(&store, &now).unwrap().retained_from, 10);

    // 100 seconds later in time, heights older than both windows go; the others stay.
    let later = env_t(71, 145);
    write(&mut store, &later, "a", 71);
    for _ in 0..20 {
        prune(&mut store, &later, 100).unwrap();
    }
    let retained = journal_info(&store, &later).unwrap().retained_from;
    // Heights after time 45 (= 145 - 100) must be kept; the window in blocks alone would
    // have kept only 66 and up.
    assert!(retained > 10, "pruning never ran: {retained}");
    assert!(
        retained <= 46,
        "a height inside the window in seconds was lost: {retained}"
    );
    for h in 46..70u64 {
        assert_eq!(
            digest_at(&store, &later, h).ok().map(|d| d.digest),
            before[(h - 10) as usize],
            "{h}"
        );
    }
}

/// Row G12: a hold keeps every height from its `from_height` restorable while in force,
/// whatever is pruned; once it ends pruning goes on.
#[test]
fn g12_prune_under_a_hold_keeps_every_held_height() {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 2, 1).unwrap();
    for h in 10..20u64 {
        write(&mut store, &env_at(h), "a", h.into());
    }
    let env = env_at(20);
    let until = env.block.time.plus_seconds(600);
    hold_history(&mut store, &env, 12, until).unwrap();
    assert_eq!(
        journal_info(&store, &env).unwrap().history_held_from,
        Some(12)
    );
    let held = digests(&store, &env, 12, 20);
    for h in 20..60u64 {
        write(&mut store, &env_at(h), "a", h.into());
        prune(&mut store, &env_at(h), 100).unwrap();
    }
    let inside = env_at(60);
    assert!(inside.block.time < until);
    assert_eq!(digests(&store, &inside, 12, 20), held);
    assert_eq!(journal_info(&store, &inside).unwrap().retained_from, 12);

    // After the hold: pruned by the window again, and the hold is cleaned.
    let mut after = env_at(200);
    after.block.time = until.plus_seconds(1);
    write(&mut store, &after, "a", 1);
    for _ in 0..10 {
        prune(&mut store, &after, 100).unwrap();
    }
    let info = journal_info(&store, &after).unwrap();
    assert_eq!(info.history_held_from, None);
    assert!(info.retained_from > 12);
    assert!(matches!(
        digest_at(&store, &after, 12),
        Err(JournalError::BeforeRetainedHistory { .. })
    ));
}

/// Row G12: any pause set through the gate that ends in the future, by the guardian or the
/// breaker, freezes pruning of what is retained until its end + retention_seconds.
#[test]
fn g12_an_incident_pause_freezes_pruning_until_its_end_plus_retention() {
    for source in [PauseSource::Guardian, PauseSource::Breaker] {
        let mut store = MockStorage::new();
        initialize(&mut store, &env_at(10), 2, 30).unwrap();
        for h in 10..30u64 {
            write(&mut store, &env_at(h), "a", h.into());
        }
        let env = env_at(30);
        prune(&mut store, &env, 100).unwrap();
        let retained = journal_info(&store, &env).unwrap().retained_from;
        let pause_end = env.block.time.plus_seconds(120);
        set_pause_from(&mut store, &env, source, &TRADE.scope, pause_end).unwrap();
        assert_eq!(
            journal_info(&store, &env).unwrap().history_held_from,
            Some(retained)
        );
        let frozen = digests(&store, &env, retained, 30);
        // Until pause_end + 30 s (blocks are 6 s apart): nothing retained is lost.
        let mut h = 31u64;
        while env_at(h).block.time < pause_end.plus_seconds(30) {
            write(&mut store, &env_at(h), "a", h.into());
            prune(&mut store, &env_at(h), 100).unwrap();
            assert_eq!(digests(&store, &env_at(h), retained, 30), frozen, "{h}");
            h += 1;
        }
        for _ in 0..10 {
            write(&mut store, &env_at(h), "a", h.into());
            prune(&mut store, &env_at(h), 100).unwrap();
            h += 1;
        }
        assert!(journal_info(&store, &env_at(h)).unwrap().retained_from > retained);
    }
    // A pause that is lifted (ends now) freezes nothing.
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 2, 1).unwrap();
    write(&mut store, &env_at(10), "a", 1);
    set_pause(
        &mut store,
        &env_at(11),
        &PauseScope::ALL,
        env_at(11).block.time,
    )
    .unwrap();
    assert_eq!(
        journal_info(&store, &env_at(11)).unwrap().history_held_from,
        None
    );
}

/// Row G12: holds are bounded but never refused: beyond the cap they merge, and the merged
/// hold still covers every hold asked for; expired ones are ignored.
#[test]
fn g12_holds_are_never_refused_and_merge_when_full() {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 2, 1).unwrap();
    for h in 10..40u64 {
        write(&mut store, &env_at(h), "a", h.into());
    }
    let env = env_at(40);
    let t0 = env.block.time;
    let asked: Vec<(u64, Timestamp)> = (0..(MAX_HISTORY_HOLDS as u64 + 6))
        .map(|i| (12 + (i * 7) % 25, t0.plus_seconds(100 + i * 50)))
        .collect();
    for (from, until) in &asked {
        hold_history(&mut store, &env, *from, *until).unwrap();
    }
    // An expired hold is a no-op.
    hold_history(&mut store, &env, 11, t0).unwrap();
    let lowest = asked.iter().map(|a| a.0).min().unwrap();
    assert_eq!(
        journal_info(&store, &env).unwrap().history_held_from,
        Some(lowest)
    );
    // Every asked hold is honoured until its own end.
    let reference = digests(&store, &env, 10, 40);
    for (h, (from, until)) in (41u64..).zip(asked.iter()) {
        let mut at = env_at(h);
        at.block.time = until.minus_seconds(1);
        write(&mut store, &at, "a", 0);
        prune(&mut store, &at, 100).unwrap();
        for t in *from..40 {
            assert_eq!(
                digest_at(&store, &at, t).ok().map(|d| d.digest),
                reference[(t - 10) as usize],
                "hold from {from}, height {t}"
            );
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Write(u8),
    Prune(u32),
    Blocks(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..4).prop_map(Op::Write),
        (1u32..40).prop_map(Op::Prune),
        (1u8..20).prop_map(Op::Blocks),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Row G12: whatever prune limits and write sequences run while a hold is in force, no
    /// height at or above the held height that was restorable becomes unrestorable, and its
    /// digest never changes.
    #[test]
    fn g12_no_held_height_becomes_unrestorable(
        before in proptest::collection::vec(op(), 5..30),
        after in proptest::collection::vec(op(), 5..60),
        held_offset in 0u64..20,
        retention in 1u64..4,
    ) {
        let mut store = MockStorage::new();
        let mut h = 10u64;
        initialize(&mut store, &env_at(h), retention, 1).unwrap();
        let run = |store: &mut MockStorage, h: &mut u64, op: &Op| match op {
            Op::Write(k) => {
                write(store, &env_at(*h), ["a", "b", "c", "d"][*k as usize], (*h).into());
                *h += 1;
            }
            Op::Prune(limit) => {
                prune(store, &env_at(*h), *limit).unwrap();
            }
            Op::Blocks(n) => *h += u64::from(*n),
        };
        for o in &before {
            run(&mut store, &mut h, o);
        }
        h += 1;
        let env = env_at(h);
        let held = (10 + held_offset).min(h - 1);
        hold_history(&mut store, &env, held, env.block.time.plus_seconds(1_000_000)).unwrap();
        let reference = digests(&store, &env, held, h);
        for o in &after {
            run(&mut store, &mut h, o);
        }
        let now = env_at(h + 1);
        prop_assert_eq!(digests(&store, &now, held, held + reference.len() as u64), reference);
    }
}

/// Row G14: the newest height each account acted at, from `note_activity` and from every
/// flow; a rollback never rewinds it (it is not journaled).
#[test]
fn g14_activity_is_the_newest_height_and_survives_a_rollback() {
    let mut store = MockStorage::new();
    let api = MockApi::default();
    let alice = api.addr_make("alice");
    let bob = api.addr_make("bob");
    let dormant = api.addr_make("dormant");
    initialize(&mut store, &env_at(10), 50, 1).unwrap();
    write(&mut store, &env_at(10), "a", 1);
    note_activity(&mut store, &env_at(11), &alice).unwrap();
    note_activity(&mut store, &env_at(12), &alice).unwrap();
    record_flow(&mut store, &env_at(13), &bob, "uatom", Int128::new(5)).unwrap();
    write(&mut store, &env_at(14), "a", 2);
    assert_eq!(last_acted_height(&store, &alice).unwrap(), Some(12));
    assert_eq!(last_acted_height(&store, &bob).unwrap(), Some(13));
    assert_eq!(last_acted_height(&store, &dormant).unwrap(), None);

    let d = digest_at(&store, &env_at(15), 10).unwrap().digest;
    start_rollback(&mut store, &env_at(15), 10, &d).unwrap();
    while !rollback_step(&mut store, &env_at(15), 10).unwrap().done {}
    assert_eq!(last_acted_height(&store, &alice).unwrap(), Some(12));

    let asked = vec![bob.to_string(), dormant.to_string(), alice.to_string()];
    let activity = account_activity(&store, &api, &asked).unwrap();
    let got: Vec<(String, Option<u64>)> = activity
        .into_iter()
        .map(|a| (a.account, a.last_acted_height))
        .collect();
    assert_eq!(
        got,
        vec![
            (bob.to_string(), Some(13)),
            (dormant.to_string(), None),
            (alice.to_string(), Some(12)),
        ]
    );
    assert!(matches!(
        account_activity(&store, &api, &["not an address".to_string()]),
        Err(JournalError::Std(_))
    ));
    let too_many = vec![alice.to_string(); MAX_RESTORATION_CHECK_ACCOUNTS + 1];
    assert_eq!(
        account_activity(&store, &api, &too_many),
        Err(JournalError::TooManyAccounts {
            count: MAX_RESTORATION_CHECK_ACCOUNTS + 1,
            max: MAX_RESTORATION_CHECK_ACCOUNTS
        })
    );
}

/// Row P7: per scope the latest end of the guardian's and the breaker's pauses is in force:
/// a guardian early end never lifts a breaker pause and a short trip never shortens a
/// guardian pause.
#[test]
fn p7_pause_sources_never_shorten_each_other() {
    let env = env_at(10);
    let now = env.block.time;
    let ends = [0u64, 10, 60, 600];
    for g in ends {
        for b in ends {
            for order in [true, false] {
                let mut store = MockStorage::new();
                let mut set = |src, end: u64| {
                    set_pause_from(&mut store, &env, src, &TRADE.scope, now.plus_seconds(end))
                        .unwrap()
                };
                if order {
                    set(PauseSource::Breaker, b);
                    set(PauseSource::Guardian, g);
                } else {
                    set(PauseSource::Guardian, g);
                    set(PauseSource::Breaker, b);
                }
                let latest = g.max(b);
                let got = ensure_open(&store, &env, &TRADE);
                if latest == 0 {
                    assert_eq!(got, Ok(()));
                } else {
                    assert_eq!(
                        got,
                        Err(JournalError::Paused {
                            scope: TRADE.scope,
                            until: now.plus_seconds(latest)
                        }),
                        "guardian {g}, breaker {b}"
                    );
                }
            }
        }
    }
}

/// Row R12: completing keeps the target locked; only a release after completion opens it.
#[test]
fn r12_a_completed_restoration_stays_locked_until_released() {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 50, 1).unwrap();
    for h in 10..15u64 {
        write(&mut store, &env_at(h), "a", h.into());
    }
    let d = digest_at(&store, &env_at(15), 12).unwrap().digest;
    start_rollback(&mut store, &env_at(15), 12, &d).unwrap();
    assert_eq!(
        release_restoration(&mut store),
        Err(JournalError::RestorationNotComplete { height: 12 })
    );
    while !rollback_step(&mut store, &env_at(15), 1).unwrap().done {}
    assert_eq!(
        release_restoration(&mut store),
        Err(JournalError::RestorationNotComplete { height: 12 })
    );
    finish_restoration(&mut store, &env_at(16)).unwrap();
    for scope in ALL_SCOPES {
        assert_eq!(
            ensure_open(&store, &env_at(17), &scope),
            Err(JournalError::Restoring)
        );
    }
    assert_eq!(prune(&mut store, &env_at(100), 100).unwrap(), 0);
    release_restoration(&mut store).unwrap();
    ensure_open(&store, &env_at(17), &TRADE).unwrap();
    assert_eq!(
        release_restoration(&mut store),
        Err(JournalError::NoRollbackRunning)
    );
}

/// Row R13: an abandon, in every phase, leaves the journal consistent and opens only exits
/// until its end; then everything reopens by itself.
#[test]
fn r13_abandon_in_any_phase_opens_only_exits_until_its_end() {
    // Phases: mid-rollback, verified (mid-replay), finished awaiting release.
    for phase in 0..3 {
        let mut store = MockStorage::new();
        initialize(&mut store, &env_at(10), 50, 1).unwrap();
        for h in 10..16u64 {
            write(&mut store, &env_at(h), "a", h.into());
        }
        let d = digest_at(&store, &env_at(16), 11).unwrap().digest;
        start_rollback(&mut store, &env_at(16), 11, &d).unwrap();
        rollback_step(&mut store, &env_at(16), 1).unwrap();
        if phase >= 1 {
            while !rollback_step(&mut store, &env_at(17), 1).unwrap().done {}
        }
        if phase >= 2 {
            finish_restoration(&mut store, &env_at(18)).unwrap();
        }
        let env = env_at(19);
        let end = env.block.time.plus_seconds(60);
        abandon_restoration(&mut store, &env, end).unwrap();
        let info = journal_info(&store, &env).unwrap();
        assert!(!info.restoring);
        assert_eq!(info.exit_only_until, Some(end));
        for scope in ALL_SCOPES {
            let got = ensure_open(&store, &env, &scope);
            if scope == WITHDRAW {
                assert_eq!(got, Ok(()));
            } else {
                assert_eq!(got, Err(JournalError::ExitOnly { until: Some(end) }));
            }
        }
        assert_eq!(
            ensure_not_locked(&store, &env),
            Err(JournalError::ExitOnly { until: Some(end) })
        );
        ensure_exit_not_locked(&store, &env).unwrap();
        // The journal stays consistent: a write journals, and the digest verifies later.
        write(&mut store, &env_at(20), "a", 99);
        let mut after = env_at(30);
        after.block.time = end;
        for scope in ALL_SCOPES {
            ensure_open(&store, &after, &scope).unwrap();
        }
        let d = digest_at(&store, &after, 20).unwrap().digest;
        start_rollback(&mut store, &after, 20, &d).unwrap();
        while !rollback_step(&mut store, &after, 5).unwrap().done {}
    }
}

/// Row R13: a `restoring` flag never outlives every lock: once the restoration lock that
/// covered it expired (or was released), the target is exit-only and no step may run.
#[test]
fn r13_a_restoring_flag_past_its_lock_is_exit_only_and_stops_the_crank() {
    for released in [false, true] {
        let mut store = MockStorage::new();
        initialize(&mut store, &env_at(10), 50, 1).unwrap();
        for h in 10..16u64 {
            write(&mut store, &env_at(h), "a", h.into());
        }
        let env = env_at(16);
        let lock = env.block.time.plus_seconds(60);
        set_restoration_lock(&mut store, Some(lock)).unwrap();
        let d = digest_at(&store, &env, 11).unwrap().digest;
        start_rollback(&mut store, &env, 11, &d).unwrap();
        ensure_crank_allowed(&store, &env).unwrap();
        assert_eq!(
            ensure_open(&store, &env, &WITHDRAW),
            Err(JournalError::Restoring)
        );
        let mut late = env_at(40);
        if released {
            set_restoration_lock(&mut store, None).unwrap();
        } else {
            late.block.time = lock;
        }
        assert!(matches!(
            ensure_crank_allowed(&store, &late),
            Err(JournalError::RestorationLockExpired { .. })
        ));
        ensure_open(&store, &late, &WITHDRAW).unwrap();
        ensure_exit_not_locked(&store, &late).unwrap();
        assert_eq!(
            ensure_open(&store, &late, &DEPOSIT),
            Err(JournalError::ExitOnly { until: None })
        );
        // The voted abort ends it.
        abandon_restoration(&mut store, &late, late.block.time.plus_seconds(5)).unwrap();
        assert_eq!(
            ensure_crank_allowed(&store, &late),
            Ok(()),
            "not restoring any more"
        );
    }
}

#[derive(Debug, Clone)]
enum Ending {
    Complete,
    AbandonRunning,
    AbandonVerified,
    AbandonFinished,
}

fn ending() -> impl Strategy<Value = Ending> {
    prop_oneof![
        Just(Ending::Complete),
        Just(Ending::AbandonRunning),
        Just(Ending::AbandonVerified),
        Just(Ending::AbandonFinished),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Row R10: over random restoration timelines, every height from the block a rollback
    /// started through the block before the restoration completed or was abandoned is
    /// refused with `HeightInconsistent`, and while one runs, every height from its start.
    #[test]
    fn r10_every_inconsistent_height_is_refused(
        rounds in proptest::collection::vec(
            (1u64..6, 0u64..4, 0u64..3, 0u64..3, 1u32..4, ending()), 1..4),
    ) {
        let mut store = MockStorage::new();
        initialize(&mut store, &env_at(10), 1_000, 1).unwrap();
        let mut h = 10u64;
        write(&mut store, &env_at(h), "a", 0);
        // (from, until) of every inconsistent range, and the heights erased by rollbacks.
        let mut inconsistent: Vec<(u64, u64)> = vec![];
        for (writes, back, verify_after, finish_after, limit, end) in rounds {
            for _ in 0..writes {
                h += 1;
                write(&mut store, &env_at(h), "a", h.into());
            }
            h += 1;
            let started = h;
            let target = (started - 1).saturating_sub(back).max(10);
            let Ok(d) = digest_at(&store, &env_at(started), target) else { continue };
            start_rollback(&mut store, &env_at(started), target, &d.digest).unwrap();
            // While it runs: every height from `started` up is inconsistent.
            let probe = |store: &MockStorage, now: u64| {
                for t in started..now {
                    assert_eq!(
                        digest_at(store, &env_at(now), t),
                        Err(JournalError::HeightInconsistent { height: t, from: started, until: None })
                    );
                }
            };
            let abandon_running = matches!(end, Ending::AbandonRunning);
            if abandon_running {
                rollback_step(&mut store, &env_at(h), 1).unwrap();
            } else {
                h += verify_after;
                while !rollback_step(&mut store, &env_at(h), limit).unwrap().done {
                    probe(&store, h);
                    h += 1;
                }
                probe(&store, h);
                h += finish_after;
                probe(&store, h);
            }
            match end {
                Ending::Complete | Ending::AbandonFinished => {
                    h += 1;
                    finish_restoration(&mut store, &env_at(h)).unwrap();
                    if matches!(end, Ending::Complete) {
                        release_restoration(&mut store).unwrap();
                    } else {
                        h += 1;
                        abandon_restoration(&mut store, &env_at(h), env_at(h).block.time).unwrap();
                        h -= 1; // the range ended at the finish
                    }
                }
                _ => {
                    h += 1;
                    abandon_restoration(&mut store, &env_at(h), env_at(h).block.time).unwrap();
                }
            }
            inconsistent.push((started, h));
            if matches!(end, Ending::AbandonFinished) {
                h += 1;
            }
            h += 1;
            write(&mut store, &env_at(h), "a", h.into());
        }
        let now = env_at(h + 1);
        for t in 10..=h {
            let got = digest_at(&store, &now, t);
            if let Some((from, until)) = inconsistent.iter().rev().find(|(f, u)| *f <= t && t < *u) {
                // The newest range wins only if no later rollback erased it.
                prop_assert!(
                    matches!(
                        got,
                        Err(JournalError::HeightInconsistent { .. })
                            | Err(JournalError::HeightRolledBack { .. })
                    ),
                    "{} in [{}, {}): {:?}", t, from, until, got
                );
                if let Err(JournalError::HeightInconsistent { from: f, until: u, .. }) = got {
                    prop_assert_eq!((f, u), (*from, Some(*until)));
                }
            } else {
                prop_assert!(
                    !matches!(got, Err(JournalError::HeightInconsistent { .. })),
                    "{}: {:?}", t, got
                );
            }
        }
    }
}

/// Row R10: an inconsistent height is refused by `start_rollback` too (the `Restore` path),
/// not only by the digest query.
#[test]
fn r10_start_rollback_refuses_a_height_inside_a_restoration() {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 50, 1).unwrap();
    for h in 10..16u64 {
        write(&mut store, &env_at(h), "a", h.into());
    }
    let d = digest_at(&store, &env_at(16), 12).unwrap().digest;
    start_rollback(&mut store, &env_at(16), 12, &d).unwrap();
    while !rollback_step(&mut store, &env_at(17), 1).unwrap().done {}
    // The replay writes at 17 and 18 (a half-replayed ledger).
    write(&mut store, &env_at(18), "a", 7);
    finish_restoration(&mut store, &env_at(19)).unwrap();
    release_restoration(&mut store).unwrap();
    write(&mut store, &env_at(20), "a", 8);
    for t in 16..19u64 {
        assert_eq!(
            start_rollback(&mut store, &env_at(21), t, &[0u8; 32]),
            Err(JournalError::HeightInconsistent {
                height: t,
                from: 16,
                until: Some(19)
            })
        );
    }
    // The block the restoration finished in is consistent again.
    let d19 = digest_at(&store, &env_at(21), 19).unwrap().digest;
    start_rollback(&mut store, &env_at(21), 19, &d19).unwrap();
}

//! Row P6: pause-record spam by one key must not lock out the emergency pause. A minimum
//! charge per pause, a budget and a record cap per guardian, and a fresh guardian always
//! has all of its room.

#[allow(unused_imports)]
use super::scopes::*;
use cosmwasm_std::Timestamp;
use proptest::prelude::*;
use rewind_testing::contract_error_text;
use rewind_testing::SuiteBase;
use rewind_types::guardian::{ExecuteMsg, PausePolicy, PauseRecord};
use rewind_types::PauseScope;

use super::suite::{assert_err, Suite, HOUR};
use crate::error::ContractError;
use crate::policy::{default_policy, MAX_WINDOW_PAUSES};

/// Guardian 0 makes `count` one-second pauses of deposits, ending every other one at once
/// and letting the others run out, so they join one short stretch.
fn spam(s: &mut Suite, count: u64) {
    for i in 0..count {
        s.pause(0, 0, DEPOSIT, 1).unwrap();
        if i % 2 == 0 {
            s.end_pause(0, 0, DEPOSIT).unwrap();
        } else {
            s.advance(1);
        }
    }
}

#[test]
fn p6_one_keys_tiny_pause_spam_cannot_lock_out_other_or_rotated_guardians() {
    let mut s = Suite::new();
    spam(&mut s, MAX_WINDOW_PAUSES);
    let g0 = s.guardians[0].clone();
    // The spammer hit its own record cap...
    assert_err(
        s.pause(0, 0, DEPOSIT, 1),
        ContractError::TooManyPauses {
            target: s.targets[0].clone(),
            guardian: g0.clone(),
            max: MAX_WINDOW_PAUSES,
        },
    );
    // ...and is charged the minimum from each pause's start: chained over 24 s, an hour
    // and 24 s (overlapping charges count once; separate ones each cost an hour, below).
    let own = s.guardian_budget(0, 0);
    assert_eq!(own.window_pauses, MAX_WINDOW_PAUSES);
    assert_eq!(own.committed_seconds, HOUR + MAX_WINDOW_PAUSES / 2 - 1);
    assert_eq!(own.max_window_pauses, MAX_WINDOW_PAUSES);
    // Another guardian's room and budget are untouched: the emergency pause still works.
    assert_eq!(s.guardian_budget(1, 0).window_pauses, 0);
    assert_eq!(s.guardian_budget(1, 0).used_seconds, 0);
    s.pause(1, 0, PauseScope::ALL, 10 * HOUR).unwrap();
    // Governance rotates the spamming key out; the new key can pause at once.
    let g3 = s.add_guardian("guardian3");
    s.gov(&ExecuteMsg::UpdateGuardians {
        add: vec![],
        remove: vec![g0.to_string()],
    })
    .unwrap();
    assert_eq!(s.guardian_budget(g3, 0).window_pauses, 0);
    s.pause(g3, 0, TRADE, 5 * HOUR).unwrap();
    s.pause(g3, 1, TRADE, 5 * HOUR).unwrap();
    assert_eq!(s.guardian_budget(g3, 0).used_seconds, 0);
    assert_eq!(s.guardian_budget(g3, 0).committed_seconds, 5 * HOUR);
    s.advance(HOUR);
    assert_eq!(s.guardian_budget(g3, 0).used_seconds, HOUR);
    assert_eq!(s.guardian_budget(g3, 0).window_pauses, 1);
    // The spammer's records leave its window with time.
    s.advance(30 * 24 * HOUR);
    assert_eq!(s.guardian_budget(0, 0).window_pauses, 0);
    assert_eq!(s.guardian_budget(0, 0).committed_seconds, 0);
}

#[test]
fn p6_stale_records_are_pruned_lazily_and_the_room_returns() {
    let mut s = Suite::new();
    spam(&mut s, MAX_WINDOW_PAUSES);
    let start = s.time();
    s.advance(30 * 24 * HOUR + HOUR);
    s.pause(0, 0, DEPOSIT, HOUR).unwrap();
    let own = s.guardian_budget(0, 0);
    assert_eq!(own.window_pauses, 1);
    assert_eq!(own.committed_seconds, HOUR);
    // The history keeps every record; only the budget window forgets them.
    let history = s.history(0);
    assert_eq!(history.len() as u64, MAX_WINDOW_PAUSES + 1);
    assert!(history.iter().skip(1).all(|r| r.start <= start));
}

#[test]
fn p6_the_minimum_charge_is_paid_even_when_ended_at_once() {
    let policy = PausePolicy {
        budget_seconds: 10 * HOUR,
        ..default_policy()
    };
    let mut s = Suite::with_policy(policy);
    let g0 = s.guardians[0].clone();
    // Ten one-second pauses, each ended at once, a cooldown apart: each costs an hour.
    for _ in 0..10 {
        s.pause(0, 0, PauseScope::ALL, 1).unwrap();
        s.end_pause(0, 0, PauseScope::ALL).unwrap();
        s.advance(24 * HOUR);
    }
    assert_eq!(s.guardian_budget(0, 0).used_seconds, 10 * HOUR);
    assert_eq!(s.guardian_budget(0, 0).committed_seconds, 10 * HOUR);
    assert_eq!(s.guardian_budget(0, 0).remaining_seconds, 0);
    assert_err(
        s.pause(0, 0, PauseScope::ALL, 1),
        ContractError::BudgetExceeded {
            guardian: g0,
            needed: 11 * HOUR,
            budget: 10 * HOUR,
        },
    );
    // The records say so: nothing paused, one hour charged.
    for r in s.history(0) {
        assert_eq!(r.end, r.start);
        assert_eq!(r.charged_until.seconds() - r.start.seconds(), HOUR);
    }
    // The other guardian still may pause, with its whole budget.
    s.pause(1, 0, PauseScope::ALL, 10 * HOUR).unwrap();
}

#[test]
fn p6_a_longer_pause_ended_early_keeps_the_minimum_charge() {
    let mut s = Suite::new();
    s.pause(0, 0, TRADE, 10 * HOUR).unwrap();
    s.advance(60);
    s.end_pause(0, 0, TRADE).unwrap();
    let r = s.history(0)[0].clone();
    assert_eq!(r.end.seconds() - r.start.seconds(), 60);
    assert_eq!(r.charged_until.seconds() - r.start.seconds(), HOUR);
    // Ended after the minimum, the charge is the time actually paused.
    s.pause(0, 0, DEPOSIT, 10 * HOUR).unwrap();
    s.advance(2 * HOUR);
    s.end_pause(0, 0, DEPOSIT).unwrap();
    let r = s.history(0)[0].clone();
    assert_eq!(r.charged_until.seconds() - r.start.seconds(), 2 * HOUR);
}

// ---- property test ------------------------------------------------------------------

/// The grid of the property test: every time is a multiple of this from the start.
const SLOT: u64 = 600;

fn small_policy() -> PausePolicy {
    PausePolicy {
        max_pause_seconds: 2 * HOUR,
        cooldown_seconds: HOUR,
        budget_seconds: 4 * HOUR,
        budget_window_seconds: 12 * HOUR,
        min_charge_seconds: 2 * SLOT,
    }
}

#[derive(Clone, Debug)]
enum Op {
    Pause {
        guardian: usize,
        scope: usize,
        /// 0 means one second; else slots.
        slots: u64,
    },
    End {
        guardian: usize,
        scope: usize,
    },
    Wait {
        slots: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..3usize, 0..5usize, 0..=12u64)
            .prop_map(|(guardian, scope, slots)| Op::Pause { guardian, scope, slots }),
        3 => (0..3usize, 0..5usize).prop_map(|(guardian, scope)| Op::End { guardian, scope }),
        2 => Just(Op::Wait { slots: 0 }),
        3 => (1..=24u64).prop_map(|slots| Op::Wait { slots }),
    ]
}

/// Independent brute force: the most charged time of `records` (plus `extra`) in any
/// window of the policy that ends at or after `from`, slot by slot. A slot covered by
/// several charged intervals counts once.
fn brute_peak(records: &[PauseRecord], extra: Option<(u64, u64)>, t0: u64, from: u64) -> u64 {
    let policy = small_policy();
    let slot = |t: u64| ((t - t0) / SLOT) as usize;
    let mut intervals: Vec<(usize, usize)> = records
        .iter()
        .map(|r| (slot(r.start.seconds()), slot(r.charged_until.seconds())))
        .collect();
    if let Some((s, e)) = extra {
        intervals.push((slot(s), slot(e)));
    }
    let horizon = intervals.iter().map(|&(_, e)| e).max().unwrap_or(0)
        + (policy.budget_window_seconds / SLOT) as usize;
    let mut covered = vec![0u64; horizon + 1];
    for (s, e) in intervals {
        for c in covered.iter_mut().take(e).skip(s) {
            *c = 1;
        }
    }
    let w = (policy.budget_window_seconds / SLOT) as usize;
    (slot(from)..=horizon)
        .map(|end| covered[end.saturating_sub(w)..end].iter().sum::<u64>() * SLOT)
        .max()
        .unwrap_or(0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn p6_each_guardian_stays_within_its_own_budget_and_a_fresh_one_can_always_pause(
        ops in prop::collection::vec(op(), 1..60)
    ) {
        let policy = small_policy();
        let mut s = Suite::with_policy(policy.clone());
        s.add_guardian("guardian3");
        let t0 = s.time().seconds();
        for op in ops {
            match op {
                Op::Pause { guardian, scope, slots } => {
                    let scope = ALL_SCOPES[scope].clone();
                    let seconds = if slots == 0 { 1 } else { slots * SLOT };
                    let now = s.time().seconds();
                    let g = s.guardians[guardian].clone();
                    let own: Vec<PauseRecord> = s
                        .history(0)
                        .into_iter()
                        .filter(|r| r.paused_by == g)
                        .collect();
                    let charge_end = now + seconds.max(policy.min_charge_seconds);
                    let needed = brute_peak(&own, Some((now, charge_end)), t0, now);
                    let res = s.pause(guardian, 0, scope, seconds);
                    match res {
                        Ok(_) => prop_assert!(needed <= policy.budget_seconds, "{g} accepted over budget: {needed}"),
                        Err(err) => {
                            let text = contract_error_text(&err);
                            prop_assert!(!text.contains("too many pauses"), "{text}");
                            if text.contains("over its budget") {
                                let expected = ContractError::BudgetExceeded {
                                    guardian: g.clone(),
                                    needed,
                                    budget: policy.budget_seconds,
                                };
                                prop_assert_eq!(text, expected.to_string());
                            }
                        }
                    }
                }
                Op::End { guardian, scope } => {
                    let _ = s.end_pause(guardian, 0, ALL_SCOPES[scope].clone());
                }
                Op::Wait { slots } => s.advance(slots * SLOT),
            }
            // Every guardian, in every window, by brute force; each pause charged at least
            // the minimum.
            let records = s.history(0);
            for g in &s.guardians {
                let own: Vec<PauseRecord> =
                    records.iter().filter(|r| r.paused_by == *g).cloned().collect();
                prop_assert!(brute_peak(&own, None, t0, t0) <= policy.budget_seconds);
                let b = s.guardian_budget(s.guardians.iter().position(|x| x == g).unwrap(), 0);
                prop_assert!(b.used_seconds <= b.committed_seconds);
                prop_assert_eq!(b.committed_seconds, brute_peak(&own, None, t0, s.time().seconds()));
            }
            for r in &records {
                prop_assert!(r.charged_until.seconds() - r.start.seconds() >= policy.min_charge_seconds);
            }
        }
        // After every stretch and cooldown is over, but well inside the budget window, a
        // guardian added now can pause at once, whatever the others used.
        s.advance(policy.max_pause_seconds + policy.cooldown_seconds + SLOT);
        let fresh = s.add_guardian("fresh");
        let res = s.pause(fresh, 0, PauseScope::ALL, policy.max_pause_seconds);
        prop_assert!(res.is_ok(), "{:?}", res.err().map(|e| contract_error_text(&e)));
        prop_assert_eq!(
            s.status(0).scopes[0].until,
            Some(Timestamp::from_seconds(s.time().seconds() + policy.max_pause_seconds))
        );
    }
}

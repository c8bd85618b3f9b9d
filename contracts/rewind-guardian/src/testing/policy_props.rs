//! Property test of the pause policy (rows P1, P6): random sequences of guardian pauses,
//! early ends, governance extensions and lifts, and time jumps. Checked against an
//! independent brute force over the recorded intervals, on an hourly grid (every time in
//! the sequence is a whole number of hours from the start): each guardian's own charged
//! time (its concurrent pauses counted once) stays within the budget in every window.

#[allow(unused_imports)]
use super::scopes::*;
use proptest::prelude::*;
use rewind_testing::SuiteBase;
use rewind_types::guardian::{ExecuteMsg, PauseRecord};

use super::suite::{Suite, HOUR};
use crate::policy::{default_policy, MAX_GOVERNANCE_PAUSE_SECONDS};

#[derive(Clone, Debug)]
enum Op {
    Pause {
        guardian: usize,
        target: usize,
        scope: usize,
        hours: u64,
    },
    End {
        guardian: usize,
        target: usize,
        scope: usize,
    },
    Extend {
        target: usize,
        scope: usize,
        hours: u64,
    },
    Lift {
        target: usize,
        scope: usize,
    },
    Wait {
        hours: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..2usize, 0..2usize, 0..5usize, 1..=80u64).prop_map(|(guardian, target, scope, hours)| {
            Op::Pause { guardian, target, scope, hours }
        }),
        1 => (0..2usize, 0..2usize, 0..5usize).prop_map(|(guardian, target, scope)| Op::End {
            guardian,
            target,
            scope
        }),
        1 => (0..2usize, 0..5usize, 1..=200u64).prop_map(|(target, scope, hours)| Op::Extend {
            target,
            scope,
            hours
        }),
        1 => (0..2usize, 0..5usize).prop_map(|(target, scope)| Op::Lift { target, scope }),
        3 => (0..=96u64).prop_map(|hours| Op::Wait { hours }),
    ]
}

/// The budget checked by brute force: mark every charged hour of the records, then slide a
/// window of W hours over the whole timeline.
fn brute_force_max_window(records: &[PauseRecord], t0: u64, window_hours: u64) -> u64 {
    let hour_of = |t: u64| (t - t0) / HOUR;
    let horizon = records
        .iter()
        .map(|r| hour_of(r.charged_until.seconds()))
        .max()
        .unwrap_or(0) as usize;
    let mut charged = vec![false; horizon + 1];
    for r in records {
        for h in hour_of(r.start.seconds())..hour_of(r.charged_until.seconds()) {
            charged[h as usize] = true;
        }
    }
    let w = window_hours as usize;
    (0..=horizon)
        .map(|end| {
            let from = end.saturating_sub(w);
            charged[from..end].iter().filter(|c| **c).count() as u64
        })
        .max()
        .unwrap_or(0)
}

proptest! {
    #[test]
    fn p1_guardian_time_never_exceeds_the_budget_and_every_pause_ends(
        ops in prop::collection::vec(op(), 1..40)
    ) {
        let policy = default_policy();
        let mut s = Suite::with_policy(policy.clone());
        // Align the clock to a whole second so the hourly grid is exact.
        s.app.update_block(|b| b.time = cosmwasm_std::Timestamp::from_seconds(b.time.seconds()));
        let t0 = s.time().seconds();
        for op in ops {
            match op {
                Op::Pause { guardian, target, scope, hours } => {
                    let scope = ALL_SCOPES[scope].clone();
                    let _ = s.pause(guardian, target, scope, hours * HOUR);
                }
                Op::End { guardian, target, scope } => {
                    let _ = s.end_pause(guardian, target, ALL_SCOPES[scope].clone());
                }
                Op::Extend { target, scope, hours } => {
                    let until = s.time().plus_seconds(hours * HOUR);
                    let msg = ExecuteMsg::ExtendPause {
                        target: s.targets[target].to_string(),
                        scope: ALL_SCOPES[scope].clone(),
                        until,
                    };
                    let _ = s.gov(&msg);
                }
                Op::Lift { target, scope } => {
                    let msg = ExecuteMsg::LiftPause {
                        target: s.targets[target].to_string(),
                        scope: ALL_SCOPES[scope].clone(),
                    };
                    let _ = s.gov(&msg);
                }
                Op::Wait { hours } => s.advance(hours * HOUR),
            }
            for target in 0..2 {
                let records = s.history(target);
                // Each guardian's budget, in every window, by brute force.
                for g in &s.guardians {
                    let own: Vec<PauseRecord> =
                        records.iter().filter(|r| r.paused_by == *g).cloned().collect();
                    let peak = brute_force_max_window(&own, t0, policy.budget_window_seconds / HOUR);
                    prop_assert!(peak * HOUR <= policy.budget_seconds, "{g}: peak {peak}h over budget");
                }
                for r in &records {
                    let charged = r.charged_until.seconds() - r.start.seconds();
                    let floor = r.start.plus_seconds(policy.min_charge_seconds);
                    // Every pause is charged at least the minimum, at most the cap.
                    prop_assert!(charged >= policy.min_charge_seconds);
                    prop_assert!(charged <= policy.max_pause_seconds);
                    prop_assert!(r.charged_until <= r.end.max(floor));
                    if !r.extended_by_governance {
                        prop_assert_eq!(r.end.max(floor), r.charged_until);
                    }
                    prop_assert!(r.end.seconds() <= s.time().seconds() + MAX_GOVERNANCE_PAUSE_SECONDS);
                }
            }
        }
        // Every pause ends: far enough ahead, nothing is paused, here or on the targets.
        s.advance(MAX_GOVERNANCE_PAUSE_SECONDS + 1);
        for target in 0..2 {
            prop_assert!(!s.status(target).scopes.iter().any(|sc| sc.paused));
            for scope in ALL_SCOPES {
                if let Some(until) = s.target_pause(target, scope) {
                    prop_assert!(until <= s.time());
                }
            }
        }
    }
}

#[test]
fn brute_force_counts_overlaps_once() {
    let suite = Suite::new();
    let t0 = suite.time().seconds();
    let rec = |start: u64, end: u64| PauseRecord {
        id: 0,
        target: suite.targets[0].clone(),
        scope: TRADE,
        paused_by: suite.guardians[0].clone(),
        reason: String::new(),
        start: cosmwasm_std::Timestamp::from_seconds(t0 + start * HOUR),
        end: cosmwasm_std::Timestamp::from_seconds(t0 + end * HOUR),
        extended_by_governance: false,
        charged_until: cosmwasm_std::Timestamp::from_seconds(t0 + end * HOUR),
    };
    assert_eq!(
        brute_force_max_window(&[rec(0, 10), rec(5, 15)], t0, 720),
        15
    );
    assert_eq!(
        brute_force_max_window(&[rec(0, 10), rec(800, 805)], t0, 720),
        10
    );
}

//! Row T4: one guardian key must not veto every passed restoration. A guardian's `Cancel`
//! delays a queued operation once; governance's cancel is final and governance may override
//! a guardian's delay.

use cosmwasm_std::{Addr, StdResult, Timestamp};
use cw_multi_test::{AppResponse, Executor};
use proptest::prelude::*;
use rewind_types::timelock::{ExecuteMsg, GuardianDelay, OperationResponse, OperationStatus};

use super::suite::{assert_err, Suite, SuiteBuilder};
use crate::error::ContractError;

/// The modules suite's guardian delay (rewind-testing `modules`).
const GUARDIAN_DELAY: u64 = 86400;
const GUARDIAN_BLOCKS: u64 = 200;

fn send(s: &mut Suite, sender: &Addr, msg: &ExecuteMsg) -> StdResult<AppResponse> {
    s.app
        .execute_contract(sender.clone(), s.timelock.clone(), msg, &[])
}

fn cancel(s: &mut Suite, sender: &Addr, id: u64) -> StdResult<AppResponse> {
    send(s, sender, &ExecuteMsg::Cancel { operation_id: id })
}

fn override_delay(s: &mut Suite, sender: &Addr, id: u64) -> StdResult<AppResponse> {
    send(s, sender, &ExecuteMsg::OverrideDelay { operation_id: id })
}

fn queue_now(s: &mut Suite) -> u64 {
    let spec = s.spec(s.height() - 1);
    s.queue(&spec).unwrap()
}

fn now(s: &Suite) -> Timestamp {
    s.app.block_info().time
}

fn has_attr(res: &AppResponse, key: &str, value: &str) -> bool {
    res.events
        .iter()
        .flat_map(|e| &e.attributes)
        .any(|a| a.key == key && a.value == value)
}

/// Registers `n` guardians in all (the suite starts with two); returns them.
fn guardians(s: &mut Suite, n: usize) -> Vec<Addr> {
    let extra: Vec<Addr> = (s.guardians.len()..n)
        .map(|i| s.addr(&format!("guardian{}", i + 1)))
        .collect();
    if !extra.is_empty() {
        let gov = s.governance.clone();
        s.app
            .execute_contract(
                gov,
                s.guardian.clone(),
                &rewind_types::guardian::ExecuteMsg::UpdateGuardians {
                    add: extra.iter().map(|a| a.to_string()).collect(),
                    remove: vec![],
                },
                &[],
            )
            .unwrap();
    }
    let mut all = s.guardians.clone();
    all.extend(extra);
    all.truncate(n);
    all
}

fn delayed(op: &OperationResponse, by: &Addr, at: Timestamp) -> GuardianDelay {
    GuardianDelay {
        delayed_by: by.clone(),
        delayed_at: at,
        seconds: GUARDIAN_DELAY,
        blocks: GUARDIAN_BLOCKS,
        original_eta: op.eta,
        original_eta_height: op.eta_height,
        original_expires_at: op.expires_at,
        overridden_at: None,
    }
}

#[test]
fn t4_a_guardian_cancel_delays_once_and_extends_the_lock() {
    let mut s = SuiteBuilder::default().build();
    let id = queue_now(&mut s);
    let orig = s.operation(id);
    s.advance(3600, 10);
    let g = s.guardians.clone();
    let at = now(&s);
    let res = cancel(&mut s, &g[0], id).unwrap();
    assert!(has_attr(&res, "action", "guardian_delay"));
    assert!(has_attr(&res, "delayed_by", g[0].as_str()));
    let op = s.operation(id);
    assert_eq!(op.status, OperationStatus::Queued);
    assert_eq!(op.closed_by, None);
    assert_eq!(op.eta, orig.eta.plus_seconds(GUARDIAN_DELAY));
    assert_eq!(op.eta_height, orig.eta_height + GUARDIAN_BLOCKS);
    assert_eq!(op.expires_at, orig.expires_at.plus_seconds(GUARDIAN_DELAY));
    assert_eq!(op.guardian_delay, Some(delayed(&orig, &g[0], at)));
    // The lock moved with the expiry.
    assert_eq!(s.mock(0).lock_until, Some(op.expires_at));
    // Once per operation, whoever asks.
    for guardian in [&g[1], &g[0]] {
        assert_err(
            cancel(&mut s, guardian, id),
            ContractError::AlreadyDelayed {
                operation_id: id,
                delayed_by: g[0].clone(),
            },
        );
    }
    assert_eq!(s.operation(id), op);
    // Not due at the original eta; due at the delayed eta by time AND height.
    s.advance(orig.eta.seconds() - now(&s).seconds(), 90);
    assert_err(
        s.execute_op(id),
        ContractError::NotDue {
            operation_id: id,
            eta: op.eta,
            eta_height: op.eta_height,
            now: now(&s),
            height: s.height(),
        },
    );
    s.advance(GUARDIAN_DELAY, GUARDIAN_BLOCKS - 1);
    assert!(s.execute_op(id).is_err());
    s.advance(0, 1);
    s.execute_op(id).unwrap();
    assert_eq!(s.operation(id).status, OperationStatus::Executed);
}

#[test]
fn t4_governance_cancel_of_a_delayed_operation_is_final() {
    let mut s = SuiteBuilder::default().build();
    let id = queue_now(&mut s);
    let g = s.guardians.clone();
    cancel(&mut s, &g[0], id).unwrap();
    let gov = s.governance.clone();
    let res = cancel(&mut s, &gov, id).unwrap();
    assert!(has_attr(&res, "action", "cancel"));
    let op = s.operation(id);
    assert_eq!(op.status, OperationStatus::Cancelled);
    assert_eq!(op.closed_by, Some(gov));
    assert_eq!(s.mock(0).lock_until, None);
    assert_err(
        cancel(&mut s, &g[1], id),
        ContractError::NotQueued {
            operation_id: id,
            status: OperationStatus::Cancelled,
        },
    );
}

#[test]
fn t4_governance_overrides_a_guardian_delay() {
    let mut s = SuiteBuilder::default().build();
    let id = queue_now(&mut s);
    let orig = s.operation(id);
    let g = s.guardians.clone();
    let gov = s.governance.clone();
    // Nothing to override before a delay; only governance overrides.
    assert_err(
        override_delay(&mut s, &gov, id),
        ContractError::NotDelayed { operation_id: id },
    );
    let delayed_at = now(&s);
    cancel(&mut s, &g[0], id).unwrap();
    assert_err(
        override_delay(&mut s, &g[1], id),
        ContractError::Unauthorized {
            sender: g[1].clone(),
            required: "governance".into(),
        },
    );
    s.advance(60, 1);
    let at = now(&s);
    let res = override_delay(&mut s, &gov, id).unwrap();
    assert!(has_attr(&res, "action", "override_delay"));
    let op = s.operation(id);
    assert_eq!(op.eta, orig.eta);
    assert_eq!(op.eta_height, orig.eta_height);
    // The window to execute in stays the longer one.
    assert_eq!(op.expires_at, orig.expires_at.plus_seconds(GUARDIAN_DELAY));
    assert_eq!(
        op.guardian_delay,
        Some(GuardianDelay {
            overridden_at: Some(at),
            ..delayed(&orig, &g[0], delayed_at)
        })
    );
    assert_err(
        override_delay(&mut s, &gov, id),
        ContractError::DelayAlreadyOverridden { operation_id: id },
    );
    // The delay still counts: no guardian delays again.
    assert_err(
        cancel(&mut s, &g[1], id),
        ContractError::AlreadyDelayed {
            operation_id: id,
            delayed_by: g[0].clone(),
        },
    );
    s.advance(orig.eta.seconds() - now(&s).seconds(), 100);
    s.execute_op(id).unwrap();
    assert_eq!(s.operation(id).status, OperationStatus::Executed);
}

#[test]
fn t4_a_delay_of_a_due_operation_moves_its_eta_from_the_original() {
    let mut s = SuiteBuilder::default().build();
    let id = queue_now(&mut s);
    let orig = s.operation(id);
    // Long past the original eta, still in the grace window.
    s.advance(
        orig.eta.seconds() - now(&s).seconds() + 2 * GUARDIAN_DELAY,
        1000,
    );
    let g = s.guardians.clone();
    cancel(&mut s, &g[1], id).unwrap();
    // The eta moved by exactly one delay from the original: already passed, still due.
    assert_eq!(s.operation(id).eta, orig.eta.plus_seconds(GUARDIAN_DELAY));
    s.execute_op(id).unwrap();
}

/// One step of a generated sequence.
#[derive(Debug, Clone)]
enum Step {
    GuardianCancel(usize),
    Execute,
    Override,
    Expire,
    Advance { seconds: u64, blocks: u64 },
}

fn step(guardians: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..guardians).prop_map(Step::GuardianCancel),
        2 => Just(Step::Execute),
        1 => Just(Step::Override),
        1 => Just(Step::Expire),
        3 => (0u64..12 * 3600, 0u64..150).prop_map(|(seconds, blocks)| Step::Advance { seconds, blocks }),
    ]
}

fn steps() -> impl Strategy<Value = (usize, Vec<Step>)> {
    (1usize..=5).prop_flat_map(|n| (Just(n), prop::collection::vec(step(n), 1..14)))
}

fn err_text<T: std::fmt::Debug>(res: StdResult<T>) -> String {
    format!("{:?}", res.unwrap_err())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Any number of guardians, any order of guardian cancels, executes, overrides and time:
    /// the operation is never cancelled, is delayed at most once (by the first guardian to
    /// ask), its eta never exceeds the original eta plus one guardian delay, and it is
    /// executable exactly when the model says so; whatever happened, it is executable by
    /// the original eta plus one guardian delay.
    #[test]
    fn t4_any_guardians_any_order_delay_at_most_once((n, steps) in steps()) {
        let mut s = SuiteBuilder::default().build();
        let gs = guardians(&mut s, n);
        let id = queue_now(&mut s);
        let orig = s.operation(id);
        let mut delayed_by: Option<Addr> = None;
        let mut overridden = false;
        let mut executed = false;
        let mut expired = false;
        for st in &steps {
            let eta = if delayed_by.is_some() && !overridden {
                orig.eta.plus_seconds(GUARDIAN_DELAY)
            } else {
                orig.eta
            };
            let eta_height = if delayed_by.is_some() && !overridden {
                orig.eta_height + GUARDIAN_BLOCKS
            } else {
                orig.eta_height
            };
            let expires_at = if delayed_by.is_some() {
                orig.expires_at.plus_seconds(GUARDIAN_DELAY)
            } else {
                orig.expires_at
            };
            let t = now(&s);
            let closed = if executed {
                Some(ContractError::NotQueued { operation_id: id, status: OperationStatus::Executed })
            } else if t >= expires_at {
                Some(ContractError::Expired { operation_id: id, expires_at })
            } else {
                None
            };
            match st {
                Step::GuardianCancel(i) => {
                    let res = cancel(&mut s, &gs[*i], id);
                    let expected = closed.or_else(|| delayed_by.clone().map(|by| {
                        ContractError::AlreadyDelayed { operation_id: id, delayed_by: by }
                    }));
                    match expected {
                        Some(e) => prop_assert!(err_text(res).contains(&e.to_string())),
                        None => {
                            prop_assert!(res.is_ok(), "{:?}", res);
                            delayed_by = Some(gs[*i].clone());
                        }
                    }
                }
                Step::Execute => {
                    let res = s.execute_op(id);
                    let expected = closed.or_else(|| {
                        (t < eta || s.height() < eta_height).then(|| ContractError::NotDue {
                            operation_id: id, eta, eta_height, now: t, height: s.height(),
                        })
                    });
                    match expected {
                        Some(e) => prop_assert!(err_text(res).contains(&e.to_string())),
                        None => {
                            prop_assert!(res.is_ok(), "{:?}", res);
                            executed = true;
                        }
                    }
                }
                Step::Override => {
                    let gov = s.governance.clone();
                    let res = override_delay(&mut s, &gov, id);
                    let expected = closed.or(match (&delayed_by, overridden) {
                        (None, _) => Some(ContractError::NotDelayed { operation_id: id }),
                        (Some(_), true) => Some(ContractError::DelayAlreadyOverridden { operation_id: id }),
                        (Some(_), false) => None,
                    });
                    match expected {
                        Some(e) => prop_assert!(err_text(res).contains(&e.to_string())),
                        None => {
                            prop_assert!(res.is_ok(), "{:?}", res);
                            overridden = true;
                        }
                    }
                }
                Step::Expire => {
                    let anyone = s.addr("anyone");
                    let res = send(&mut s, &anyone, &ExecuteMsg::Expire { operation_id: id });
                    let expected = if executed {
                        Some(ContractError::NotQueued { operation_id: id, status: OperationStatus::Executed })
                    } else if t < expires_at {
                        Some(ContractError::NotExpired { operation_id: id, expires_at })
                    } else if expired {
                        Some(ContractError::NotQueued { operation_id: id, status: OperationStatus::Expired })
                    } else {
                        None
                    };
                    match expected {
                        Some(e) => prop_assert!(err_text(res).contains(&e.to_string())),
                        None => {
                            prop_assert!(res.is_ok(), "{:?}", res);
                            expired = true;
                        }
                    }
                }
                Step::Advance { seconds, blocks } => s.advance(*seconds, *blocks),
            }
            let op = s.operation(id);
            prop_assert_ne!(op.status, OperationStatus::Cancelled);
            prop_assert!(op.eta <= orig.eta.plus_seconds(GUARDIAN_DELAY));
            prop_assert!(op.eta_height <= orig.eta_height + GUARDIAN_BLOCKS);
            prop_assert_eq!(
                op.guardian_delay.as_ref().map(|d| d.delayed_by.clone()),
                delayed_by.clone()
            );
            if op.status == OperationStatus::Queued {
                // The lock covers the operation until its (possibly moved) expiry.
                prop_assert_eq!(s.mock(0).lock_until, Some(op.expires_at));
            }
        }
        if !executed {
            // Bring the chain to the original eta plus one delay, by time and by height.
            let target = orig.eta.plus_seconds(GUARDIAN_DELAY);
            let seconds = target.seconds().saturating_sub(now(&s).seconds());
            let blocks = (orig.eta_height + GUARDIAN_BLOCKS).saturating_sub(s.height());
            s.advance(seconds, blocks);
            if now(&s) < s.operation(id).expires_at {
                let res = s.execute_op(id);
                prop_assert!(res.is_ok(), "{:?}", res);
                prop_assert_eq!(s.operation(id).status, OperationStatus::Executed);
            }
        }
    }
}

//! Row P5: the cap and the cooldown hold per ACTION, whatever combination of scopes stops
//! it. Hand-picked sequences, then a property test over random sequences checked against
//! an independent model built from the pause history alone, with random key rotations by
//! governance (row P6: once ended, a stretch one of whose guardians was removed imposes
//! no cooldown).

#[allow(unused_imports)]
use super::scopes::*;
use rewind_testing::SuiteBase;
use std::collections::{BTreeMap, BTreeSet};

use cosmwasm_std::{Addr, Timestamp};
use cw_multi_test::AppResponse;
use proptest::prelude::*;
use rewind_types::guardian::{ExecuteMsg, PauseRecord};
use rewind_types::{PauseScope, ScopeInfo};

use super::suite::{assert_err, Suite, HOUR};
use crate::error::ContractError;
use crate::policy::{default_policy, MAX_GUARDIANS};
use rewind_testing::contract_error_text;

const DAY: u64 = 24 * HOUR;

fn too_long(s: &Suite, action: PauseScope, since: Timestamp, until: Timestamp) -> ContractError {
    ContractError::StretchTooLong {
        target: s.targets[0].clone(),
        action,
        since,
        until,
        max: 72 * HOUR,
    }
}

#[test]
fn p5_all_then_trade_cannot_stop_trade_beyond_the_cap() {
    let mut s = Suite::new();
    let start = s.time();
    s.pause(0, 0, PauseScope::ALL, 72 * HOUR).unwrap();
    s.advance(70 * HOUR);
    // Trade is already stopped by `all`; a trade pause may not carry it past the cap.
    let until = s.time().plus_seconds(72 * HOUR);
    let err = too_long(&s, TRADE, start, until);
    assert_err(s.pause(1, 0, TRADE, 72 * HOUR), err);
    // Up to the cap is fine.
    s.pause(1, 0, TRADE, 2 * HOUR).unwrap();
    s.advance(2 * HOUR);
    assert_err(
        s.pause(0, 0, LIQUIDATE, HOUR),
        too_long(&s, LIQUIDATE, start, s.time().plus_seconds(HOUR)),
    );
    s.advance(1);
    assert_err(
        s.pause(0, 0, TRADE, HOUR),
        ContractError::InCooldown {
            target: s.targets[0].clone(),
            action: TRADE,
            until: start.plus_seconds(72 * HOUR + DAY),
        },
    );
}

#[test]
fn p5_trade_then_all_cannot_stop_trade_beyond_the_cap() {
    let mut s = Suite::new();
    let start = s.time();
    s.pause(0, 0, TRADE, 72 * HOUR).unwrap();
    s.advance(10 * HOUR);
    // `all` would stop deposits (fine, a new stretch) and trade (beyond the cap): refused,
    // naming trade.
    let until = s.time().plus_seconds(72 * HOUR);
    assert_err(
        s.pause(1, 0, PauseScope::ALL, 72 * HOUR),
        too_long(&s, TRADE, start, until),
    );
    s.pause(1, 0, PauseScope::ALL, 62 * HOUR).unwrap();
    assert_eq!(
        s.target_pause(0, PauseScope::ALL),
        Some(start.plus_seconds(72 * HOUR))
    );
}

#[test]
fn p5_deposit_all_deposit_chain_is_capped_and_ends_early_count() {
    let mut s = Suite::new();
    let start = s.time();
    s.pause(0, 0, DEPOSIT, 30 * HOUR).unwrap();
    s.advance(30 * HOUR);
    // Touching at the end: `all` joins the deposit stretch.
    s.pause(1, 0, PauseScope::ALL, 30 * HOUR).unwrap();
    s.advance(20 * HOUR);
    // A deposit pause joining it may bring the stretch to the cap, not beyond.
    assert_err(
        s.pause(0, 0, DEPOSIT, 30 * HOUR),
        too_long(&s, DEPOSIT, start, s.time().plus_seconds(30 * HOUR)),
    );
    s.pause(0, 0, DEPOSIT, 22 * HOUR).unwrap();
    // `all` ends early: deposits stay stopped by the deposit pause, the rest is free.
    s.end_pause(1, 0, PauseScope::ALL).unwrap();
    let ended = s.time();
    let b = s.budget(0);
    assert_eq!(
        b.actions[0].stretch_end,
        Some(ended.plus_seconds(22 * HOUR))
    );
    assert_eq!(b.actions[2].stretch_end, Some(ended));
    // The early end starts trade's cooldown; deposits are still in their stretch.
    s.advance(1);
    assert_err(
        s.pause(1, 0, TRADE, HOUR),
        ContractError::InCooldown {
            target: s.targets[0].clone(),
            action: TRADE,
            until: ended.plus_seconds(DAY),
        },
    );
    // After the deposit stretch and its cooldown, deposits may be paused again.
    s.advance(22 * HOUR - 1 + DAY);
    s.pause(1, 0, DEPOSIT, HOUR).unwrap();
}

#[test]
fn p5_governance_extension_keeps_guardians_out_of_the_stretch() {
    let mut s = Suite::new();
    s.pause(0, 0, PauseScope::ALL, 10 * HOUR).unwrap();
    let start = s.time();
    let until = start.plus_seconds(10 * DAY);
    let t0 = s.targets[0].to_string();
    s.gov(&ExecuteMsg::ExtendPause {
        target: t0.clone(),
        scope: PauseScope::ALL,
        until,
    })
    .unwrap();
    s.advance(5 * DAY);
    // Governance stops trade; a guardian may not prolong it past governance's end.
    assert_err(
        s.pause(1, 0, TRADE, HOUR),
        too_long(&s, TRADE, start, until),
    );
    s.gov(&ExecuteMsg::LiftPause {
        target: t0,
        scope: PauseScope::ALL,
    })
    .unwrap();
    let lifted = s.time();
    s.advance(1);
    assert_err(
        s.pause(1, 0, TRADE, HOUR),
        ContractError::InCooldown {
            target: s.targets[0].clone(),
            action: TRADE,
            until: lifted.plus_seconds(DAY),
        },
    );
}

// ---- property test ------------------------------------------------------------------

/// The guardian's wasm attribute `key` in `res`.
fn attr(res: &AppResponse, key: &str) -> String {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
        .unwrap_or_default()
}

#[derive(Clone, Debug)]
enum Op {
    Pause {
        guardian: usize,
        scope: usize,
        hours: u64,
    },
    End {
        guardian: usize,
        scope: usize,
    },
    Lift {
        scope: usize,
    },
    Extend {
        scope: usize,
        hours: u64,
    },
    /// Governance replaces `guardians[guardian]` by a fresh key (row P6).
    Rotate {
        guardian: usize,
    },
    Wait {
        hours: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..4usize, 0..6usize, 1..=72u64)
            .prop_map(|(guardian, scope, hours)| Op::Pause { guardian, scope, hours }),
        2 => (0..4usize, 0..6usize).prop_map(|(guardian, scope)| Op::End { guardian, scope }),
        1 => (0..6usize).prop_map(|scope| Op::Lift { scope }),
        1 => (0..6usize, 1..=120u64).prop_map(|(scope, hours)| Op::Extend { scope, hours }),
        2 => (0..4usize).prop_map(|guardian| Op::Rotate { guardian }),
        2 => Just(Op::Wait { hours: 0 }),
        4 => (1..=40u64).prop_map(|hours| Op::Wait { hours }),
    ]
}

/// The names a random declaration picks from: the vault's and others.
const POOL: [&str; 8] = [
    "deposit",
    "withdraw",
    "trade",
    "liquidate",
    "swap",
    "mint",
    "borrow",
    "remove_liquidity",
];

/// A random declaration: 1 to 5 scopes of [`POOL`], in a random order, each an exit or not.
fn declaration() -> impl Strategy<Value = Vec<ScopeInfo>> {
    prop::sample::subsequence(POOL.to_vec(), 1..=5)
        .prop_shuffle()
        .prop_flat_map(|names| {
            let n = names.len();
            (Just(names), prop::collection::vec(any::<bool>(), n))
        })
        .prop_map(|(names, exits)| {
            names
                .into_iter()
                .zip(exits)
                .map(|(name, exit)| ScopeInfo {
                    scope: PauseScope::named(name),
                    exit,
                })
                .collect()
        })
}

/// The model: the stretches during which guardian pauses stop `action`, from the history
/// alone. Every record is a guardian pause; one stops the action if its scope is the action
/// or `all`. Overlapping or touching intervals `[start, end]` merge. With `guardian_part`,
/// a pause governance extended counts only up to the guardian's own end.
fn model_stretches_of(
    records: &[PauseRecord],
    action: &PauseScope,
    guardian_part: bool,
) -> Vec<(u64, u64)> {
    let mut intervals: Vec<(u64, u64)> = records
        .iter()
        .filter(|r| r.scope == *action || r.scope.is_all())
        .map(|r| {
            let end = if guardian_part && r.extended_by_governance {
                r.end.min(r.charged_until)
            } else {
                r.end
            };
            (r.start.seconds(), end.seconds())
        })
        .collect();
    intervals.sort_unstable();
    let mut merged: Vec<(u64, u64)> = vec![];
    for (s, e) in intervals {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The stretches as the contract keeps them: governance's extensions included.
fn model_stretches(records: &[PauseRecord], action: &PauseScope) -> Vec<(u64, u64)> {
    model_stretches_of(records, action, false)
}

/// The guardians who made the pauses of each stretch `model_stretches` lists (row P6).
fn model_contributors(records: &[PauseRecord], action: &PauseScope) -> Vec<BTreeSet<Addr>> {
    let stretches = model_stretches(records, action);
    let mut contributors = vec![BTreeSet::new(); stretches.len()];
    for r in records
        .iter()
        .filter(|r| r.scope == *action || r.scope.is_all())
    {
        let start = r.start.seconds();
        let i = stretches
            .iter()
            .position(|&(s, e)| s <= start && start <= e)
            .expect("every pause lies in a stretch");
        contributors[i].insert(r.paused_by.clone());
    }
    contributors
}

/// Governance removed a contributor of the stretch at or before `at`: once ended, it
/// imposes no cooldown from then on (row P6). Removed keys are never added again here.
fn waived_at(contributors: &BTreeSet<Addr>, removed: &BTreeMap<Addr, u64>, at: u64) -> bool {
    contributors
        .iter()
        .any(|c| removed.get(c).is_some_and(|&r| r <= at))
}

/// The model's refusal of a guardian pause `[now, end)` of `scope`: the first action (in
/// declaration order) it stops whose stretch would exceed the cap or start in the cooldown.
/// The actions are `declared`; `all` stops each of them.
fn model_refusal(
    s: &Suite,
    records: &[PauseRecord],
    removed: &BTreeMap<Addr, u64>,
    declared: &[PauseScope],
    scope: &PauseScope,
    now: u64,
    end: u64,
) -> Option<ContractError> {
    let policy = default_policy();
    for action in declared.iter().filter(|a| scope.is_all() || *a == scope) {
        let Some((since, last_end)) = model_stretches(records, action).last().copied() else {
            continue;
        };
        let contributors = model_contributors(records, action)
            .pop()
            .unwrap_or_default();
        if last_end < now && waived_at(&contributors, removed, now) {
            continue;
        }
        if last_end >= now {
            let until = last_end.max(end);
            if until - since > policy.max_pause_seconds {
                return Some(ContractError::StretchTooLong {
                    target: s.targets[0].clone(),
                    action: action.clone(),
                    since: Timestamp::from_seconds(since),
                    until: Timestamp::from_seconds(until),
                    max: policy.max_pause_seconds,
                });
            }
        } else if last_end + policy.cooldown_seconds > now {
            return Some(ContractError::InCooldown {
                target: s.targets[0].clone(),
                action: action.clone(),
                until: Timestamp::from_seconds(last_end + policy.cooldown_seconds),
            });
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Over random declarations of scopes (the actions are whatever the target declares,
    /// `all` stops each) and random sequences of pauses, ends, lifts, extensions, rotations
    /// and waits.
    #[test]
    fn p5_p6_no_action_is_stopped_beyond_the_cap_the_cooldown_holds_and_rotations_waive_it(
        scopes in declaration(),
        ops in prop::collection::vec(op(), 1..50)
    ) {
        let policy = default_policy();
        let mut s = Suite::with_scopes(scopes.clone());
        s.add_guardian("guardian3");
        s.add_guardian("guardian4");
        let declared: Vec<PauseScope> = scopes.iter().map(|i| i.scope.clone()).collect();
        // Every scope a pause may name on target 0 (its exits are pausable): `all` first.
        let names: Vec<PauseScope> =
            std::iter::once(PauseScope::ALL).chain(declared.iter().cloned()).collect();
        let pick = |i: usize| names[i % names.len()].clone();
        let mut rotations = 0;
        let mut removed: BTreeMap<Addr, u64> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Pause { guardian, scope, hours } => {
                    let scope = pick(scope);
                    let now = s.time().seconds();
                    let before = s.history(0);
                    let res = s.pause(guardian, 0, scope.clone(), hours * HOUR);
                    // Exact refusals: the contract refuses for the cap or the cooldown
                    // exactly when the model does, naming the same action and times.
                    let expected = model_refusal(
                        &s, &before, &removed, &declared, &scope, now, now + hours * HOUR,
                    );
                    match (&res, &expected) {
                        (Ok(_), Some(e)) => {
                            prop_assert!(false, "accepted although the model refuses: {e}")
                        }
                        (Err(err), Some(e)) => {
                            let text = contract_error_text(err);
                            // Only the renewal check comes before the per-action checks.
                            prop_assert!(
                                text == e.to_string() || text.contains("is already paused"),
                                "{text} is not {e}"
                            );
                        }
                        (Err(err), None) => {
                            let text = contract_error_text(err);
                            prop_assert!(
                                !text.contains("cooldown until")
                                    && !text.contains("would stay stopped by guardians"),
                                "refused without a model reason: {text}"
                            );
                        }
                        (Ok(_), None) => {}
                    }
                }
                Op::End { guardian, scope } => {
                    let _ = s.end_pause(guardian, 0, pick(scope));
                }
                Op::Lift { scope } => {
                    let msg = ExecuteMsg::LiftPause {
                        target: s.targets[0].to_string(),
                        scope: pick(scope),
                    };
                    let _ = s.gov(&msg);
                }
                Op::Extend { scope, hours } => {
                    let msg = ExecuteMsg::ExtendPause {
                        target: s.targets[0].to_string(),
                        scope: pick(scope),
                        until: s.time().plus_seconds(hours * HOUR),
                    };
                    let _ = s.gov(&msg);
                }
                Op::Rotate { guardian } => {
                    // Governance replaces a guardian's key by a fresh one.
                    rotations += 1;
                    let old = s.guardians[guardian].clone();
                    let new = s.addr(&format!("rotated{rotations}"));
                    let now = s.time().seconds();
                    let records = s.history(0);
                    let res = s.gov(&ExecuteMsg::UpdateGuardians {
                        add: vec![new.to_string()],
                        remove: vec![old.to_string()],
                    })
                    .unwrap();
                    // The event counts the ended stretches of `old` whose cooldown ran.
                    let cleared = declared
                        .iter()
                        .filter(|a| {
                            let (Some(&(_, end)), Some(c)) = (
                                model_stretches(&records, a).last(),
                                model_contributors(&records, a).pop(),
                            ) else {
                                return false;
                            };
                            end < now
                                && now < end + policy.cooldown_seconds
                                && c.contains(&old)
                                && !waived_at(&c, &removed, now)
                        })
                        .count();
                    prop_assert_eq!(attr(&res, "cooldowns_cleared"), cleared.to_string());
                    removed.insert(old, now);
                    s.guardians[guardian] = new;
                }
                Op::Wait { hours } => s.advance(hours * HOUR),
            }
            // Safety, from the history alone, for every action: no guardian-made stretch
            // beyond the cap (governance's extensions are governance's, not counted), and
            // a cooldown between any two stretches (extensions included: a guardian never
            // starts a stretch right after governance's ends either).
            let records = s.history(0);
            let budget = s.budget(0);
            prop_assert_eq!(budget.actions.len(), declared.len());
            for (i, action) in declared.iter().enumerate() {
                for (since, end) in model_stretches_of(&records, action, true) {
                    prop_assert!(
                        end - since <= policy.max_pause_seconds,
                        "{action} stopped by guardians from {since} to {end}"
                    );
                }
                let stretches = model_stretches(&records, action);
                let contributors = model_contributors(&records, action);
                for (i, w) in stretches.windows(2).enumerate() {
                    // Unless governance had removed a contributor of the earlier one by
                    // the time the later one started (row P6).
                    prop_assert!(
                        w[1].0 >= w[0].1 + policy.cooldown_seconds
                            || waived_at(&contributors[i], &removed, w[1].0),
                        "{action}: a stretch started at {} inside the cooldown after {}",
                        w[1].0,
                        w[0].1
                    );
                }
                // The contract's own view of the latest stretch agrees with the model.
                let status = &budget.actions[i];
                prop_assert_eq!(&status.action, action);
                let last = stretches.last().copied();
                prop_assert_eq!(status.stretch_start.map(|t| t.seconds()), last.map(|l| l.0));
                prop_assert_eq!(status.stretch_end.map(|t| t.seconds()), last.map(|l| l.1));
                // Its contributors: the current guardians among those who paused in it,
                // never more than the guardian cap; its waiver and cooldown as modelled.
                let now = s.time().seconds();
                let all = contributors.last().cloned().unwrap_or_default();
                let current: Vec<Addr> =
                    all.iter().filter(|c| !removed.contains_key(*c)).cloned().collect();
                prop_assert_eq!(&status.stretch_guardians, &current);
                prop_assert!(status.stretch_guardians.len() as u64 <= MAX_GUARDIANS);
                let waived = waived_at(&all, &removed, now);
                prop_assert_eq!(status.cooldown_waived, waived);
                let cooldown = last
                    .map(|l| l.1)
                    .filter(|&e| !waived && e < now && now < e + policy.cooldown_seconds)
                    .map(|e| Timestamp::from_seconds(e + policy.cooldown_seconds));
                prop_assert_eq!(status.cooldown_until, cooldown);
            }
        }
    }
}

//! Row P6, "a rotation always allows a pause": one compromised key that pauses `all` for a
//! second and ends it at once starts the cooldown of every action; governance removing
//! that key waives every cooldown it contributed to, so the next pause of any remaining or
//! new guardian is accepted at once. A cooldown left only by guardians who stay still
//! applies, and a running stretch keeps its cap.

#[allow(unused_imports)]
use super::scopes::*;
use cosmwasm_std::Timestamp;
use cw_multi_test::AppResponse;
use rewind_testing::SuiteBase;
use rewind_types::guardian::ExecuteMsg;
use rewind_types::PauseScope;

use super::suite::{assert_err, Suite, HOUR};
use crate::error::ContractError;

const DAY: u64 = 24 * HOUR;

/// The guardian's wasm attribute `key` in `res`.
fn attr(res: &AppResponse, key: &str) -> String {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
        .unwrap_or_else(|| panic!("no attribute {key}"))
}

fn cooldown(s: &Suite, target: usize, action: PauseScope, until: Timestamp) -> ContractError {
    ContractError::InCooldown {
        target: s.targets[target].clone(),
        action,
        until,
    }
}

/// The first action `scope` stops (the one a refusal names).
fn first_action(scope: PauseScope) -> PauseScope {
    actions(&scope)[0].clone()
}

/// Governance removes `guardians[index]`; returns the response.
fn remove(s: &mut Suite, index: usize) -> AppResponse {
    let g = s.guardians[index].to_string();
    s.gov(&ExecuteMsg::UpdateGuardians {
        add: vec![],
        remove: vec![g],
    })
    .unwrap()
}

#[test]
fn p6_removing_the_key_of_a_one_second_all_pause_lets_any_remaining_or_new_guardian_pause_at_once()
{
    // Table: the first pauser after the rotation (remaining guardian 1, or a guardian added
    // before or with the rotation) times every scope it might need.
    #[derive(Clone, Copy, Debug)]
    enum Pauser {
        Remaining,
        AddedBefore,
        AddedWithRotation,
    }
    for pauser in [
        Pauser::Remaining,
        Pauser::AddedBefore,
        Pauser::AddedWithRotation,
    ] {
        for scope in ALL_SCOPES {
            let mut s = Suite::new();
            // Key A (guardian 0) pauses everything for one second and ends it at once.
            s.pause(0, 0, PauseScope::ALL, 1).unwrap();
            s.end_pause(0, 0, PauseScope::ALL).unwrap();
            let ended = s.time();
            s.advance(1);
            let index = match pauser {
                Pauser::Remaining => 1,
                Pauser::AddedBefore => s.add_guardian("guardian_c"),
                Pauser::AddedWithRotation => 2,
            };
            // Before the rotation: every action is in cooldown, for everyone who may pause.
            let count = s.guardians.len();
            for g in [1, index].into_iter().filter(|&g| g < count) {
                assert_err(
                    s.pause(g, 0, scope.clone(), HOUR),
                    cooldown(&s, 0, first_action(scope.clone()), ended.plus_seconds(DAY)),
                );
            }
            // Governance rotates A out (and maybe C in, in the same message).
            let res = if matches!(pauser, Pauser::AddedWithRotation) {
                let c = s.addr("guardian_c");
                let msg = ExecuteMsg::UpdateGuardians {
                    add: vec![c.to_string()],
                    remove: vec![s.guardians[0].to_string()],
                };
                let res = s.gov(&msg).unwrap();
                s.guardians.push(c);
                res
            } else {
                remove(&mut s, 0)
            };
            // Every action of target 0 was in cooldown because of A alone.
            assert_eq!(attr(&res, "cooldowns_cleared"), "4", "{pauser:?} {scope}");
            assert_eq!(attr(&res, "stretches_waived"), "4", "{pauser:?} {scope}");
            for status in s.budget(0).actions {
                assert_eq!(status.cooldown_until, None, "{pauser:?} {scope}");
                assert!(status.cooldown_waived, "{pauser:?} {scope}");
                assert!(status.stretch_guardians.is_empty(), "{pauser:?} {scope}");
            }
            // The very first pause after the rotation is accepted, up to the full cap.
            s.pause(index, 0, scope.clone(), 72 * HOUR).unwrap();
            assert_eq!(
                s.target_pause(0, scope.clone()),
                Some(s.time().plus_seconds(72 * HOUR)),
                "{pauser:?} {scope}"
            );
            // The new stretch is an ordinary one: its own cooldown applies after it.
            let b = s.budget(0);
            for status in b.actions.iter().filter(|a| scope.stops(&a.action)) {
                assert!(!status.cooldown_waived, "{pauser:?} {scope}");
                assert_eq!(status.stretch_guardians, vec![s.guardians[index].clone()]);
            }
        }
    }
}

#[test]
fn p6_a_cooldown_left_by_a_guardian_who_stays_is_still_enforced() {
    let mut s = Suite::new();
    let c = s.add_guardian("guardian_c");
    let d = s.add_guardian("guardian_d");
    // B (guardian 1, stays) stops trade for a second; A (guardian 0, removed) stops
    // deposits and liquidations, and joins B's withdraw stretch (touching it); D stops
    // trade on the other target. Each pause is ended at once.
    for (g, target, scope) in [
        (1, 0, TRADE),
        (0, 0, DEPOSIT),
        (1, 0, WITHDRAW),
        (0, 0, WITHDRAW),
        (0, 0, LIQUIDATE),
        (d, 1, TRADE),
    ] {
        s.pause(g, target, scope.clone(), 1).unwrap();
        s.end_pause(g, target, scope).unwrap();
    }
    let withdraw = s.budget(0).actions[1].clone();
    let mut both = vec![s.guardians[0].clone(), s.guardians[1].clone()];
    both.sort();
    assert_eq!(withdraw.stretch_guardians, both);
    let ended = s.time();
    s.advance(HOUR);
    // Removing a key that contributed nothing waives nothing.
    let e = s.add_guardian("guardian_e");
    let res = remove(&mut s, e);
    assert_eq!(attr(&res, "cooldowns_cleared"), "0");
    assert_eq!(attr(&res, "stretches_waived"), "0");
    assert_err(
        s.pause(c, 0, TRADE, HOUR),
        cooldown(&s, 0, TRADE, ended.plus_seconds(DAY)),
    );
    // Removing A waives deposit, withdraw (A joined it) and liquidate (A's `all`), and
    // only on target 0; trade's cooldown is B's alone and stays.
    let res = remove(&mut s, 0);
    assert_eq!(attr(&res, "cooldowns_cleared"), "3");
    assert_eq!(attr(&res, "stretches_waived"), "3");
    let b = s.budget(0);
    let trade = b.actions.iter().find(|a| a.action == TRADE).unwrap();
    assert!(!trade.cooldown_waived);
    assert_eq!(trade.cooldown_until, Some(ended.plus_seconds(DAY)));
    assert_eq!(trade.stretch_guardians, vec![s.guardians[1].clone()]);
    let withdraw = &b.actions[1];
    assert_eq!(withdraw.action, WITHDRAW);
    assert!(withdraw.cooldown_waived);
    assert_eq!(withdraw.stretch_guardians, vec![s.guardians[1].clone()]);
    for g in [1, c] {
        assert_err(
            s.pause(g, 0, TRADE, HOUR),
            cooldown(&s, 0, TRADE, ended.plus_seconds(DAY)),
        );
        // `all` stops trade too: still refused, naming trade.
        assert_err(
            s.pause(g, 0, PauseScope::ALL, HOUR),
            cooldown(&s, 0, TRADE, ended.plus_seconds(DAY)),
        );
        assert_err(
            s.pause(g, 1, TRADE, HOUR),
            cooldown(&s, 1, TRADE, ended.plus_seconds(DAY)),
        );
    }
    // The actions only A made stop may be paused at once.
    s.pause(c, 0, DEPOSIT, HOUR).unwrap();
    s.pause(1, 0, WITHDRAW, HOUR).unwrap();
    s.pause(c, 0, LIQUIDATE, HOUR).unwrap();
    // And B's cooldown ends on time.
    s.advance(DAY - HOUR);
    s.pause(c, 0, TRADE, HOUR).unwrap();
}

#[test]
fn p6_a_running_stretch_of_a_removed_key_keeps_its_cap_and_imposes_no_cooldown_once_ended() {
    let mut s = Suite::new();
    let start = s.time();
    s.pause(0, 0, PauseScope::ALL, 72 * HOUR).unwrap();
    s.advance(HOUR);
    let res = remove(&mut s, 0);
    // Running: no cooldown is cleared yet, but the four stretches are waived.
    assert_eq!(attr(&res, "cooldowns_cleared"), "0");
    assert_eq!(attr(&res, "stretches_waived"), "4");
    // The running stretch keeps its cap: another guardian may not carry trade past it.
    assert_err(
        s.pause(1, 0, TRADE, 72 * HOUR),
        ContractError::StretchTooLong {
            target: s.targets[0].clone(),
            action: TRADE,
            since: start,
            until: s.time().plus_seconds(72 * HOUR),
            max: 72 * HOUR,
        },
    );
    // B joins within the cap: the joined stretch stays waived.
    s.pause(1, 0, TRADE, 2 * HOUR).unwrap();
    let trade = s.budget(0).actions[2].clone();
    assert_eq!(trade.action, TRADE);
    assert!(trade.cooldown_waived);
    assert_eq!(trade.stretch_guardians, vec![s.guardians[1].clone()]);
    // Governance lifts A's pause; B ends its own: the stretches end and impose no cooldown.
    s.gov(&ExecuteMsg::LiftPause {
        target: s.targets[0].to_string(),
        scope: PauseScope::ALL,
    })
    .unwrap();
    s.end_pause(1, 0, TRADE).unwrap();
    s.advance(1);
    for status in s.budget(0).actions {
        assert_eq!(status.cooldown_until, None);
    }
    s.pause(1, 0, PauseScope::ALL, 72 * HOUR).unwrap();
}

#[test]
fn p6_a_target_registered_again_waives_the_cooldowns_of_keys_removed_meanwhile() {
    let mut s = Suite::new();
    s.pause(0, 0, PauseScope::ALL, 1).unwrap();
    s.end_pause(0, 0, PauseScope::ALL).unwrap();
    let ended = s.time();
    let t0 = s.targets[0].to_string();
    s.gov(&ExecuteMsg::RemoveTarget { target: t0.clone() })
        .unwrap();
    let res = remove(&mut s, 0);
    // Unregistered: untouched by the rotation.
    assert_eq!(attr(&res, "cooldowns_cleared"), "0");
    s.advance(HOUR);
    let res = s
        .gov(&ExecuteMsg::SetTarget {
            target: t0.clone(),
            exits_pausable: true,
            scopes: rewind_testing::mock_target::default_scopes(),
        })
        .unwrap();
    assert_eq!(attr(&res, "cooldowns_cleared"), "4");
    s.pause(1, 0, PauseScope::ALL, HOUR).unwrap();
    // A cooldown left by a remaining guardian survives a re-registration.
    s.end_pause(1, 0, PauseScope::ALL).unwrap();
    let ended_b = s.time();
    assert!(ended_b > ended);
    s.gov(&ExecuteMsg::RemoveTarget { target: t0.clone() })
        .unwrap();
    s.advance(1);
    let res = s
        .gov(&ExecuteMsg::SetTarget {
            target: t0,
            exits_pausable: true,
            scopes: rewind_testing::mock_target::default_scopes(),
        })
        .unwrap();
    assert_eq!(attr(&res, "cooldowns_cleared"), "0");
    assert_err(
        s.pause(1, 0, PauseScope::ALL, HOUR),
        cooldown(&s, 0, DEPOSIT, ended_b.plus_seconds(DAY)),
    );
}

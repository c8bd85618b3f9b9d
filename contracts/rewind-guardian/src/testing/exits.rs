//! The exit policy on every pause path (the guardian's target registry is its one record):
//! a scope that stops exits (`withdraw`, `all`) is never paused, nor kept paused longer, on
//! a target whose exits are not pausable, and exits are never made unpausable under a
//! running pause of them. The vault's `p3_` tests check the target side of the same row.

#[allow(unused_imports)]
use super::scopes::*;
use cosmwasm_std::Timestamp;
use rewind_testing::SuiteBase;
use rewind_types::guardian::{ExecuteMsg, QueryMsg, TargetResponse, TargetsResponse};
use rewind_types::PauseScope;

use super::suite::{assert_err, Suite, HOUR};
use crate::error::ContractError;
use crate::state::TARGETS;

/// Every way a scope of a target becomes paused, stays paused longer, or comes under a
/// new exit policy. (The guardian forwards no other pause: the circuit breaker pauses
/// inside its target.)
#[derive(Clone, Copy, Debug)]
enum Path {
    /// A guardian's `Pause`.
    GuardianPause,
    /// Governance's `ExtendPause` of a running pause.
    GovernanceExtend,
    /// Governance's `SetTarget` under a running pause: a change of policy, and a new
    /// registration after `RemoveTarget`.
    SetTarget,
}

const PATHS: [Path; 3] = [Path::GuardianPause, Path::GovernanceExtend, Path::SetTarget];

/// Index of the suite's target registered with `exits_pausable`.
fn target_with(exits_pausable: bool) -> usize {
    if exits_pausable {
        0
    } else {
        1
    }
}

fn registration(s: &Suite, target: usize) -> Option<TargetResponse> {
    s.app
        .wrap()
        .query_wasm_smart(
            &s.guardian,
            &QueryMsg::Target {
                target: s.targets[target].to_string(),
            },
        )
        .unwrap()
}

fn set_target(s: &mut Suite, target: usize, exits_pausable: bool) -> cosmwasm_std::StdResult<()> {
    let msg = ExecuteMsg::SetTarget {
        target: s.targets[target].to_string(),
        exits_pausable,
        scopes: rewind_testing::mock_target::default_scopes(),
    };
    s.gov(&msg).map(|_| ())
}

/// Runs one case; returns whether the path was accepted.
fn run(path: Path, scope: PauseScope, exits_pausable: bool) -> bool {
    let allowed = declared().pausable(&scope, exits_pausable);
    let mut s = Suite::new();
    match path {
        Path::GuardianPause => {
            let t = target_with(exits_pausable);
            // The policy the pause is judged by is the one the registry exposes.
            let policy = registration(&s, t).unwrap();
            assert_eq!(policy.exits_pausable, exits_pausable);
            assert_eq!(policy.pausable_scopes.contains(&scope), allowed);
            let res = s.pause(0, t, scope.clone(), HOUR);
            if allowed {
                res.unwrap();
            } else {
                assert_err(
                    res,
                    ContractError::ExitsNotPausable {
                        target: s.targets[t].clone(),
                        scope: scope.clone(),
                    },
                );
            }
            // The target stores a pause exactly when the guardian accepted one.
            assert_eq!(s.target_pause(t, scope).is_some(), allowed);
            assert_eq!(s.status(t).scopes.iter().any(|sc| sc.paused), allowed);
            allowed
        }
        Path::GovernanceExtend => {
            // A running pause on a target whose exits were pausable when it started...
            s.pause(0, 0, scope.clone(), HOUR).unwrap();
            let end = s.target_pause(0, scope.clone()).unwrap();
            if !exits_pausable {
                // ...whose policy then became `exits_pausable: false`. SetTarget refuses
                // that under an exit pause (see Path::SetTarget), but state written by an
                // earlier version, which accepted it, may hold it: write it directly.
                if set_target(&mut s, 0, false).is_err() {
                    let target = s.targets[0].clone();
                    let mut storage = s.app.contract_storage_mut(&s.guardian);
                    TARGETS.save(&mut *storage, &target, &false).unwrap();
                }
                assert!(!registration(&s, 0).unwrap().exits_pausable);
            }
            let until = s.time().plus_seconds(10 * HOUR);
            let res = s.gov(&ExecuteMsg::ExtendPause {
                target: s.targets[0].to_string(),
                scope: scope.clone(),
                until,
            });
            if allowed {
                res.unwrap();
                assert_eq!(s.target_pause(0, scope), Some(until));
            } else {
                assert_err(
                    res,
                    ContractError::ExitsNotPausable {
                        target: s.targets[0].clone(),
                        scope: scope.clone(),
                    },
                );
                assert_eq!(s.target_pause(0, scope), Some(end));
                assert_eq!(s.history(0)[0].end, end);
                assert!(!s.history(0)[0].extended_by_governance);
            }
            allowed
        }
        Path::SetTarget => {
            s.pause(0, 0, scope.clone(), HOUR).unwrap();
            let until: Timestamp = s.target_pause(0, scope.clone()).unwrap();
            let refusal = ContractError::ExitsPaused {
                target: s.targets[0].clone(),
                scope: scope.clone(),
                until,
            };
            // A change of policy of the registered target.
            let changed = set_target(&mut s, 0, exits_pausable);
            // A new registration of the same target after its removal.
            let remove = ExecuteMsg::RemoveTarget {
                target: s.targets[0].to_string(),
            };
            s.gov(&remove).unwrap();
            let registered = set_target(&mut s, 0, exits_pausable);
            for res in [changed, registered] {
                if allowed {
                    res.unwrap();
                } else {
                    assert_err(res, &refusal);
                }
            }
            // Refused: the target stays unregistered; the pause runs on, and governance
            // may still lift it, after which exits can be made unpausable.
            let expected = allowed
                .then(|| TargetResponse::new(s.targets[0].clone(), exits_pausable, &declared()));
            assert_eq!(registration(&s, 0), expected);
            if !allowed {
                s.gov(&ExecuteMsg::LiftPause {
                    target: s.targets[0].to_string(),
                    scope,
                })
                .unwrap();
                set_target(&mut s, 0, false).unwrap();
                assert_eq!(
                    registration(&s, 0),
                    Some(TargetResponse::new(
                        s.targets[0].clone(),
                        false,
                        &declared()
                    ))
                );
            }
            allowed
        }
    }
}

#[test]
fn p3_exit_scopes_are_never_paused_where_exits_are_not_pausable_on_any_path() {
    let mut refused = 0;
    for path in PATHS {
        for exits_pausable in [true, false] {
            for scope in ALL_SCOPES {
                let accepted = run(path, scope.clone(), exits_pausable);
                let expected = exits_pausable || !(scope == ALL || scope == WITHDRAW);
                assert_eq!(
                    accepted, expected,
                    "{path:?} {scope} exits_pausable={exits_pausable}"
                );
                refused += usize::from(!accepted);
            }
        }
    }
    // Two exit scopes refused on each of the three paths.
    assert_eq!(refused, 6);
}

#[test]
fn p3_the_registry_exposes_each_targets_exit_policy() {
    let s = Suite::new();
    let all: TargetsResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.guardian,
            &QueryMsg::Targets {
                start_after: None,
                limit: None,
            },
        )
        .unwrap();
    let mut expected = vec![
        TargetResponse {
            target: s.targets[0].clone(),
            exits_pausable: true,
            pausable_scopes: ALL_SCOPES.to_vec(),
            scopes: rewind_testing::mock_target::default_scopes(),
        },
        TargetResponse {
            target: s.targets[1].clone(),
            exits_pausable: false,
            pausable_scopes: vec![DEPOSIT, TRADE, LIQUIDATE],
            scopes: rewind_testing::mock_target::default_scopes(),
        },
    ];
    expected.sort_by(|a, b| a.target.cmp(&b.target));
    assert_eq!(all.targets, expected);
    for (i, target) in s.targets.iter().enumerate() {
        let one = registration(&s, i).unwrap();
        assert_eq!(&one.target, target);
        assert_eq!(all.targets.iter().find(|t| t.target == *target), Some(&one));
    }
    let unknown: Option<TargetResponse> = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.guardian,
            &QueryMsg::Target {
                target: s.addr("unregistered").to_string(),
            },
        )
        .unwrap();
    assert_eq!(unknown, None);
}

//! Guardian tests: the pause policy (P1), exits, governance actions (P4), locks, queries and
//! bad input.

#[allow(unused_imports)]
use super::scopes::*;
use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockApi};
use cosmwasm_std::{coins, Addr, Timestamp};
use cw_multi_test::Executor;
use rewind_testing::SuiteBase;
use rewind_types::governance::TargetRegistration;
use rewind_types::guardian::{
    ConfigResponse, ExecuteMsg, GuardianSettings, GuardiansResponse, InstantiateMsg, PausePolicy,
    QueryMsg, TargetResponse, TargetsResponse,
};
use rewind_types::{ModuleAddresses, PauseScope};

use super::suite::{assert_err, Suite, HOUR};
use crate::error::ContractError;
use crate::policy::{
    default_policy, MAX_GOVERNANCE_PAUSE_SECONDS, MAX_GUARDIANS, MAX_LOCK_SECONDS, MAX_TARGETS,
};

const DAY: u64 = 24 * HOUR;

#[test]
fn p1_pause_longer_than_the_cap_or_zero_is_refused() {
    let mut s = Suite::new();
    assert_err(
        s.pause(0, 0, TRADE, 72 * HOUR + 1),
        ContractError::PauseTooLong {
            requested: 72 * HOUR + 1,
            max: 72 * HOUR,
        },
    );
    assert_err(s.pause(0, 0, TRADE, 0), ContractError::ZeroDuration {});
    s.pause(0, 0, TRADE, 72 * HOUR).unwrap();
}

#[test]
fn p1_pause_is_pushed_to_the_target_and_ends_by_itself() {
    let mut s = Suite::new();
    let res = s.pause(0, 0, TRADE, 10 * HOUR).unwrap();
    assert!(res.events.iter().any(|e| e
        .attributes
        .iter()
        .any(|a| a.key == "action" && a.value == "pause")));
    let until = s.target_pause(0, TRADE).unwrap();
    assert_eq!(until.seconds(), s.time().seconds() + 10 * HOUR);
    let status = s.status(0);
    let trade = status.scopes.iter().find(|sc| sc.scope == TRADE).unwrap();
    assert!(trade.paused);
    assert_eq!(trade.until, Some(until));
    assert_eq!(trade.paused_by, Some(s.guardians[0].clone()));
    s.advance(4 * HOUR);
    let trade = s.status(0).scopes[3].clone();
    assert_eq!(trade.scope, TRADE);
    assert!(trade.seconds_left <= 6 * HOUR && trade.seconds_left > 6 * HOUR - 2);
    s.advance(6 * HOUR);
    assert!(!s.status(0).scopes.iter().any(|sc| sc.paused));
}

#[test]
fn p1_p5_repause_right_after_expiry_is_refused_by_the_cap_then_the_cooldown() {
    let mut s = Suite::new();
    let start = s.time();
    s.pause(0, 0, TRADE, 72 * HOUR).unwrap();
    let end = s.target_pause(0, TRADE).unwrap();
    s.advance(72 * HOUR);
    // At the very end, a new pause would touch the stretch and extend it beyond the cap.
    let too_long = ContractError::StretchTooLong {
        target: s.targets[0].clone(),
        action: TRADE,
        since: start,
        until: end.plus_seconds(HOUR),
        max: 72 * HOUR,
    };
    assert_err(s.pause(1, 0, TRADE, HOUR), &too_long);
    assert_err(s.pause(1, 0, PauseScope::ALL, HOUR), &too_long);
    s.advance(1);
    let cooldown_end = Timestamp::from_seconds(end.seconds() + DAY);
    let in_cooldown = ContractError::InCooldown {
        target: s.targets[0].clone(),
        action: TRADE,
        until: cooldown_end,
    };
    assert_err(s.pause(0, 0, TRADE, HOUR), &in_cooldown);
    // Another guardian, or a scope that also stops trade, does not get around it (P5).
    assert_err(s.pause(1, 0, TRADE, HOUR), &in_cooldown);
    assert_err(s.pause(1, 0, PauseScope::ALL, HOUR), &in_cooldown);
    let trade = s.budget(0).actions[2].clone();
    assert_eq!(trade.action, TRADE);
    assert_eq!(trade.stretch_start, Some(start));
    assert_eq!(trade.stretch_end, Some(end));
    assert_eq!(trade.cooldown_until, Some(cooldown_end));
    // The cooldown is per action: deposits may be paused.
    s.pause(1, 0, DEPOSIT, HOUR).unwrap();
    s.advance(DAY - 2);
    assert_err(s.pause(0, 0, TRADE, HOUR), &in_cooldown);
    s.advance(1);
    s.pause(0, 0, TRADE, HOUR).unwrap();
}

#[test]
fn p1_early_end_starts_the_cooldown() {
    let mut s = Suite::new();
    let start = s.time();
    s.pause(0, 0, TRADE, 72 * HOUR).unwrap();
    s.advance(HOUR);
    s.end_pause(0, 0, TRADE).unwrap();
    assert_eq!(s.target_pause(0, TRADE), Some(s.time()));
    assert!(!s.status(0).scopes.iter().any(|sc| sc.paused));
    let now = s.time().seconds();
    // In the same block, a new pause touches the stretch: the cap counts from its start.
    assert_err(
        s.pause(1, 0, TRADE, 72 * HOUR),
        ContractError::StretchTooLong {
            target: s.targets[0].clone(),
            action: TRADE,
            since: start,
            until: Timestamp::from_seconds(now + 72 * HOUR),
            max: 72 * HOUR,
        },
    );
    s.advance(1);
    assert_err(
        s.pause(0, 0, TRADE, HOUR),
        ContractError::InCooldown {
            target: s.targets[0].clone(),
            action: TRADE,
            until: Timestamp::from_seconds(now + DAY),
        },
    );
    // The early end also shrank the charged time.
    assert_eq!(s.budget(0).used_seconds, HOUR);
    assert_eq!(s.guardian_budget(0, 0).used_seconds, HOUR);
    // The other target is unaffected.
    s.pause(0, 1, TRADE, HOUR).unwrap();
}

#[test]
fn p1_p6_budget_caps_each_guardians_time_in_the_rolling_window() {
    let mut s = Suite::new();
    for _ in 0..2 {
        s.pause(0, 0, TRADE, 72 * HOUR).unwrap();
        s.advance(72 * HOUR + DAY);
    }
    let g0 = s.guardians[0].clone();
    assert_eq!(s.guardian_budget(0, 0).used_seconds, 144 * HOUR);
    assert_eq!(s.guardian_budget(0, 0).remaining_seconds, 24 * HOUR);
    assert_eq!(s.guardian_budget(0, 0).window_pauses, 2);
    assert_eq!(s.budget(0).used_seconds, 144 * HOUR);
    assert_err(
        s.pause(0, 0, TRADE, 72 * HOUR),
        ContractError::BudgetExceeded {
            guardian: g0.clone(),
            needed: 216 * HOUR,
            budget: 168 * HOUR,
        },
    );
    assert_err(
        s.pause(0, 0, TRADE, 24 * HOUR + 1),
        ContractError::BudgetExceeded {
            guardian: g0.clone(),
            needed: 168 * HOUR + 1,
            budget: 168 * HOUR,
        },
    );
    // The other guardian has its own budget, untouched (P6).
    assert_eq!(s.guardian_budget(1, 0).used_seconds, 0);
    s.pause(1, 0, TRADE, 72 * HOUR).unwrap();
    s.advance(72 * HOUR + DAY);
    assert_eq!(s.guardian_budget(1, 0).used_seconds, 72 * HOUR);
    assert_eq!(s.budget(0).used_seconds, 216 * HOUR);
    // Guardian 0 may still use what is left of its own budget.
    s.pause(0, 0, TRADE, 24 * HOUR).unwrap();
    s.advance(24 * HOUR + DAY);
    assert_err(
        s.pause(0, 0, TRADE, HOUR),
        ContractError::BudgetExceeded {
            guardian: g0.clone(),
            needed: 169 * HOUR,
            budget: 168 * HOUR,
        },
    );
    // Once the first pause leaves the window, budget returns.
    s.advance(30 * DAY);
    assert_eq!(s.guardian_budget(0, 0).used_seconds, 0);
    assert_eq!(s.guardian_budget(0, 0).window_pauses, 0);
    assert_eq!(s.budget(0).used_seconds, 0);
    s.pause(0, 0, TRADE, 72 * HOUR).unwrap();
}

#[test]
fn p1_p6_concurrent_scopes_count_once_per_guardian_and_repause_of_a_paused_scope_is_refused() {
    let mut s = Suite::new();
    // The demo: trade and withdraw paused in one block by two guardians.
    s.pause(0, 0, TRADE, 72 * HOUR).unwrap();
    s.pause(1, 0, WITHDRAW, 72 * HOUR).unwrap();
    let until = s.target_pause(0, TRADE).unwrap();
    assert_err(
        s.pause(1, 0, TRADE, HOUR),
        ContractError::AlreadyPaused {
            target: s.targets[0].clone(),
            scope: TRADE,
            until,
        },
    );
    s.advance(10 * HOUR);
    // Each guardian is charged its own time.
    assert_eq!(s.guardian_budget(0, 0).used_seconds, 10 * HOUR);
    assert_eq!(s.guardian_budget(1, 0).used_seconds, 10 * HOUR);
    assert_eq!(s.budget(0).used_seconds, 20 * HOUR);
    // A third concurrent scope by the same guardian, overlapping completely, counts once.
    s.pause(0, 0, LIQUIDATE, 62 * HOUR).unwrap();
    s.advance(62 * HOUR);
    assert_eq!(s.guardian_budget(0, 0).used_seconds, 72 * HOUR);
    assert_eq!(s.guardian_budget(1, 0).used_seconds, 72 * HOUR);
}

#[test]
fn exits_pause_only_where_governance_allowed_it() {
    let mut s = Suite::new();
    for scope in [WITHDRAW, PauseScope::ALL] {
        assert_err(
            s.pause(0, 1, scope.clone(), HOUR),
            ContractError::ExitsNotPausable {
                target: s.targets[1].clone(),
                scope,
            },
        );
    }
    s.pause(0, 1, TRADE, HOUR).unwrap();
    let t1 = s.targets[1].to_string();
    s.gov(&ExecuteMsg::SetTarget {
        target: t1,
        exits_pausable: true,
        scopes: rewind_testing::mock_target::default_scopes(),
    })
    .unwrap();
    s.pause(0, 1, WITHDRAW, HOUR).unwrap();
    let stranger = s.addr("unregistered");
    let g = s.guardians[0].clone();
    assert_err(
        s.exec(
            &g,
            &ExecuteMsg::Pause {
                target: stranger.to_string(),
                scope: TRADE,
                duration_seconds: HOUR,
                reason: "x".into(),
            },
        ),
        ContractError::TargetNotRegistered { target: stranger },
    );
}

#[test]
fn p1_governance_extension_is_not_charged_and_still_ends() {
    let mut s = Suite::new();
    s.pause(0, 0, TRADE, 72 * HOUR).unwrap();
    let start = s.time();
    let t0 = s.targets[0].to_string();
    let current = s.target_pause(0, TRADE).unwrap();
    assert_err(
        s.gov(&ExecuteMsg::ExtendPause {
            target: t0.clone(),
            scope: TRADE,
            until: current,
        }),
        ContractError::ExtensionNotLater {
            until: current,
            current,
        },
    );
    let too_far = start.plus_seconds(MAX_GOVERNANCE_PAUSE_SECONDS + 1);
    assert_err(
        s.gov(&ExecuteMsg::ExtendPause {
            target: t0.clone(),
            scope: TRADE,
            until: too_far,
        }),
        ContractError::ExtensionTooLong {
            until: too_far,
            max: Timestamp::from_seconds(start.seconds() + MAX_GOVERNANCE_PAUSE_SECONDS),
        },
    );
    let until = start.plus_seconds(10 * DAY);
    s.gov(&ExecuteMsg::ExtendPause {
        target: t0.clone(),
        scope: TRADE,
        until,
    })
    .unwrap();
    assert_eq!(s.target_pause(0, TRADE), Some(until));
    // The guardian may no longer end it; governance owns it now.
    assert_err(
        s.end_pause(0, 0, TRADE),
        ContractError::ExtendedByGovernance { scope: TRADE },
    );
    s.advance(5 * DAY);
    assert_eq!(s.budget(0).used_seconds, 72 * HOUR);
    let record = &s.history(0)[0];
    assert!(record.extended_by_governance);
    assert_eq!(record.charged_until.seconds(), start.seconds() + 72 * HOUR);
    // Governance lifts it; the cooldown applies from now.
    s.gov(&ExecuteMsg::LiftPause {
        target: t0,
        scope: TRADE,
    })
    .unwrap();
    let lifted = s.time();
    assert_eq!(s.target_pause(0, TRADE), Some(lifted));
    assert_eq!(s.budget(0).actions[2].stretch_end, Some(lifted));
    s.advance(1);
    assert_eq!(
        s.budget(0).actions[2].cooldown_until,
        Some(lifted.plus_seconds(DAY))
    );
    assert_err(
        s.pause(1, 0, TRADE, HOUR),
        ContractError::InCooldown {
            target: s.targets[0].clone(),
            action: TRADE,
            until: lifted.plus_seconds(DAY),
        },
    );
    assert_err(
        s.end_pause(0, 0, TRADE),
        ContractError::NotPaused {
            target: s.targets[0].clone(),
            scope: TRADE,
        },
    );
}

#[test]
fn p4_governance_actions_never_check_pauses_or_locks() {
    let mut s = Suite::new();
    for scope in ALL_SCOPES {
        s.pause(0, 0, scope, 10 * HOUR).unwrap();
    }
    let tl = s.timelock.clone();
    let t0 = s.targets[0].to_string();
    s.exec(
        &tl,
        &ExecuteMsg::SetRestorationLock {
            operation_id: 1,
            targets: vec![t0.clone()],
            until: s.time().plus_seconds(DAY),
        },
    )
    .unwrap();
    s.gov(&ExecuteMsg::UpdatePolicy(default_policy())).unwrap();
    s.gov(&ExecuteMsg::UpdateGuardians {
        add: vec![s.addr("guardian3").to_string()],
        remove: vec![],
    })
    .unwrap();
    s.gov(&ExecuteMsg::SetTarget {
        target: t0.clone(),
        exits_pausable: true,
        scopes: rewind_testing::mock_target::default_scopes(),
    })
    .unwrap();
    s.gov(&ExecuteMsg::ExtendPause {
        target: t0.clone(),
        scope: PauseScope::ALL,
        until: s.time().plus_seconds(20 * HOUR),
    })
    .unwrap();
    s.gov(&ExecuteMsg::LiftPause {
        target: t0.clone(),
        scope: TRADE,
    })
    .unwrap();
    s.exec(
        &tl,
        &ExecuteMsg::ClearRestorationLock {
            operation_id: 1,
            targets: vec![t0],
        },
    )
    .unwrap();
}

#[test]
fn restoration_lock_rules() {
    let mut s = Suite::new();
    let tl = s.timelock.clone();
    let ex = s.executor.clone();
    let t0 = s.targets[0].to_string();
    let far = s.time().plus_seconds(MAX_LOCK_SECONDS * 2);
    s.exec(
        &tl,
        &ExecuteMsg::SetRestorationLock {
            operation_id: 1,
            targets: vec![t0.clone()],
            until: far,
        },
    )
    .unwrap();
    // Capped in code: every lock ends.
    let capped = s.time().plus_seconds(MAX_LOCK_SECONDS);
    assert_eq!(
        Timestamp::from_seconds(s.target_state(0).lock_until.unwrap().seconds()),
        Timestamp::from_seconds(capped.seconds())
    );
    assert_eq!(
        s.status(0).restoration_lock_until.map(|t| t.seconds()),
        Some(capped.seconds())
    );
    // The executor takes over the same operation's lock.
    s.exec(
        &ex,
        &ExecuteMsg::SetRestorationLock {
            operation_id: 1,
            targets: vec![t0.clone()],
            until: s.time().plus_seconds(DAY),
        },
    )
    .unwrap();
    // Another operation may not take it while it holds.
    assert_err(
        s.exec(
            &tl,
            &ExecuteMsg::SetRestorationLock {
                operation_id: 2,
                targets: vec![t0.clone()],
                until: s.time().plus_seconds(DAY),
            },
        ),
        ContractError::LockHeldByOther {
            target: s.targets[0].clone(),
            holder: 1,
            operation_id: 2,
        },
    );
    assert_err(
        s.exec(
            &tl,
            &ExecuteMsg::ClearRestorationLock {
                operation_id: 2,
                targets: vec![t0.clone()],
            },
        ),
        ContractError::LockHeldByOther {
            target: s.targets[0].clone(),
            holder: 1,
            operation_id: 2,
        },
    );
    let past = s.time();
    assert_err(
        s.exec(
            &tl,
            &ExecuteMsg::SetRestorationLock {
                operation_id: 1,
                targets: vec![t0.clone()],
                until: past,
            },
        ),
        ContractError::LockInPast { until: past },
    );
    assert_err(
        s.exec(
            &tl,
            &ExecuteMsg::SetRestorationLock {
                operation_id: 1,
                targets: vec![],
                until: s.time().plus_seconds(DAY),
            },
        ),
        ContractError::NoTargets {},
    );
    // Once expired, another operation may lock.
    s.advance(DAY);
    assert_eq!(s.status(0).restoration_lock_until, None);
    s.exec(
        &tl,
        &ExecuteMsg::SetRestorationLock {
            operation_id: 2,
            targets: vec![t0.clone()],
            until: s.time().plus_seconds(DAY),
        },
    )
    .unwrap();
    s.exec(
        &ex,
        &ExecuteMsg::ClearRestorationLock {
            operation_id: 2,
            targets: vec![t0],
        },
    )
    .unwrap();
    assert_eq!(s.target_state(0).lock_until, None);
}

#[test]
fn d3_b1_guardian_set_is_validated_deduped_and_capped() {
    let mut s = Suite::new();
    let many: Vec<String> = (0..MAX_GUARDIANS)
        .map(|i| s.addr(&format!("g{i}")).to_string())
        .collect();
    assert_err(
        s.gov(&ExecuteMsg::UpdateGuardians {
            add: many.clone(),
            remove: vec![],
        }),
        ContractError::TooManyGuardians {
            count: MAX_GUARDIANS + 2,
            max: MAX_GUARDIANS,
        },
    );
    // Duplicates count once.
    let dup = s.addr("g0").to_string();
    s.gov(&ExecuteMsg::UpdateGuardians {
        add: vec![dup.clone(), dup.clone()],
        remove: vec![],
    })
    .unwrap();
    assert_err(
        s.gov(&ExecuteMsg::UpdateGuardians {
            add: vec![dup.clone()],
            remove: vec![dup.clone()],
        }),
        ContractError::ConflictingGuardianUpdate {
            address: s.addr("g0"),
        },
    );
    let unknown = s.addr("nobody");
    assert_err(
        s.gov(&ExecuteMsg::UpdateGuardians {
            add: vec![],
            remove: vec![unknown.to_string()],
        }),
        ContractError::GuardianNotFound { address: unknown },
    );
    // Non-normalised addresses are refused.
    let upper = dup.to_uppercase();
    let err = s
        .gov(&ExecuteMsg::UpdateGuardians {
            add: vec![upper],
            remove: vec![],
        })
        .unwrap_err();
    assert!(err.to_string().to_lowercase().contains("invalid"), "{err}");
    let gs: GuardiansResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.guardian,
            &QueryMsg::Guardians {
                start_after: None,
                limit: None,
            },
        )
        .unwrap();
    assert_eq!(gs.guardians.len(), 3);
    // Instantiate enforces the cap too.
    let mut deps = mock_dependencies();
    let gov = deps.api.addr_make("governance");
    let guardians = (0..=MAX_GUARDIANS)
        .map(|i| deps.api.addr_make(&format!("g{i}")).to_string())
        .collect();
    let err = crate::contract::instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&gov, &[]),
        init_msg(&MockApi::default(), guardians, default_policy(), vec![]),
    )
    .unwrap_err();
    assert!(matches!(err, ContractError::TooManyGuardians { .. }));
}

#[test]
fn b4_policy_is_bounded_at_instantiate_and_update() {
    let mut s = Suite::new();
    let bad = [
        PausePolicy {
            max_pause_seconds: 0,
            ..default_policy()
        },
        PausePolicy {
            cooldown_seconds: 0,
            ..default_policy()
        },
        PausePolicy {
            budget_seconds: 0,
            ..default_policy()
        },
        PausePolicy {
            budget_seconds: 30 * DAY,
            ..default_policy()
        },
        PausePolicy {
            min_charge_seconds: 0,
            ..default_policy()
        },
        PausePolicy {
            min_charge_seconds: 73 * HOUR,
            ..default_policy()
        },
    ];
    for policy in bad {
        let err = s
            .gov(&ExecuteMsg::UpdatePolicy(policy.clone()))
            .unwrap_err();
        assert!(err.to_string().contains("invalid pause policy"), "{err}");
        let mut deps = mock_dependencies();
        let gov = deps.api.addr_make("governance");
        let err = crate::contract::instantiate(
            deps.as_mut(),
            mock_env(),
            message_info(&gov, &[]),
            init_msg(&MockApi::default(), vec![], policy, vec![]),
        )
        .unwrap_err();
        assert!(matches!(err, ContractError::InvalidPolicy { .. }));
    }
}

#[test]
fn b2_funds_are_refused() {
    let mut s = Suite::new();
    let g = s.guardians[0].clone();
    s.app.init_modules(|router, _, storage| {
        router
            .bank
            .init_balance(storage, &g, coins(10, "uatom"))
            .unwrap()
    });
    assert_err(
        s.app.execute_contract(
            g,
            s.guardian.clone(),
            &ExecuteMsg::Pause {
                target: s.targets[0].to_string(),
                scope: TRADE,
                duration_seconds: HOUR,
                reason: "x".into(),
            },
            &coins(1, "uatom"),
        ),
        cw_utils::PaymentError::NonPayable {},
    );
}

fn modules(api: &MockApi) -> ModuleAddresses {
    ModuleAddresses {
        governance: api.addr_make("governance"),
        timelock: api.addr_make("timelock"),
        guardian: api.addr_make("guardian"),
        executor: api.addr_make("executor"),
    }
}

fn init_msg(
    api: &MockApi,
    guardians: Vec<String>,
    policy: PausePolicy,
    targets: Vec<TargetRegistration>,
) -> InstantiateMsg {
    InstantiateMsg {
        modules: modules(api),
        settings: GuardianSettings { guardians, policy },
        targets,
    }
}

fn registration(contract: String, exits_pausable: bool) -> TargetRegistration {
    TargetRegistration {
        contract,
        exits_pausable,
        scopes: rewind_testing::mock_target::default_scopes(),
    }
}

#[test]
fn b1_d3_instantiate_is_governance_only_and_registers_valid_unique_capped_targets() {
    let api = MockApi::default();
    let gov = api.addr_make("governance");
    let g = api.addr_make("guardian1");
    let t = |i: u32| api.addr_make(&format!("target{i}")).to_string();
    let msg = |targets| init_msg(&api, vec![g.to_string()], default_policy(), targets);
    // Each attempt on fresh storage, as the chain reverts a failed instantiate.
    let run = |sender: &Addr, msg| {
        let mut deps = mock_dependencies();
        let res =
            crate::contract::instantiate(deps.as_mut(), mock_env(), message_info(sender, &[]), msg);
        (deps, res)
    };
    // Only the governance the module addresses name may instantiate (row B1).
    let stranger = api.addr_make("stranger");
    assert_eq!(
        run(&stranger, msg(vec![])).1.unwrap_err(),
        ContractError::Unauthorized {
            sender: stranger.clone(),
            required: "governance".into(),
        }
    );
    let mut bad_modules = msg(vec![]);
    bad_modules.modules.executor = Addr::unchecked(t(0).to_uppercase());
    assert!(matches!(
        run(&gov, bad_modules).1.unwrap_err(),
        ContractError::Std(_)
    ));
    // The targets get the checks of SetTarget: valid, each once, at most MAX_TARGETS.
    let upper = registration(t(0).to_uppercase(), true);
    assert!(matches!(
        run(&gov, msg(vec![upper])).1.unwrap_err(),
        ContractError::Std(_)
    ));
    let twice = vec![registration(t(0), true), registration(t(0), false)];
    assert_eq!(
        run(&gov, msg(twice)).1.unwrap_err(),
        ContractError::DuplicateTarget {
            target: Addr::unchecked(t(0)),
        }
    );
    let too_many = (0..=MAX_TARGETS as u32)
        .map(|i| registration(t(i), true))
        .collect();
    assert_eq!(
        run(&gov, msg(too_many)).1.unwrap_err(),
        ContractError::TooManyTargets { max: MAX_TARGETS }
    );
    let most = (0..MAX_TARGETS as u32)
        .map(|i| registration(t(i), i % 2 == 0))
        .collect();
    run(&gov, msg(most)).1.unwrap();
    // One message, no second step: the guardian may pause at once, and the registry holds
    // each target's exit policy.
    let (mut deps, res) = run(
        &gov,
        msg(vec![registration(t(0), true), registration(t(1), false)]),
    );
    assert!(res
        .unwrap()
        .attributes
        .iter()
        .any(|a| a.key == "action" && a.value == "instantiate"));
    let config: ConfigResponse = cosmwasm_std::from_json(
        crate::contract::query(deps.as_ref(), mock_env(), QueryMsg::Config {}).unwrap(),
    )
    .unwrap();
    assert_eq!(config.modules, modules(&api));
    for (i, exits_pausable) in [(0, true), (1, false), (2, false)] {
        let target: Option<TargetResponse> = cosmwasm_std::from_json(
            crate::contract::query(deps.as_ref(), mock_env(), QueryMsg::Target { target: t(i) })
                .unwrap(),
        )
        .unwrap();
        let expected = (i < 2)
            .then(|| TargetResponse::new(Addr::unchecked(t(i)), exits_pausable, &declared()));
        assert_eq!(target, expected);
    }
    let pause = |target: String| ExecuteMsg::Pause {
        target,
        scope: TRADE,
        duration_seconds: HOUR,
        reason: "x".into(),
    };
    let res = crate::contract::execute(
        deps.as_mut(),
        mock_env(),
        message_info(&g, &[]),
        pause(t(1)),
    )
    .unwrap();
    assert_eq!(res.messages.len(), 1);
    assert_eq!(
        crate::contract::execute(
            deps.as_mut(),
            mock_env(),
            message_info(&g, &[]),
            pause(t(2))
        )
        .unwrap_err(),
        ContractError::TargetNotRegistered {
            target: Addr::unchecked(t(2)),
        }
    );
}

#[test]
fn d2_queries_are_paginated_and_capped() {
    let mut s = Suite::new();
    for i in 0..3u64 {
        s.pause(0, 1, TRADE, HOUR).unwrap();
        s.advance(HOUR + DAY + i);
    }
    let all = s.history(1);
    assert_eq!(all.len(), 3);
    assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let page = s.history_page(1, Some(all[0].id), Some(1));
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].id, all[1].id);
    assert_eq!(s.history_page(1, None, Some(u32::MAX)).len(), 3);
    let targets: TargetsResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.guardian,
            &QueryMsg::Targets {
                start_after: None,
                limit: Some(1),
            },
        )
        .unwrap();
    assert_eq!(targets.targets.len(), 1);
    let rest: TargetsResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.guardian,
            &QueryMsg::Targets {
                start_after: Some(targets.targets[0].target.to_string()),
                limit: Some(u32::MAX),
            },
        )
        .unwrap();
    assert_eq!(rest.targets.len(), 1);
    let is_guardian: bool = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.guardian,
            &QueryMsg::IsGuardian {
                address: s.guardians[1].to_string(),
            },
        )
        .unwrap();
    assert!(is_guardian);
}

//! Scopes are data: a target with its own scopes (`swap`, `mint`, `borrow` and the exit
//! `remove_liquidity`) is paused and unpaused through the real guardian; an undeclared
//! scope is refused on every pause path; a declared exit needs `exits_pausable`; `all`
//! stops every declared scope and counts in each one's stretch (row P5); registrations are
//! validated and change their scopes only while nothing of the target is paused.

use cw_multi_test::Executor;
use rewind_testing::mock_target::MockExecuteMsg;
use rewind_testing::SuiteBase;
use rewind_types::guardian::{ExecuteMsg, QueryMsg, TargetResponse};
use rewind_types::{DeclaredScopes, PauseScope, ScopeError, ScopeInfo};

use super::suite::{assert_err, Suite, HOUR};
use crate::error::ContractError;

const SWAP: PauseScope = PauseScope::named("swap");
const MINT: PauseScope = PauseScope::named("mint");
const BORROW: PauseScope = PauseScope::named("borrow");
const REMOVE_LIQUIDITY: PauseScope = PauseScope::named("remove_liquidity");

fn amm() -> Vec<ScopeInfo> {
    vec![
        ScopeInfo::action(SWAP),
        ScopeInfo::action(MINT),
        ScopeInfo::action(BORROW),
        ScopeInfo::exit(REMOVE_LIQUIDITY),
    ]
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

fn set_target(s: &mut Suite, target: usize, scopes: Vec<ScopeInfo>) -> cosmwasm_std::StdResult<()> {
    let msg = ExecuteMsg::SetTarget {
        target: s.targets[target].to_string(),
        exits_pausable: target == 0,
        scopes,
    };
    s.gov(&msg).map(|_| ())
}

#[test]
fn custom_scopes_are_paused_and_unpaused_through_the_guardian() {
    let mut s = Suite::with_scopes(amm());
    // The registry shows what the target declared.
    let declared = DeclaredScopes::new(amm()).unwrap();
    assert_eq!(
        registration(&s, 0),
        Some(TargetResponse::new(s.targets[0].clone(), true, &declared))
    );
    assert_eq!(
        registration(&s, 1).unwrap().pausable_scopes,
        vec![SWAP, MINT, BORROW]
    );
    for scope in [SWAP, MINT, BORROW, REMOVE_LIQUIDITY] {
        s.pause(0, 0, scope.clone(), HOUR).unwrap();
        let until = s.time().plus_seconds(HOUR);
        assert_eq!(s.target_pause(0, scope.clone()), Some(until), "{scope}");
        let status = s.status(0);
        let names: Vec<_> = status.scopes.iter().map(|st| st.scope.clone()).collect();
        assert_eq!(
            names,
            vec![PauseScope::ALL, SWAP, MINT, BORROW, REMOVE_LIQUIDITY]
        );
        let own = status.scopes.iter().find(|st| st.scope == scope).unwrap();
        assert!(own.paused);
        assert_eq!(own.until, Some(until));
        assert_eq!(own.paused_by.as_ref(), Some(&s.guardians[0]));
        s.advance(60);
        s.end_pause(0, 0, scope.clone()).unwrap();
        assert_eq!(s.target_pause(0, scope.clone()), Some(s.time()), "{scope}");
        assert!(!s.status(0).scopes.iter().any(|st| st.paused));
    }
    // Governance extends and lifts a custom scope too.
    s.advance(2 * 24 * HOUR);
    s.pause(1, 0, MINT, HOUR).unwrap();
    let later = s.time().plus_seconds(5 * HOUR);
    s.gov(&ExecuteMsg::ExtendPause {
        target: s.targets[0].to_string(),
        scope: MINT,
        until: later,
    })
    .unwrap();
    assert_eq!(s.target_pause(0, MINT), Some(later));
    s.gov(&ExecuteMsg::LiftPause {
        target: s.targets[0].to_string(),
        scope: MINT,
    })
    .unwrap();
    assert_eq!(s.target_pause(0, MINT), Some(s.time()));
    // The budget lists each declared scope as an action, in declaration order.
    let actions: Vec<_> = s.budget(0).actions.into_iter().map(|a| a.action).collect();
    assert_eq!(actions, vec![SWAP, MINT, BORROW, REMOVE_LIQUIDITY]);
}

#[test]
fn p3_a_scope_the_target_did_not_declare_is_refused_on_every_pause_path() {
    let mut s = Suite::with_scopes(amm());
    let target = s.targets[0].clone();
    for scope in [
        PauseScope::named("trade"),
        PauseScope::named("withdraw"),
        PauseScope::named("swap2"),
    ] {
        let refused = ContractError::ScopeNotDeclared {
            target: target.clone(),
            scope: scope.clone(),
        };
        assert_err(s.pause(0, 0, scope.clone(), HOUR), &refused);
        assert_err(
            s.gov(&ExecuteMsg::ExtendPause {
                target: target.to_string(),
                scope: scope.clone(),
                until: s.time().plus_seconds(HOUR),
            }),
            &refused,
        );
        // Nothing of it runs, so there is nothing to end or lift.
        let not_paused = ContractError::NotPaused {
            target: target.clone(),
            scope: scope.clone(),
        };
        assert_err(s.end_pause(0, 0, scope.clone()), &not_paused);
        assert_err(
            s.gov(&ExecuteMsg::LiftPause {
                target: target.to_string(),
                scope: scope.clone(),
            }),
            &not_paused,
        );
    }
    assert!(s.history(0).is_empty());
    // The default target's names are not this target's.
    let mut vault_like = Suite::new();
    vault_like
        .pause(0, 0, PauseScope::named("trade"), HOUR)
        .unwrap();
    assert_err(
        vault_like.pause(0, 0, SWAP, HOUR),
        ContractError::ScopeNotDeclared {
            target: vault_like.targets[0].clone(),
            scope: SWAP,
        },
    );
}

#[test]
fn p3_a_declared_exit_scope_needs_exits_pausable() {
    let mut s = Suite::with_scopes(amm());
    // targets[1] does not allow exit pauses: its exit scope and `all` are refused.
    for scope in [REMOVE_LIQUIDITY, PauseScope::ALL] {
        assert_err(
            s.pause(0, 1, scope.clone(), HOUR),
            ContractError::ExitsNotPausable {
                target: s.targets[1].clone(),
                scope,
            },
        );
    }
    for scope in [SWAP, MINT, BORROW] {
        s.pause(0, 1, scope, HOUR).unwrap();
    }
    // targets[0] allows them.
    s.pause(0, 0, REMOVE_LIQUIDITY, HOUR).unwrap();
    // The exit flag, not the name, decides: declared as a plain action, it needs nothing.
    let mut plain = Suite::with_scopes(vec![ScopeInfo::action(REMOVE_LIQUIDITY)]);
    plain.pause(0, 1, REMOVE_LIQUIDITY, HOUR).unwrap();
    // Exits may not become unpausable under a running pause of the custom exit scope.
    assert_err(
        s.gov(&ExecuteMsg::SetTarget {
            target: s.targets[0].to_string(),
            exits_pausable: false,
            scopes: amm(),
        }),
        ContractError::ExitsPaused {
            target: s.targets[0].clone(),
            scope: REMOVE_LIQUIDITY,
            until: s.time().plus_seconds(HOUR),
        },
    );
}

#[test]
fn p5_all_stops_every_custom_scope_and_counts_in_each_stretch() {
    let mut s = Suite::with_scopes(amm());
    s.pause(0, 0, PauseScope::ALL, 40 * HOUR).unwrap();
    let until = s.time().plus_seconds(40 * HOUR);
    assert_eq!(s.target_pause(0, PauseScope::ALL), Some(until));
    let start = s.time();
    for action in s.budget(0).actions {
        assert_eq!(action.stretch_start, Some(start), "{}", action.action);
        assert_eq!(action.stretch_end, Some(until), "{}", action.action);
    }
    // A pause of one custom scope joins the stretch `all` started: capped there.
    s.advance(10 * HOUR);
    let end = s.time().plus_seconds(72 * HOUR);
    assert_err(
        s.pause(1, 0, BORROW, 72 * HOUR),
        ContractError::StretchTooLong {
            target: s.targets[0].clone(),
            action: BORROW,
            since: start,
            until: end,
            max: 72 * HOUR,
        },
    );
    // Ended early, `all` leaves every custom action in its cooldown.
    s.end_pause(0, 0, PauseScope::ALL).unwrap();
    let cooldown = s.time().plus_seconds(24 * HOUR);
    s.advance(60);
    for scope in [SWAP, MINT, BORROW, REMOVE_LIQUIDITY] {
        assert_err(
            s.pause(1, 0, scope.clone(), HOUR),
            ContractError::InCooldown {
                target: s.targets[0].clone(),
                action: scope,
                until: cooldown,
            },
        );
    }
}

#[test]
fn registrations_validate_their_scopes_and_change_them_only_while_nothing_is_paused() {
    let mut s = Suite::with_scopes(amm());
    let t0 = s.targets[0].clone();
    let invalid = |error| ContractError::InvalidScopes {
        target: t0.clone(),
        error,
    };
    assert_err(
        set_target(&mut s, 0, vec![]),
        invalid(ScopeError::NoScopes {}),
    );
    assert_err(
        set_target(&mut s, 0, vec![ScopeInfo::exit(PauseScope::ALL)]),
        invalid(ScopeError::ReservedAll {}),
    );
    assert_err(
        set_target(
            &mut s,
            0,
            vec![ScopeInfo::action(SWAP), ScopeInfo::exit(SWAP)],
        ),
        invalid(ScopeError::Duplicate { scope: SWAP }),
    );
    let many = (0..17)
        .map(|i| ScopeInfo::action(PauseScope::new(format!("s{i}")).unwrap()))
        .collect();
    assert_err(
        set_target(&mut s, 0, many),
        invalid(ScopeError::TooMany { count: 17 }),
    );
    // An invalid name never even parses.
    let raw = format!(
        r#"{{"set_target":{{"target":"{t0}","exits_pausable":true,"scopes":[{{"scope":"Swap","exit":false}}]}}}}"#
    );
    let parsed = cosmwasm_std::from_json::<ExecuteMsg>(raw.as_bytes()).unwrap_err();
    assert!(
        parsed.to_string().contains("invalid pause scope"),
        "{parsed}"
    );

    // Re-registering with the same scopes under a running pause is a plain policy change;
    // other scopes are refused until the pause is lifted. The target, upgraded to declare
    // other scopes meanwhile, still accepts the lift of the scope it dropped.
    s.pause(0, 0, SWAP, HOUR).unwrap();
    set_target(&mut s, 0, amm()).unwrap();
    let upgraded = vec![
        ScopeInfo::action(MINT),
        ScopeInfo::action(PauseScope::named("stake")),
    ];
    s.app
        .execute_contract(
            s.governance.clone(),
            t0.clone(),
            &MockExecuteMsg::SetScopes {
                scopes: upgraded.clone(),
            },
            &[],
        )
        .unwrap();
    assert_err(
        set_target(&mut s, 0, upgraded.clone()),
        ContractError::ScopesChangeWhilePaused {
            target: t0.clone(),
            scope: SWAP,
            until: s.time().plus_seconds(HOUR),
        },
    );
    s.gov(&ExecuteMsg::LiftPause {
        target: t0.to_string(),
        scope: SWAP,
    })
    .unwrap();
    set_target(&mut s, 0, upgraded.clone()).unwrap();
    let declared = DeclaredScopes::new(upgraded).unwrap();
    assert_eq!(
        registration(&s, 0),
        Some(TargetResponse::new(t0.clone(), true, &declared))
    );
    // The dropped scope is gone everywhere: refused, and no longer an action.
    assert_err(
        s.pause(1, 0, SWAP, HOUR),
        ContractError::ScopeNotDeclared {
            target: t0.clone(),
            scope: SWAP,
        },
    );
    let actions: Vec<_> = s.budget(0).actions.into_iter().map(|a| a.action).collect();
    assert_eq!(actions, vec![MINT, PauseScope::named("stake")]);
    s.pause(1, 0, PauseScope::named("stake"), HOUR).unwrap();
}

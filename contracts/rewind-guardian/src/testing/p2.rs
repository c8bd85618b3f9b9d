//! Row P2: a (possibly compromised) guardian can pause and end its own pause, nothing else.

#[allow(unused_imports)]
use super::scopes::*;
use rewind_testing::SuiteBase;
use rewind_types::guardian::ExecuteMsg;

use super::suite::{assert_err, Suite, HOUR};
use crate::error::ContractError;
use crate::policy::default_policy;

/// The number of `ExecuteMsg` variants; `variant_index` maps onto 0..VARIANTS.
const VARIANTS: usize = 11;

/// Exhaustive on purpose (no wildcard): a new variant does not compile until it gets an
/// index here, a role in `required_role`, and (else the test fails) a case in
/// `every_message`.
fn variant_index(msg: &ExecuteMsg) -> usize {
    match msg {
        ExecuteMsg::Pause { .. } => 0,
        ExecuteMsg::EndPause { .. } => 1,
        ExecuteMsg::ExtendPause { .. } => 2,
        ExecuteMsg::LiftPause { .. } => 3,
        ExecuteMsg::UpdateGuardians { .. } => 4,
        ExecuteMsg::SetTarget { .. } => 5,
        ExecuteMsg::RemoveTarget { .. } => 6,
        ExecuteMsg::UpdatePolicy(_) => 7,
        ExecuteMsg::SetRestorationLock { .. } => 8,
        ExecuteMsg::ClearRestorationLock { .. } => 9,
        ExecuteMsg::HoldHistory { .. } => 10,
    }
}

/// The role a guardian is told it lacks, or `None` for the two actions guardians may take.
fn required_role(msg: &ExecuteMsg) -> Option<&'static str> {
    match msg {
        ExecuteMsg::Pause { .. } | ExecuteMsg::EndPause { .. } => None,
        ExecuteMsg::ExtendPause { .. }
        | ExecuteMsg::LiftPause { .. }
        | ExecuteMsg::UpdateGuardians { .. }
        | ExecuteMsg::SetTarget { .. }
        | ExecuteMsg::RemoveTarget { .. }
        | ExecuteMsg::UpdatePolicy(_)
        | ExecuteMsg::HoldHistory { .. } => Some("governance"),
        ExecuteMsg::SetRestorationLock { .. } | ExecuteMsg::ClearRestorationLock { .. } => {
            Some("the timelock or the executor")
        }
    }
}

/// One message of every variant, each of which would succeed from its rightful sender.
fn every_message(s: &Suite) -> Vec<ExecuteMsg> {
    let target = s.targets[0].to_string();
    let attacker = s.addr("attacker").to_string();
    vec![
        ExecuteMsg::Pause {
            target: target.clone(),
            scope: DEPOSIT,
            duration_seconds: HOUR,
            reason: "mine".into(),
        },
        ExecuteMsg::EndPause {
            target: target.clone(),
            scope: TRADE,
        },
        ExecuteMsg::ExtendPause {
            target: target.clone(),
            scope: TRADE,
            until: s.time().plus_seconds(80 * 24 * HOUR),
        },
        ExecuteMsg::LiftPause {
            target: target.clone(),
            scope: TRADE,
        },
        ExecuteMsg::UpdateGuardians {
            add: vec![attacker.clone()],
            remove: vec![s.guardians[1].to_string()],
        },
        ExecuteMsg::SetTarget {
            target: s.targets[1].to_string(),
            exits_pausable: true,
            scopes: rewind_testing::mock_target::default_scopes(),
        },
        ExecuteMsg::RemoveTarget {
            target: target.clone(),
        },
        ExecuteMsg::UpdatePolicy(rewind_types::guardian::PausePolicy {
            max_pause_seconds: 30 * 24 * HOUR,
            ..default_policy()
        }),
        ExecuteMsg::SetRestorationLock {
            operation_id: 9,
            targets: vec![target.clone()],
            until: s.time().plus_seconds(HOUR),
        },
        ExecuteMsg::ClearRestorationLock {
            operation_id: 9,
            targets: vec![target.clone()],
        },
        ExecuteMsg::HoldHistory {
            targets: vec![target],
            from_height: 1,
            until: s.time().plus_seconds(HOUR),
        },
    ]
}

#[test]
fn p2_guardian_can_only_pause_and_end_its_own_pause() {
    let mut s = Suite::new();
    // guardian2 holds a pause of trade; guardian1 is the compromised key.
    s.pause(1, 0, TRADE, 10 * HOUR).unwrap();
    let messages = every_message(&s);
    let mut covered = [false; VARIANTS];
    for msg in &messages {
        covered[variant_index(msg)] = true;
    }
    assert!(
        covered.iter().all(|c| *c),
        "a variant has no case: {covered:?}"
    );

    let attacker = s.guardians[0].clone();
    let before_status = s.status(0);
    for msg in messages {
        match required_role(&msg) {
            Some(required) => assert_err(
                s.exec(&attacker, &msg),
                ContractError::Unauthorized {
                    sender: attacker.clone(),
                    required: required.into(),
                },
            ),
            None => {
                if let ExecuteMsg::EndPause { scope, .. } = msg.clone() {
                    // Another guardian's pause: refused.
                    assert_err(
                        s.exec(&attacker, &msg),
                        ContractError::NotPauser {
                            sender: attacker.clone(),
                            scope,
                            paused_by: s.guardians[1].clone(),
                        },
                    );
                }
            }
        }
    }
    // Nothing changed: same pauses, same guardians, same targets.
    assert_eq!(s.status(0), before_status);
    let gs: rewind_types::guardian::GuardiansResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.guardian,
            &rewind_types::guardian::QueryMsg::Guardians {
                start_after: None,
                limit: None,
            },
        )
        .unwrap();
    assert_eq!(gs.guardians.len(), 2);
    // What a guardian may do: pause, and end its own pause.
    s.pause(0, 0, DEPOSIT, HOUR).unwrap();
    s.end_pause(0, 0, DEPOSIT).unwrap();
    s.end_pause(1, 0, TRADE).unwrap();
}

#[test]
fn p2_removed_guardian_loses_every_power() {
    let mut s = Suite::new();
    s.pause(0, 0, TRADE, 10 * HOUR).unwrap();
    let g = s.guardians[0].clone();
    s.gov(&ExecuteMsg::UpdateGuardians {
        add: vec![],
        remove: vec![g.to_string()],
    })
    .unwrap();
    let unauthorized = ContractError::Unauthorized {
        sender: g.clone(),
        required: "a guardian".into(),
    };
    assert_err(s.end_pause(0, 0, TRADE), &unauthorized);
    assert_err(s.pause(0, 0, DEPOSIT, HOUR), &unauthorized);
    // Its pause still ends by itself.
    s.advance(10 * HOUR);
    assert!(!s.status(0).scopes.iter().any(|sc| sc.paused));
}

//! Governance's history holds (row G12), forwarded to each target as `Gate(HoldHistory)`.

#[allow(unused_imports)]
use super::scopes::*;
use rewind_testing::SuiteBase;
use rewind_types::guardian::ExecuteMsg;

use super::suite::{assert_err, Suite, HOUR};
use crate::error::ContractError;
use crate::policy::MAX_HOLD_SECONDS;

fn hold(s: &Suite, targets: Vec<String>, from_height: u64, hours: u64) -> ExecuteMsg {
    ExecuteMsg::HoldHistory {
        targets,
        from_height,
        until: s.time().plus_seconds(hours * HOUR),
    }
}

#[test]
fn g12_hold_history_is_forwarded_to_every_named_target() {
    let mut s = Suite::new();
    let (t0, t1) = (s.targets[0].to_string(), s.targets[1].to_string());
    let until = s.time().plus_seconds(10 * HOUR);
    // Duplicates count once.
    let res = s
        .gov(&hold(&s, vec![t0.clone(), t1.clone(), t0.clone()], 42, 10))
        .unwrap();
    let wasm = res
        .events
        .iter()
        .find(|e| e.ty == "wasm" && e.attributes.iter().any(|a| a.value == "hold_history"))
        .expect("a hold_history event");
    let attr = |k: &str| {
        wasm.attributes
            .iter()
            .find(|a| a.key == k)
            .map(|a| a.value.clone())
    };
    assert_eq!(attr("action").as_deref(), Some("hold_history"));
    assert_eq!(attr("targets").as_deref(), Some("2"));
    assert_eq!(attr("from_height").as_deref(), Some("42"));
    for target in 0..2 {
        assert_eq!(s.target_state(target).holds, vec![(42, until)]);
    }
    // Holds are never blocked by pauses or locks (row P4).
    for scope in ALL_SCOPES {
        s.pause(0, 0, scope, HOUR).unwrap();
    }
    let tl = s.timelock.clone();
    s.exec(
        &tl,
        &ExecuteMsg::SetRestorationLock {
            operation_id: 1,
            targets: vec![t0.clone()],
            until: s.time().plus_seconds(HOUR),
        },
    )
    .unwrap();
    s.gov(&hold(&s, vec![t0], 7, 1)).unwrap();
    assert_eq!(s.target_state(0).holds.len(), 2);
    assert_eq!(s.target_state(0).holds[1].0, 7);
    assert_eq!(s.target_state(1).holds.len(), 1);
}

#[test]
fn g12_hold_history_is_governance_only_and_validated() {
    let mut s = Suite::new();
    let t0 = s.targets[0].to_string();
    for sender in [
        s.guardians[0].clone(),
        s.timelock.clone(),
        s.executor.clone(),
    ] {
        assert_err(
            s.exec(&sender, &hold(&s, vec![t0.clone()], 1, 1)),
            ContractError::Unauthorized {
                sender: sender.clone(),
                required: "governance".into(),
            },
        );
    }
    let stranger = s.addr("unregistered");
    assert_err(
        s.gov(&hold(&s, vec![t0.clone(), stranger.to_string()], 1, 1)),
        ContractError::TargetNotRegistered {
            target: stranger.clone(),
        },
    );
    // Nothing was forwarded by the refused message (it is atomic).
    assert!(s.target_state(0).holds.is_empty());
    assert_err(s.gov(&hold(&s, vec![], 1, 1)), ContractError::NoTargets {});
    let now = s.time();
    assert_err(
        s.gov(&ExecuteMsg::HoldHistory {
            targets: vec![t0.clone()],
            from_height: 1,
            until: now,
        }),
        ContractError::HoldInPast { until: now },
    );
    let max = now.plus_seconds(MAX_HOLD_SECONDS);
    assert_err(
        s.gov(&ExecuteMsg::HoldHistory {
            targets: vec![t0.clone()],
            from_height: 1,
            until: max.plus_seconds(1),
        }),
        ContractError::HoldTooLong {
            until: max.plus_seconds(1),
            max,
        },
    );
    s.gov(&ExecuteMsg::HoldHistory {
        targets: vec![t0],
        from_height: 1,
        until: max,
    })
    .unwrap();
    assert_eq!(s.target_state(0).holds.len(), 1);
}

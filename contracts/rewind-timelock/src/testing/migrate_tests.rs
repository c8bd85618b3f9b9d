//! Row G7: the timelock migrates through cw2's rule only (same contract, same or newer
//! version), from its wasm admin (governance) only, and keeps every operation, setting and
//! module address as they were.

use cosmwasm_std::{Addr, Empty, HexBinary, StdResult};
use cw2::ContractVersion;
use cw_multi_test::{AppResponse, Contract, ContractWrapper, Executor};
use rewind_testing::release::released_as;
use rewind_types::executor::RestorationState;
use rewind_types::timelock::{
    ConfigResponse, ExecuteMsg, OperationResponse, OperationStatus, OperationsResponse, QueryMsg,
    TimelockSettings,
};
use rewind_types::upgrade::{MigrateMsg, UpgradeError};

use super::suite::{assert_err, attr, Suite, SuiteBuilder, TargetConfig};
use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};

/// This crate's code, with every entry point.
fn code() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            crate::contract::execute,
            crate::contract::instantiate,
            crate::contract::query,
        )
        .with_migrate(crate::contract::migrate),
    )
}

/// A suite whose timelock was instantiated from `old` code (an earlier or foreign release,
/// see `rewind_testing::release`), with governance as its wasm admin.
fn suite_from(old: Box<dyn Contract<Empty>>) -> Suite {
    SuiteBuilder {
        timelock_contract: Some(old),
        ..SuiteBuilder::default().with_targets(vec![TargetConfig::default(); 3])
    }
    .build()
}

/// Stores the new code: this crate's entry points.
fn store_new_code(s: &mut Suite) -> u64 {
    s.app.store_code(code())
}

fn migrate(s: &mut Suite, sender: &Addr, code_id: u64) -> StdResult<AppResponse> {
    s.app.migrate_contract(
        sender.clone(),
        s.timelock.clone(),
        &MigrateMsg::Upgrade {},
        code_id,
    )
}

fn send(s: &mut Suite, sender: &Addr, msg: &ExecuteMsg) -> StdResult<AppResponse> {
    s.app
        .execute_contract(sender.clone(), s.timelock.clone(), msg, &[])
}

/// Everything the timelock answers, plus its cw2 record and code.
#[derive(Debug, PartialEq)]
struct Snapshot {
    config: ConfigResponse,
    operations: OperationsResponse,
    each_operation: Vec<OperationResponse>,
    version: ContractVersion,
    code_id: u64,
}

fn snapshot(s: &Suite) -> Snapshot {
    let q = s.app.wrap();
    let operations: OperationsResponse = q
        .query_wasm_smart(
            &s.timelock,
            &QueryMsg::Operations {
                start_after: None,
                limit: None,
            },
        )
        .unwrap();
    Snapshot {
        config: q
            .query_wasm_smart(&s.timelock, &QueryMsg::Config {})
            .unwrap(),
        each_operation: operations
            .operations
            .iter()
            .map(|o| s.operation(o.id))
            .collect(),
        operations,
        version: cw2::query_contract_info(&q, s.timelock.to_string()).unwrap(),
        code_id: q.query_wasm_contract_info(&s.timelock).unwrap().code_id,
    }
}

/// A restoration of target `i` alone (a target is locked by one operation at a time).
fn spec_of(s: &Suite, i: usize, proposal_id: u64) -> rewind_types::RestorationSpec {
    let mut spec = s.spec(s.height() - 1);
    spec.targets = vec![spec.targets[i].clone()];
    spec.proposal_id = proposal_id;
    spec
}

/// Real state: operation 1 executed (its restoration completed in the executor), 2
/// cancelled, 3 waiting with a guardian's delay, 4 an upgrade waiting; changed settings.
fn build_state(s: &mut Suite) -> TimelockSettings {
    let gov = s.governance.clone();
    let first = s.queue(&spec_of(s, 0, 1)).unwrap();
    s.advance(12 * 3600, 100);
    s.execute_op(first).unwrap();
    while s.restoration(first).state == RestorationState::Running {
        s.crank(None).unwrap();
    }
    for proposal_id in [2, 3] {
        let spec = spec_of(s, proposal_id as usize - 1, proposal_id);
        s.queue(&spec).unwrap();
    }
    send(s, &gov, &ExecuteMsg::Cancel { operation_id: 2 }).unwrap();
    let guardian = s.guardians[0].clone();
    send(s, &guardian, &ExecuteMsg::Cancel { operation_id: 3 }).unwrap();
    send(
        s,
        &gov,
        &ExecuteMsg::QueueUpgrade {
            proposal_id: 4,
            content_hash: HexBinary::from(vec![4; 32]),
        },
    )
    .unwrap();
    let settings = TimelockSettings {
        delay_seconds: 2 * 86400,
        ..SuiteBuilder::default().timelock
    };
    send(s, &gov, &ExecuteMsg::UpdateSettings(settings.clone())).unwrap();
    settings
}

#[test]
fn g7_migrate_keeps_state() {
    let mut s = suite_from(released_as(code(), CONTRACT_NAME, "0.0.1"));
    let settings = build_state(&mut s);
    let before = snapshot(&s);
    assert_eq!(before.version.version, "0.0.1");
    assert_eq!(before.config.settings, settings);
    let statuses: Vec<_> = before
        .operations
        .operations
        .iter()
        .map(|o| o.status)
        .collect();
    use OperationStatus::*;
    assert_eq!(statuses, vec![Executed, Cancelled, Queued, Queued]);

    let new_code = store_new_code(&mut s);
    let gov = s.governance.clone();
    let res = migrate(&mut s, &gov, new_code).unwrap();
    assert_eq!(attr(&res, "action"), "migrate");
    assert_eq!(attr(&res, "from_version"), "0.0.1");
    assert_eq!(attr(&res, "to_version"), CONTRACT_VERSION);

    let after = snapshot(&s);
    assert_eq!(
        after.version,
        ContractVersion {
            contract: CONTRACT_NAME.to_string(),
            version: CONTRACT_VERSION.to_string(),
        }
    );
    assert_eq!(after.code_id, new_code);
    let unchanged = |snap: Snapshot| Snapshot {
        version: before.version.clone(),
        code_id: before.code_id,
        ..snap
    };
    assert_eq!(unchanged(after), before);

    // The new code carries on: the delayed restoration executes at its moved eta, the
    // guardian's delay still counts (no second one), and governance still queues.
    let delayed = s.operation(3);
    let g1 = s.guardians[1].clone();
    assert_err(
        send(&mut s, &g1, &ExecuteMsg::Cancel { operation_id: 3 }),
        ContractError::AlreadyDelayed {
            operation_id: 3,
            delayed_by: s.guardians[0].clone(),
        },
    );
    let now = s.app.block_info();
    s.advance(
        delayed.eta.seconds() - now.time.seconds(),
        delayed.eta_height - now.height,
    );
    s.execute_op(3).unwrap();
    assert_eq!(s.operation(3).status, OperationStatus::Executed);
    assert_eq!(s.restoration(3).state, RestorationState::Running);
    let next = s.queue(&spec_of(&s, 1, 5)).unwrap();
    assert_eq!(next, 5);
    let queued = s.operation(next);
    assert_eq!(
        queued.eta,
        queued.queued_at.plus_seconds(settings.delay_seconds)
    );
}

#[test]
fn g7_migrate_refuses_wrong_name_downgrade_and_non_admin() {
    let cases = [
        (
            released_as(code(), "crates.io:other", "0.0.1"),
            "crates.io:other",
            ContractError::Upgrade(UpgradeError::WrongContract {
                expected: CONTRACT_NAME.to_string(),
                found: "crates.io:other".to_string(),
            }),
        ),
        (
            released_as(code(), CONTRACT_NAME, "9.9.9"),
            "9.9.9",
            ContractError::Upgrade(UpgradeError::Downgrade {
                stored: "9.9.9".to_string(),
                new: CONTRACT_VERSION.to_string(),
            }),
        ),
    ];
    for (old, case, expected) in cases {
        let mut s = suite_from(old);
        build_state(&mut s);
        let before = snapshot(&s);
        let new_code = store_new_code(&mut s);
        let gov = s.governance.clone();
        assert_err(migrate(&mut s, &gov, new_code), expected);
        assert_eq!(snapshot(&s), before, "{case}: state changed");
    }

    // Only the wasm admin (governance) may migrate; the chain refuses anyone else, even
    // the other modules and a guardian.
    let mut s = suite_from(released_as(code(), CONTRACT_NAME, "0.0.1"));
    build_state(&mut s);
    let before = snapshot(&s);
    let new_code = store_new_code(&mut s);
    for sender in [
        s.addr("stranger"),
        s.executor.clone(),
        s.guardian.clone(),
        s.guardians[0].clone(),
    ] {
        assert_err(
            migrate(&mut s, &sender, new_code),
            "Only admin can migrate contract",
        );
        assert_eq!(snapshot(&s), before);
    }
}

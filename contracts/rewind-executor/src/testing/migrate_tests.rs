//! Row G7: the executor migrates through cw2's rule only (same contract, same or newer
//! version), from its wasm admin (governance) only, and keeps every restoration, sweep,
//! setting and module address as they were.

use cosmwasm_std::{Empty, StdResult};
use cw2::ContractVersion;
use cw_multi_test::{AppResponse, Contract, ContractWrapper, Executor};
use rewind_testing::release::released_as;
use rewind_types::executor::{
    ConfigResponse, ExecuteMsg, ExecutorSettings, QueryMsg, RestorationResponse, RestorationState,
    RestorationsResponse, SweepResponse, SweepsResponse,
};
use rewind_types::upgrade::{MigrateMsg, UpgradeError};

use super::suite::{assert_err, attr, Suite, SuiteBuilder};
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
        .with_reply(crate::contract::reply)
        .with_migrate(crate::contract::migrate),
    )
}

/// A suite whose executor was instantiated from `old` code (an earlier or foreign release,
/// see `rewind_testing::release`), with governance as its wasm admin.
fn suite_from(old: Box<dyn Contract<Empty>>) -> Suite {
    SuiteBuilder {
        executor_contract: Some(old),
        ..SuiteBuilder::default()
    }
    .build()
}

/// Stores the new code: this crate's entry points.
fn store_new_code(s: &mut Suite) -> u64 {
    s.app.store_code(code())
}

fn migrate(s: &mut Suite, sender: &cosmwasm_std::Addr, code_id: u64) -> StdResult<AppResponse> {
    s.app.migrate_contract(
        sender.clone(),
        s.executor.clone(),
        &MigrateMsg::Upgrade {},
        code_id,
    )
}

/// Everything the executor answers, plus its cw2 record and code.
#[derive(Debug, PartialEq)]
struct Snapshot {
    config: ConfigResponse,
    restorations: RestorationsResponse,
    each_restoration: Vec<RestorationResponse>,
    sweeps: SweepsResponse,
    each_sweep: Vec<SweepResponse>,
    version: ContractVersion,
    code_id: u64,
}

fn snapshot(s: &Suite) -> Snapshot {
    let q = s.app.wrap();
    let restorations: RestorationsResponse = q
        .query_wasm_smart(
            &s.executor,
            &QueryMsg::Restorations {
                start_after: None,
                limit: None,
            },
        )
        .unwrap();
    let sweeps: SweepsResponse = q
        .query_wasm_smart(
            &s.executor,
            &QueryMsg::Sweeps {
                start_after: None,
                limit: None,
            },
        )
        .unwrap();
    Snapshot {
        config: q
            .query_wasm_smart(&s.executor, &QueryMsg::Config {})
            .unwrap(),
        each_restoration: restorations
            .restorations
            .iter()
            .map(|r| s.restoration(r.id))
            .collect(),
        restorations,
        each_sweep: sweeps
            .sweeps
            .iter()
            .map(|w| {
                q.query_wasm_smart(&s.executor, &QueryMsg::Sweep { id: w.id })
                    .unwrap()
            })
            .collect(),
        sweeps,
        version: cw2::query_contract_info(&q, s.executor.to_string()).unwrap(),
        code_id: q.query_wasm_contract_info(&s.executor).unwrap().code_id,
    }
}

/// Real state: restoration 1 completed, a sweep scheduled after it and one cancelled,
/// restoration 2 running (one crank in), and changed settings.
fn build_state(s: &mut Suite) -> ExecutorSettings {
    let first = s.queue_due();
    s.execute_op(first).unwrap();
    while s.restoration(first).state == RestorationState::Running {
        s.crank(None).unwrap();
    }
    assert_eq!(s.restoration(first).state, RestorationState::Complete);
    let target = s.targets[0].to_string();
    for _ in 0..2 {
        s.gov_exec(&ExecuteMsg::ScheduleSweep {
            target: target.clone(),
            to: None,
        })
        .unwrap();
    }
    s.gov_exec(&ExecuteMsg::CancelSweep { id: 2 }).unwrap();
    let mut spec = s.spec(s.height() - 1);
    spec.proposal_id = 2;
    let second = s.queue(&spec).unwrap();
    s.advance(12 * 3600, 100);
    s.execute_op(second).unwrap();
    s.crank(None).unwrap();
    assert_eq!(s.restoration(second).state, RestorationState::Running);
    let settings = ExecutorSettings {
        default_crank_limit: 50,
        ..crate::settings::default_settings()
    };
    s.gov_exec(&ExecuteMsg::UpdateSettings(settings.clone()))
        .unwrap();
    settings
}

#[test]
fn g7_migrate_keeps_state() {
    let mut s = suite_from(released_as(code(), CONTRACT_NAME, "0.0.1"));
    let settings = build_state(&mut s);
    let before = snapshot(&s);
    assert_eq!(before.version.version, "0.0.1");
    assert_eq!(before.config.settings, settings);
    assert_eq!(before.restorations.restorations.len(), 2);
    assert_eq!(before.sweeps.sweeps.len(), 2);

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

    // The new code carries on: the running restoration completes (50 units a crank now)
    // and releases its target, and governance still governs.
    let second = 2;
    while s.restoration(second).state == RestorationState::Running {
        s.crank(None).unwrap();
    }
    let done = s.restoration(second);
    assert_eq!(done.state, RestorationState::Complete);
    assert!(done.targets.iter().all(|t| t.released));
    assert_eq!(s.mock(0).releases, 2);
    s.gov_exec(&ExecuteMsg::UpdateSettings(
        crate::settings::default_settings(),
    ))
    .unwrap();
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
    // the executor's own modules.
    let mut s = suite_from(released_as(code(), CONTRACT_NAME, "0.0.1"));
    build_state(&mut s);
    let before = snapshot(&s);
    let new_code = store_new_code(&mut s);
    for sender in [s.addr("stranger"), s.timelock.clone(), s.guardian.clone()] {
        assert_err(
            migrate(&mut s, &sender, new_code),
            "Only admin can migrate contract",
        );
        assert_eq!(snapshot(&s), before);
    }
}

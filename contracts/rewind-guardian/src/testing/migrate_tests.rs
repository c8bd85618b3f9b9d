//! Row G7: governance, the wasm admin, migrates the guardian from older code with every
//! piece of state kept; another contract, a downgrade and a sender other than the admin
//! are refused, and leave the state as it was.
//!
//! The "old code" is the real entry points, with an instantiate that then records an older
//! (or foreign) cw2 version: the stored layout has not changed since 0.0.1
//! (`crate::migrations`), so this is exactly what an older deployment holds.

#[allow(unused_imports)]
use super::scopes::*;
use cosmwasm_std::{
    to_json_vec, Binary, ContractResult, Empty, Order, QueryRequest, SystemResult, WasmQuery,
};
use cw_multi_test::{AppResponse, Contract, Executor};
use rewind_testing::release::released_as;
use rewind_testing::SuiteBase;
use rewind_types::guardian::{ExecuteMsg, MigrateMsg, QueryMsg};
use rewind_types::upgrade::UpgradeError;

use super::suite::{assert_err, guardian_contract, Suite, HOUR};
use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};
use crate::policy::default_policy;

/// A suite on old code, with state of every kind: guardians changed, running, ended,
/// early-ended and extended pauses (history, stretches, cooldowns, budgets), a history
/// hold and a restoration lock.
fn suite_with_state(old: Box<dyn Contract<Empty>>) -> Suite {
    let mut s = Suite::build(default_policy(), old);
    let (t0, t1) = (s.targets[0].to_string(), s.targets[1].to_string());
    s.pause(0, 0, TRADE, 10 * HOUR).unwrap();
    s.pause(1, 0, WITHDRAW, 2 * HOUR).unwrap();
    s.pause(0, 1, DEPOSIT, HOUR).unwrap();
    s.advance(HOUR);
    s.end_pause(1, 0, WITHDRAW).unwrap();
    let until = s.time().plus_seconds(20 * HOUR);
    s.gov(&ExecuteMsg::ExtendPause {
        target: t0.clone(),
        scope: TRADE,
        until,
    })
    .unwrap();
    s.advance(2 * HOUR);
    s.add_guardian("guardian3");
    s.pause(2, 1, LIQUIDATE, 3 * HOUR).unwrap();
    let hold_until = s.time().plus_seconds(48 * HOUR);
    s.gov(&ExecuteMsg::HoldHistory {
        targets: vec![t0, t1.clone()],
        from_height: 7,
        until: hold_until,
    })
    .unwrap();
    let timelock = s.timelock.clone();
    let lock_until = s.time().plus_seconds(24 * HOUR);
    s.exec(
        &timelock,
        &ExecuteMsg::SetRestorationLock {
            operation_id: 7,
            targets: vec![t1],
            until: lock_until,
        },
    )
    .unwrap();
    s.advance(HOUR);
    s
}

/// The raw JSON answer of a smart query.
fn raw_query(
    s: &Suite,
    contract: &cosmwasm_std::Addr,
    msg: &impl cosmwasm_schema::serde::Serialize,
) -> Binary {
    let request: QueryRequest<Empty> = QueryRequest::Wasm(WasmQuery::Smart {
        contract_addr: contract.to_string(),
        msg: cosmwasm_std::to_json_binary(msg).unwrap(),
    });
    match s.app.wrap().raw_query(&to_json_vec(&request).unwrap()) {
        SystemResult::Ok(ContractResult::Ok(answer)) => answer,
        other => panic!("query failed: {other:?}"),
    }
}

/// Every query the guardian answers, for every target and guardian, and what the targets
/// stored, as raw JSON.
fn answers(s: &Suite) -> Vec<(String, Binary)> {
    let mut queries = vec![
        QueryMsg::Config {},
        QueryMsg::Guardians {
            start_after: None,
            limit: None,
        },
        QueryMsg::Targets {
            start_after: None,
            limit: None,
        },
    ];
    for (i, target) in s.targets.iter().enumerate() {
        let target = target.to_string();
        queries.extend([
            QueryMsg::Target {
                target: target.clone(),
            },
            QueryMsg::PauseStatus {
                target: target.clone(),
            },
            QueryMsg::PauseHistory {
                target: target.clone(),
                start_before: None,
                limit: None,
            },
            QueryMsg::Budget {
                target: target.clone(),
            },
        ]);
        for guardian in &s.guardians {
            queries.push(QueryMsg::GuardianBudget {
                target: target.clone(),
                guardian: guardian.to_string(),
            });
            if i == 0 {
                queries.push(QueryMsg::IsGuardian {
                    address: guardian.to_string(),
                });
            }
        }
    }
    let mut answers: Vec<(String, Binary)> = queries
        .iter()
        .map(|q| (format!("{q:?}"), raw_query(s, &s.guardian, q)))
        .collect();
    for target in &s.targets {
        let state = rewind_testing::mock_target::MockQueryMsg::State {};
        answers.push((format!("{target} {state:?}"), raw_query(s, target, &state)));
    }
    answers
}

/// The guardian's whole storage.
fn storage(s: &Suite) -> Vec<(Vec<u8>, Vec<u8>)> {
    s.app
        .contract_storage(&s.guardian)
        .range(None, None, Order::Ascending)
        .collect()
}

fn code_id(s: &Suite) -> u64 {
    s.app
        .wrap()
        .query_wasm_contract_info(&s.guardian)
        .unwrap()
        .code_id
}

fn stored_version(s: &Suite) -> cw2::ContractVersion {
    cw2::get_contract_version(&*s.app.contract_storage(&s.guardian)).unwrap()
}

/// Stores this code; returns its id.
fn store_new_code(s: &mut Suite) -> u64 {
    s.app.store_code(guardian_contract())
}

fn migrate(
    s: &mut Suite,
    sender: &cosmwasm_std::Addr,
    code: u64,
) -> cosmwasm_std::StdResult<AppResponse> {
    let guardian = s.guardian.clone();
    s.app
        .migrate_contract(sender.clone(), guardian, &MigrateMsg::Upgrade {}, code)
}

fn attr(res: &AppResponse, key: &str) -> Option<String> {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| &e.attributes)
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

#[test]
fn g7_old_code_migrates_to_this_code_with_every_state_kept_and_pauses_still_work() {
    let mut s = suite_with_state(released_as(guardian_contract(), CONTRACT_NAME, "0.0.1"));
    let admin = s
        .app
        .wrap()
        .query_wasm_contract_info(&s.guardian)
        .unwrap()
        .admin;
    assert_eq!(
        admin,
        Some(s.governance.clone()),
        "governance is the wasm admin"
    );
    let (answers_before, storage_before) = (answers(&s), storage(&s));
    let new_code = store_new_code(&mut s);
    let governance = s.governance.clone();
    let res = migrate(&mut s, &governance, new_code).unwrap();
    assert_eq!(attr(&res, "action").as_deref(), Some("migrate"));
    assert_eq!(attr(&res, "from_version").as_deref(), Some("0.0.1"));
    assert_eq!(attr(&res, "to_version").as_deref(), Some(CONTRACT_VERSION));
    assert_eq!(code_id(&s), new_code);
    assert_eq!(
        stored_version(&s),
        cw2::ContractVersion {
            contract: CONTRACT_NAME.to_string(),
            version: CONTRACT_VERSION.to_string(),
        }
    );
    // Every query answers as before, byte for byte, and nothing but the cw2 record was
    // rewritten (roles, registry, pauses, stretches, budgets, locks).
    assert_eq!(answers(&s), answers_before);
    let cw2_key = b"contract_info".to_vec();
    let without_cw2 = |st: Vec<(Vec<u8>, Vec<u8>)>| -> Vec<_> {
        st.into_iter().filter(|(k, _)| *k != cw2_key).collect()
    };
    assert_eq!(without_cw2(storage(&s)), without_cw2(storage_before));
    // The new code works on the migrated state: a new pause, pushed to the target, with
    // the budget, stretches and exit policy carried over.
    s.pause(1, 0, LIQUIDATE, HOUR).unwrap();
    assert_eq!(
        s.target_pause(0, LIQUIDATE),
        Some(s.time().plus_seconds(HOUR))
    );
    assert_err(
        s.pause(1, 1, WITHDRAW, HOUR),
        ContractError::ExitsNotPausable {
            target: s.targets[1].clone(),
            scope: WITHDRAW,
        },
    );
    assert_err(
        s.pause(0, 1, DEPOSIT, HOUR),
        ContractError::InCooldown {
            target: s.targets[1].clone(),
            action: DEPOSIT,
            until: s.history(1).last().unwrap().end.plus_seconds(24 * HOUR),
        },
    );
    assert_eq!(s.history(0).len(), 3);
}

#[test]
fn g7_another_contract_a_downgrade_or_a_non_admin_is_refused_and_the_state_kept() {
    let wrong_name = ContractError::Upgrade(UpgradeError::WrongContract {
        expected: CONTRACT_NAME.to_string(),
        found: "crates.io:other".to_string(),
    });
    let downgrade = ContractError::Upgrade(UpgradeError::Downgrade {
        stored: "9.9.9".to_string(),
        new: CONTRACT_VERSION.to_string(),
    });
    let cases = [
        (("crates.io:other", "0.0.1"), Some(wrong_name)),
        ((CONTRACT_NAME, "9.9.9"), Some(downgrade)),
        // Right name and version: refused only because the sender is not the admin.
        ((CONTRACT_NAME, "0.0.1"), None),
    ];
    for ((name, version), refusal) in cases {
        let mut s = suite_with_state(released_as(guardian_contract(), name, version));
        let (answers_before, storage_before, code_before) = (answers(&s), storage(&s), code_id(&s));
        let new_code = store_new_code(&mut s);
        let governance = s.governance.clone();
        match refusal {
            Some(err) => assert_err(migrate(&mut s, &governance, new_code), err),
            None => {
                // A guardian, the timelock and the executor are not the admin: the chain
                // refuses them before the guardian's code runs.
                for sender in [
                    s.guardians[0].clone(),
                    s.timelock.clone(),
                    s.executor.clone(),
                ] {
                    assert_err(
                        migrate(&mut s, &sender, new_code),
                        "Only admin can migrate contract",
                    );
                }
            }
        }
        assert_eq!(code_id(&s), code_before);
        assert_eq!(storage(&s), storage_before);
        assert_eq!(answers(&s), answers_before);
        // The old code still runs as before.
        s.pause(1, 0, DEPOSIT, HOUR).unwrap();
    }
}

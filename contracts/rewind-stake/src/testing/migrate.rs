//! `migrate`: an older rewind-stake is upgraded in place by its admin with every stake, its
//! history and the open claims kept; another contract's code, a downgrade and a non-admin
//! are refused (issue 14, item 1).

use cosmwasm_std::Empty;
use cw_multi_test::{Contract, Executor};
use rewind_testing::assert_error;
use rewind_testing::release::released_as;
use rewind_testing::SuiteBase;
use rewind_types::upgrade::{MigrateMsg, UpgradeError};

use super::suite::{instantiate_msg, stake_contract, Suite, DAO, UNBONDING};
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};
use crate::ContractError;

const VAULT: &str = "crates.io:rewind-vault";

/// The current code recording another cw2 name and version, as an older release (or
/// another contract) as far as `migrate` can tell.
fn recorded_as(name: &'static str, version: &'static str) -> Box<dyn Contract<Empty>> {
    released_as(stake_contract(), name, version)
}

/// A suite on `old` code with stakes, an unstake and history, and the current code stored.
fn old_suite(old: Box<dyn Contract<Empty>>) -> (Suite, u64) {
    let mut suite = Suite::with(&["alice", "bob"], 1_000, instantiate_msg, old);
    suite.stake("alice", 300).unwrap();
    suite.stake("bob", 50).unwrap();
    suite.next_block();
    suite.unstake("alice", 100).unwrap();
    suite.next_block();
    let new_code = suite.app.store_code(stake_contract());
    (suite, new_code)
}

fn migrate(
    suite: &mut Suite,
    sender: &str,
    code_id: u64,
) -> Result<cw_multi_test::AppResponse, cosmwasm_std::StdError> {
    let sender = suite.addr(sender);
    let contract = suite.contract.clone();
    suite
        .app
        .migrate_contract(sender, contract, &MigrateMsg::Upgrade {}, code_id)
}

#[test]
fn old_code_migrates_with_stakes_history_and_claims_kept() {
    let (mut suite, new_code) = old_suite(recorded_as(CONTRACT_NAME, "0.0.1"));
    let before_height = suite.height() - 1;
    let claims = suite.claims("alice");
    assert_eq!(claims.claims.len(), 1);

    let response = migrate(&mut suite, DAO, new_code).unwrap();
    assert!(response.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "migrate")
            .add_attribute("from_version", "0.0.1")
            .add_attribute("to_version", CONTRACT_VERSION)
    ));
    let info = cw2::query_contract_info(&suite.app.wrap(), &suite.contract).unwrap();
    assert_eq!(info.version, CONTRACT_VERSION);
    assert_eq!(
        suite
            .app
            .wrap()
            .query_wasm_contract_info(&suite.contract)
            .unwrap()
            .code_id,
        new_code
    );

    // Every stake, its history and the open claims are kept.
    assert_eq!(suite.power("alice", None), 200);
    assert_eq!(suite.power("alice", Some(before_height)), 300);
    assert_eq!(suite.power("bob", None), 50);
    assert_eq!(suite.total(None), 250);
    assert_eq!(suite.claims("alice"), claims);
    assert_eq!(suite.stakers(None, None).stakers.len(), 2);

    // The new code works on the kept state.
    suite.stake("bob", 25).unwrap();
    suite.advance_by(UNBONDING, 1);
    suite.claim("alice").unwrap();
    assert_eq!(suite.balance("alice"), 800);
    assert_eq!(suite.power("bob", None), 75);
}

#[test]
fn the_same_version_migrates_again() {
    let (mut suite, new_code) = old_suite(stake_contract());
    migrate(&mut suite, DAO, new_code).unwrap();
    assert_eq!(suite.power("alice", None), 200);
}

#[test]
fn another_contracts_code_is_refused() {
    let (mut suite, new_code) = old_suite(recorded_as(VAULT, "0.0.1"));
    assert_error(
        migrate(&mut suite, DAO, new_code),
        ContractError::Upgrade(UpgradeError::WrongContract {
            expected: CONTRACT_NAME.into(),
            found: VAULT.into(),
        }),
    );
    assert_eq!(suite.power("alice", None), 200);
}

#[test]
fn a_downgrade_is_refused() {
    let (mut suite, new_code) = old_suite(recorded_as(CONTRACT_NAME, "9.9.9"));
    assert_error(
        migrate(&mut suite, DAO, new_code),
        ContractError::Upgrade(UpgradeError::Downgrade {
            stored: "9.9.9".into(),
            new: CONTRACT_VERSION.into(),
        }),
    );
    let info = cw2::query_contract_info(&suite.app.wrap(), &suite.contract).unwrap();
    assert_eq!(info.version, "9.9.9");
}

#[test]
fn a_non_admin_cannot_migrate() {
    let (mut suite, new_code) = old_suite(recorded_as(CONTRACT_NAME, "0.0.1"));
    let err = migrate(&mut suite, "alice", new_code).unwrap_err();
    assert!(
        err.to_string().contains("Only admin can migrate contract"),
        "{err}"
    );
    let info = cw2::query_contract_info(&suite.app.wrap(), &suite.contract).unwrap();
    assert_eq!(info.version, "0.0.1");
}

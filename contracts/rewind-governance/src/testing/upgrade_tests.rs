//! `ProposeUpgrade` / `ApplyUpgrade` (row G7): a voted migration of a core contract waits in
//! the timelock, is re-checked when due, and runs with governance as the wasm admin.

use cosmwasm_std::{to_json_binary, HexBinary};
use cw_multi_test::Executor;
use rewind_testing::assert_error;
use rewind_testing::SuiteBase;
use rewind_types::governance::{
    ConfigResponse, CoreModule, ExecuteMsg, ProposalKind, ProposalStatus, QueryMsg, UpgradeModule,
    VoteOption,
};
use rewind_types::timelock::{self, OperationResponse};
use rewind_types::upgrade::MigrateMsg;

use super::suite::{governance_contract, suite_with_power, Suite, NORMAL_PERIOD};
use crate::ContractError;

fn checksum(suite: &Suite, code_id: u64) -> HexBinary {
    HexBinary::from(
        suite
            .app
            .wrap()
            .query_wasm_code_info(code_id)
            .unwrap()
            .checksum
            .as_slice(),
    )
}

fn upgrade_msg(module: CoreModule, code_id: u64, checksum: HexBinary) -> ExecuteMsg {
    ExecuteMsg::ProposeUpgrade {
        title: "fix".into(),
        description: "a voted fix".into(),
        upgrade: UpgradeModule {
            module,
            code_id,
            checksum,
            msg: to_json_binary(&MigrateMsg::Upgrade {}).unwrap(),
        },
    }
}

/// Proposes, votes and closes an upgrade of governance itself to a second copy of its code.
fn passed_self_upgrade(suite: &mut Suite) -> (u64, u64) {
    let new_code = suite.app.store_code(governance_contract());
    let msg = upgrade_msg(CoreModule::Governance, new_code, checksum(suite, new_code));
    let id = suite.propose("proposer", &msg).unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    (id, new_code)
}

#[test]
fn g7_upgrade_waits_in_the_timelock_then_migrates_governance_itself() {
    let mut suite = suite_with_power();
    let before: ConfigResponse = suite.query(&QueryMsg::Config {});
    let old_code = suite
        .app
        .wrap()
        .query_wasm_contract_info(&suite.gov)
        .unwrap()
        .code_id;
    let (id, new_code) = passed_self_upgrade(&mut suite);
    let proposal = suite.proposal(id);
    assert_eq!(proposal.status, ProposalStatus::Executed);
    assert!(matches!(proposal.kind, ProposalKind::Upgrade(_)));
    let operation_id = proposal.operation_id.expect("queued in the timelock");
    // Queued, not run: governance still has its old code.
    let info = suite
        .app
        .wrap()
        .query_wasm_contract_info(&suite.gov)
        .unwrap();
    assert_eq!(info.code_id, old_code);
    let op: OperationResponse = suite
        .app
        .wrap()
        .query_wasm_smart(
            &suite.timelock,
            &timelock::QueryMsg::Operation { operation_id },
        )
        .unwrap();
    assert_eq!(op.upgrade_proposal_id, Some(id));
    assert_eq!(op.spec, None);
    // The timelock executes it: governance re-checks and migrates itself.
    let anyone = suite.addr("bob");
    suite
        .app
        .execute_contract(
            anyone,
            suite.timelock.clone(),
            &timelock::ExecuteMsg::Execute { operation_id },
            &[],
        )
        .unwrap();
    let info = suite
        .app
        .wrap()
        .query_wasm_contract_info(&suite.gov)
        .unwrap();
    assert_eq!(info.code_id, new_code);
    let after: ConfigResponse = suite.query(&QueryMsg::Config {});
    assert_eq!(after, before, "configuration and modules kept");
    assert_eq!(suite.proposal(id).status, ProposalStatus::Executed);
}

#[test]
fn g7_upgrade_refuses_a_wrong_checksum_and_a_module_governance_does_not_administer() {
    let mut suite = suite_with_power();
    let new_code = suite.app.store_code(governance_contract());
    let wrong = checksum(&suite, suite.codes.target);
    assert_error(
        suite.propose(
            "proposer",
            &upgrade_msg(CoreModule::Governance, new_code, wrong.clone()),
        ),
        ContractError::ChecksumMismatch {
            code_id: new_code,
            expected: wrong,
            actual: checksum(&suite, new_code),
        },
    );
    // The test's voting module was instantiated without an admin.
    let right = checksum(&suite, new_code);
    assert_error(
        suite.propose(
            "proposer",
            &upgrade_msg(CoreModule::VotingModule, new_code, right),
        ),
        ContractError::GovernanceNotAdmin {
            contract: suite.voting.to_string(),
            admin: None,
        },
    );
}

#[test]
fn g7_apply_upgrade_only_from_the_timelock_with_the_voted_hash() {
    let mut suite = suite_with_power();
    let (id, _) = passed_self_upgrade(&mut suite);
    let proposal = suite.proposal(id);
    let ProposalKind::Upgrade(upgrade) = proposal.kind else {
        panic!("an upgrade proposal");
    };
    let hash = upgrade.content_hash().unwrap();
    let stranger = suite.addr("bob");
    assert_error(
        suite.app.execute_contract(
            stranger,
            suite.gov.clone(),
            &ExecuteMsg::ApplyUpgrade {
                proposal_id: id,
                content_hash: hash.clone(),
            },
            &[],
        ),
        ContractError::Unauthorized {},
    );
    let forged = HexBinary::from(vec![7u8; 32]);
    assert_error(
        suite.app.execute_contract(
            suite.timelock.clone(),
            suite.gov.clone(),
            &ExecuteMsg::ApplyUpgrade {
                proposal_id: id,
                content_hash: forged.clone(),
            },
            &[],
        ),
        ContractError::UpgradeHashMismatch {
            id,
            expected: forged,
            actual: hash.clone(),
        },
    );
    // A proposal that is not an upgrade is refused even from the timelock.
    let h = suite.height();
    let other = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    assert_error(
        suite.app.execute_contract(
            suite.timelock.clone(),
            suite.gov.clone(),
            &ExecuteMsg::ApplyUpgrade {
                proposal_id: other,
                content_hash: hash,
            },
            &[],
        ),
        ContractError::NotAQueuedUpgrade { id: other },
    );
}

#[test]
fn g7_a_non_admin_cannot_migrate_governance() {
    let mut suite = suite_with_power();
    let new_code = suite.app.store_code(governance_contract());
    let stranger = suite.addr("bob");
    assert!(suite
        .app
        .migrate_contract(
            stranger,
            suite.gov.clone(),
            &MigrateMsg::Upgrade {},
            new_code
        )
        .is_err());
    let info = suite
        .app
        .wrap()
        .query_wasm_contract_info(&suite.gov)
        .unwrap();
    assert_ne!(info.code_id, new_code);
}

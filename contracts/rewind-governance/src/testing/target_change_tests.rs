//! Parameter changes that act on a target: `UpgradeTarget` (a voted code upgrade through
//! the executor) and `ConfigureTarget` (the vault's `UpdateConfig`), rows G6, R6.

use cosmwasm_std::{from_json, HexBinary};
use rewind_testing::assert_error;
use rewind_testing::SuiteBase;
use rewind_types::governance::{ParameterChange, ProposalStatus, VoteOption};
use rewind_types::vault::VaultConfigUpdate;
use rewind_types::{executor, PinnedCode};

use super::suite::{Suite, SuiteBuilder, NORMAL_PERIOD};
use crate::execute::target_changes::check_track;
use crate::ContractError;

fn suite() -> Suite {
    let mut suite = SuiteBuilder::new().build();
    for (name, p) in [("alice", 400), ("bob", 300), ("carol", 200)] {
        suite.set_power(name, p);
    }
    suite.advance_blocks(10);
    suite
}

fn pinned(suite: &Suite, code_id: u64) -> PinnedCode {
    let checksum = suite
        .app
        .wrap()
        .query_wasm_code_info(code_id)
        .unwrap()
        .checksum;
    PinnedCode {
        code_id,
        checksum: HexBinary::from(checksum.as_slice()),
    }
}

fn upgrade(suite: &Suite, new_code: PinnedCode) -> ParameterChange {
    ParameterChange::UpgradeTarget {
        contract: suite.targets[0].to_string(),
        new_code,
    }
}

fn executor_msgs(suite: &Suite) -> Vec<executor::ExecuteMsg> {
    suite
        .received(&suite.executor)
        .iter()
        .map(|(_, m)| from_json(m).unwrap())
        .collect()
}

#[test]
fn upgrade_target_is_voted_on_the_normal_track_and_sends_the_executor_upgrade() {
    let mut suite = suite();
    let new_code = pinned(&suite, suite.codes.alt_target);
    let id = suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![upgrade(&suite, new_code.clone())]),
        )
        .unwrap();
    let p = suite.proposal(id);
    assert!(!p.expedited && p.fallback_rules.is_none());
    assert_eq!(
        p.end_time,
        p.start_time.plus_seconds(NORMAL_PERIOD),
        "a code upgrade gets the full normal voting period"
    );
    // Everyone votes yes at once: it still cannot apply before the normal period ends.
    for who in ["alice", "bob", "carol"] {
        suite.vote(who, id, VoteOption::Yes).unwrap();
    }
    assert_error(
        suite.close(id),
        ContractError::VotingOpen {
            id,
            ends: p.end_time,
        },
    );
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    assert_eq!(suite.proposal(id).status, ProposalStatus::Executed);
    assert_eq!(
        executor_msgs(&suite).last(),
        Some(&executor::ExecuteMsg::Upgrade {
            contract: suite.targets[0].to_string(),
            code_id: new_code.code_id,
            checksum: new_code.checksum,
        })
    );
}

#[test]
fn g6_upgrade_target_with_a_wrong_checksum_or_target_is_refused_at_proposal() {
    let mut suite = suite();
    let right = pinned(&suite, suite.codes.alt_target);
    let wrong = PinnedCode {
        code_id: suite.codes.alt_target,
        checksum: pinned(&suite, suite.codes.governance).checksum,
    };
    assert_error(
        suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![upgrade(&suite, wrong.clone())]),
        ),
        ContractError::ChecksumMismatch {
            code_id: suite.codes.alt_target,
            expected: wrong.checksum,
            actual: right.checksum.clone(),
        },
    );
    let stranger = suite.addr("not-a-target").to_string();
    assert_error(
        suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::UpgradeTarget {
                contract: stranger.clone(),
                new_code: right,
            }]),
        ),
        ContractError::TargetNotRegistered { target: stranger },
    );
}

#[test]
fn r6_a_refused_upgrade_fails_the_whole_proposal() {
    let mut suite = suite();
    let new_code = pinned(&suite, suite.codes.alt_target);
    let changes = vec![
        ParameterChange::UpdateGuardians {
            add: vec![suite.addr("guardian-2").to_string()],
            remove: vec![],
        },
        upgrade(&suite, new_code),
    ];
    let id = suite
        .propose("proposer", &Suite::parameters_msg(changes))
        .unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    let before = executor_msgs(&suite).len();
    let executor = suite.executor.clone();
    suite.set_module_fail(&executor, true);
    suite.close(id).unwrap();
    assert_eq!(suite.proposal(id).status, ProposalStatus::ExecutionFailed);
    assert_eq!(executor_msgs(&suite).len(), before);
}

#[test]
fn upgrade_target_is_refused_in_an_expedited_context() {
    let suite = suite();
    let changes = vec![upgrade(&suite, pinned(&suite, suite.codes.alt_target))];
    assert_eq!(
        check_track(7, true, &changes),
        Err(ContractError::UpgradeNotOnNormalTrack { id: 7 })
    );
    assert_eq!(check_track(7, false, &changes), Ok(()));
    let other = vec![ParameterChange::CancelOperation { operation_id: 1 }];
    assert_eq!(check_track(7, true, &other), Ok(()));
}

#[test]
fn configure_target_is_validated_at_proposal() {
    let mut suite = suite();
    let target = suite.targets[0].to_string();
    let configure = |config: VaultConfigUpdate| ParameterChange::ConfigureTarget {
        contract: target.clone(),
        config,
    };
    assert_error(
        suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![configure(VaultConfigUpdate::default())]),
        ),
        ContractError::EmptyTargetConfig {
            target: target.clone(),
        },
    );
    assert_error(
        suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![configure(VaultConfigUpdate {
                retention_blocks: Some(0),
                ..VaultConfigUpdate::default()
            })]),
        ),
        ContractError::ZeroDuration {
            field: "retention_blocks".into(),
        },
    );
    let bad_addr = rewind_testing::contract_error_text(
        &cosmwasm_std::Api::addr_validate(suite.app.api(), "Not An Address").unwrap_err(),
    );
    assert_error(
        suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![configure(VaultConfigUpdate {
                feeder: Some("Not An Address".into()),
                ..VaultConfigUpdate::default()
            })]),
        ),
        bad_addr,
    );
    let stranger = suite.addr("not-a-target").to_string();
    assert_error(
        suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::ConfigureTarget {
                contract: stranger.clone(),
                config: VaultConfigUpdate {
                    retention_blocks: Some(5_000),
                    ..VaultConfigUpdate::default()
                },
            }]),
        ),
        ContractError::TargetNotRegistered { target: stranger },
    );
}

#[test]
fn r6_configure_target_sends_update_config_and_a_refusal_fails_the_proposal() {
    let mut suite = suite();
    let id = suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::ConfigureTarget {
                contract: suite.targets[0].to_string(),
                config: VaultConfigUpdate {
                    retention_blocks: Some(5_000),
                    ..VaultConfigUpdate::default()
                },
            }]),
        )
        .unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    // The mock target has no `UpdateConfig`: it refuses the typed message, and the whole
    // proposal fails (the real vault applies it: tests/integration target_upgrade.rs).
    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::ExecutionFailed);
    let error = p.execution_error.unwrap();
    assert!(error.contains("update_config"), "{error}");
}

fn sweep_frozen(suite: &Suite, to: Option<String>) -> ParameterChange {
    ParameterChange::SweepFrozen {
        target: suite.targets[0].to_string(),
        to,
    }
}

/// Row G10: a sweep of frozen funds is a normal-track parameter proposal; when it passes,
/// governance sends the executor's timelocked `ScheduleSweep` (and only then), and a
/// `CancelSweep` proposal sends the executor's `CancelSweep`.
#[test]
fn g10_sweep_frozen_is_voted_then_scheduled_through_the_executor() {
    let mut suite = suite();
    let treasury = suite.addr("treasury").to_string();
    let id = suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![sweep_frozen(&suite, Some(treasury.clone()))]),
        )
        .unwrap();
    let p = suite.proposal(id);
    assert!(!p.expedited);
    assert_eq!(p.end_time, p.start_time.plus_seconds(NORMAL_PERIOD));
    let before = executor_msgs(&suite).len();
    for who in ["alice", "bob", "carol"] {
        suite.vote(who, id, VoteOption::Yes).unwrap();
    }
    assert_error(
        suite.close(id),
        ContractError::VotingOpen {
            id,
            ends: p.end_time,
        },
    );
    assert_eq!(
        executor_msgs(&suite).len(),
        before,
        "nothing before the vote ends"
    );
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    assert_eq!(suite.proposal(id).status, ProposalStatus::Executed);
    assert_eq!(
        executor_msgs(&suite).last(),
        Some(&executor::ExecuteMsg::ScheduleSweep {
            target: suite.targets[0].to_string(),
            to: Some(treasury),
        })
    );
    let id = suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::CancelSweep { id: 1 }]),
        )
        .unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    assert_eq!(
        executor_msgs(&suite).last(),
        Some(&executor::ExecuteMsg::CancelSweep { id: 1 })
    );
}

/// Row G10: the target must be registered and a named recipient a valid address, at
/// proposal; a rejected sweep sends nothing.
#[test]
fn g10_sweep_frozen_is_validated_at_proposal_and_rejected_sends_nothing() {
    let mut suite = suite();
    let stranger = suite.addr("not-a-target").to_string();
    assert_error(
        suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::SweepFrozen {
                target: stranger.clone(),
                to: None,
            }]),
        ),
        ContractError::TargetNotRegistered { target: stranger },
    );
    let err = suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![sweep_frozen(&suite, Some("not an address".into()))]),
        )
        .unwrap_err();
    assert!(err.to_string().contains("not an address"), "{err}");
    let id = suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![sweep_frozen(&suite, None)]),
        )
        .unwrap();
    let before = executor_msgs(&suite).len();
    for who in ["alice", "bob"] {
        suite.vote(who, id, VoteOption::Reject).unwrap();
    }
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    assert_eq!(suite.proposal(id).status, ProposalStatus::Closed);
    assert_eq!(executor_msgs(&suite).len(), before);
}

/// Row G10: like a code upgrade, a sweep may not apply from an expedited context.
#[test]
fn g10_sweep_frozen_is_refused_in_an_expedited_context() {
    let suite = suite();
    let changes = vec![sweep_frozen(&suite, None)];
    assert_eq!(
        check_track(7, true, &changes),
        Err(ContractError::SweepNotOnNormalTrack { id: 7 })
    );
    assert_eq!(check_track(7, false, &changes), Ok(()));
}

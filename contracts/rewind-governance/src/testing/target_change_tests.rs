//! Parameter changes that act on a target: `UpgradeTarget` (a voted code upgrade through
//! the executor) and `ConfigureTarget` (the target's own configuration JSON, checked by the
//! target at proposal and applied through the executor), rows G6, R6. The target is the
//! shared mock, with its own `MockConfig`: no vault type here.

use cosmwasm_std::{from_json, Addr, Binary, HexBinary, StdError};
use cw_multi_test::Executor;
use rewind_testing::mock_target::{
    MockConfig, MockExecuteMsg, MockQueryMsg, MockState, EMPTY_LABEL, MOCK_CONFIGURE_REFUSAL,
};
use rewind_testing::SuiteBase;
use rewind_testing::{assert_err, assert_error};
use rewind_types::governance::{
    ExecuteMsg, ParameterChange, ProposalKind, ProposalStatus, QueryMsg, ScheduledSpecResponse,
    VoteOption,
};
use rewind_types::{executor, timelock, PinnedCode};

use super::suite::{Suite, SuiteBuilder, NORMAL_PERIOD};
use crate::execute::target_changes::{check_config, check_track};
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

fn configure(suite: &Suite, config: Binary) -> ParameterChange {
    ParameterChange::ConfigureTarget {
        contract: suite.targets[0].to_string(),
        config,
    }
}

fn mock_state(suite: &Suite, target: &Addr) -> MockState {
    suite
        .app
        .wrap()
        .query_wasm_smart(target, &MockQueryMsg::State {})
        .unwrap()
}

fn pass(suite: &mut Suite, changes: Vec<ParameterChange>) -> u64 {
    let id = suite
        .propose("proposer", &Suite::parameters_msg(changes))
        .unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    id
}

/// The target's refusal, as `InvalidTargetConfig` carries it.
fn refused(target: &Addr, reason: &str) -> ContractError {
    ContractError::InvalidTargetConfig {
        contract: target.to_string(),
        reason: StdError::msg(reason).to_string(),
    }
}

#[test]
fn configure_target_is_checked_by_the_target_at_proposal() {
    let mut suite = suite();
    let target = suite.targets[0].clone();
    // The target refuses its own rule (an empty label) and a shape that is not its own.
    // (`assert_err`: the target's reason has an "error: " of its own.)
    assert_err(
        suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![configure(&suite, MockConfig::label(""))]),
        ),
        refused(&target, EMPTY_LABEL),
    );
    let foreign = Binary::from(br#"{"retention_blocks":5000}"#.to_vec());
    let err = suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![configure(&suite, foreign)]),
        )
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(&format!("target {target} refuses the configuration"))
            && text.contains("unknown field"),
        "{text}"
    );
    let stranger = suite.addr("not-a-target").to_string();
    assert_error(
        suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::ConfigureTarget {
                contract: stranger.clone(),
                config: MockConfig::label("x"),
            }]),
        ),
        ContractError::TargetNotRegistered { target: stranger },
    );
    // Nothing was configured by a check.
    assert!(mock_state(&suite, &target).configs.is_empty());
    suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![configure(&suite, MockConfig::label("ok"))]),
        )
        .unwrap();
}

#[test]
fn a_target_that_cannot_answer_check_config_refuses_the_configuration() {
    let deps = cosmwasm_std::testing::mock_dependencies();
    let contract = deps.api.addr_make("no-check-config");
    let err = check_config(deps.as_ref(), &contract, &MockConfig::label("x")).unwrap_err();
    match err {
        ContractError::InvalidTargetConfig {
            contract: c,
            reason,
        } => {
            assert_eq!(c, contract.to_string());
            assert!(reason.starts_with("CheckConfig failed: "), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn configure_target_is_applied_through_the_executor_at_close() {
    let mut suite = suite();
    let target = suite.targets[0].clone();
    let change = configure(&suite, MockConfig::label("rotated"));
    let id = pass(&mut suite, vec![change]);
    assert_eq!(suite.proposal(id).status, ProposalStatus::Executed);
    assert_eq!(
        executor_msgs(&suite).last(),
        Some(&executor::ExecuteMsg::Configure {
            contract: target.to_string(),
            config: MockConfig::label("rotated"),
        })
    );
    // The executor (its wasm admin) migrated it with `Configure`: the target's state changed.
    assert_eq!(
        mock_state(&suite, &target).label.as_deref(),
        Some("rotated")
    );
}

#[test]
fn r6_a_configuration_the_target_refuses_at_close_fails_the_whole_proposal() {
    let mut suite = suite();
    let target = suite.targets[0].clone();
    let other = suite.targets[1].clone();
    let changes = vec![
        ParameterChange::UpdateGuardians {
            add: vec![suite.addr("guardian-2").to_string()],
            remove: vec![],
        },
        ParameterChange::ConfigureTarget {
            contract: other.to_string(),
            config: MockConfig::label("other"),
        },
        configure(&suite, MockConfig::label("fine at proposal")),
    ];
    let id = suite
        .propose("proposer", &Suite::parameters_msg(changes))
        .unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    // Between the vote and the close the target's state changed: it now refuses the
    // configuration it accepted at proposal. The proposal fails as a whole.
    let guardian_before = suite.received(&suite.guardian).len();
    let executor_before = executor_msgs(&suite).len();
    suite
        .app
        .execute_contract(
            suite.addr("dave"),
            target.clone(),
            &MockExecuteMsg::RefuseConfigure { refuse: true },
            &[],
        )
        .unwrap();
    suite.close(id).unwrap();
    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::ExecutionFailed);
    let error = p.execution_error.unwrap();
    assert!(error.contains(MOCK_CONFIGURE_REFUSAL), "{error}");
    assert_eq!(
        mock_state(&suite, &other).label,
        None,
        "reverted with the rest"
    );
    assert_eq!(mock_state(&suite, &target).label, None);
    assert_eq!(suite.received(&suite.guardian).len(), guardian_before);
    assert_eq!(executor_msgs(&suite).len(), executor_before);
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

// ---------------------------------------------------------------- post-restore configuration

/// A restoration of targets 0 and 1 at `height`, target 0 carrying `config`.
fn restoration_with_config(suite: &Suite, height: u64, config: Option<Binary>) -> ExecuteMsg {
    let mut msg = suite.restoration_msg_for(&[0, 1], &[height]);
    if let ExecuteMsg::ProposeRestoration { targets, .. } = &mut msg {
        targets[0].post_restore_config = config;
    }
    msg
}

#[test]
fn r14_a_post_restore_config_the_target_refuses_refuses_the_restoration_proposal() {
    let mut suite = super::suite::suite_with_power();
    let h = suite.height();
    let target = suite.targets[0].clone();
    assert_err(
        suite.propose(
            "proposer",
            &restoration_with_config(&suite, h - 1, Some(MockConfig::label(""))),
        ),
        refused(&target, EMPTY_LABEL),
    );
    assert_err(
        suite.propose(
            "proposer",
            &restoration_with_config(&suite, h - 1, Some(Binary::from(b"[1]".to_vec()))),
        ),
        format!("target {target} refuses the configuration"),
    );
    assert!(mock_state(&suite, &target).configs.is_empty());
}

#[test]
fn r14_a_post_restore_config_is_carried_into_the_spec_and_its_content_hash() {
    let mut suite = super::suite::suite_with_power();
    let h = suite.height();
    let config = MockConfig::label("new guardian");
    let id = suite
        .propose(
            "proposer",
            &restoration_with_config(&suite, h - 1, Some(config.clone())),
        )
        .unwrap();
    let ProposalKind::Restoration { targets, .. } = suite.proposal(id).kind else {
        panic!("a restoration");
    };
    assert_eq!(targets[0].post_restore_config, Some(config.clone()));
    assert_eq!(targets[1].post_restore_config, None);
    suite
        .vote("alice", id, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    let scheduled: ScheduledSpecResponse =
        suite.query(&QueryMsg::ScheduledSpec { proposal_id: id });
    assert_eq!(scheduled.spec.targets[0].post_restore_config, Some(config));
    assert_eq!(scheduled.spec.targets[1].post_restore_config, None);
    assert_eq!(
        scheduled.content_hash,
        scheduled.spec.content_hash().unwrap()
    );
    // What the timelock queued is that spec: the config is covered by the stored hash.
    let queued: timelock::ExecuteMsg =
        from_json(&suite.received(&suite.timelock).last().unwrap().1).unwrap();
    assert_eq!(
        queued,
        timelock::ExecuteMsg::Queue {
            spec: scheduled.spec.clone(),
            content_hash: scheduled.content_hash.clone(),
            veto_window_seconds: None,
        }
    );
    let mut without = scheduled.spec;
    without.targets[0].post_restore_config = None;
    assert_ne!(without.content_hash().unwrap(), scheduled.content_hash);
}

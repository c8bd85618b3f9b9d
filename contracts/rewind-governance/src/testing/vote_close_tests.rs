//! Votes, tracks, tally outcomes, deposits and close (G4, G5, G6, G8, G11, R6, D2).

use cosmwasm_std::{from_json, Addr, Decimal, Uint128};
use rewind_testing::assert_error;
use rewind_testing::mock_target::MockExecuteMsg;
use rewind_testing::SuiteBase;
use rewind_types::governance::{
    ExecuteMsg, ParameterChange, ProposalStatus, ProposalsResponse, QueryMsg,
    ScheduledSpecResponse, TargetRegistration, TargetsResponse, VoteOption, VotesResponse,
};
use rewind_types::{guardian, timelock, RestorationSpec, RestorationTarget, ShortfallPolicy};

use super::suite::{Suite, SuiteBuilder, DEPOSIT, EXPEDITED_PERIOD, NORMAL_PERIOD, TARGET_NAME};
use crate::ContractError;

fn suite_with(
    edit: impl FnOnce(&mut rewind_types::governance::GovernanceConfigInput) + 'static,
) -> Suite {
    let mut suite = SuiteBuilder::new().with_config(edit).build();
    for (name, p) in [
        ("alice", 400),
        ("bob", 300),
        ("carol", 200),
        ("erin", 100),
        ("proposer", super::suite::PROPOSER_POWER),
    ] {
        suite.set_power(name, p);
    }
    suite.advance_blocks(10);
    suite
}

fn suite() -> Suite {
    suite_with(|_| {})
}

fn expedite(msg: &mut ExecuteMsg) {
    if let ExecuteMsg::ProposeRestoration { expedited, .. } = msg {
        *expedited = true;
    }
}

#[test]
fn vote_options_must_fit_the_proposal() {
    let mut suite = suite();
    let h = suite.height();
    let r = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    assert_error(
        suite.vote("alice", r, VoteOption::Yes),
        ContractError::InvalidVoteOption {
            option: "Yes".into(),
        },
    );
    assert_error(
        suite.vote("alice", r, VoteOption::Candidate { height: h - 2 }),
        ContractError::InvalidVoteOption {
            option: format!("Candidate {{ height: {} }}", h - 2),
        },
    );
    let p = suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::CancelOperation { operation_id: 9 }]),
        )
        .unwrap();
    assert_error(
        suite.vote("alice", p, VoteOption::Candidate { height: h - 1 }),
        ContractError::InvalidVoteOption {
            option: format!("Candidate {{ height: {} }}", h - 1),
        },
    );
    assert_error(
        suite.vote("alice", 99, VoteOption::Yes),
        ContractError::ProposalNotFound { id: 99 },
    );
}

#[test]
fn revoting_is_refused_unless_allowed() {
    let mut suite = suite();
    let h = suite.height();
    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    suite.vote("alice", id, VoteOption::Reject).unwrap();
    assert_error(
        suite.vote("alice", id, VoteOption::Abstain),
        ContractError::AlreadyVoted { id },
    );

    let mut suite = suite_with(|c| c.allow_revoting = true);
    let h = suite.height();
    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    suite.vote("alice", id, VoteOption::Reject).unwrap();
    suite
        .vote("alice", id, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    let t = suite.proposal(id).tally;
    assert_eq!(
        (t.reject, t.for_options[0]),
        (Uint128::zero(), Uint128::new(400))
    );
    suite.advance_time(NORMAL_PERIOD);
    assert_error(
        suite.vote("alice", id, VoteOption::Reject),
        ContractError::VotingClosed { id },
    );
}

#[test]
fn g4_restorations_never_pass_early() {
    let mut suite = suite();
    let h = suite.height();
    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    for v in ["alice", "bob", "carol", "erin"] {
        suite
            .vote(v, id, VoteOption::Candidate { height: h - 1 })
            .unwrap();
    }
    assert_eq!(suite.proposal(id).status, ProposalStatus::Open);
    let ends = suite.proposal(id).end_time;
    assert_error(suite.close(id), ContractError::VotingOpen { id, ends });
    suite.advance_time(NORMAL_PERIOD - 1);
    assert_eq!(suite.proposal(id).status, ProposalStatus::Open);
    assert_eq!(suite.proposal(id).seconds_left, 1);
    suite.advance_time(1);
    assert_eq!(suite.proposal(id).status, ProposalStatus::Passed);
    assert_eq!(suite.proposal(id).seconds_left, 0);
}

#[test]
fn g6_passed_restoration_is_queued_with_the_content_hash_of_what_was_voted() {
    let mut suite = suite();
    let h = suite.height();
    let id = suite
        .propose(
            "proposer",
            &suite.restoration_msg_for(&[0, 1], &[h - 1, h - 4]),
        )
        .unwrap();
    suite
        .vote("alice", id, VoteOption::Candidate { height: h - 4 })
        .unwrap();
    suite
        .vote("bob", id, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    suite
        .vote("carol", id, VoteOption::Candidate { height: h - 4 })
        .unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();

    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::Executed);
    assert_eq!(p.winning_height, Some(h - 4));
    assert_eq!(p.operation_id, Some(1));
    assert_eq!(suite.balance("proposer"), 1_000_000, "deposit refunded");

    let checksum = cosmwasm_std::HexBinary::from(
        suite
            .app
            .wrap()
            .query_wasm_code_info(suite.codes.target)
            .unwrap()
            .checksum
            .as_slice(),
    );
    let expected = RestorationSpec {
        proposal_id: id,
        height: h - 4,
        targets: (0..2)
            .map(|i| RestorationTarget {
                contract: suite.targets[i].clone(),
                contract_name: TARGET_NAME.into(),
                code_id: suite.codes.target,
                checksum: checksum.clone(),
                expected_digest: Suite::digest(h - 4),
                post_restore_config: None,
            })
            .collect(),
        exclusions: vec![suite.addr("attacker")],
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
    };
    let scheduled: ScheduledSpecResponse =
        suite.query(&QueryMsg::ScheduledSpec { proposal_id: id });
    assert_eq!(scheduled.spec, expected);
    assert_eq!(scheduled.content_hash, expected.content_hash().unwrap());
    let received = suite.received(&suite.timelock);
    let queued: timelock::ExecuteMsg = from_json(&received.last().unwrap().1).unwrap();
    assert_eq!(
        queued,
        timelock::ExecuteMsg::Queue {
            spec: expected.clone(),
            content_hash: expected.content_hash().unwrap(),
            veto_window_seconds: None,
        }
    );
    assert_error(suite.close(id), ContractError::AlreadyClosed { id });
}

fn pass(suite: &mut Suite, id: u64, height: u64) {
    suite
        .vote("alice", id, VoteOption::Candidate { height })
        .unwrap();
}

fn attr(res: &cw_multi_test::AppResponse, key: &str) -> Option<String> {
    res.events
        .iter()
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

fn active(suite: &Suite, target: usize) -> Option<u64> {
    let t: TargetsResponse = suite.query(&QueryMsg::Targets {
        start_after: None,
        limit: None,
    });
    t.targets
        .into_iter()
        .find(|t| t.contract == suite.targets[target])
        .and_then(|t| t.active_proposal)
}

/// A restoration can fail at execution before its target starts restoring (it refused the
/// height): the target's `restoring` flag is clear, but the executor holds the Failed
/// restoration until it is retried or aborted, so the target stays reserved (row G12).
#[test]
fn g12_a_restoration_that_failed_at_execution_still_reserves_its_targets() {
    use rewind_types::executor::RestorationState;
    let mut suite = suite();
    let h = suite.height();
    let b = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    let d = suite
        .propose("proposer", &suite.restoration_msg(&[h - 2]))
        .unwrap();
    pass(&mut suite, b, h - 1);
    pass(&mut suite, d, h - 2);
    suite.advance_time(NORMAL_PERIOD);
    suite.close(b).unwrap();
    let op = suite.proposal(b).operation_id.unwrap();
    suite
        .app
        .execute_contract(
            suite.addr("dave"),
            suite.timelock.clone(),
            &timelock::ExecuteMsg::Execute { operation_id: op },
            &[],
        )
        .unwrap();
    suite.set_restoration_state(RestorationState::Failed {
        error: "the target refused the height".into(),
    });
    let res = suite.close(d).unwrap();
    assert_eq!(suite.proposal(d).status, ProposalStatus::ExecutionFailed);
    assert_eq!(attr(&res, "reason").as_deref(), Some("target_reserved"));
    // Once the failed restoration is aborted (or completes on a retry), the target is free.
    suite.set_restoration_state(RestorationState::Aborted);
    let e = suite
        .propose("proposer", &suite.restoration_msg(&[h - 2]))
        .unwrap();
    pass(&mut suite, e, h - 2);
    suite.advance_time(NORMAL_PERIOD);
    suite.close(e).unwrap();
    assert_eq!(suite.proposal(e).status, ProposalStatus::Executed);
}

#[test]
fn g11_g12_a_target_is_reserved_only_by_a_queued_or_running_restoration() {
    let mut suite = suite();
    let h = suite.height();
    // Three competing restorations of target 0 are open at once; none reserves it.
    let a = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    let b = suite
        .propose("proposer", &suite.restoration_msg(&[h - 2]))
        .unwrap();
    let c = suite
        .propose("proposer", &suite.restoration_msg_for(&[1, 0], &[h - 1]))
        .unwrap();
    assert_eq!(active(&suite, 0), None);
    suite.vote("alice", a, VoteOption::Reject).unwrap();
    pass(&mut suite, b, h - 2);
    pass(&mut suite, c, h - 1);
    suite.advance_time(NORMAL_PERIOD);
    // A rejected one closes without touching the target.
    suite.close(a).unwrap();
    assert_eq!(suite.proposal(a).status, ProposalStatus::Closed);
    assert_eq!(active(&suite, 0), None);
    // The first passed one to close is queued and reserves the target...
    suite.close(b).unwrap();
    assert_eq!(suite.proposal(b).status, ProposalStatus::Executed);
    assert_eq!(active(&suite, 0), Some(b));
    // ...so the competing passed one fails at close, refunded, with the typed reason; the
    // other target it names stays free.
    let before = suite.balance("proposer");
    let res = suite.close(c).unwrap();
    let reserved = ContractError::TargetReserved {
        target: suite.targets[0].to_string(),
        proposal_id: b,
    };
    let p = suite.proposal(c);
    assert_eq!(p.status, ProposalStatus::ExecutionFailed);
    assert_eq!(p.execution_error, Some(reserved.to_string()));
    assert_eq!(p.operation_id, None);
    assert_eq!(attr(&res, "reason").as_deref(), Some("target_reserved"));
    assert_eq!(attr(&res, "execution_error"), Some(reserved.to_string()));
    assert_eq!(suite.balance("proposer"), before + DEPOSIT);
    assert_eq!(active(&suite, 1), None);
    assert!(suite
        .app
        .wrap()
        .query_wasm_smart::<ScheduledSpecResponse>(
            &suite.gov,
            &QueryMsg::ScheduledSpec { proposal_id: c }
        )
        .is_err());

    // Once b's operation is executed and its target restoring (a running operation), a
    // passed restoration of it still fails at close.
    let d = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    pass(&mut suite, d, h - 1);
    let op = suite.proposal(b).operation_id.unwrap();
    suite
        .app
        .execute_contract(
            suite.addr("dave"),
            suite.timelock.clone(),
            &timelock::ExecuteMsg::Execute { operation_id: op },
            &[],
        )
        .unwrap();
    let t0 = suite.targets[0].clone();
    set_restoring(&mut suite, &t0, true);
    suite.advance_time(NORMAL_PERIOD);
    let res = suite.close(d).unwrap();
    assert_eq!(suite.proposal(d).status, ProposalStatus::ExecutionFailed);
    assert_eq!(attr(&res, "reason").as_deref(), Some("target_restoring"));
    assert_eq!(
        suite.proposal(d).execution_error,
        Some(
            ContractError::TargetRestoring {
                target: t0.to_string()
            }
            .to_string()
        )
    );
    // Restoration over: the next passed one is queued and takes the reservation.
    set_restoring(&mut suite, &t0, false);
    let e = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    pass(&mut suite, e, h - 1);
    suite.advance_time(NORMAL_PERIOD);
    suite.close(e).unwrap();
    assert_eq!(suite.proposal(e).status, ProposalStatus::Executed);
    assert_eq!(active(&suite, 0), Some(e));
}

fn set_restoring(suite: &mut Suite, target: &cosmwasm_std::Addr, restoring: bool) {
    suite
        .app
        .execute_contract(
            suite.addr("dave"),
            target.clone(),
            &MockExecuteMsg::SetJournal {
                retained_from: 12_000,
                restoring,
            },
            &[],
        )
        .unwrap();
}

use cw_multi_test::Executor;

#[test]
fn r6_failed_queue_marks_execution_failed_and_releases_the_target() {
    let mut suite = suite();
    let h = suite.height();
    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    suite
        .vote("alice", id, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    suite.advance_time(NORMAL_PERIOD);
    let timelock = suite.timelock.clone();
    suite.set_module_fail(&timelock, true);
    suite.close(id).unwrap();
    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::ExecutionFailed);
    assert!(p.execution_error.is_some());
    assert_eq!(p.operation_id, None);
    assert_eq!(suite.balance("proposer"), 1_000_000);
    assert!(suite
        .app
        .wrap()
        .query_wasm_smart::<ScheduledSpecResponse>(
            &suite.gov,
            &QueryMsg::ScheduledSpec { proposal_id: id }
        )
        .is_err());
    suite.set_module_fail(&timelock, false);
    suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
}

#[test]
fn g5_low_turnout_expires_and_refunds_or_burns_by_config() {
    let mut suite = suite();
    let h = suite.height();
    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    suite
        .vote("erin", id, VoteOption::Candidate { height: h - 1 })
        .unwrap(); // 10% < 20% quorum
    suite.advance_time(NORMAL_PERIOD);
    assert_eq!(suite.proposal(id).status, ProposalStatus::Expired);
    suite.close(id).unwrap();
    assert_eq!(suite.proposal(id).status, ProposalStatus::Closed);
    assert_eq!(suite.balance("proposer"), 1_000_000);

    let mut suite = suite_with(|c| c.refund_failed_quorum = false);
    let supply = suite.supply();
    let h = suite.height();
    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    assert_eq!(suite.balance("proposer"), 1_000_000 - DEPOSIT);
    assert_eq!(suite.supply(), supply - DEPOSIT, "burned");
}

#[test]
fn veto_burns_and_reject_refunds_the_deposit() {
    let mut suite = suite();
    let supply = suite.supply();
    let h = suite.height();
    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    suite
        .vote("alice", id, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    suite.vote("bob", id, VoteOption::Veto).unwrap();
    suite.vote("carol", id, VoteOption::Veto).unwrap(); // 500 / 900 >= 1/3
    suite.advance_time(NORMAL_PERIOD);
    assert_eq!(suite.proposal(id).status, ProposalStatus::Vetoed);
    suite.close(id).unwrap();
    assert_eq!(suite.balance("proposer"), 1_000_000 - DEPOSIT);
    assert_eq!(suite.supply(), supply - DEPOSIT);

    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    suite.vote("alice", id, VoteOption::Reject).unwrap();
    suite
        .vote("bob", id, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    suite.advance_time(NORMAL_PERIOD);
    assert_eq!(suite.proposal(id).status, ProposalStatus::Rejected);
    suite.close(id).unwrap();
    assert_eq!(suite.balance("proposer"), 1_000_000 - DEPOSIT);
}

#[test]
fn g5_expedited_passes_only_with_a_supermajority() {
    let mut suite = suite();
    let h = suite.height();
    let mut msg = suite.restoration_msg(&[h - 1]);
    expedite(&mut msg);
    let id = suite.propose("proposer", &msg).unwrap();
    assert_eq!(
        suite.proposal(id).end_time,
        suite.time().plus_seconds(EXPEDITED_PERIOD)
    );
    suite
        .vote("alice", id, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    suite
        .vote("bob", id, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    suite.vote("carol", id, VoteOption::Reject).unwrap(); // 700 / 900 >= 2/3
    suite.advance_time(EXPEDITED_PERIOD);
    assert_eq!(suite.proposal(id).status, ProposalStatus::Passed);
    suite.close(id).unwrap();
    assert_eq!(suite.proposal(id).status, ProposalStatus::Executed);
}

#[test]
fn expedited_that_misses_its_threshold_falls_back_to_the_normal_track() {
    let mut suite = suite();
    let h = suite.height();
    let mut msg = suite.restoration_msg(&[h - 1]);
    expedite(&mut msg);
    let id = suite.propose("proposer", &msg).unwrap();
    let start = suite.time();
    suite
        .vote("alice", id, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    suite.vote("bob", id, VoteOption::Reject).unwrap(); // 400 / 700 < 2/3 but > 1/2
    suite.advance_time(EXPEDITED_PERIOD);
    let p = suite.proposal(id);
    assert_eq!(
        p.status,
        ProposalStatus::Open,
        "continues under the normal rules"
    );
    assert_eq!(p.end_time, start.plus_seconds(NORMAL_PERIOD));
    assert_eq!(p.rules.threshold, Decimal::percent(50));
    assert_error(
        suite.close(id),
        ContractError::VotingOpen {
            id,
            ends: start.plus_seconds(NORMAL_PERIOD),
        },
    );
    suite.vote("carol", id, VoteOption::Abstain).unwrap();
    suite.advance_time(NORMAL_PERIOD - EXPEDITED_PERIOD);
    assert_eq!(suite.proposal(id).status, ProposalStatus::Passed);
    suite.close(id).unwrap();
    assert_eq!(suite.proposal(id).operation_id, Some(1));
}

#[test]
fn g8_config_change_mid_vote_keeps_the_open_proposal_rules() {
    let mut suite = suite();
    let gov_cfg: rewind_types::governance::ConfigResponse = suite.query(&QueryMsg::Config {});
    let mut strict = super::suite::default_config(&gov_cfg.config.voting_module);
    strict.normal.quorum = Decimal::percent(90);
    strict.normal.threshold = Decimal::percent(90);
    strict.normal.voting_period_seconds = 5 * 86_400;
    let p = suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::UpdateConfig(strict)]),
        )
        .unwrap();
    suite.vote("alice", p, VoteOption::Yes).unwrap();
    suite.advance_time(86_400);
    let h = suite.height();
    let r = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    let rules_before = suite.proposal(r).rules;
    suite
        .vote("alice", r, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    suite.vote("erin", r, VoteOption::Reject).unwrap(); // 50% turnout, 80% for
    suite.advance_time(NORMAL_PERIOD - 86_400);
    suite.close(p).unwrap();
    let cfg: rewind_types::governance::ConfigResponse = suite.query(&QueryMsg::Config {});
    assert_eq!(cfg.config.normal.quorum, Decimal::percent(90));
    let open = suite.proposal(r);
    assert_eq!(open.status, ProposalStatus::Open);
    assert_eq!(open.rules, rules_before);
    suite.advance_time(86_400);
    assert_eq!(
        suite.proposal(r).status,
        ProposalStatus::Passed,
        "old rules: 20% quorum, 1/2 threshold"
    );
}

#[test]
fn passed_parameter_proposal_applies_local_and_module_changes() {
    let mut suite = suite();
    let new_target = suite
        .new_target("new-target", super::suite::DEFAULT_RETENTION_SECONDS)
        .to_string();
    let g = suite.addr("guardian-2").to_string();
    let changes = vec![
        ParameterChange::RegisterTarget(TargetRegistration {
            contract: new_target.clone(),
            exits_pausable: true,
            scopes: rewind_testing::mock_target::default_scopes(),
        }),
        ParameterChange::UpdateGuardians {
            add: vec![g.clone()],
            remove: vec![],
        },
        ParameterChange::RemoveTarget {
            contract: suite.targets[1].to_string(),
        },
        ParameterChange::CancelOperation { operation_id: 7 },
    ];
    let id = suite
        .propose("proposer", &Suite::parameters_msg(changes))
        .unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    // The mock timelock refuses to cancel an unknown operation: the whole proposal reverts.
    suite.close(id).unwrap();
    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::ExecutionFailed);
    let t: TargetsResponse = suite.query(&QueryMsg::Targets {
        start_after: None,
        limit: None,
    });
    assert_eq!(
        t.targets.len(),
        2,
        "no change of a failed proposal is applied (row R6)"
    );
    assert!(suite
        .received(&suite.guardian)
        .iter()
        .all(|(_, m)| !matches!(
            from_json(m).unwrap(),
            guardian::ExecuteMsg::UpdateGuardians { .. }
        )));
    assert_eq!(suite.balance("proposer"), 1_000_000);

    let changes = vec![
        ParameterChange::RegisterTarget(TargetRegistration {
            contract: new_target.clone(),
            exits_pausable: true,
            scopes: rewind_testing::mock_target::default_scopes(),
        }),
        ParameterChange::UpdateGuardians {
            add: vec![g.clone()],
            remove: vec![],
        },
        ParameterChange::RemoveTarget {
            contract: suite.targets[1].to_string(),
        },
    ];
    let id = suite
        .propose("proposer", &Suite::parameters_msg(changes))
        .unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    assert_eq!(suite.proposal(id).status, ProposalStatus::Executed);
    let t: TargetsResponse = suite.query(&QueryMsg::Targets {
        start_after: None,
        limit: None,
    });
    let mut got: Vec<String> = t.targets.iter().map(|t| t.contract.to_string()).collect();
    got.sort();
    let mut want = vec![new_target.clone(), suite.targets[0].to_string()];
    want.sort();
    assert_eq!(got, want);
    let msgs: Vec<guardian::ExecuteMsg> = suite
        .received(&suite.guardian)
        .iter()
        .map(|(_, m)| from_json(m).unwrap())
        .collect();
    let n = msgs.len();
    assert_eq!(
        msgs[n - 3..].to_vec(),
        vec![
            guardian::ExecuteMsg::SetTarget {
                target: new_target,
                exits_pausable: true,
                scopes: rewind_testing::mock_target::default_scopes(),
            },
            guardian::ExecuteMsg::UpdateGuardians {
                add: vec![g],
                remove: vec![]
            },
            guardian::ExecuteMsg::RemoveTarget {
                target: suite.targets[1].to_string()
            },
        ]
    );
}

#[test]
fn r6_invalid_config_change_is_refused_at_proposal() {
    let mut suite = suite();
    let cfg: rewind_types::governance::ConfigResponse = suite.query(&QueryMsg::Config {});
    let mut bad = super::suite::default_config(&cfg.config.voting_module);
    bad.normal.threshold = Decimal::zero();
    assert_error(
        suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::UpdateConfig(bad)]),
        ),
        ContractError::InvalidThreshold {
            track: "normal".into(),
        },
    );
    let past = suite.time();
    assert_error(
        suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::ExtendPause {
                target: suite.targets[0].to_string(),
                scope: rewind_testing::mock_target::TRADE,
                until: past,
            }]),
        ),
        ContractError::PauseEndNotInFuture { until: past },
    );
}

#[test]
fn d2_list_queries_are_paginated_and_capped() {
    let mut suite = suite();
    let msg = Suite::parameters_msg(vec![ParameterChange::CancelOperation { operation_id: 1 }]);
    for _ in 0..105 {
        suite.propose("proposer", &msg).unwrap();
    }
    let all = |s: &Suite, status, start_after, limit| -> Vec<u64> {
        let r: ProposalsResponse = s.query(&QueryMsg::Proposals {
            status,
            start_after,
            limit,
        });
        r.proposals.iter().map(|p| p.id).collect()
    };
    assert_eq!(all(&suite, None, None, None), (1..=10).collect::<Vec<_>>());
    assert_eq!(all(&suite, None, None, Some(u32::MAX)).len(), 100);
    assert_eq!(
        all(&suite, None, Some(100), Some(50)),
        (101..=105).collect::<Vec<_>>()
    );
    suite.vote("alice", 3, VoteOption::Yes).unwrap();
    suite.vote("bob", 3, VoteOption::Reject).unwrap();
    suite.vote("carol", 3, VoteOption::Abstain).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(4).unwrap();
    assert_eq!(
        all(&suite, Some(ProposalStatus::Passed), None, None),
        vec![3]
    );
    assert_eq!(
        all(&suite, Some(ProposalStatus::Closed), None, None),
        vec![4]
    );
    assert_eq!(
        all(&suite, Some(ProposalStatus::Expired), Some(4), Some(2)),
        vec![5, 6]
    );
    let votes: VotesResponse = suite.query(&QueryMsg::Votes {
        proposal_id: 3,
        start_after: None,
        limit: Some(2),
    });
    assert_eq!(votes.votes.len(), 2);
    let last = votes.votes[1].voter.to_string();
    let rest: VotesResponse = suite.query(&QueryMsg::Votes {
        proposal_id: 3,
        start_after: Some(last),
        limit: Some(200),
    });
    assert_eq!(rest.votes.len(), 1);
    let t: TargetsResponse = suite.query(&QueryMsg::Targets {
        start_after: None,
        limit: Some(1),
    });
    assert_eq!(t.targets.len(), 1);
}

/// A registration carries the target's declared scopes, which the guardian pauses by: they
/// must be a valid declaration and exactly the target's `Scopes {}` answer, at proposal and
/// again when applied (the target may have been upgraded in between). A target with its own
/// scopes is registered with them and the guardian receives them.
#[test]
fn registration_scopes_must_be_the_targets_own_at_proposal_and_when_applied() {
    use rewind_types::{PauseScope, ScopeError, ScopeInfo};
    let mut suite = suite();
    let target = suite
        .new_target("amm", super::suite::DEFAULT_RETENTION_SECONDS)
        .to_string();
    let amm = vec![
        ScopeInfo::action(PauseScope::named("swap")),
        ScopeInfo::exit(PauseScope::named("remove_liquidity")),
    ];
    let deployer = suite.addr("deployer");
    suite
        .app
        .execute_contract(
            deployer.clone(),
            Addr::unchecked(&target),
            &MockExecuteMsg::SetScopes {
                scopes: amm.clone(),
            },
            &[],
        )
        .unwrap();
    let register = |scopes: Vec<ScopeInfo>| {
        Suite::parameters_msg(vec![ParameterChange::RegisterTarget(TargetRegistration {
            contract: target.clone(),
            exits_pausable: false,
            scopes,
        })])
    };
    // Not a valid declaration.
    assert_error(
        suite.propose("proposer", &register(vec![])),
        ContractError::InvalidScopes {
            target: target.clone(),
            error: ScopeError::NoScopes {},
        },
    );
    // Not what the target declares: another name, another exit flag, another order.
    let mut wrong_flag = amm.clone();
    wrong_flag[1].exit = false;
    let mut reordered = amm.clone();
    reordered.reverse();
    for (registered, shown) in [
        (
            rewind_testing::mock_target::default_scopes(),
            "deposit, withdraw (exit), trade, liquidate",
        ),
        (wrong_flag, "swap, remove_liquidity"),
        (reordered, "remove_liquidity (exit), swap"),
    ] {
        assert_error(
            suite.propose("proposer", &register(registered)),
            ContractError::ScopesMismatch {
                target: target.clone(),
                declared: "swap, remove_liquidity (exit)".into(),
                registered: shown.into(),
            },
        );
    }
    // The target's own answer passes, and the guardian receives it.
    let id = suite.propose("proposer", &register(amm.clone())).unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    assert_eq!(suite.proposal(id).status, ProposalStatus::Executed);
    let last: guardian::ExecuteMsg =
        from_json(&suite.received(&suite.guardian).last().unwrap().1).unwrap();
    assert_eq!(
        last,
        guardian::ExecuteMsg::SetTarget {
            target: target.clone(),
            exits_pausable: false,
            scopes: amm.clone(),
        }
    );
    // Upgraded between proposal and close: the registration no longer matches and fails.
    let id = suite.propose("proposer", &register(amm.clone())).unwrap();
    suite
        .app
        .execute_contract(
            deployer,
            Addr::unchecked(&target),
            &MockExecuteMsg::SetScopes {
                scopes: vec![ScopeInfo::action(PauseScope::named("swap"))],
            },
            &[],
        )
        .unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    assert_eq!(suite.proposal(id).status, ProposalStatus::ExecutionFailed);
}

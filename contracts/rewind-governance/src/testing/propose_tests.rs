//! Restoration proposals: checks at creation, the power height (G1, G2), G11, D3, B1, B2.

use cosmwasm_std::{coin, coins, HexBinary, Uint128};
use cw_multi_test::Executor;
use rewind_testing::assert_error;
use rewind_testing::SuiteBase;
use rewind_types::governance::{
    ExecuteMsg, ParameterChange, ProposalKind, ProposalStatus, ProposedTarget, QueryMsg,
    TargetsResponse, VoteOption, VoterResponse,
};
use rewind_types::PinnedCode;

use rewind_testing::mock_target::MockExecuteMsg;

use super::suite::TARGET_NAME;
use super::suite::{
    suite_with_power, Backend, Suite, SuiteBuilder, DENOM, DEPOSIT, NORMAL_PERIOD, PROPOSER_POWER,
};
use crate::ContractError;

fn edit(
    msg: &mut ExecuteMsg,
    f: impl FnOnce(
        &mut Vec<ProposedTarget>,
        &mut Vec<rewind_types::governance::Candidate>,
        &mut Vec<String>,
    ),
) {
    if let ExecuteMsg::ProposeRestoration {
        targets,
        candidates,
        exclusions,
        ..
    } = msg
    {
        f(targets, candidates, exclusions);
    }
}

#[test]
fn restoration_records_snapshot_rules_and_power_height() {
    let mut suite = suite_with_power();
    let h = suite.height();
    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h - 3, h - 8]))
        .unwrap();
    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::Open);
    assert_eq!(p.power_height, h - 8 + 1, "lowest candidate + 1");
    assert_eq!(p.total_power, Uint128::new(1_000 + PROPOSER_POWER));
    assert_eq!(p.start_height, h);
    assert_eq!(p.end_time, suite.time().plus_seconds(NORMAL_PERIOD));
    assert_eq!(p.seconds_left, NORMAL_PERIOD);
    assert_eq!(p.deposit, coin(DEPOSIT, DENOM));
    let ProposalKind::Restoration {
        snapshots,
        exclusions,
        ..
    } = p.kind
    else {
        panic!("kind")
    };
    let code = suite
        .app
        .wrap()
        .query_wasm_code_info(suite.codes.target)
        .unwrap();
    assert_eq!(snapshots.len(), 1);
    assert_eq!(snapshots[0].contract, suite.targets[0]);
    assert_eq!(snapshots[0].contract_name, TARGET_NAME);
    assert_eq!(snapshots[0].code_id, suite.codes.target);
    assert_eq!(
        snapshots[0].checksum,
        HexBinary::from(code.checksum.as_slice())
    );
    assert_eq!(exclusions, vec![suite.addr("attacker")]);
    let targets: TargetsResponse = suite.query(&QueryMsg::Targets {
        start_after: None,
        limit: None,
    });
    let t0 = targets
        .targets
        .iter()
        .find(|t| t.contract == suite.targets[0])
        .unwrap();
    // Row G12: an open proposal reserves nothing; only a queued restoration does.
    assert_eq!(t0.active_proposal, None);
}

/// Rows G1/G2 on both sides of the boundary: staked during block H counts (power at
/// H + 1 is the state at the end of H); staked during block H + 1 counts zero.
fn power_height_boundary(backend: Backend) {
    let mut suite = SuiteBuilder::new().with_backend(backend).build();
    suite.set_power("carol", 1_000);
    suite.set_power("proposer", PROPOSER_POWER);
    suite.advance_blocks(5);
    let h = suite.height();
    suite.set_power("alice", 100); // staked in block H
    suite.advance_blocks(1);
    suite.set_power("attacker", 5_000); // staked in block H + 1, after the last good block
    suite.advance_blocks(5);
    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h]))
        .unwrap();
    assert_eq!(suite.proposal(id).power_height, h + 1);
    assert_eq!(
        suite.proposal(id).total_power,
        Uint128::new(1_100 + PROPOSER_POWER)
    );
    suite
        .vote("alice", id, VoteOption::Candidate { height: h })
        .unwrap();
    assert_error(
        suite.vote("attacker", id, VoteOption::Reject),
        ContractError::ZeroVotingPower {
            voter: suite.addr("attacker").to_string(),
            height: h + 1,
        },
    );
    assert_eq!(
        suite.proposal(id).tally.for_options,
        vec![Uint128::new(100)]
    );
}

#[test]
fn g2_power_height_boundary_staked_in_h_counts_staked_after_h_counts_zero() {
    power_height_boundary(Backend::Mock);
}

#[test]
fn g2_power_height_boundary_with_rewind_stake() {
    power_height_boundary(Backend::Stake);
}

fn same_block_power(backend: Backend) {
    let mut suite = SuiteBuilder::new().with_backend(backend).build();
    suite.set_power("carol", 1_000);
    suite.advance_blocks(1);
    // Flash-loaned power, acquired in the block the proposal is made in.
    suite.set_power("attacker", 1_000_000);
    let msg = Suite::parameters_msg(vec![ParameterChange::CancelOperation { operation_id: 1 }]);
    let id = suite.propose("attacker", &msg).unwrap();
    assert_eq!(suite.proposal(id).power_height, suite.height());
    assert_eq!(suite.proposal(id).total_power, Uint128::new(1_000));
    assert_error(
        suite.vote("attacker", id, VoteOption::Yes),
        ContractError::ZeroVotingPower {
            voter: suite.addr("attacker").to_string(),
            height: suite.height(),
        },
    );
    suite.advance_blocks(3);
    assert_error(
        suite.vote("attacker", id, VoteOption::Yes),
        ContractError::ZeroVotingPower {
            voter: suite.addr("attacker").to_string(),
            height: suite.height() - 3,
        },
    );
}

#[test]
fn g1_power_acquired_after_power_height_counts_zero() {
    same_block_power(Backend::Mock);
}

#[test]
fn g1_power_acquired_after_power_height_counts_zero_with_rewind_stake() {
    same_block_power(Backend::Stake);
}

#[test]
fn g3_every_power_read_uses_the_stored_height() {
    let mut suite = suite_with_power();
    let h = suite.height();
    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    suite.set_power("alice", 1_000_000);
    suite.set_power("bob", 0);
    suite.advance_blocks(2);
    suite
        .vote("alice", id, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    suite.vote("bob", id, VoteOption::Reject).unwrap();
    let p = suite.proposal(id);
    assert_eq!(p.tally.for_options, vec![Uint128::new(400)]);
    assert_eq!(p.tally.reject, Uint128::new(300));
    let v: VoterResponse = suite.query(&QueryMsg::Voter {
        proposal_id: id,
        voter: suite.addr("carol").to_string(),
    });
    assert_eq!(v.power, Uint128::new(300));
    assert_eq!(v.vote, None);
}

#[test]
fn expected_digest_differing_from_the_target_is_refused() {
    let mut suite = suite_with_power();
    let h = suite.height();
    let mut msg = suite.restoration_msg(&[h - 2]);
    let wrong = HexBinary::from(vec![7u8; 32]);
    edit(&mut msg, |_, c, _| c[0].expected_digests[0] = wrong.clone());
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::DigestMismatch {
            target: suite.targets[0].to_string(),
            height: h - 2,
            expected: wrong,
            actual: Suite::digest(h - 2),
        },
    );
}

#[test]
fn r3_candidates_in_the_future_or_before_retained_history_are_refused() {
    let mut suite = suite_with_power();
    let h = suite.height();
    assert_error(
        suite.propose("proposer", &suite.restoration_msg(&[h])),
        ContractError::CandidateNotInPast {
            height: h,
            current: h,
        },
    );
    assert_error(
        suite.propose("proposer", &suite.restoration_msg(&[h + 5])),
        ContractError::CandidateNotInPast {
            height: h + 5,
            current: h,
        },
    );
    assert_error(
        suite.propose("proposer", &suite.restoration_msg(&[11_999])),
        ContractError::CandidateBeforeRetained {
            target: suite.targets[0].to_string(),
            height: 11_999,
            retained_from: 12_000,
        },
    );
    assert_error(
        suite.propose("proposer", &suite.restoration_msg(&[h - 2, h - 2])),
        ContractError::DuplicateCandidate { height: h - 2 },
    );
    let mut msg = suite.restoration_msg(&[h - 2]);
    edit(&mut msg, |_, c, _| {
        c[0].expected_digests.push(HexBinary::from(vec![1u8]))
    });
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::DigestCountMismatch {
            height: h - 2,
            expected: 1,
            got: 2,
        },
    );
}

#[test]
fn d3_caps_on_targets_candidates_and_exclusions() {
    let mut suite = suite_with_power();
    let h = suite.height();
    assert_error(
        suite.propose(
            "proposer",
            &suite.restoration_msg(&[h - 1, h - 2, h - 3, h - 4]),
        ),
        ContractError::TooManyCandidates { max: 3, got: 4 },
    );
    assert_error(
        suite.propose("proposer", &suite.restoration_msg(&[])),
        ContractError::NoCandidates {},
    );
    let mut msg = suite.restoration_msg(&[h - 1]);
    edit(&mut msg, |t, _, _| t.clear());
    assert_error(suite.propose("proposer", &msg), ContractError::NoTargets {});
    let msg = suite.restoration_msg_for(&[0, 1, 0], &[h - 1]);
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::TooManyTargets { max: 2, got: 3 },
    );
    let mut msg = suite.restoration_msg(&[h - 1]);
    let many: Vec<String> = (0..6)
        .map(|i| suite.addr(&format!("x{i}")).to_string())
        .collect();
    edit(&mut msg, |_, _, e| *e = many.clone());
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::TooManyExclusions { max: 5, got: 6 },
    );
}

#[test]
fn b1_exclusions_are_validated_and_deduplicated() {
    let mut suite = suite_with_power();
    let h = suite.height();
    let attacker = suite.addr("attacker").to_string();
    let mut msg = suite.restoration_msg(&[h - 1]);
    let upper = attacker.to_uppercase();
    edit(&mut msg, |_, _, e| *e = vec![upper.clone()]);
    assert!(suite
        .propose("proposer", &msg)
        .unwrap_err()
        .to_string()
        .contains("not normalized"));
    let mut msg = suite.restoration_msg(&[h - 1]);
    let bob = suite.addr("bob").to_string();
    suite.set_activity(0, "bob", Some(h));
    edit(&mut msg, |_, _, e| {
        *e = vec![attacker.clone(), bob.clone(), attacker.clone()]
    });
    let id = suite.propose("proposer", &msg).unwrap();
    let ProposalKind::Restoration { exclusions, .. } = suite.proposal(id).kind else {
        panic!()
    };
    let mut expected = vec![suite.addr("attacker"), suite.addr("bob")];
    expected.sort();
    assert_eq!(exclusions, expected);
}

#[test]
fn targets_must_be_registered_distinct_idle_and_administered_by_the_executor() {
    let mut suite = suite_with_power();
    let h = suite.height();
    let stranger = suite.addr("stranger").to_string();
    let mut msg = suite.restoration_msg(&[h - 1]);
    edit(&mut msg, |t, _, _| t[0].contract = stranger.clone());
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::TargetNotRegistered { target: stranger },
    );
    let msg = suite.restoration_msg_for(&[1, 1], &[h - 1]);
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::DuplicateTarget {
            target: suite.targets[1].to_string(),
        },
    );

    let t1 = suite.targets[1].clone();
    let restoring = MockExecuteMsg::SetJournal {
        retained_from: 12_000,
        restoring: true,
    };
    suite
        .app
        .execute_contract(suite.addr("dave"), t1.clone(), &restoring, &[])
        .unwrap();
    let msg = suite.restoration_msg_for(&[1], &[h - 1]);
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::TargetRestoring {
            target: t1.to_string(),
        },
    );
    let idle = MockExecuteMsg::SetJournal {
        retained_from: 12_000,
        restoring: false,
    };
    suite
        .app
        .execute_contract(suite.addr("dave"), t1.clone(), &idle, &[])
        .unwrap();

    // The executor hands the admin away: the target can no longer be restored.
    let other = suite.addr("other-admin");
    suite
        .app
        .execute(
            suite.executor.clone(),
            cosmwasm_std::WasmMsg::UpdateAdmin {
                contract_addr: t1.to_string(),
                admin: other.to_string(),
            }
            .into(),
        )
        .unwrap();
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::TargetAdminNotExecutor {
            target: t1.to_string(),
            admin: Some(other.to_string()),
        },
    );
}

#[test]
fn g6_pinned_code_checksum_is_checked() {
    let mut suite = suite_with_power();
    let h = suite.height();
    let alt = suite.codes.alt_target;
    let real = HexBinary::from(
        suite
            .app
            .wrap()
            .query_wasm_code_info(alt)
            .unwrap()
            .checksum
            .as_slice(),
    );
    let wrong = HexBinary::from(vec![9u8; 32]);
    let mut msg = suite.restoration_msg(&[h - 1]);
    edit(&mut msg, |t, _, _| {
        t[0].new_code = Some(PinnedCode {
            code_id: alt,
            checksum: wrong.clone(),
        })
    });
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::ChecksumMismatch {
            code_id: alt,
            expected: wrong,
            actual: real.clone(),
        },
    );
    let mut msg = suite.restoration_msg(&[h - 1]);
    edit(&mut msg, |t, _, _| {
        t[0].new_code = Some(PinnedCode {
            code_id: alt,
            checksum: real.clone(),
        })
    });
    let id = suite.propose("proposer", &msg).unwrap();
    let ProposalKind::Restoration { snapshots, .. } = suite.proposal(id).kind else {
        panic!()
    };
    assert_eq!(
        (snapshots[0].code_id, snapshots[0].checksum.clone()),
        (alt, real)
    );
}

#[test]
fn b2_deposit_must_be_exact_and_votes_take_no_funds() {
    let mut suite = suite_with_power();
    let h = suite.height();
    let msg = suite.restoration_msg(&[h - 1]);
    assert_error(
        suite.execute("proposer", &msg, &[]),
        ContractError::Payment(cw_utils::PaymentError::NoFunds {}),
    );
    assert_error(
        suite.execute("proposer", &msg, &coins(DEPOSIT - 1, DENOM)),
        ContractError::WrongDeposit {
            expected: coin(DEPOSIT, DENOM),
            received: (DEPOSIT - 1).into(),
        },
    );
    assert_error(
        suite.execute("proposer", &msg, &[coin(DEPOSIT, DENOM), coin(1, "ustake")]),
        ContractError::Payment(cw_utils::PaymentError::MultipleDenoms {}),
    );
    let id = suite.propose("proposer", &msg).unwrap();
    assert_eq!(suite.balance("proposer"), 1_000_000 - DEPOSIT);
    assert_error(
        suite.execute(
            "alice",
            &ExecuteMsg::Vote {
                proposal_id: id,
                vote: VoteOption::Reject,
            },
            &coins(1, DENOM),
        ),
        ContractError::Payment(cw_utils::PaymentError::NonPayable {}),
    );
    assert_error(
        suite.execute(
            "alice",
            &ExecuteMsg::Close { proposal_id: id },
            &coins(1, DENOM),
        ),
        ContractError::Payment(cw_utils::PaymentError::NonPayable {}),
    );
}

#[test]
fn g11_g12_competing_restorations_coexist_and_size_caps() {
    let mut suite = suite_with_power();
    let h = suite.height();
    let first = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    // Row G12: an open proposal reserves nothing; a competing one on the same target (and
    // another) is accepted, and so is a third.
    let second = suite
        .propose("proposer", &suite.restoration_msg_for(&[1, 0], &[h - 2]))
        .unwrap();
    let third = suite
        .propose("alice", &suite.restoration_msg(&[h - 2]))
        .unwrap();
    assert_eq!((second, third), (first + 1, first + 2));
    let t: TargetsResponse = suite.query(&QueryMsg::Targets {
        start_after: None,
        limit: None,
    });
    assert!(t.targets.iter().all(|t| t.active_proposal.is_none()));

    let mut msg = suite.restoration_msg(&[h - 1]);
    if let ExecuteMsg::ProposeRestoration { title, .. } = &mut msg {
        *title = " ".into();
    }
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::EmptyTitle {},
    );
    if let ExecuteMsg::ProposeRestoration { title, .. } = &mut msg {
        *title = "x".repeat(257);
    }
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::TitleTooLong { max: 256 },
    );
    if let ExecuteMsg::ProposeRestoration {
        title, description, ..
    } = &mut msg
    {
        *title = "ok".into();
        *description = "x".repeat(10_001);
    }
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::DescriptionTooLong { max: 10_000 },
    );
    let many = Suite::parameters_msg(vec![
        ParameterChange::CancelOperation { operation_id: 1 };
        17
    ]);
    assert_error(
        suite.propose("proposer", &many),
        ContractError::TooManyChanges { max: 16, got: 17 },
    );
    assert_error(
        suite.propose("proposer", &Suite::parameters_msg(vec![])),
        ContractError::NoChanges {},
    );
}

#[test]
fn zero_total_power_is_refused() {
    let mut suite = SuiteBuilder::new().build();
    let h = suite.height();
    // A restoration proposer without power is refused first (row G12)...
    assert_error(
        suite.propose("proposer", &suite.restoration_msg(&[h - 1])),
        ContractError::ProposerPowerTooLow {
            proposer: suite.addr("proposer").to_string(),
            power: Uint128::zero(),
            min: Uint128::one(),
            height: h,
        },
    );
    // ...and a parameter proposal, which needs no proposer power, meets the zero total.
    let change = ParameterChange::CancelOperation { operation_id: 1 };
    assert_error(
        suite.propose("proposer", &Suite::parameters_msg(vec![change])),
        ContractError::ZeroTotalPower { height: h },
    );
}

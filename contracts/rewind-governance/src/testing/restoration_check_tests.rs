//! Proposal checks through ONE `RestorationCheck` query per target: same refusals, same
//! order, same texts as the separate `JournalInfo` and per-candidate `DigestAt` queries.

use cosmwasm_std::{HexBinary, StdError};
use cw_multi_test::Executor;
use rewind_testing::assert_error;
use rewind_testing::SuiteBase;
use rewind_types::governance::ExecuteMsg;
use rewind_types::restorable::{
    DigestAtResponse, JournalInfoResponse, RestorableQueryMsg, MAX_RESTORATION_CHECK_HEIGHTS,
};

use super::suite::{Suite, SuiteBuilder};
use crate::config::HARD_MAX_CANDIDATES;
use crate::ContractError;
use rewind_testing::mock_target::{MockExecuteMsg, REFUSED_DIGEST};

fn suite_with_power() -> Suite {
    let mut suite = SuiteBuilder::new().build();
    suite.set_power("proposer", super::suite::PROPOSER_POWER);
    suite.set_power("alice", 400);
    suite.set_power("bob", 300);
    suite.advance_blocks(10);
    suite
}

fn target_msg(suite: &mut Suite, target: usize, msg: &MockExecuteMsg) {
    let t = suite.targets[target].clone();
    suite
        .app
        .execute_contract(suite.addr("dave"), t, msg, &[])
        .unwrap();
}

fn wrong_digest(msg: &mut ExecuteMsg, candidate: usize, target: usize) -> HexBinary {
    let wrong = HexBinary::from(vec![7u8; 32]);
    if let ExecuteMsg::ProposeRestoration { candidates, .. } = msg {
        candidates[candidate].expected_digests[target] = wrong.clone();
    }
    wrong
}

#[test]
fn governance_candidate_cap_fits_one_restoration_check() {
    assert!(HARD_MAX_CANDIDATES as usize <= MAX_RESTORATION_CHECK_HEIGHTS);
}

#[test]
fn propose_checks_every_target_without_journal_info() {
    let mut suite = suite_with_power();
    let h = suite.height();
    // The mock targets refuse `JournalInfo`, which governance used to ask every target first.
    let t0 = suite.targets[0].clone();
    let err = suite
        .app
        .wrap()
        .query_wasm_smart::<JournalInfoResponse>(&t0, &RestorableQueryMsg::JournalInfo {})
        .unwrap_err();
    assert!(err.to_string().contains("not JournalInfo"), "{err}");
    let msg = suite.restoration_msg_for(&[0, 1], &[h - 3, h - 2, h - 1]);
    let id = suite.propose("alice", &msg).unwrap();
    assert_eq!(suite.proposal(id).id, id);
}

#[test]
fn a_refused_digest_refuses_the_proposal_with_the_digest_at_error_text() {
    let mut suite = suite_with_power();
    let h = suite.height();
    target_msg(
        &mut suite,
        1,
        &MockExecuteMsg::RefuseDigest {
            height: Some(h - 2),
        },
    );
    // A `DigestAt` smart query for that height fails with the target's text.
    let t1 = suite.targets[1].clone();
    let single: StdError = suite
        .app
        .wrap()
        .query_wasm_smart::<DigestAtResponse>(&t1, &RestorableQueryMsg::DigestAt { height: h - 2 })
        .unwrap_err();
    assert!(single.to_string().ends_with(REFUSED_DIGEST), "{single}");

    // Governance refuses with the querier's error around the target's own text, as when
    // it sent that `DigestAt` itself (multi-test adds its own wrapping to the latter).
    let msg = suite.restoration_msg_for(&[0, 1], &[h - 3, h - 2]);
    let err = suite.propose("alice", &msg).unwrap_err();
    let reason = StdError::msg(REFUSED_DIGEST).to_string();
    let text = err.to_string();
    assert!(
        text.ends_with(&format!("Querier contract error: {reason}")),
        "{text}"
    );
    assert_error(Err::<(), _>(err), REFUSED_DIGEST);

    // The same candidate on the other target passes; without the refusal, both pass.
    suite
        .propose("alice", &suite.restoration_msg_for(&[0], &[h - 2]))
        .unwrap();
    target_msg(
        &mut suite,
        1,
        &MockExecuteMsg::RefuseDigest { height: None },
    );
    suite.advance_blocks(1);
    let h = suite.height();
    let msg = suite.restoration_msg_for(&[1], &[h - 3, h - 2]);
    suite.propose("alice", &msg).unwrap();
}

#[test]
fn refusals_keep_their_order_per_target_and_candidate() {
    let mut suite = suite_with_power();
    let h = suite.height();
    let t0 = suite.targets[0].to_string();
    target_msg(
        &mut suite,
        0,
        &MockExecuteMsg::RefuseDigest {
            height: Some(h - 1),
        },
    );

    // A mismatch at the first candidate is reported before the refusal at the second.
    let mut msg = suite.restoration_msg(&[h - 2, h - 1]);
    let wrong = wrong_digest(&mut msg, 0, 0);
    assert_error(
        suite.propose("alice", &msg),
        ContractError::DigestMismatch {
            target: t0.clone(),
            height: h - 2,
            expected: wrong.clone(),
            actual: Suite::digest(h - 2),
        },
    );
    // The refusal at the first candidate is reported before the mismatch at the second.
    let mut msg = suite.restoration_msg(&[h - 1, h - 2]);
    wrong_digest(&mut msg, 1, 0);
    let err = suite.propose("alice", &msg).unwrap_err().to_string();
    assert!(err.ends_with(REFUSED_DIGEST), "{err}");
    // Retained history is checked before the target's own refusal of a later candidate.
    target_msg(
        &mut suite,
        0,
        &MockExecuteMsg::SetJournal {
            retained_from: h - 2,
            restoring: false,
        },
    );
    assert_error(
        suite.propose("alice", &suite.restoration_msg(&[h - 3, h - 1])),
        ContractError::CandidateBeforeRetained {
            target: t0.clone(),
            height: h - 3,
            retained_from: h - 2,
        },
    );
    // A restoring target is refused before any candidate is looked at.
    target_msg(
        &mut suite,
        0,
        &MockExecuteMsg::SetJournal {
            retained_from: h - 2,
            restoring: true,
        },
    );
    let mut msg = suite.restoration_msg(&[h - 3, h - 1]);
    wrong_digest(&mut msg, 0, 0);
    assert_error(
        suite.propose("alice", &msg),
        ContractError::TargetRestoring { target: t0 },
    );
}

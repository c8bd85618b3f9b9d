//! The whole story, on the real contracts: stake, trade, exploit, pause, propose, vote,
//! queue, execute, migrate, crank, verify, unlock; then the DESIGN invariants on the result.

mod common;

use rewind_testing::SuiteBase;
use std::collections::BTreeSet;

use common::{
    assert_claims_invariants, assert_complete, snapshot, ClaimsModel, EXPEDITED, MAX_PAUSE,
};
use cosmwasm_std::{Decimal, Timestamp};
use rewind_journal::JournalError;
use rewind_testing::assert_error;
use rewind_testing::suite::{RestorationProposal, SuiteBuilder, DAY, HOUR};
use rewind_types::governance::{ProposalStatus, VoteOption};
use rewind_types::timelock::OperationStatus;
use rewind_types::vault::{TRADE, WITHDRAW};
use rewind_types::{PauseScope, ShortfallPolicy};

fn price(p: u128) -> Decimal {
    Decimal::from_ratio(p, 1u128)
}

fn scope_blocked(suite: &rewind_testing::suite::Suite, scope: PauseScope) -> bool {
    suite
        .vault_pause_status(0)
        .scopes
        .iter()
        .find(|s| s.scope == scope)
        .map(|s| s.blocked)
        .unwrap_or(false)
}

#[test]
fn full_restoration_story() {
    let mut s = SuiteBuilder::new().build();
    let (u0, u1, u2, attacker) = (s.user(0), s.user(1), s.user(2), s.attacker());

    // Users deposit and trade; the attacker is an ordinary user until block E.
    for u in [&u0, &u1, &u2] {
        s.deposit(u, 0, 100_000).unwrap();
    }
    s.deposit(&attacker, 0, 20_000).unwrap();
    s.advance_blocks(1);
    s.open(&u1, 0, -100, 2_000).unwrap();
    s.open(&attacker, 0, 1_000, 10_000).unwrap();
    s.advance_blocks(1);
    s.withdraw(&u0, 0, 10_000).unwrap();
    s.advance_blocks(1);
    // H = E - 1: the last good block (a legitimate price move).
    s.push_price(0, price(101)).unwrap();
    let h = s.height();
    let mut model = ClaimsModel {
        at_h: snapshot(&s, 0),
        ..Default::default()
    };
    assert_eq!(model.at_h[&u0], 90_000);
    assert_eq!(model.at_h[&u1], 100_000);
    assert_eq!(model.at_h[&attacker], 20_000);
    s.advance_blocks(1);

    // Block E: the compromised feeder moves the price 16.8% (under the 20% breaker bound),
    // the attacker closes at a profit, withdraws everything and buys voting power.
    let e = s.height();
    let res = s.push_price(0, price(118)).unwrap();
    assert!(
        rewind_testing::suite::attribute(&res, "breaker").is_none(),
        "the manipulation stays under the breaker bound"
    );
    s.close_position(&attacker, 0).unwrap();
    let stolen = s.collateral(0, &attacker);
    assert_eq!(stolen, 38_000, "10k free + 10k margin + 18k profit");
    let before_withdraw = s.balance(&attacker, rewind_testing::suite::USDC);
    s.withdraw(&attacker, 0, stolen).unwrap();
    model.flows.push((attacker.clone(), -(stolen as i128)));
    assert_eq!(
        s.balance(&attacker, rewind_testing::suite::USDC),
        before_withdraw + stolen
    );
    s.stake(&attacker, 50_000_000).unwrap();
    s.advance_blocks(1);

    // Honest flows after H: they must survive the restoration (row R9).
    s.deposit(&u2, 0, 5_000).unwrap();
    model.flows.push((u2.clone(), 5_000));
    s.withdraw(&u0, 0, 1_000).unwrap();
    model.flows.push((u0.clone(), -1_000));
    s.advance_blocks(1);

    // The guardian pauses trade and withdraw (exits are pausable on this target) for 72 h.
    s.pause(0, TRADE, MAX_PAUSE).unwrap();
    s.pause(0, WITHDRAW, MAX_PAUSE).unwrap();
    assert!(scope_blocked(&s, TRADE) && scope_blocked(&s, WITHDRAW));
    let paused_at = s.time();
    assert_error(
        s.withdraw(&u1, 0, 1),
        rewind_target::ContractError::<rewind_vault::ContractError>::from(JournalError::Paused {
            scope: WITHDRAW,
            until: Timestamp::from_seconds(paused_at.seconds() + MAX_PAUSE),
        }),
    );
    s.advance_blocks(1);

    // A holder proposes restoring to H on the expedited track, excluding the attacker.
    let holder0 = s.holder(0);
    let p = RestorationProposal {
        targets: vec![0],
        heights: vec![h],
        exclusions: vec![attacker.clone()],
        policy: ShortfallPolicy::ProRataHaircut,
        expedited: true,
    };
    let id = s.propose_restoration(&holder0, &p).unwrap();
    let proposal = s.proposal(id);
    assert_eq!(proposal.power_height, h + 1);
    assert_eq!(proposal.power_height, e);
    // The attacker's power bought in block E counts zero (rows G1, G2).
    assert_error(
        s.vote(&attacker, id, VoteOption::Candidate { height: h }),
        rewind_governance::ContractError::ZeroVotingPower {
            voter: attacker.to_string(),
            height: e,
        },
    );

    // Holders vote while trade and withdraw are paused (row P4).
    assert!(scope_blocked(&s, TRADE));
    s.vote_all_holders(id, h);
    assert_eq!(
        s.proposal(id).status,
        ProposalStatus::Open,
        "no early pass (G4)"
    );
    s.advance_by(EXPEDITED, EXPEDITED / 5);
    assert_eq!(s.proposal(id).status, ProposalStatus::Passed);

    // Close queues it in the timelock, still while paused; the restoration lock holds.
    assert!(scope_blocked(&s, WITHDRAW));
    s.close(id).unwrap();
    let op_id = s.operation_of(id);
    let op = s.operation(op_id);
    assert_eq!(op.status, OperationStatus::Queued);
    assert_eq!(op.content_hash, s.scheduled_spec(id).content_hash);
    assert_eq!(
        op.spec
            .as_ref()
            .expect("queued: the timelock holds the spec")
            .height,
        h
    );
    assert_eq!(
        op.spec
            .as_ref()
            .expect("queued: the timelock holds the spec")
            .exclusions,
        vec![attacker.clone()]
    );
    assert_eq!(
        s.journal_info(0).restoration_lock_until,
        Some(op.expires_at)
    );
    assert_error(
        s.deposit(&u1, 0, 1),
        rewind_target::ContractError::<rewind_vault::ContractError>::from(
            JournalError::RestorationLocked {
                until: op.expires_at,
            },
        ),
    );

    // Time and blocks pass; anyone executes while the target is paused.
    s.advance_by(12 * HOUR, 100);
    assert!(scope_blocked(&s, TRADE));
    s.execute_op(op_id).unwrap();
    assert_eq!(s.operation(op_id).status, OperationStatus::Executed);
    assert!(
        s.journal_info(0).restoring,
        "migrated: the rollback is running"
    );

    // Anyone cranks the executor in small batches until the restoration completes.
    let cranks = s.crank_until_done(op_id, Some(3), 200);
    assert!(cranks > 1, "the restoration ran in several batches");
    assert_complete(&s, op_id, h);
    let status = s.restoration_status(0);
    assert!(status.digest_verified);
    assert_eq!(status.height, Some(h));
    assert_eq!(
        s.digest_at(0, h).digest,
        op.spec
            .as_ref()
            .expect("queued: the timelock holds the spec")
            .targets[0]
            .expected_digest
    );

    // Unlocked: no restoring flag, no lock in the vault or the guardian.
    let info = s.journal_info(0);
    assert!(!info.restoring);
    assert_eq!(info.restoration_lock_until, None);
    assert_eq!(s.guardian_pause_status(0).restoration_lock_until, None);
    assert!(!s.vault_pause_status(0).restoring);

    // The claims invariants of DESIGN.md.
    assert_claims_invariants(
        &s,
        0,
        &model,
        std::slice::from_ref(&attacker),
        ShortfallPolicy::ProRataHaircut,
    );
    let excluded: BTreeSet<_> = [attacker.clone()].into_iter().collect();
    let before = model.before(&excluded);
    assert_eq!(before[&u0], 89_000, "at H 90k, replayed withdrawal 1k");
    assert_eq!(before[&u2], 105_000, "at H 100k, replayed deposit 5k");
    assert_eq!(before[&attacker], 20_000, "frozen at its claim at H");
    let report = s.restoration_report(0).unwrap();
    assert_eq!(report.height, h);
    // The vault replays recorded executions (these count them): the attacker's close and
    // withdrawal are skipped; replayed are the feeder's push (the feeder is not excluded in
    // this story; no honest trade ran at its price, so no claim depends on it) and the two
    // honest flows.
    assert_eq!(
        report.skipped_flows, 2,
        "the attacker's close and withdrawal are not replayed"
    );
    assert_eq!(report.replayed_flows, 3);
    assert_eq!(report.denoms[0].shortfall.u128(), 38_000);
    assert_eq!(
        report.denoms[0].frozen_after.u128(),
        0,
        "frozen claims absorb first"
    );
    assert_eq!(report.denoms[0].haircut_shortfall.u128(), 18_000);

    // The guardian ends its pauses early; honest users exit with their claims; the
    // attacker's account stays frozen.
    s.end_pause(0, TRADE).unwrap();
    s.end_pause(0, WITHDRAW).unwrap();
    s.advance_blocks(1);
    for u in [&u0, &u1, &u2] {
        let claim = s.collateral(0, u);
        assert!(claim > 0);
        s.withdraw(u, 0, claim).unwrap();
    }
    assert_error(
        s.withdraw(&attacker, 0, 1),
        rewind_target::ContractError::<rewind_vault::ContractError>::from(
            rewind_target::TargetError::FrozenSender {
                account: attacker.clone(),
            },
        ),
    );
    // Every honest claim was paid; what the ledger still holds is the frozen attacker's
    // account as it stood at H (its keys are frozen; its settled claim, 0, is the
    // restoration's record, and a voted sweep clears it).
    assert_eq!(
        s.liabilities(0),
        before[&attacker],
        "every honest claim was paid"
    );

    // Restorations are consumed: the operation cannot run again (rows T2, R2).
    assert_error(
        s.execute_op(op_id),
        rewind_timelock::ContractError::NotQueued {
            operation_id: op_id,
            status: OperationStatus::Executed,
        },
    );
    // Every pause had an end, within the cap, and the budget held.
    for record in s.pause_history(0) {
        assert!(record.end.seconds() - record.start.seconds() <= MAX_PAUSE);
    }
    assert!(s.budget(0).used_seconds <= 7 * DAY);
}

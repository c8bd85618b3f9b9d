//! Adversarial variants at the whole-system level, each refused with its exact error; and
//! row P4: governance and the timelock keep working while every scope of the target is
//! paused.

mod common;

use common::{
    assert_claims_invariants, pass_and_queue, proposal, snapshot, wait_until_due, ClaimsModel,
};
use rewind_testing::SuiteBase;
use std::collections::BTreeMap;

use cosmwasm_std::{Addr, Decimal, Timestamp};
use rewind_journal::JournalError;
use rewind_testing::assert_error;
use rewind_testing::suite::{Suite, SuiteBuilder, DAY, HOUR};
use rewind_types::executor::RestorationState;
use rewind_types::governance::{
    ExecuteMsg as GovMsg, ParameterChange, ProposalStatus, VoteOption, VotingRules,
};
use rewind_types::timelock::OperationStatus;
use rewind_types::vault::{DEPOSIT, LIQUIDATE, TRADE, WITHDRAW};
use rewind_types::{PauseScope, ShortfallPolicy};

/// `all`, then the scopes the vault declares.
const ALL_SCOPES: [PauseScope; 5] = [PauseScope::ALL, DEPOSIT, WITHDRAW, TRADE, LIQUIDATE];

/// A suite with some vault activity and an exploit block after H. Returns H and each
/// account's collateral at the end of H.
fn exploited() -> (Suite, u64, BTreeMap<Addr, u128>) {
    let mut s = SuiteBuilder::new().build();
    let (u0, attacker) = (s.user(0), s.attacker());
    s.deposit(&u0, 0, 100_000).unwrap();
    s.deposit(&attacker, 0, 10_000).unwrap();
    s.advance_blocks(1);
    s.open(&attacker, 0, 500, 5_000).unwrap();
    s.open(&u0, 0, -100, 2_000).unwrap();
    s.advance_blocks(1);
    let h = s.height();
    let at_h = snapshot(&s, 0);
    s.advance_blocks(1);
    s.push_price(0, Decimal::from_ratio(115u128, 1u128))
        .unwrap();
    s.close_position(&attacker, 0).unwrap();
    let all = s.collateral(0, &attacker);
    s.withdraw(&attacker, 0, all).unwrap();
    s.advance_blocks(1);
    (s, h, at_h)
}

/// Proposes, passes and queues a restoration to `h`; returns the operation id.
fn queued(s: &mut Suite, h: u64) -> u64 {
    let holder = s.holder(0);
    let id = s
        .propose_restoration(&holder, &proposal(s, vec![0], h, true))
        .unwrap();
    pass_and_queue(s, id, h)
}

#[test]
fn g1_power_staked_after_the_power_height_counts_zero() {
    let (mut s, h, _) = exploited();
    let holder = s.holder(0);
    let id = s
        .propose_restoration(&holder, &proposal(&s, vec![0], h, true))
        .unwrap();
    let power_height = s.proposal(id).power_height;
    assert_eq!(power_height, h + 1);

    // A fresh staker (tokens bought after H, e.g. with exploit proceeds) has no power.
    let attacker = s.attacker();
    s.stake(&attacker, 10_000_000).unwrap();
    s.advance_blocks(1);
    assert_eq!(s.power_at(&attacker, s.height()), 10_000_000, "power now");
    assert_error(
        s.vote(&attacker, id, VoteOption::Candidate { height: h }),
        rewind_governance::ContractError::ZeroVotingPower {
            voter: attacker.to_string(),
            height: power_height,
        },
    );
    // A holder who adds stake after the power height votes with its old power only.
    let holder1 = s.holder(1);
    let old = s.power_at(&holder1, power_height);
    s.stake(&holder1, 5_000_000).unwrap();
    s.advance_blocks(1);
    s.vote(&holder1, id, VoteOption::Reject).unwrap();
    let voter = s.voter(id, &holder1);
    assert_eq!(voter.vote.unwrap().power.u128(), old);
    assert_eq!(s.proposal(id).tally.reject.u128(), old);
}

#[test]
fn t2_t3_execute_before_due_is_refused() {
    let (mut s, h, _) = exploited();
    let op_id = queued(&mut s, h);
    let op = s.operation(op_id);
    let not_due = |s: &Suite| rewind_timelock::ContractError::NotDue {
        operation_id: op_id,
        eta: op.eta,
        eta_height: op.eta_height,
        now: s.time(),
        height: s.height(),
    };
    // At once.
    let expected = not_due(&s);
    assert_error(s.execute_op(op_id), expected);
    // T3: the delay's time passed in one block (a chain halt), but not the blocks.
    s.advance_time(12 * HOUR);
    assert!(s.time() >= op.eta && s.height() < op.eta_height);
    let expected = not_due(&s);
    assert_error(s.execute_op(op_id), expected);
    // Both passed: it executes.
    wait_until_due(&mut s, op_id);
    s.execute_op(op_id).unwrap();
    assert_eq!(s.operation(op_id).status, OperationStatus::Executed);
}

#[test]
fn t2_execute_after_expiry_is_refused() {
    let (mut s, h, _) = exploited();
    let op_id = queued(&mut s, h);
    let op = s.operation(op_id);
    wait_until_due(&mut s, op_id);
    s.advance_by(7 * DAY, 1);
    assert!(s.time() >= op.expires_at);
    assert_error(
        s.execute_op(op_id),
        rewind_timelock::ContractError::Expired {
            operation_id: op_id,
            expires_at: op.expires_at,
        },
    );
    // The lock ended by itself with the grace window: users are not stuck.
    let u0 = s.user(0);
    s.deposit(&u0, 0, 1).unwrap();
}

#[test]
fn t2_r2_second_execute_is_refused() {
    let (mut s, h, _) = exploited();
    let op_id = queued(&mut s, h);
    wait_until_due(&mut s, op_id);
    s.execute_op(op_id).unwrap();
    assert_error(
        s.execute_op(op_id),
        rewind_timelock::ContractError::NotQueued {
            operation_id: op_id,
            status: OperationStatus::Executed,
        },
    );
    s.crank_until_done(op_id, None, 50);
    s.advance_blocks(1);
    assert_error(
        s.execute_op(op_id),
        rewind_timelock::ContractError::NotQueued {
            operation_id: op_id,
            status: OperationStatus::Executed,
        },
    );
    assert_eq!(s.restoration(op_id).state, RestorationState::Complete);
}

#[test]
fn p1_guardian_repause_inside_the_cooldown_is_refused() {
    let mut s = SuiteBuilder::new().build();
    s.pause(0, TRADE, HOUR).unwrap();
    // Renewing a running pause is refused.
    let until = Timestamp::from_seconds(s.time().seconds() + HOUR);
    s.advance_blocks(1);
    assert_error(
        s.pause(0, TRADE, HOUR),
        rewind_guardian::ContractError::AlreadyPaused {
            target: s.vaults[0].clone(),
            scope: TRADE,
            until,
        },
    );
    // Right after it expires, and through the cooldown, any scope that stops trade is
    // refused (the cooldown holds per action, row P5); other actions may be paused.
    s.advance_time(HOUR);
    let cooldown_end = Timestamp::from_seconds(until.seconds() + DAY);
    for scope in [TRADE, PauseScope::ALL] {
        assert_error(
            s.pause(0, scope, HOUR),
            rewind_guardian::ContractError::InCooldown {
                target: s.vaults[0].clone(),
                action: TRADE,
                until: cooldown_end,
            },
        );
    }
    s.pause(0, LIQUIDATE, HOUR).unwrap();
    // Ending a pause early starts the cooldown too.
    s.advance_by(DAY, 1);
    s.pause(0, DEPOSIT, HOUR).unwrap();
    s.end_pause(0, DEPOSIT).unwrap();
    let ended = s.time().seconds();
    s.advance_blocks(1);
    assert_error(
        s.pause(0, DEPOSIT, HOUR),
        rewind_guardian::ContractError::InCooldown {
            target: s.vaults[0].clone(),
            action: DEPOSIT,
            until: Timestamp::from_seconds(ended + DAY),
        },
    );
    // The vault honours only the pauses that still run.
    let u0 = s.user(0);
    s.deposit(&u0, 0, 1).unwrap();
}

#[test]
fn r1_user_actions_between_crank_batches_are_refused() {
    let (mut s, h, at_h) = exploited();
    let op_id = queued(&mut s, h);
    wait_until_due(&mut s, op_id);
    s.execute_op(op_id).unwrap();
    let (u0, u1) = (s.user(0), s.user(1));
    let mut batches = 0;
    loop {
        s.crank(Some(op_id), Some(1)).unwrap();
        batches += 1;
        s.advance_blocks(1);
        if s.restoration(op_id).state != RestorationState::Running {
            break;
        }
        let restoring = || {
            rewind_target::ContractError::<rewind_vault::ContractError>::from(
                JournalError::Restoring,
            )
        };
        assert_error(s.deposit(&u1, 0, 1), restoring());
        assert_error(s.withdraw(&u0, 0, 1), restoring());
        assert_error(s.open(&u1, 0, 1, 1_000), restoring());
        assert_error(s.close_position(&u0, 0), restoring());
        assert_error(s.push_price(0, Decimal::one()), restoring());
    }
    assert!(batches > 3, "several batches ran ({batches})");
    assert_eq!(s.restoration(op_id).state, RestorationState::Complete);
    // Interrupting the batches with refused actions changed nothing: the claims are the
    // model's (the only flow after H is the excluded attacker's, which is not replayed).
    let model = ClaimsModel {
        at_h,
        flows: vec![],
    };
    let attacker = s.attacker();
    assert_claims_invariants(&s, 0, &model, &[attacker], ShortfallPolicy::ProRataHaircut);
    assert_eq!(
        s.collateral(0, &u0),
        92_500,
        "100k at H, minus its share of the 7.5k shortfall"
    );
    s.deposit(&u1, 0, 1).unwrap();
}

#[test]
fn p4_governance_vote_close_cancel_and_execute_work_while_every_scope_is_paused() {
    let rules = |period: u64, threshold: Decimal| VotingRules {
        voting_period_seconds: period,
        quorum: Decimal::percent(20),
        threshold,
        veto_threshold: Decimal::from_ratio(1u128, 3u128),
    };
    let mut s = SuiteBuilder::new()
        .with_voting_rules(
            rules(12 * HOUR, Decimal::percent(50)),
            rules(6 * HOUR, Decimal::from_ratio(2u128, 3u128)),
        )
        .build();
    // Build history, then pause every scope (exits are pausable on this target).
    let u0 = s.user(0);
    s.deposit(&u0, 0, 50_000).unwrap();
    s.advance_blocks(1);
    let h = s.height();
    s.advance_blocks(1);
    for scope in ALL_SCOPES {
        s.pause(0, scope, 72 * HOUR).unwrap();
    }
    let paused_until = Timestamp::from_seconds(s.time().seconds() + 72 * HOUR);
    let all_paused = |s: &Suite| {
        s.time() < paused_until && s.vault_pause_status(0).scopes.iter().all(|sc| sc.blocked)
    };
    assert!(all_paused(&s));
    assert_error(
        s.deposit(&u0, 0, 1),
        rewind_target::ContractError::<rewind_vault::ContractError>::from(JournalError::Paused {
            scope: DEPOSIT,
            until: paused_until,
        }),
    );

    // Restoration A: propose, vote, close (queue) while paused.
    let holder = s.holder(0);
    let a = s
        .propose_restoration(&holder, &proposal(&s, vec![0], h, true))
        .unwrap();
    let op_a = pass_and_queue(&mut s, a, h);
    assert!(all_paused(&s));
    assert_eq!(s.operation(op_a).status, OperationStatus::Queued);

    // Governance cancels it through a parameter proposal, still while paused.
    let cancel = GovMsg::ProposeParameters {
        title: "Cancel restoration A".into(),
        description: "Wrong exclusions".into(),
        changes: vec![ParameterChange::CancelOperation { operation_id: op_a }],
    };
    let c = s.propose(&holder, &cancel).unwrap();
    for i in 0..3 {
        let holder = s.holder(i);
        s.vote(&holder, c, VoteOption::Yes).unwrap();
    }
    s.advance_by(12 * HOUR, 12 * HOUR / 5);
    assert!(all_paused(&s));
    s.close(c).unwrap();
    assert_eq!(s.proposal(c).status, ProposalStatus::Executed);
    let op = s.operation(op_a);
    assert_eq!(op.status, OperationStatus::Cancelled);
    assert_eq!(op.closed_by, Some(s.governance.clone()));
    assert_eq!(
        s.journal_info(0).restoration_lock_until,
        None,
        "cancel releases the lock"
    );

    // Restoration B: queued, executed and cranked to completion, all while paused.
    let b = s
        .propose_restoration(&holder, &proposal(&s, vec![0], h, true))
        .unwrap();
    let op_b = pass_and_queue(&mut s, b, h);
    wait_until_due(&mut s, op_b);
    assert!(all_paused(&s));
    s.execute_op(op_b).unwrap();
    s.crank_until_done(op_b, None, 50);
    assert!(all_paused(&s), "the restoration finished inside the pause");
    assert_eq!(s.restoration(op_b).state, RestorationState::Complete);
}

#[test]
fn p4_t4_a_guardian_delays_a_queued_restoration_while_paused() {
    let (mut s, h, _) = exploited();
    s.pause(0, PauseScope::ALL, 72 * HOUR).unwrap();
    let op_id = queued(&mut s, h);
    let before = s.operation(op_id);
    let key = s.guardian_key();
    // A guardian's cancel delays the operation once (row T4); it stays queued and locked.
    s.cancel_op(&key, op_id).unwrap();
    let op = s.operation(op_id);
    assert_eq!(op.status, OperationStatus::Queued);
    assert!(op.eta > before.eta && op.eta_height > before.eta_height);
    assert_eq!(op.guardian_delay.as_ref().unwrap().delayed_by, key);
    assert_eq!(
        s.journal_info(0).restoration_lock_until,
        Some(op.expires_at)
    );
    assert_error(
        s.cancel_op(&key, op_id),
        rewind_timelock::ContractError::AlreadyDelayed {
            operation_id: op_id,
            delayed_by: key.clone(),
        },
    );
    // Not due at the original eta.
    let secs = before.eta.seconds().saturating_sub(s.time().seconds());
    let blocks = before.eta_height.saturating_sub(s.height());
    s.advance_by(secs, blocks.max(1));
    assert_error(
        s.execute_op(op_id),
        rewind_timelock::ContractError::NotDue {
            operation_id: op_id,
            eta: op.eta,
            eta_height: op.eta_height,
            now: s.time(),
            height: s.height(),
        },
    );
    // A non-guardian cannot cancel.
    let u0 = s.user(0);
    assert_error(
        s.cancel_op(&u0, op_id),
        rewind_timelock::ContractError::Unauthorized {
            sender: u0.clone(),
            required: "governance or a guardian".into(),
        },
    );
}

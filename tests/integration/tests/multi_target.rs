//! Two vaults restored to one height in one restoration: one spec, one operation, and they
//! unlock together (DESIGN: "Several targets in one restoration share one height and unlock
//! together"; row R1).

mod common;

use common::{
    assert_claims_invariants, assert_complete, pass_and_queue, proposal, snapshot, wait_until_due,
    ClaimsModel,
};
use cosmwasm_std::Decimal;
use rewind_journal::JournalError;
use rewind_testing::assert_error;
use rewind_testing::suite::{Suite, SuiteBuilder};
use rewind_testing::SuiteBase;
use rewind_types::executor::RestorationState;
use rewind_types::restorable::RestorationPhase;
use rewind_types::ShortfallPolicy;

/// Two vaults with activity; an exploit on both after H. Returns (suite, H, models).
fn exploited_pair() -> (Suite, u64, Vec<ClaimsModel>) {
    let mut s = SuiteBuilder::new().with_vaults(2).build();
    let (u0, u1, attacker) = (s.user(0), s.user(1), s.attacker());
    for v in 0..2 {
        s.deposit(&u0, v, 50_000).unwrap();
        s.deposit(&u1, v, 70_000).unwrap();
        s.deposit(&attacker, v, 10_000).unwrap();
    }
    // The two ledgers differ, so their digests differ.
    s.deposit(&u0, 1, 123).unwrap();
    s.advance_blocks(1);
    for v in 0..2 {
        s.open(&attacker, v, 500, 5_000).unwrap();
        s.open(&u1, v, -200, 4_000).unwrap();
    }
    s.advance_blocks(1);
    let h = s.height();
    let mut models: Vec<ClaimsModel> = (0..2)
        .map(|v| ClaimsModel {
            at_h: snapshot(&s, v),
            ..Default::default()
        })
        .collect();
    s.advance_blocks(1);
    for (v, model) in models.iter_mut().enumerate() {
        s.push_price(v, Decimal::from_ratio(115u128, 1u128))
            .unwrap();
        s.close_position(&attacker, v).unwrap();
        let all = s.collateral(v, &attacker);
        s.withdraw(&attacker, v, all).unwrap();
        model.flows.push((attacker.clone(), -(all as i128)));
        s.deposit(&u0, v, 1_000).unwrap();
        model.flows.push((u0.clone(), 1_000));
    }
    s.advance_blocks(1);
    (s, h, models)
}

#[test]
fn two_vaults_restored_to_one_height_unlock_together() {
    let (mut s, h, models) = exploited_pair();
    let holder = s.holder(0);
    let id = s
        .propose_restoration(&holder, &proposal(&s, vec![0, 1], h, false))
        .unwrap();
    let op_id = pass_and_queue(&mut s, id, h);
    let op = s.operation(op_id);
    assert_eq!(
        op.spec
            .as_ref()
            .expect("queued: the timelock holds the spec")
            .targets
            .len(),
        2
    );
    assert!(op
        .spec
        .as_ref()
        .expect("queued: the timelock holds the spec")
        .targets
        .iter()
        .all(|_| op
            .spec
            .as_ref()
            .expect("queued: the timelock holds the spec")
            .height
            == h));
    for v in 0..2 {
        assert_eq!(
            s.journal_info(v).restoration_lock_until,
            Some(op.expires_at)
        );
    }
    wait_until_due(&mut s, op_id);
    s.execute_op(op_id).unwrap();

    // Crank in small batches. While the restoration runs, NEITHER vault accepts a user
    // action, even once its own batches are done.
    let u1 = s.user(1);
    let mut cranks = 0;
    let mut saw_one_done_other_running = false;
    while s.restoration(op_id).state == RestorationState::Running {
        s.crank(Some(op_id), Some(2)).unwrap();
        cranks += 1;
        assert!(cranks < 200);
        s.advance_blocks(1);
        if s.restoration(op_id).state != RestorationState::Running {
            break;
        }
        let phases: Vec<_> = (0..2).map(|v| s.restoration_status(v).phase).collect();
        if phases.contains(&RestorationPhase::Complete) {
            saw_one_done_other_running = true;
        }
        for v in 0..phases.len() {
            // A target whose own work is done stays restoring until the executor releases
            // every target of the restoration together (row R12).
            assert_error(
                s.deposit(&u1, v, 1),
                rewind_target::ContractError::<rewind_vault::ContractError>::from(
                    JournalError::Restoring,
                ),
            );
        }
    }
    assert!(
        saw_one_done_other_running,
        "the vaults finish in different batches"
    );
    assert_complete(&s, op_id, h);
    for (v, model) in models.iter().enumerate() {
        assert!(!s.journal_info(v).restoring);
        assert_eq!(s.journal_info(v).restoration_lock_until, None);
        assert_eq!(s.guardian_pause_status(v).restoration_lock_until, None);
        assert_eq!(s.restoration_status(v).height, Some(h));
        assert_claims_invariants(
            &s,
            v,
            model,
            &[s.attacker()],
            ShortfallPolicy::ProRataHaircut,
        );
    }
    // Both open again together.
    for v in 0..2 {
        s.deposit(&u1, v, 1).unwrap();
    }
}

#[test]
fn a_restoration_refuses_mismatched_digests_for_the_second_target() {
    // The expected digest of each target is checked at proposal (row R3): a digest of
    // vault 0 given for vault 1 is refused with the vault's actual digest in the error.
    let (mut s, h, _) = exploited_pair();
    let holder = s.holder(0);
    let mut msg = s.restoration_msg(&proposal(&s, vec![0, 1], h, false));
    let wrong = s.expected_digest(0, h);
    let actual = s.expected_digest(1, h);
    assert_ne!(
        wrong, actual,
        "two vaults with different state have different digests"
    );
    if let rewind_types::governance::ExecuteMsg::ProposeRestoration { candidates, .. } = &mut msg {
        candidates[0].expected_digests[1] = wrong.clone();
    }
    assert_error(
        s.propose(&holder, &msg),
        rewind_governance::ContractError::DigestMismatch {
            target: s.vaults[1].to_string(),
            height: h,
            expected: wrong,
            actual,
        },
    );
}

//! How the targets of one restoration leave it: together. On completion every target gets
//! `Release {}` in the same step (row R12); on a voted abort of a restoration that Failed or
//! outlived its lock, every target gets `Abandon` (row R13).

use cosmwasm_std::Timestamp;
use cw_multi_test::{AppResponse, Executor};
use proptest::prelude::*;
use rewind_types::executor::{ExecuteMsg, RestorationState};
use rewind_types::restorable::RestorationPhase;

use super::mock_target::MockExecuteMsg;
use super::suite::{assert_err, Suite, SuiteBuilder, TargetConfig};
use crate::error::ContractError;
use crate::settings::default_settings;

const LOCK_SECONDS: u64 = 7 * 24 * 3600;
const EXIT_ONLY_SECONDS: u64 = 7 * 24 * 3600;

fn suite(targets: Vec<TargetConfig>) -> Suite {
    SuiteBuilder::default().with_targets(targets).build()
}

fn work(work: u64) -> TargetConfig {
    TargetConfig {
        work,
        ..TargetConfig::default()
    }
}

fn mock_exec(s: &mut Suite, i: usize, msg: &MockExecuteMsg) {
    let gov = s.governance.clone();
    let target = s.targets[i].clone();
    s.app.execute_contract(gov, target, msg, &[]).unwrap();
}

fn abort(s: &mut Suite, id: u64) -> cosmwasm_std::StdResult<AppResponse> {
    s.gov_exec(&ExecuteMsg::Abort { restoration_id: id })
}

fn releases(s: &Suite) -> Vec<u64> {
    (0..s.targets.len()).map(|i| s.mock(i).releases).collect()
}

fn abandons(s: &Suite) -> Vec<u64> {
    (0..s.targets.len()).map(|i| s.mock(i).abandons).collect()
}

fn now(s: &Suite) -> Timestamp {
    s.app.block_info().time
}

#[test]
fn r12_completion_releases_every_target_in_the_same_step() {
    let mut s = suite(vec![work(100), work(250)]);
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    // Target 0 completes with the first crank; target 1 needs three more.
    s.crank(None).unwrap();
    assert_eq!(s.mock(0).status.phase, RestorationPhase::Complete);
    for _ in 0..2 {
        s.crank(None).unwrap();
        assert_eq!(releases(&s), vec![0, 0], "no target is released early");
        assert!(s.mock(0).lock_until.is_some());
    }
    s.crank(None).unwrap();
    let r = s.restoration(id);
    assert_eq!(r.state, RestorationState::Complete);
    assert_eq!(releases(&s), vec![1, 1]);
    assert_eq!(abandons(&s), vec![0, 0]);
    assert!(r.targets.iter().all(|t| t.released && !t.abandoned));
    assert!((0..2).all(|i| s.mock(i).lock_until.is_none()));
}

#[test]
fn r12_a_restoration_completing_at_apply_releases_every_target() {
    let mut s = suite(vec![work(0), work(0), work(0)]);
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Complete);
    assert_eq!(releases(&s), vec![1, 1, 1]);
}

#[test]
fn r12_r13_a_failed_sibling_keeps_the_completed_target_locked_until_abort() {
    let mut s = suite(vec![work(50), work(250)]);
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    s.crank(None).unwrap();
    assert_eq!(s.mock(0).status.phase, RestorationPhase::Complete);
    mock_exec(
        &mut s,
        1,
        &MockExecuteMsg::SetFailures {
            restore: false,
            crank: true,
        },
    );
    s.crank(None).unwrap();
    let r = s.restoration(id);
    assert!(matches!(r.state, RestorationState::Failed { .. }), "{r:?}");
    assert_eq!(releases(&s), vec![0, 0]);
    assert!(!r.targets[0].released);
    assert!(s.mock(0).lock_until.is_some() && s.mock(1).lock_until.is_some());
    // Governance aborts: both targets, the completed one included, get Abandon.
    let at = now(&s);
    let res = abort(&mut s, id).unwrap();
    let expected = at.plus_seconds(EXIT_ONLY_SECONDS);
    let r = s.restoration(id);
    assert_eq!(r.state, RestorationState::Aborted);
    assert_eq!(r.exit_only_until, Some(expected));
    assert_eq!(abandons(&s), vec![1, 1]);
    assert_eq!(releases(&s), vec![0, 0]);
    for i in 0..2 {
        assert_eq!(s.mock(i).exit_only_until, Some(expected));
        assert_eq!(s.mock(i).lock_until, None);
        assert!(r.targets[i].abandoned && r.targets[i].abandon_error.is_none());
    }
    assert!(res.events.iter().any(|e| e
        .attributes
        .iter()
        .any(|a| a.key == "action" && a.value == "abort")));
    // Final: nothing more to do.
    assert_err(
        abort(&mut s, id),
        ContractError::NotFailed { restoration_id: id },
    );
    assert_err(
        s.gov_exec(&ExecuteMsg::Retry { restoration_id: id }),
        ContractError::NotFailed { restoration_id: id },
    );
}

#[test]
fn r12_a_target_refusing_release_reverts_the_completion_for_all() {
    let mut s = suite(vec![work(10), work(10)]);
    mock_exec(
        &mut s,
        1,
        &MockExecuteMsg::SetRefusals {
            release: true,
            abandon: false,
        },
    );
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    s.crank(None).unwrap();
    // The crank that completes the last target releases all of them or none.
    assert!(s.crank(None).is_err());
    assert_eq!(s.restoration(id).state, RestorationState::Running);
    assert_eq!(releases(&s), vec![0, 0]);
    mock_exec(
        &mut s,
        1,
        &MockExecuteMsg::SetRefusals {
            release: false,
            abandon: false,
        },
    );
    s.crank(None).unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Complete);
    assert_eq!(releases(&s), vec![1, 1]);
}

#[test]
fn r13_a_failed_digest_restoration_is_abandoned_on_every_target() {
    let mut s = suite(vec![
        TargetConfig {
            verify_digest: false,
            work: 10,
            ..TargetConfig::default()
        },
        work(0),
        TargetConfig {
            retained_from: 1_000_000,
            ..TargetConfig::default()
        },
    ]);
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    // Target 2 refused the height at migration; target 1 completed at once.
    assert!(matches!(
        s.restoration(id).state,
        RestorationState::Failed { .. }
    ));
    assert_eq!(s.mock(1).status.phase, RestorationPhase::Complete);
    assert_eq!(releases(&s), vec![0, 0, 0]);
    let at = now(&s);
    abort(&mut s, id).unwrap();
    assert_eq!(abandons(&s), vec![1, 1, 1]);
    for i in 0..3 {
        assert_eq!(
            s.mock(i).exit_only_until,
            Some(at.plus_seconds(EXIT_ONLY_SECONDS))
        );
    }
    assert_eq!(releases(&s), vec![0, 0, 0]);
}

#[test]
fn r13_a_running_restoration_is_abortable_once_its_lock_ends() {
    let mut s = suite(vec![work(250), work(250)]);
    let id = s.queue_due();
    let applied_at = now(&s);
    s.execute_op(id).unwrap();
    s.crank(None).unwrap();
    let lock_until = applied_at.plus_seconds(LOCK_SECONDS);
    assert_eq!(s.restoration(id).lock_until, Some(lock_until));
    assert_err(
        abort(&mut s, id),
        ContractError::LockNotExpired {
            restoration_id: id,
            lock_until,
        },
    );
    s.advance(LOCK_SECONDS - 1, 10);
    assert_err(
        abort(&mut s, id),
        ContractError::LockNotExpired {
            restoration_id: id,
            lock_until,
        },
    );
    s.advance(1, 1);
    let at = now(&s);
    assert_eq!(at, lock_until);
    abort(&mut s, id).unwrap();
    let r = s.restoration(id);
    assert_eq!(r.state, RestorationState::Aborted);
    assert_eq!(abandons(&s), vec![1, 1]);
    assert_eq!(releases(&s), vec![0, 0]);
    assert_eq!(
        s.mock(1).exit_only_until,
        Some(at.plus_seconds(EXIT_ONLY_SECONDS))
    );
    // No longer running: nothing to crank, and the targets are free for a new restoration.
    assert_err(s.crank(None), ContractError::NothingToCrank {});
}

#[test]
fn r13_retry_renews_the_lock_that_bounds_abort() {
    let mut s = suite(vec![work(250)]);
    mock_exec(
        &mut s,
        0,
        &MockExecuteMsg::SetFailures {
            restore: false,
            crank: true,
        },
    );
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    s.crank(None).unwrap();
    assert!(matches!(
        s.restoration(id).state,
        RestorationState::Failed { .. }
    ));
    s.advance(LOCK_SECONDS, 10);
    mock_exec(
        &mut s,
        0,
        &MockExecuteMsg::SetFailures {
            restore: false,
            crank: false,
        },
    );
    s.gov_exec(&ExecuteMsg::Retry { restoration_id: id })
        .unwrap();
    let lock_until = now(&s).plus_seconds(LOCK_SECONDS);
    assert_eq!(s.restoration(id).lock_until, Some(lock_until));
    assert_err(
        abort(&mut s, id),
        ContractError::LockNotExpired {
            restoration_id: id,
            lock_until,
        },
    );
}

#[test]
fn r13_a_target_refusing_abandon_does_not_block_the_abort() {
    let mut s = suite(vec![work(250), work(250)]);
    mock_exec(
        &mut s,
        0,
        &MockExecuteMsg::SetRefusals {
            release: false,
            abandon: true,
        },
    );
    mock_exec(
        &mut s,
        1,
        &MockExecuteMsg::SetFailures {
            restore: true,
            crank: false,
        },
    );
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    abort(&mut s, id).unwrap();
    let r = s.restoration(id);
    assert_eq!(r.state, RestorationState::Aborted);
    assert_eq!(abandons(&s), vec![0, 1]);
    let error = r.targets[0].abandon_error.clone().unwrap();
    assert!(error.contains("mock abandon refusal"), "{error}");
    assert_eq!(r.targets[1].abandon_error, None);
    assert!(r.targets.iter().all(|t| t.abandoned));
    assert_eq!(s.mock(1).lock_until, None);
    // No longer held by the restoration: a voted upgrade can repair the refusing target.
    let checksum = s
        .app
        .wrap()
        .query_wasm_code_info(s.target_code)
        .unwrap()
        .checksum;
    s.gov_exec(&ExecuteMsg::Upgrade {
        contract: s.targets[0].to_string(),
        code_id: s.target_code,
        checksum: cosmwasm_std::HexBinary::from(checksum.as_slice()),
    })
    .unwrap();
}

#[test]
fn r13_abort_is_governance_only() {
    let mut s = suite(vec![TargetConfig {
        retained_from: 1_000_000,
        ..TargetConfig::default()
    }]);
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    let anyone = s.addr("anyone");
    assert_err(
        s.app.execute_contract(
            anyone.clone(),
            s.executor.clone(),
            &ExecuteMsg::Abort { restoration_id: id },
            &[],
        ),
        ContractError::Unauthorized {
            sender: anyone,
            required: "governance".into(),
        },
    );
    assert_eq!(abandons(&s), vec![0]);
}

/// How one target of a generated restoration behaves.
#[derive(Debug, Clone)]
enum Behaviour {
    Healthy,
    RefusesHeight,
    UnverifiedDigest,
    CrankFailsAfter(u8),
}

fn behaviour() -> impl Strategy<Value = Behaviour> {
    prop_oneof![
        3 => Just(Behaviour::Healthy),
        1 => Just(Behaviour::RefusesHeight),
        1 => Just(Behaviour::UnverifiedDigest),
        1 => (0u8..4).prop_map(Behaviour::CrankFailsAfter),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any number of targets, any mix of healthy and failing ones, any crank sizes: a target
    /// is released only when every target is released in the same step, which happens
    /// exactly when the restoration completes; an abort abandons every target.
    #[test]
    fn r12_r13_targets_leave_a_restoration_together(
        targets in prop::collection::vec((behaviour(), 0u64..300), 2..5),
        limits in prop::collection::vec(1u32..300, 1..12),
        wait_for_lock in any::<bool>(),
    ) {
        let configs = targets
            .iter()
            .map(|(b, w)| TargetConfig {
                work: *w,
                verify_digest: !matches!(b, Behaviour::UnverifiedDigest),
                retained_from: if matches!(b, Behaviour::RefusesHeight) { 1_000_000 } else { 1 },
                ..TargetConfig::default()
            })
            .collect();
        let mut s = suite(configs);
        let id = s.queue_due();
        s.execute_op(id).unwrap();
        let n = targets.len();
        for (step, limit) in limits.iter().enumerate() {
            for (i, (b, _)) in targets.iter().enumerate() {
                if let Behaviour::CrankFailsAfter(k) = b {
                    let fail = step >= usize::from(*k);
                    mock_exec(&mut s, i, &MockExecuteMsg::SetFailures { restore: false, crank: fail });
                }
            }
            let _ = s.crank(Some(*limit));
            let rel = releases(&s);
            let state = s.restoration(id).state;
            if state == RestorationState::Complete {
                prop_assert_eq!(rel, vec![1; n]);
            } else {
                prop_assert_eq!(rel, vec![0; n]);
                prop_assert!((0..n).all(|i| s.mock(i).lock_until.is_some()));
            }
        }
        let state = s.restoration(id).state;
        if wait_for_lock {
            s.advance(default_settings().lock_seconds, 10);
        }
        let abortable = matches!(state, RestorationState::Failed { .. })
            || (state == RestorationState::Running && wait_for_lock);
        let at = now(&s);
        let lock_until = s.restoration(id).lock_until.unwrap();
        let res = abort(&mut s, id);
        if abortable {
            prop_assert!(res.is_ok(), "{:?}", res);
            prop_assert_eq!(abandons(&s), vec![1; n]);
            prop_assert_eq!(releases(&s), vec![0; n]);
            for i in 0..n {
                prop_assert_eq!(s.mock(i).exit_only_until, Some(at.plus_seconds(EXIT_ONLY_SECONDS)));
            }
            prop_assert_eq!(s.restoration(id).state, RestorationState::Aborted);
        } else {
            let expected_err = match state {
                RestorationState::Running => ContractError::LockNotExpired { restoration_id: id, lock_until },
                _ => ContractError::NotFailed { restoration_id: id },
            };
            let err = res.unwrap_err();
            prop_assert!(
                format!("{err:?}").contains(&expected_err.to_string()),
                "{:?} is not {}", err, expected_err
            );
            prop_assert_eq!(abandons(&s), vec![0; n]);
            let expected = if state == RestorationState::Complete { 1 } else { 0 };
            prop_assert_eq!(releases(&s), vec![expected; n]);
        }
    }
}

#[test]
fn r13_abort_keeps_a_newer_operations_lock() {
    let mut s = suite(vec![work(250)]);
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    // The restoration outlives its lock; a newer operation on the same target is queued and
    // takes the (expired) lock.
    s.advance(LOCK_SECONDS, 10);
    let mut spec = s.spec(s.height() - 1);
    spec.proposal_id = 2;
    let newer = s.queue(&spec).unwrap();
    let newer_lock = s.operation(newer).expires_at;
    assert_eq!(s.mock(0).lock_until, Some(newer_lock));
    // The abort stands although the guardian refuses to clear a lock it no longer holds.
    let res = abort(&mut s, id).unwrap();
    assert!(res.events.iter().any(|e| e
        .attributes
        .iter()
        .any(|a| a.key == "action" && a.value == "unlock_reply")));
    assert_eq!(s.restoration(id).state, RestorationState::Aborted);
    assert_eq!(abandons(&s), vec![1]);
    assert_eq!(s.mock(0).lock_until, Some(newer_lock));
}

#[test]
fn r12_completion_keeps_a_newer_operations_lock() {
    let mut s = suite(vec![work(250), work(250)]);
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    s.advance(LOCK_SECONDS, 10);
    let mut spec = s.spec(s.height() - 1);
    spec.proposal_id = 2;
    let newer = s.queue(&spec).unwrap();
    let newer_lock = s.operation(newer).expires_at;
    // The restoration still completes and releases every target; the newer lock stays.
    for _ in 0..6 {
        s.crank(None).unwrap();
    }
    assert_eq!(s.restoration(id).state, RestorationState::Complete);
    assert_eq!(releases(&s), vec![1, 1]);
    assert_eq!(s.mock(0).lock_until, Some(newer_lock));
    assert_eq!(s.mock(1).lock_until, Some(newer_lock));
}

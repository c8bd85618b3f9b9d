//! Timelock tests through the full module set: governance (an address), the guardian, the
//! executor and the executor's mock target.

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockApi};
use cosmwasm_std::{coins, StdResult};
use cw_multi_test::{AppResponse, Executor};
use rewind_types::executor::RestorationState;
use rewind_types::timelock::{
    ConfigResponse, ExecuteMsg, InstantiateMsg, OperationStatus, OperationsResponse, QueryMsg,
    TimelockSettings,
};
use rewind_types::{ModuleAddresses, PauseScope, RestorationSpec, MAX_LIMIT};

use super::suite::{assert_err, Suite, SuiteBuilder, TargetConfig};
use crate::error::ContractError;
use crate::settings::{
    default_settings, HARD_MAX_DELAY_SECONDS, HARD_MAX_GUARDIAN_DELAY_BLOCKS,
    HARD_MAX_GUARDIAN_DELAY_SECONDS, HARD_MIN_DELAY_SECONDS, HARD_MIN_GUARDIAN_DELAY_SECONDS,
};

const DELAY: u64 = 12 * 3600;
const BLOCKS: u64 = 100;
const GRACE: u64 = 7 * 86400;

fn send(s: &mut Suite, sender: &cosmwasm_std::Addr, msg: &ExecuteMsg) -> StdResult<AppResponse> {
    s.app
        .execute_contract(sender.clone(), s.timelock.clone(), msg, &[])
}

fn cancel(s: &mut Suite, sender: &cosmwasm_std::Addr, id: u64) -> StdResult<AppResponse> {
    send(s, sender, &ExecuteMsg::Cancel { operation_id: id })
}

fn expire(s: &mut Suite, id: u64) -> StdResult<AppResponse> {
    let anyone = s.addr("anyone");
    send(s, &anyone, &ExecuteMsg::Expire { operation_id: id })
}

fn queue_now(s: &mut Suite) -> u64 {
    let spec = s.spec(s.height() - 1);
    s.queue(&spec).unwrap()
}

/// The module addresses a unit test instantiates with.
pub(super) fn mock_modules(api: &MockApi) -> ModuleAddresses {
    ModuleAddresses {
        governance: api.addr_make("governance"),
        timelock: api.addr_make("timelock"),
        guardian: api.addr_make("guardian"),
        executor: api.addr_make("executor"),
    }
}

#[test]
fn t1_delay_bounds_are_in_code() {
    let base = default_settings();
    let bad = [
        TimelockSettings {
            delay_seconds: 0,
            min_delay_seconds: 0,
            ..base.clone()
        },
        TimelockSettings {
            min_delay_seconds: HARD_MIN_DELAY_SECONDS - 1,
            delay_seconds: HARD_MIN_DELAY_SECONDS - 1,
            ..base.clone()
        },
        TimelockSettings {
            max_delay_seconds: HARD_MAX_DELAY_SECONDS + 1,
            ..base.clone()
        },
        TimelockSettings {
            delay_seconds: base.max_delay_seconds + 1,
            ..base.clone()
        },
        TimelockSettings {
            min_delay_seconds: base.max_delay_seconds + 1,
            ..base.clone()
        },
        TimelockSettings {
            min_delay_blocks: 0,
            ..base.clone()
        },
        TimelockSettings {
            grace_period_seconds: 0,
            ..base.clone()
        },
        TimelockSettings {
            guardian_delay_seconds: HARD_MIN_GUARDIAN_DELAY_SECONDS - 1,
            ..base.clone()
        },
        TimelockSettings {
            guardian_delay_seconds: HARD_MAX_GUARDIAN_DELAY_SECONDS + 1,
            ..base.clone()
        },
        TimelockSettings {
            guardian_delay_blocks: 0,
            ..base.clone()
        },
        TimelockSettings {
            guardian_delay_blocks: HARD_MAX_GUARDIAN_DELAY_BLOCKS + 1,
            ..base.clone()
        },
    ];
    for settings in bad {
        let mut deps = mock_dependencies();
        let modules = mock_modules(&deps.api);
        let err = crate::contract::instantiate(
            deps.as_mut(),
            mock_env(),
            message_info(&modules.governance, &[]),
            InstantiateMsg {
                modules,
                settings: settings.clone(),
            },
        )
        .unwrap_err();
        assert!(
            matches!(err, ContractError::InvalidSettings { .. }),
            "{settings:?} accepted: {err}"
        );
    }
    // Only governance changes them, and only within the bounds.
    let mut s = SuiteBuilder::default().build();
    let stranger = s.addr("stranger");
    assert_err(
        send(&mut s, &stranger, &ExecuteMsg::UpdateSettings(base.clone())),
        ContractError::Unauthorized {
            sender: stranger,
            required: "governance".into(),
        },
    );
    let gov = s.governance.clone();
    let zero = TimelockSettings {
        delay_seconds: 0,
        min_delay_seconds: 0,
        ..base.clone()
    };
    let err = send(&mut s, &gov, &ExecuteMsg::UpdateSettings(zero)).unwrap_err();
    assert!(err.to_string().contains("invalid timelock settings"));
    send(&mut s, &gov, &ExecuteMsg::UpdateSettings(base.clone())).unwrap();
    let cfg: ConfigResponse = s
        .app
        .wrap()
        .query_wasm_smart(&s.timelock, &QueryMsg::Config {})
        .unwrap();
    assert_eq!(cfg.settings, base);
}

#[test]
fn t3_chain_halt_time_without_blocks_is_not_due() {
    let mut s = SuiteBuilder::default().build();
    let id = queue_now(&mut s);
    let op = s.operation(id);
    // The chain halts: a day passes with only 3 blocks.
    s.advance(86400, 3);
    assert_err(
        s.execute_op(id),
        ContractError::NotDue {
            operation_id: id,
            eta: op.eta,
            eta_height: op.eta_height,
            now: s.app.block_info().time,
            height: s.height(),
        },
    );
    // Guardians can still delay, and governance cancel, in the window the halt would have
    // skipped.
    s.advance(1, BLOCKS - 3);
    s.execute_op(id).unwrap();
    assert_eq!(s.operation(id).status, OperationStatus::Executed);
}

#[test]
fn t2_execute_before_due_after_expiry_and_twice() {
    let mut s = SuiteBuilder::default().build();
    let id = queue_now(&mut s);
    let op = s.operation(id);
    // Blocks passed but not time.
    s.advance(DELAY - 1, BLOCKS * 10);
    assert_err(
        s.execute_op(id),
        ContractError::NotDue {
            operation_id: id,
            eta: op.eta,
            eta_height: op.eta_height,
            now: s.app.block_info().time,
            height: s.height(),
        },
    );
    s.advance(1, 0);
    s.execute_op(id).unwrap();
    let executed = s.operation(id);
    assert_eq!(executed.status, OperationStatus::Executed);
    assert_eq!(executed.closed_by, Some(s.addr("anyone")));
    assert_eq!(s.restoration(id).state, RestorationState::Running);
    assert_err(
        s.execute_op(id),
        ContractError::NotQueued {
            operation_id: id,
            status: OperationStatus::Executed,
        },
    );

    let mut s = SuiteBuilder::default().build();
    let id2 = queue_now(&mut s);
    let op2 = s.operation(id2);
    s.advance(DELAY + GRACE, BLOCKS);
    assert_eq!(s.operation(id2).status, OperationStatus::Expired);
    assert_err(
        s.execute_op(id2),
        ContractError::Expired {
            operation_id: id2,
            expires_at: op2.expires_at,
        },
    );
}

#[test]
fn cancel_by_governance_during_the_delay_releases_the_lock() {
    let mut s = SuiteBuilder::default().build();
    let id = queue_now(&mut s);
    let op = s.operation(id);
    // The lock holds from queue, until the end of the grace window at most.
    assert_eq!(s.mock(0).lock_until, Some(op.expires_at));
    let stranger = s.addr("stranger");
    assert_err(
        cancel(&mut s, &stranger, id),
        ContractError::Unauthorized {
            sender: stranger,
            required: "governance or a guardian".into(),
        },
    );
    s.advance(3600, 10);
    // A guardian's cancel only delays (row T4); governance's is final.
    let g = s.guardians[1].clone();
    cancel(&mut s, &g, id).unwrap();
    assert_eq!(s.operation(id).status, OperationStatus::Queued);
    let gov = s.governance.clone();
    cancel(&mut s, &gov, id).unwrap();
    let op = s.operation(id);
    assert_eq!(op.status, OperationStatus::Cancelled);
    assert_eq!(op.closed_by, Some(gov));
    assert_eq!(s.mock(0).lock_until, None);
    s.advance(DELAY + 86400, BLOCKS + 200);
    assert_err(
        s.execute_op(id),
        ContractError::NotQueued {
            operation_id: id,
            status: OperationStatus::Cancelled,
        },
    );
}

#[test]
fn expire_is_permissionless_and_releases_the_lock() {
    let mut s = SuiteBuilder::default().build();
    let id = queue_now(&mut s);
    let op = s.operation(id);
    s.advance(DELAY + GRACE - 1, BLOCKS);
    assert_err(
        expire(&mut s, id),
        ContractError::NotExpired {
            operation_id: id,
            expires_at: op.expires_at,
        },
    );
    s.advance(1, 1);
    expire(&mut s, id).unwrap();
    assert_eq!(s.operation(id).status, OperationStatus::Expired);
    assert_eq!(s.mock(0).lock_until, None);
}

/// The states of an operation the table starts from.
#[derive(Clone, Copy, Debug)]
enum Start {
    Waiting,
    Due,
    PastGrace,
    Executed,
    Cancelled,
    Expired,
}

/// The actions tried in every state.
#[derive(Clone, Copy, Debug)]
enum Action {
    QueueDuplicate,
    Execute,
    Cancel,
    Expire,
}

/// Brings a fresh operation into `start`; returns it with the spec it was queued with.
fn setup(start: Start) -> (Suite, u64, RestorationSpec) {
    let mut s = SuiteBuilder::default().build();
    let spec = s.spec(s.height() - 1);
    let id = s.queue(&spec).unwrap();
    match start {
        Start::Waiting => {}
        Start::Due => s.advance(DELAY, BLOCKS),
        Start::PastGrace => s.advance(DELAY + GRACE, BLOCKS),
        Start::Executed => {
            s.advance(DELAY, BLOCKS);
            s.execute_op(id).unwrap();
        }
        Start::Cancelled => {
            let gov = s.governance.clone();
            cancel(&mut s, &gov, id).unwrap();
        }
        Start::Expired => {
            s.advance(DELAY + GRACE, BLOCKS);
            expire(&mut s, id).unwrap();
        }
    }
    (s, id, spec)
}

#[test]
fn t2_state_machine_table() {
    use Action::*;
    use Start::*;
    let starts = [Waiting, Due, PastGrace, Executed, Cancelled, Expired];
    let actions = [QueueDuplicate, Execute, Cancel, Expire];
    for start in starts {
        for action in actions {
            let (mut s, id, spec) = setup(start);
            let op = s.operation(id);
            let not_queued = |status| {
                Err(ContractError::NotQueued {
                    operation_id: id,
                    status,
                }
                .to_string())
            };
            let expired = Err(ContractError::Expired {
                operation_id: id,
                expires_at: op.expires_at,
            }
            .to_string());
            let dup = |status| {
                Err(ContractError::AlreadyQueued {
                    operation_id: id,
                    status,
                }
                .to_string())
            };
            let not_expired = Err(ContractError::NotExpired {
                operation_id: id,
                expires_at: op.expires_at,
            }
            .to_string());
            let not_due = Err(ContractError::NotDue {
                operation_id: id,
                eta: op.eta,
                eta_height: op.eta_height,
                now: s.app.block_info().time,
                height: s.height(),
            }
            .to_string());
            // Ok(status) is the status after a successful action.
            let expected: Result<OperationStatus, String> = match (start, action) {
                (Waiting | Due, QueueDuplicate) => dup(OperationStatus::Queued),
                (PastGrace | Expired, QueueDuplicate) => dup(OperationStatus::Expired),
                (Executed, QueueDuplicate) => dup(OperationStatus::Executed),
                (Cancelled, QueueDuplicate) => dup(OperationStatus::Cancelled),
                (Waiting, Execute) => not_due,
                (Due, Execute) => Ok(OperationStatus::Executed),
                (PastGrace | Expired, Execute | Cancel) => expired,
                (Waiting | Due, Cancel) => Ok(OperationStatus::Cancelled),
                (Waiting | Due, Expire) => not_expired,
                (PastGrace, Expire) => Ok(OperationStatus::Expired),
                (Expired, Expire) => not_queued(OperationStatus::Expired),
                (Executed, Execute | Cancel | Expire) => not_queued(OperationStatus::Executed),
                (Cancelled, Execute | Cancel | Expire) => not_queued(OperationStatus::Cancelled),
            };
            let gov = s.governance.clone();
            let res = match action {
                QueueDuplicate => s.queue(&spec).map(|_| ()),
                Execute => s.execute_op(id).map(|_| ()),
                Cancel => cancel(&mut s, &gov, id).map(|_| ()),
                Expire => expire(&mut s, id).map(|_| ()),
            };
            match expected {
                Ok(status) => {
                    res.unwrap_or_else(|e| panic!("{start:?} x {action:?}: {e}"));
                    assert_eq!(s.operation(id).status, status, "{start:?} x {action:?}");
                }
                Err(text) => {
                    let err = res.unwrap_err().to_string();
                    assert!(
                        err.contains(&text),
                        "{start:?} x {action:?}: {err} != {text}"
                    );
                    // A refused action changes nothing.
                    assert_eq!(s.operation(id).status, op.status, "{start:?} x {action:?}");
                }
            }
        }
    }
}

#[test]
fn g6_queue_refuses_a_content_hash_mismatch() {
    let mut s = SuiteBuilder::default().build();
    let spec = s.spec(s.height() - 1);
    let mut other = spec.clone();
    other.exclusions.clear();
    let sent = other.content_hash().unwrap();
    let gov = s.governance.clone();
    assert_err(
        send(
            &mut s,
            &gov,
            &ExecuteMsg::Queue {
                spec: spec.clone(),
                content_hash: sent.clone(),
                veto_window_seconds: None,
            },
        ),
        ContractError::ContentHashMismatch {
            sent,
            computed: spec.content_hash().unwrap(),
        },
    );
}

#[test]
fn the_spec_is_stored_once_the_executor_takes_it_at_execution() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![TargetConfig::default(); 2])
        .build();
    // One target each: a target is locked by one operation at a time.
    let only = |s: &Suite, i: usize, proposal_id: u64| {
        let mut spec = s.spec(s.height() - 1);
        spec.targets = vec![spec.targets[i].clone()];
        spec.proposal_id = proposal_id;
        spec
    };
    let spec = only(&s, 0, 1);
    let id = s.queue(&spec).unwrap();
    let waiting = s.operation(id);
    assert_eq!(waiting.spec, Some(spec.clone()));
    assert_eq!(waiting.upgrade_proposal_id, None);
    s.advance(DELAY, BLOCKS);
    s.execute_op(id).unwrap();
    // The executor's restoration holds the spec; the timelock keeps its hash only.
    let executed = s.operation(id);
    assert_eq!(executed.status, OperationStatus::Executed);
    assert_eq!(executed.spec, None);
    assert_eq!(executed.content_hash, spec.content_hash().unwrap());
    assert_eq!(s.restoration(id).spec, spec);
    let listed: OperationsResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.timelock,
            &QueryMsg::Operations {
                start_after: None,
                limit: None,
            },
        )
        .unwrap();
    assert_eq!(listed.operations, vec![executed]);
    // A restoration that never reached the executor keeps its spec.
    let other = only(&s, 1, 2);
    let cancelled = s.queue(&other).unwrap();
    let gov = s.governance.clone();
    cancel(&mut s, &gov, cancelled).unwrap();
    assert_eq!(s.operation(cancelled).spec, Some(other));
}

#[test]
fn queue_is_governance_only_emits_the_id_and_sets_the_lock() {
    let mut s = SuiteBuilder::default().build();
    let spec = s.spec(s.height() - 1);
    let hash = spec.content_hash().unwrap();
    let stranger = s.addr("stranger");
    let msg = ExecuteMsg::Queue {
        spec: spec.clone(),
        content_hash: hash.clone(),
        veto_window_seconds: None,
    };
    assert_err(
        send(&mut s, &stranger, &msg),
        ContractError::Unauthorized {
            sender: stranger,
            required: "governance".into(),
        },
    );
    let gov = s.governance.clone();
    let res = send(&mut s, &gov, &msg).unwrap();
    assert_eq!(super::suite::attr(&res, "operation_id"), "1");
    assert_eq!(
        cosmwasm_std::from_json::<u64>(res.data.unwrap()).unwrap(),
        1
    );
    let op = s.operation(1);
    let now = s.app.block_info();
    assert_eq!(op.eta, now.time.plus_seconds(DELAY));
    assert_eq!(op.eta_height, now.height + BLOCKS);
    assert_eq!(op.expires_at, op.eta.plus_seconds(GRACE));
    assert_eq!(op.content_hash, hash);
    assert_eq!(s.mock(0).lock_until, Some(op.expires_at));
}

#[test]
fn b1_instantiate_only_from_the_governance_it_names_with_valid_addresses() {
    let mut deps = mock_dependencies();
    let modules = mock_modules(&deps.api);
    let stranger = deps.api.addr_make("stranger");
    let msg = |modules: &ModuleAddresses| InstantiateMsg {
        modules: modules.clone(),
        settings: default_settings(),
    };
    let err = crate::contract::instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&stranger, &[]),
        msg(&modules),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ContractError::Unauthorized {
            sender: stranger,
            required: "governance".into(),
        }
    );
    let mut invalid = modules.clone();
    invalid.guardian = cosmwasm_std::Addr::unchecked("Not-An-Address");
    let err = crate::contract::instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&modules.governance, &[]),
        msg(&invalid),
    )
    .unwrap_err();
    assert!(matches!(err, ContractError::Std(_)), "{err}");
    // Nothing was stored by the refusals.
    assert!(crate::state::MODULES
        .may_load(&deps.storage)
        .unwrap()
        .is_none());
    crate::contract::instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&modules.governance, &[]),
        msg(&modules),
    )
    .unwrap();
    let cfg: ConfigResponse = cosmwasm_std::from_json(
        crate::contract::query(deps.as_ref(), mock_env(), QueryMsg::Config {}).unwrap(),
    )
    .unwrap();
    assert_eq!(cfg.modules, modules);
    assert_eq!(cfg.settings, default_settings());
    // The modules are known from the start: anything may arrive at once.
    let err = crate::contract::execute(
        deps.as_mut(),
        mock_env(),
        message_info(&modules.governance, &[]),
        ExecuteMsg::Execute { operation_id: 1 },
    )
    .unwrap_err();
    assert_eq!(err, ContractError::OperationNotFound { operation_id: 1 });
}

#[test]
fn p4_governance_and_execution_are_never_blocked_by_pauses() {
    let mut s = SuiteBuilder::default().build();
    // Guardians pause every scope of the target.
    for (scope, g) in [
        (PauseScope::ALL, 0),
        (rewind_testing::mock_target::TRADE, 1),
    ] {
        let guardian = s.guardians[g].clone();
        let target = s.targets[0].to_string();
        s.app
            .execute_contract(
                guardian,
                s.guardian.clone(),
                &rewind_types::guardian::ExecuteMsg::Pause {
                    target,
                    scope,
                    duration_seconds: 72 * 3600,
                    reason: "exploit".into(),
                },
                &[],
            )
            .unwrap();
    }
    let gov = s.governance.clone();
    // Governance queues, cancels, changes settings, queues again; anyone executes.
    let first = queue_now(&mut s);
    cancel(&mut s, &gov, first).unwrap();
    send(
        &mut s,
        &gov,
        &ExecuteMsg::UpdateSettings(default_settings()),
    )
    .unwrap();
    let mut spec = s.spec(s.height() - 1);
    spec.proposal_id = 2;
    let id = s.queue(&spec).unwrap();
    s.advance(DELAY, 7200);
    s.execute_op(id).unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Running);
}

#[test]
fn d2_operations_list_is_paginated_and_capped() {
    let mut s = SuiteBuilder::default().build();
    for n in 0..3u64 {
        let mut spec = s.spec(s.height() - 1);
        spec.proposal_id = n + 10;
        let id = s.queue(&spec).unwrap();
        let gov = s.governance.clone();
        cancel(&mut s, &gov, id).unwrap();
    }
    let page: OperationsResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.timelock,
            &QueryMsg::Operations {
                start_after: Some(1),
                limit: Some(u32::MAX),
            },
        )
        .unwrap();
    assert_eq!(
        page.operations.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![2, 3]
    );
    assert!(page.operations.len() <= MAX_LIMIT as usize);
    let page: OperationsResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.timelock,
            &QueryMsg::Operations {
                start_after: None,
                limit: Some(2),
            },
        )
        .unwrap();
    assert_eq!(page.operations.len(), 2);
}

#[test]
fn b2_funds_are_refused() {
    let mut s = SuiteBuilder::default().build();
    let rich = s.addr("rich");
    s.app.init_modules(|router, _, storage| {
        router
            .bank
            .init_balance(storage, &rich, coins(10, "uatom"))
            .unwrap()
    });
    assert_err(
        s.app.execute_contract(
            rich,
            s.timelock.clone(),
            &ExecuteMsg::Execute { operation_id: 1 },
            &coins(1, "uatom"),
        ),
        cw_utils::PaymentError::NonPayable {},
    );
}

#[test]
fn d3_target_count_is_capped() {
    let mut s = SuiteBuilder::default().build();
    let mut spec = s.spec(s.height() - 1);
    spec.targets = vec![spec.targets[0].clone(); 21];
    assert_err(
        s.queue(&spec),
        ContractError::InvalidTargetCount { count: 21, max: 20 },
    );
    spec.targets.clear();
    assert_err(
        s.queue(&spec),
        ContractError::InvalidTargetCount { count: 0, max: 20 },
    );
}

/// Row F6: a fast track's veto window replaces the delay only within the bounds in code,
/// whatever governance sends, and the block floor scales with it (rounded up).
#[test]
fn f6_a_fast_track_window_is_bounded_in_code_and_scales_the_block_floor() {
    use rewind_types::governance::{FAST_TRACK_MAX_VETO_SECONDS, FAST_TRACK_MIN_VETO_SECONDS};
    let mut s = SuiteBuilder::default().build();
    let gov = s.governance.clone();
    let queue = |spec: &RestorationSpec, window: u64| ExecuteMsg::Queue {
        spec: spec.clone(),
        content_hash: spec.content_hash().unwrap(),
        veto_window_seconds: Some(window),
    };
    let mut spec = s.spec(s.height() - 1);
    for window in [
        0,
        FAST_TRACK_MIN_VETO_SECONDS - 1,
        FAST_TRACK_MAX_VETO_SECONDS + 1,
    ] {
        assert_err(
            send(&mut s, &gov, &queue(&spec, window)),
            ContractError::InvalidVetoWindow {
                seconds: window,
                min: FAST_TRACK_MIN_VETO_SECONDS,
                max: FAST_TRACK_MAX_VETO_SECONDS,
            },
        );
    }
    // 5 h of a 12 h delay with a 100-block floor: ceil(100 x 5 / 12) = 42 blocks.
    let window = 5 * 3600;
    let res = send(&mut s, &gov, &queue(&spec, window)).unwrap();
    assert_eq!(super::suite::attr(&res, "fast_track"), "true");
    let op = s.operation(1);
    let now = s.app.block_info();
    assert_eq!(op.eta, now.time.plus_seconds(window));
    assert_eq!(op.eta_height, now.height + 42);
    assert_eq!(op.expires_at, op.eta.plus_seconds(GRACE));
    // Not due a second or a block early; due at both.
    s.advance(window - 1, 42);
    assert!(s.execute_op(1).is_err());
    s.advance(1, 0);
    s.execute_op(1).unwrap();
    // A stranger cannot queue a fast track either.
    spec.proposal_id += 1;
    let stranger = s.addr("stranger");
    assert!(send(&mut s, &stranger, &queue(&spec, window)).is_err());
}

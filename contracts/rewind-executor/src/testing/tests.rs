//! Executor tests: the full flow through the timelock, and every executor defence.

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockApi};
use cosmwasm_std::{coins, Binary, HexBinary, Reply, SubMsgResult, Timestamp};
use cw_multi_test::Executor;
use rewind_types::executor::{
    ExecuteMsg, ExecutorSettings, QueryMsg, RestorationState, RestorationsResponse,
};
use rewind_types::restorable::RestorationPhase;
use rewind_types::{ModuleAddresses, RestorationSpec, MAX_LIMIT};

use super::mock_target::MockExecuteMsg;
use super::suite::{assert_err, Suite, SuiteBuilder, TargetConfig};
use crate::error::ContractError;

fn two_targets() -> Suite {
    SuiteBuilder::default()
        .with_targets(vec![TargetConfig::default(), TargetConfig::default()])
        .build()
}

/// Sends `Apply` as if from the timelock.
fn apply_direct(
    s: &mut Suite,
    id: u64,
    spec: &RestorationSpec,
    hash: HexBinary,
) -> cosmwasm_std::StdResult<cw_multi_test::AppResponse> {
    s.app.execute_contract(
        s.timelock.clone(),
        s.executor.clone(),
        &ExecuteMsg::Apply {
            operation_id: id,
            spec: spec.clone(),
            content_hash: hash,
        },
        &[],
    )
}

fn set_failures(s: &mut Suite, i: usize, restore: bool, crank: bool) {
    let gov = s.governance.clone();
    let target = s.targets[i].clone();
    s.app
        .execute_contract(
            gov,
            target,
            &MockExecuteMsg::SetFailures { restore, crank },
            &[],
        )
        .unwrap();
}

#[test]
fn full_flow_two_targets_share_height_and_unlock_together() {
    let mut s = two_targets();
    let id = s.queue_due();
    let height = s.operation(id).spec.unwrap().height;
    // Locked since queue.
    assert!(s.mock(0).lock_until.is_some());
    s.execute_op(id).unwrap();
    let r = s.restoration(id);
    assert_eq!(r.state, RestorationState::Running);
    assert!(r.targets.iter().all(|t| t.migrated));
    assert!(r.targets.iter().all(|t| t.status.height == Some(height)));
    // 250 units each at 100 per crank: 3 cranks per target.
    for _ in 0..5 {
        s.crank(None).unwrap();
        assert_eq!(s.restoration(id).state, RestorationState::Running);
        assert!(s.mock(0).lock_until.is_some() && s.mock(1).lock_until.is_some());
    }
    s.crank(None).unwrap();
    let r = s.restoration(id);
    assert_eq!(r.state, RestorationState::Complete);
    assert!(r.finished_at.is_some());
    for (i, t) in r.targets.iter().enumerate() {
        assert_eq!(t.status.phase, RestorationPhase::Complete);
        assert!(t.status.digest_verified);
        // Both released by the same final crank.
        assert_eq!(s.mock(i).lock_until, None);
        assert_eq!(s.mock(i).cranks, 3);
    }
    assert_err(s.crank(None), ContractError::NothingToCrank {});
}

#[test]
fn restoration_with_no_work_completes_at_apply() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![TargetConfig {
            work: 0,
            ..TargetConfig::default()
        }])
        .build();
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Complete);
    assert_eq!(s.mock(0).lock_until, None);
}

#[test]
fn r2_applying_the_same_operation_twice_is_refused() {
    let mut s = SuiteBuilder::default().build();
    let id = s.queue_due();
    let queued = s.operation(id).spec.unwrap();
    s.execute_op(id).unwrap();
    // The spec is stored once: the executor holds it, the timelock keeps the hash only.
    let spec = s.restoration(id).spec;
    assert_eq!(spec, queued);
    assert_eq!(s.operation(id).spec, None);
    let hash = spec.content_hash().unwrap();
    assert_eq!(s.operation(id).content_hash, hash);
    assert_err(
        apply_direct(&mut s, id, &spec, hash),
        ContractError::AlreadyApplied { restoration_id: id },
    );
    assert_eq!(s.mock(0).restores, 1);
}

#[test]
fn g6_apply_recomputes_the_content_hash() {
    let mut s = SuiteBuilder::default().build();
    let spec = s.spec(s.height() - 1);
    let mut other = spec.clone();
    other.height -= 1;
    let sent = other.content_hash().unwrap();
    assert_err(
        apply_direct(&mut s, 1, &spec, sent.clone()),
        ContractError::ContentHashMismatch {
            sent,
            computed: spec.content_hash().unwrap(),
        },
    );
}

#[test]
fn apply_only_from_the_timelock() {
    let mut s = SuiteBuilder::default().build();
    let spec = s.spec(s.height() - 1);
    let hash = spec.content_hash().unwrap();
    let gov = s.governance.clone();
    let msg = ExecuteMsg::Apply {
        operation_id: 1,
        spec,
        content_hash: hash,
    };
    assert_err(
        s.app
            .execute_contract(gov.clone(), s.executor.clone(), &msg, &[]),
        ContractError::Unauthorized {
            sender: gov,
            required: "the timelock".into(),
        },
    );
}

#[test]
fn r8_wrong_admin_is_refused_before_any_migration() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![TargetConfig {
            executor_is_admin: false,
            ..TargetConfig::default()
        }])
        .build();
    let id = s.queue_due();
    let expected = ContractError::NotAdmin {
        target: s.targets[0].clone(),
        admin: Some(s.governance.clone()),
    };
    assert_err(s.execute_op(id), expected);
    // All-or-nothing: the operation is still queued and nothing migrated.
    assert_eq!(
        s.operation(id).status,
        rewind_types::timelock::OperationStatus::Queued
    );
    assert_eq!(s.mock(0).restores, 0);
}

#[test]
fn r8_wrong_cw2_name_is_refused() {
    let mut s = SuiteBuilder::default().build();
    let mut spec = s.spec(s.height() - 1);
    spec.targets[0].contract_name = "crates.io:rewind-vault".into();
    let id = s.queue(&spec).unwrap();
    s.advance(12 * 3600, 100);
    assert_err(
        s.execute_op(id),
        ContractError::ContractNameMismatch {
            target: s.targets[0].clone(),
            expected: "crates.io:rewind-vault".into(),
            actual: super::suite::TARGET_NAME.into(),
        },
    );
}

#[test]
fn g6_r8_checksum_mismatch_is_refused() {
    let mut s = SuiteBuilder::default().build();
    let mut spec = s.spec(s.height() - 1);
    let actual = spec.targets[0].checksum.clone();
    spec.targets[0].checksum = HexBinary::from(vec![9u8; 32]);
    let id = s.queue(&spec).unwrap();
    s.advance(12 * 3600, 100);
    assert_err(
        s.execute_op(id),
        ContractError::ChecksumMismatch {
            code_id: s.target_code,
            expected: HexBinary::from(vec![9u8; 32]),
            actual,
        },
    );
}

#[test]
fn r3_target_refusing_the_height_fails_the_restoration() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![TargetConfig {
            retained_from: 1_000_000,
            ..TargetConfig::default()
        }])
        .build();
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    let r = s.restoration(id);
    match r.state {
        RestorationState::Failed { error } => {
            assert!(error.contains("not restorable"), "{error}");
            assert!(error.starts_with(&format!("migrate of {} failed", s.targets[0])));
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    assert!(!r.targets[0].migrated);
    // The lock holds until governance decides.
    assert!(s.mock(0).lock_until.is_some());
    assert_err(s.crank(None), ContractError::NothingToCrank {});
    s.gov_exec(&ExecuteMsg::Abort { restoration_id: id })
        .unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Aborted);
    assert_eq!(s.mock(0).lock_until, None);
}

#[test]
fn r6_one_failed_migration_is_recorded_and_retry_resumes_from_it() {
    let mut s = two_targets();
    set_failures(&mut s, 1, true, false);
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    let r = s.restoration(id);
    assert!(
        matches!(r.state, RestorationState::Failed { ref error } if error.contains("mock restore failure"))
    );
    assert!(r.targets[0].migrated);
    assert!(!r.targets[1].migrated);
    assert_eq!(s.mock(0).restores, 1);
    assert_eq!(s.mock(1).restores, 0);
    // Only governance retries.
    let anyone = s.addr("anyone");
    assert_err(
        s.app.execute_contract(
            anyone.clone(),
            s.executor.clone(),
            &ExecuteMsg::Retry { restoration_id: id },
            &[],
        ),
        ContractError::Unauthorized {
            sender: anyone,
            required: "governance".into(),
        },
    );
    set_failures(&mut s, 1, false, false);
    s.gov_exec(&ExecuteMsg::Retry { restoration_id: id })
        .unwrap();
    // Target 0 is not migrated again.
    assert_eq!(s.mock(0).restores, 1);
    assert_eq!(s.mock(1).restores, 1);
    assert_eq!(s.restoration(id).state, RestorationState::Running);
    for _ in 0..6 {
        s.crank(None).unwrap();
    }
    assert_eq!(s.restoration(id).state, RestorationState::Complete);
    assert_err(
        s.gov_exec(&ExecuteMsg::Retry { restoration_id: id }),
        ContractError::NotFailed { restoration_id: id },
    );
    assert_err(
        s.gov_exec(&ExecuteMsg::Abort { restoration_id: id }),
        ContractError::NotFailed { restoration_id: id },
    );
}

#[test]
fn r6_failed_crank_is_recorded_and_retried() {
    let mut s = SuiteBuilder::default().build();
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    s.crank(Some(50)).unwrap();
    set_failures(&mut s, 0, false, true);
    s.crank(None).unwrap();
    assert!(
        matches!(s.restoration(id).state, RestorationState::Failed { ref error } if error.contains("mock crank failure"))
    );
    // The failed crank changed nothing on the target.
    assert_eq!(s.mock(0).status.undone_entries, 50);
    set_failures(&mut s, 0, false, false);
    s.gov_exec(&ExecuteMsg::Retry { restoration_id: id })
        .unwrap();
    s.crank(Some(200)).unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Complete);
}

#[test]
fn r6_unknown_reply_id_is_rejected() {
    let mut deps = mock_dependencies();
    let reply = Reply {
        id: 99,
        payload: Binary::default(),
        gas_used: 0,
        result: SubMsgResult::Err("x".into()),
    };
    let err = crate::contract::reply(deps.as_mut(), mock_env(), reply).unwrap_err();
    assert_eq!(
        err.to_string(),
        ContractError::UnknownReplyId { id: 99 }.to_string()
    );
}

#[test]
fn r7_reentrant_crank_is_refused_and_harmless() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![TargetConfig {
            reenter_catch: Some(true),
            ..TargetConfig::default()
        }])
        .build();
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    s.crank(Some(100)).unwrap();
    let m = s.mock(0);
    // The nested crank was refused by the guard; the outer one did exactly one batch.
    assert!(m
        .reentry_error
        .unwrap()
        .contains(&ContractError::Reentrancy { restoration_id: id }.to_string()));
    assert_eq!(m.cranks, 1);
    assert_eq!(m.status.undone_entries, 100);
    // The guard was released by the reply.
    s.crank(Some(200)).unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Complete);
}

#[test]
fn r7_reentrant_crank_that_propagates_fails_the_step() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![TargetConfig {
            reenter_catch: Some(false),
            ..TargetConfig::default()
        }])
        .build();
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    s.crank(Some(100)).unwrap();
    match s.restoration(id).state {
        RestorationState::Failed { error } => {
            assert!(error.contains(&ContractError::Reentrancy { restoration_id: id }.to_string()))
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    assert_eq!(s.mock(0).cranks, 0);
}

#[test]
fn d1_crank_limits_default_and_max() {
    let mut s = SuiteBuilder::default().build();
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    assert_err(s.crank(Some(0)), ContractError::ZeroCrankLimit {});
    assert_err(
        s.crank(Some(501)),
        ContractError::CrankLimitTooHigh {
            limit: 501,
            max: 500,
        },
    );
    s.crank(None).unwrap();
    assert_eq!(s.mock(0).status.undone_entries, 100);
    assert_eq!(s.restoration(id).targets[0].status.undone_entries, 100);
}

#[test]
fn unverified_digest_fails_the_restoration() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![TargetConfig {
            verify_digest: false,
            work: 10,
            ..TargetConfig::default()
        }])
        .build();
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    s.crank(None).unwrap();
    assert!(
        matches!(s.restoration(id).state, RestorationState::Failed { ref error } if error.contains("digest_verified=false"))
    );
    assert!(s.mock(0).lock_until.is_some());
}

#[test]
fn b2_crank_refuses_funds() {
    let mut s = SuiteBuilder::default().build();
    let cranker = s.addr("cranker");
    s.app.init_modules(|router, _, storage| {
        router
            .bank
            .init_balance(storage, &cranker, coins(10, "uatom"))
            .unwrap()
    });
    assert_err(
        s.crank_with(None, &coins(1, "uatom")),
        cw_utils::PaymentError::NonPayable {},
    );
}

#[test]
fn b4_settings_are_bounded() {
    use crate::settings::{HARD_MAX_EXIT_ONLY_SECONDS, HARD_MIN_EXIT_ONLY_SECONDS};
    let mut s = SuiteBuilder::default().build();
    let base = ExecutorSettings {
        default_crank_limit: 5,
        max_crank_limit: 10,
        lock_seconds: 86400,
        exit_only_seconds: 86400,
    };
    let bad = [
        ExecutorSettings {
            default_crank_limit: 0,
            ..base.clone()
        },
        ExecutorSettings {
            default_crank_limit: 11,
            ..base.clone()
        },
        ExecutorSettings {
            default_crank_limit: 1,
            max_crank_limit: 1001,
            ..base.clone()
        },
        ExecutorSettings {
            lock_seconds: 0,
            ..base.clone()
        },
        ExecutorSettings {
            exit_only_seconds: 0,
            ..base.clone()
        },
        ExecutorSettings {
            exit_only_seconds: HARD_MIN_EXIT_ONLY_SECONDS - 1,
            ..base.clone()
        },
        ExecutorSettings {
            exit_only_seconds: HARD_MAX_EXIT_ONLY_SECONDS + 1,
            ..base.clone()
        },
    ];
    for settings in bad {
        let err = s
            .gov_exec(&ExecuteMsg::UpdateSettings(settings.clone()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid executor settings"), "{err}");
        // The same bounds hold at instantiate.
        let mut deps = mock_dependencies();
        let modules = mock_modules(&deps.api);
        let err = crate::contract::instantiate(
            deps.as_mut(),
            mock_env(),
            message_info(&modules.governance, &[]),
            rewind_types::executor::InstantiateMsg { modules, settings },
        )
        .unwrap_err();
        assert!(
            matches!(err, ContractError::InvalidSettings { .. }),
            "{err}"
        );
    }
    for exit_only_seconds in [HARD_MIN_EXIT_ONLY_SECONDS, HARD_MAX_EXIT_ONLY_SECONDS] {
        let good = ExecutorSettings {
            exit_only_seconds,
            ..base.clone()
        };
        s.gov_exec(&ExecuteMsg::UpdateSettings(good.clone()))
            .unwrap();
        let cfg: rewind_types::executor::ConfigResponse = s
            .app
            .wrap()
            .query_wasm_smart(&s.executor, &QueryMsg::Config {})
            .unwrap();
        assert_eq!(cfg.settings, good);
    }
}

/// The module addresses a unit test instantiates with.
fn mock_modules(api: &MockApi) -> ModuleAddresses {
    ModuleAddresses {
        governance: api.addr_make("governance"),
        timelock: api.addr_make("timelock"),
        guardian: api.addr_make("guardian"),
        executor: api.addr_make("executor"),
    }
}

#[test]
fn b1_instantiate_only_from_the_governance_it_names_with_valid_addresses() {
    let mut deps = mock_dependencies();
    let modules = mock_modules(&deps.api);
    let stranger = deps.api.addr_make("stranger");
    let msg = |modules: &ModuleAddresses| rewind_types::executor::InstantiateMsg {
        modules: modules.clone(),
        settings: crate::settings::default_settings(),
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
            sender: stranger.clone(),
            required: "governance".into()
        }
    );
    let mut invalid = modules.clone();
    invalid.timelock = cosmwasm_std::Addr::unchecked("Not-An-Address");
    let err = crate::contract::instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&modules.governance, &[]),
        msg(&invalid),
    )
    .unwrap_err();
    assert!(matches!(err, ContractError::Std(_)), "{err}");
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
    let cfg: rewind_types::executor::ConfigResponse = cosmwasm_std::from_json(
        crate::contract::query(deps.as_ref(), mock_env(), QueryMsg::Config {}).unwrap(),
    )
    .unwrap();
    assert_eq!(cfg.modules, modules);
    // The modules are known from the start: a crank is answered at once.
    let crank = ExecuteMsg::Crank {
        restoration_id: None,
        limit: None,
    };
    let err = crate::contract::execute(
        deps.as_mut(),
        mock_env(),
        message_info(&stranger, &[]),
        crank,
    )
    .unwrap_err();
    assert_eq!(err, ContractError::NothingToCrank {});
    // Apply from anyone but the timelock it was given is refused.
    let spec = RestorationSpec {
        proposal_id: 1,
        height: 1,
        targets: vec![],
        exclusions: vec![],
        shortfall_policy: rewind_types::ShortfallPolicy::ProRataHaircut,
    };
    let err = crate::contract::execute(
        deps.as_mut(),
        mock_env(),
        message_info(&modules.governance, &[]),
        ExecuteMsg::Apply {
            operation_id: 1,
            content_hash: spec.content_hash().unwrap(),
            spec,
        },
    )
    .unwrap_err();
    assert_eq!(
        err,
        ContractError::Unauthorized {
            sender: modules.governance.clone(),
            required: "the timelock".into()
        }
    );
}

#[test]
fn d3_target_count_and_duplicates_are_capped() {
    let mut s = SuiteBuilder::default().build();
    let mut spec = s.spec(s.height() - 1);
    let one = spec.targets[0].clone();
    spec.targets = vec![one.clone(); 21];
    let hash = spec.content_hash().unwrap();
    assert_err(
        apply_direct(&mut s, 1, &spec, hash),
        ContractError::InvalidTargetCount { count: 21, max: 20 },
    );
    spec.targets = vec![one.clone(), one];
    let hash = spec.content_hash().unwrap();
    assert_err(
        apply_direct(&mut s, 1, &spec, hash),
        ContractError::DuplicateTarget {
            target: s.targets[0].clone(),
        },
    );
    spec.targets.clear();
    let hash = spec.content_hash().unwrap();
    assert_err(
        apply_direct(&mut s, 1, &spec, hash),
        ContractError::InvalidTargetCount { count: 0, max: 20 },
    );
}

#[test]
fn r1_a_target_in_an_unfinished_restoration_is_busy() {
    let mut s = SuiteBuilder::default().build();
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    let mut spec = s.spec(s.height() - 2);
    spec.proposal_id = 2;
    let hash = spec.content_hash().unwrap();
    assert_err(
        apply_direct(&mut s, 77, &spec, hash),
        ContractError::TargetBusy {
            target: s.targets[0].clone(),
            restoration_id: id,
        },
    );
}

#[test]
fn d2_restorations_list_is_paginated_and_capped() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![TargetConfig {
            work: 0,
            ..TargetConfig::default()
        }])
        .build();
    for n in 0..3u64 {
        let mut spec = s.spec(s.height() - 1);
        spec.proposal_id = n + 1;
        let hash = spec.content_hash().unwrap();
        apply_direct(&mut s, n + 1, &spec, hash).unwrap();
        s.advance(5, 1);
    }
    let page: RestorationsResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.executor,
            &QueryMsg::Restorations {
                start_after: Some(1),
                limit: Some(u32::MAX),
            },
        )
        .unwrap();
    assert_eq!(
        page.restorations.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![2, 3]
    );
    assert!(page.restorations.len() <= MAX_LIMIT as usize);
    let page: RestorationsResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.executor,
            &QueryMsg::Restorations {
                start_after: None,
                limit: Some(1),
            },
        )
        .unwrap();
    assert_eq!(page.restorations.len(), 1);
}

#[test]
fn p4_governance_retry_and_abort_work_while_targets_are_paused() {
    let mut s = SuiteBuilder::default().build();
    set_failures(&mut s, 0, true, false);
    let id = s.queue_due();
    let g = s.guardians[0].clone();
    let target = s.targets[0].to_string();
    s.app
        .execute_contract(
            g,
            s.guardian.clone(),
            &rewind_types::guardian::ExecuteMsg::Pause {
                target,
                scope: rewind_types::PauseScope::ALL,
                duration_seconds: 3600,
                reason: "exploit".into(),
            },
            &[],
        )
        .unwrap();
    s.execute_op(id).unwrap();
    s.gov_exec(&ExecuteMsg::Abort { restoration_id: id })
        .unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Aborted);
    let paused_until: Timestamp = s
        .app
        .wrap()
        .query_wasm_raw(
            &s.targets[0],
            [&[0u8, 11][..], b"mock_pauses", b"all"].concat(),
        )
        .unwrap()
        .map(|v| cosmwasm_std::from_json(v).unwrap())
        .unwrap();
    assert!(paused_until > s.app.block_info().time);
}

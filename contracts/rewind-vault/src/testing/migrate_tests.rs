//! Migrate paths (rows G7, R2, R3, R8) and the restorable JSON interface.

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{from_json, to_json_vec, HexBinary, Timestamp};
use cw_multi_test::Executor;
use rewind_journal::JournalError;
use rewind_testing::SuiteBase;
use rewind_types::restorable::RestorationPhase;
use rewind_types::vault::{ExecuteMsg, MigrateMsg, QueryMsg};
use rewind_types::vault::{DEPOSIT, TRADE};
use rewind_types::{
    GateMsg, RestorableExecuteMsg, RestorableMigrateMsg, RestorableQueryMsg, ShortfallPolicy,
};

use super::suite::direct::{instantiate, migrate};
use super::suite::*;
use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};
use rewind_target::TargetError;
use rewind_target::Wrapped;
use rewind_types::upgrade::UpgradeError;

fn instantiated() -> cosmwasm_std::OwnedDeps<
    cosmwasm_std::testing::MockStorage,
    cosmwasm_std::testing::MockApi,
    cosmwasm_std::testing::MockQuerier,
> {
    let mut deps = mock_dependencies();
    let api = deps.api;
    let roles = Roles {
        governance: api.addr_make("governance"),
        guardian: api.addr_make("guardian"),
        feeder: api.addr_make("feeder"),
        insurance: api.addr_make("insurance"),
        executor: api.addr_make("executor"),
    };
    let msg = SuiteBuilder::default().instantiate_msg(&roles);
    let info = message_info(&roles.governance, &[]);
    instantiate(deps.as_mut(), mock_env(), info, msg).unwrap();
    deps
}

#[test]
fn r8_migrate_refuses_a_different_contract() {
    let mut deps = instantiated();
    cw2::set_contract_version(&mut deps.storage, "crates.io:other", "0.0.1").unwrap();
    for msg in [
        MigrateMsg::Upgrade {},
        MigrateMsg::Restore {
            height: 1,
            exclusions: vec![],
            shortfall_policy: ShortfallPolicy::ProRataHaircut,
            expected_digest: HexBinary::from(vec![0u8; 32]),
        },
    ] {
        let restore = matches!(msg, MigrateMsg::Restore { .. });
        let err = migrate(deps.as_mut(), mock_env(), msg).unwrap_err();
        // rewind-target: cw2's rule for `Upgrade`, the code check for `Restore`.
        let want = match restore {
            false => rewind_text(TargetError::Upgrade(UpgradeError::WrongContract {
                expected: CONTRACT_NAME.into(),
                found: "crates.io:other".into(),
            })),
            true => rewind_text(TargetError::WrongCode {
                action: "restore",
                stored: "crates.io:other 0.0.1".into(),
                name: CONTRACT_NAME,
                version: CONTRACT_VERSION,
            }),
        };
        assert_eq!(err, want);
    }
}

#[test]
fn g7_upgrade_refuses_same_and_newer_stored_versions() {
    let mut deps = instantiated();
    // Same version without Restore.
    let err = migrate(deps.as_mut(), mock_env(), MigrateMsg::Upgrade {}).unwrap_err();
    assert_eq!(
        err,
        rewind_text(TargetError::WrongCode {
            action: "upgrade",
            stored: format!("{CONTRACT_NAME} {CONTRACT_VERSION}"),
            name: CONTRACT_NAME,
            version: CONTRACT_VERSION,
        })
    );
    // The code is older than what is stored (a downgrade); semver, not string, compare:
    // "0.10.0" > "0.1.0" although "0.10.0" < "0.9.0" as strings.
    for newer in ["0.10.0", "99.0.0", "0.1.1"] {
        cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, newer).unwrap();
        let err = migrate(deps.as_mut(), mock_env(), MigrateMsg::Upgrade {}).unwrap_err();
        assert_eq!(
            err,
            rewind_text(TargetError::Upgrade(UpgradeError::Downgrade {
                stored: newer.into(),
                new: CONTRACT_VERSION.into(),
            }))
        );
    }
}

#[test]
fn g7_upgrade_from_an_older_version_succeeds_and_keeps_roles() {
    let mut deps = instantiated();
    cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "0.0.9").unwrap();
    let res = migrate(deps.as_mut(), mock_env(), MigrateMsg::Upgrade {}).unwrap();
    assert_eq!(res.attributes[0].value, "migrate");
    let v = cw2::get_contract_version(&deps.storage).unwrap();
    assert_eq!(v.version, CONTRACT_VERSION);
    let cfg = crate::state::CONFIG.load(&deps.storage).unwrap();
    assert_eq!(cfg.guardian, deps.api.addr_make("guardian"));
    // Not repeatable.
    assert!(migrate(deps.as_mut(), mock_env(), MigrateMsg::Upgrade {}).is_err());
}

#[test]
fn g7_restore_never_downgrades() {
    let mut deps = instantiated();
    cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "1.0.0").unwrap();
    let err = migrate(
        deps.as_mut(),
        mock_env(),
        MigrateMsg::Restore {
            height: 1,
            exclusions: vec![],
            shortfall_policy: ShortfallPolicy::ProRataHaircut,
            expected_digest: HexBinary::from(vec![0u8; 32]),
        },
    )
    .unwrap_err();
    assert_eq!(
        err,
        rewind_text(TargetError::WrongCode {
            action: "restore",
            stored: format!("{CONTRACT_NAME} 1.0.0"),
            name: CONTRACT_NAME,
            version: CONTRACT_VERSION,
        })
    );
}

fn busy_suite() -> (Suite, u64) {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    s.deposit(&alice, 100, USDC).unwrap();
    let h = s.height();
    s.next_block();
    s.deposit(&alice, 50, USDC).unwrap();
    s.next_block();
    (s, h)
}

#[test]
fn r8_only_the_admin_migrates() {
    let (mut s, h) = busy_suite();
    let msg = s.restore_msg(h, &[], ShortfallPolicy::ProRataHaircut);
    for who in ["alice", "governance", "guardian"] {
        let sender = s.addr(who);
        let err = s.migrate_as(&sender, &msg).unwrap_err();
        assert!(err.to_string().contains("Only admin can migrate"), "{err}");
    }
    assert_eq!(s.status().phase, RestorationPhase::Idle);
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    assert_eq!(s.status().phase, RestorationPhase::RollingBack);
}

#[test]
fn r2_restore_while_a_restore_runs_is_refused() {
    let (mut s, h) = busy_suite();
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    expect_err(
        s.restore(h, &[], ShortfallPolicy::ProRataHaircut),
        ContractError::Journal(JournalError::RollbackAlreadyRunning { running_height: h }),
    );
    s.crank_to_end(&[1]);
    // A finished restoration is consumed; a new one is a new id, never a replay of the old.
    s.next_block();
    let alice = s.addr("alice");
    s.deposit(&alice, 1, USDC).unwrap();
    let h2 = s.height();
    s.next_block();
    s.restore(h2, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    assert_eq!(s.progress().restoration_id, Some(2));
}

#[test]
fn r1_user_actions_between_batches_are_refused() {
    let (mut s, h) = busy_suite();
    let alice = s.addr("alice");
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    while s.status().phase != RestorationPhase::Complete {
        for res in [
            s.deposit(&alice, 1, USDC),
            s.withdraw(&alice, 1, USDC),
            s.open(&alice, BTC, 1, 10),
            s.close(&alice, BTC),
            s.liquidate(&alice, &alice, BTC),
            s.push_price(BTC, "1"),
        ] {
            expect_err(res, ContractError::Journal(JournalError::Restoring));
        }
        s.crank(Some(1)).unwrap();
        s.next_block();
    }
    // Complete, but locked until the executor's release (row R12).
    expect_err(
        s.withdraw(&alice, 150, USDC),
        ContractError::Journal(JournalError::Restoring),
    );
    s.release().unwrap();
    assert_eq!(s.free(&alice, USDC), 150);
    s.withdraw(&alice, 150, USDC).unwrap();
}

#[test]
fn r3_restore_refuses_bad_heights_and_digests() {
    let (mut s, h) = busy_suite();
    let executor = s.roles.executor.clone();
    let now = s.height();
    let mut msg = s.restore_msg(h, &[], ShortfallPolicy::ProRataHaircut);
    if let MigrateMsg::Restore { height, .. } = &mut msg {
        *height = now;
    }
    expect_err(
        s.migrate_as(&executor, &msg),
        ContractError::Journal(JournalError::HeightNotInPast {
            height: now,
            current_height: now,
        }),
    );
    let wrong = HexBinary::from(vec![7u8; 32]);
    let msg = MigrateMsg::Restore {
        height: h,
        exclusions: vec![],
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
        expected_digest: wrong.clone(),
    };
    expect_err(
        s.migrate_as(&executor, &msg),
        ContractError::Journal(JournalError::DigestMismatch {
            height: h,
            expected: wrong,
            actual: s.digest_at(h),
        }),
    );
    assert_eq!(s.status().phase, RestorationPhase::Idle);
}

#[test]
fn crank_without_a_restoration_is_refused() {
    let (mut s, _) = busy_suite();
    expect_rewind(
        s.crank(None),
        rewind_target::TargetError::NoRestorationRunning,
    );
}

#[test]
fn restorable_messages_parse_as_the_vault_messages() {
    let until = Timestamp::from_seconds(42);
    let gate = RestorableExecuteMsg::Gate(GateMsg::SetPause {
        scope: TRADE,
        until,
    });
    // rewind-target's entry point takes the shared JSON as Rewind's, by its top-level key.
    type Entry = rewind_target::ExecuteMsg<crate::msg::VaultMsg>;
    let parsed: Entry = from_json(to_json_vec(&gate).unwrap()).unwrap();
    assert_eq!(
        parsed,
        Wrapped::Rewind(RestorableExecuteMsg::Gate(GateMsg::SetPause {
            scope: TRADE,
            until
        }))
    );
    let lock = RestorableExecuteMsg::Gate(GateMsg::SetRestorationLock { until: None });
    let parsed: Entry = from_json(to_json_vec(&lock).unwrap()).unwrap();
    assert_eq!(
        parsed,
        Wrapped::Rewind(RestorableExecuteMsg::Gate(GateMsg::SetRestorationLock {
            until: None
        }))
    );
    let crank = RestorableExecuteMsg::Crank { limit: Some(7) };
    let parsed: Entry = from_json(to_json_vec(&crank).unwrap()).unwrap();
    assert_eq!(
        parsed,
        Wrapped::Rewind(RestorableExecuteMsg::Crank { limit: Some(7) })
    );
    // The vault's own JSON is its own message, unchanged.
    let parsed: Entry = from_json(br#"{"deposit":{}}"#).unwrap();
    assert_eq!(
        parsed,
        Wrapped::Contract(crate::msg::VaultMsg(ExecuteMsg::Deposit {}))
    );

    for m in [
        RestorableMigrateMsg::Upgrade {},
        RestorableMigrateMsg::Restore {
            height: 9,
            exclusions: vec!["x".into()],
            shortfall_policy: ShortfallPolicy::InsuranceFirst,
            expected_digest: HexBinary::from(vec![1u8; 32]),
        },
    ] {
        let parsed: rewind_target::MigrateMsg<rewind_target::NoMigrateMsg> =
            from_json(to_json_vec(&m).unwrap()).unwrap();
        assert_eq!(parsed, Wrapped::Rewind(m));
    }

    let pairs = [
        (
            RestorableQueryMsg::JournalInfo {},
            RestorableQueryMsg::JournalInfo {},
        ),
        (
            RestorableQueryMsg::DigestAt { height: 5 },
            RestorableQueryMsg::DigestAt { height: 5 },
        ),
        (
            RestorableQueryMsg::RestorationStatus {},
            RestorableQueryMsg::RestorationStatus {},
        ),
        (RestorableQueryMsg::Scopes {}, RestorableQueryMsg::Scopes {}),
    ];
    for (shared, own) in pairs {
        let parsed: rewind_target::QueryMsg<QueryMsg> =
            from_json(to_json_vec(&shared).unwrap()).unwrap();
        assert_eq!(parsed, Wrapped::Rewind(own));
    }
}

#[test]
fn restorable_messages_drive_the_vault_end_to_end() {
    let (mut s, h) = busy_suite();
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    let executor = s.roles.executor.clone();
    let vault = s.vault.clone();
    while {
        let st: rewind_types::restorable::RestorationStatusResponse = s
            .app
            .wrap()
            .query_wasm_smart(&vault, &RestorableQueryMsg::RestorationStatus {})
            .unwrap();
        st.phase != RestorationPhase::Complete
    } {
        s.app
            .execute_contract(
                executor.clone(),
                vault.clone(),
                &RestorableExecuteMsg::Crank { limit: Some(2) },
                &[],
            )
            .unwrap();
    }
    // The executor releases it with the shared message (row R12).
    s.migrate_as(
        &executor,
        &rewind_types::RestorableMigrateMsg::Release { config: None },
    )
    .unwrap();
    let info: rewind_types::restorable::JournalInfoResponse = s
        .app
        .wrap()
        .query_wasm_smart(&vault, &RestorableQueryMsg::JournalInfo {})
        .unwrap();
    assert!(!info.restoring);
    let until = s.app.block_info().time.plus_seconds(30);
    let guardian = s.roles.guardian.clone();
    s.app
        .execute_contract(
            guardian,
            vault,
            &RestorableExecuteMsg::Gate(GateMsg::SetPause {
                scope: DEPOSIT,
                until,
            }),
            &[],
        )
        .unwrap();
    assert!(s.pause_status().scopes[1].blocked);
}

#[test]
fn r3_restore_before_retained_history_is_refused() {
    let mut s = SuiteBuilder::default().with_retention_blocks(5).build();
    let alice = s.user("alice");
    s.deposit(&alice, 10, USDC).unwrap();
    let early = s.height();
    for _ in 0..20 {
        s.next_block();
        s.deposit(&alice, 1, USDC).unwrap();
    }
    s.next_block();
    let digest = s.digest_at(early);
    let anyone = s.addr("anyone");
    s.exec(
        &anyone,
        &RestorableExecuteMsg::Prune { limit: Some(100) },
        &[],
    )
    .unwrap();
    let info: rewind_types::restorable::JournalInfoResponse =
        s.query(&RestorableQueryMsg::JournalInfo {});
    assert!(info.retained_from > early);
    let executor = s.roles.executor.clone();
    let msg = MigrateMsg::Restore {
        height: early,
        exclusions: vec![],
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
        expected_digest: digest,
    };
    expect_err(
        s.migrate_as(&executor, &msg),
        ContractError::Journal(JournalError::BeforeRetainedHistory {
            height: early,
            retained_from: info.retained_from,
        }),
    );
    // A retained height still works.
    s.restore(info.retained_from, &[], ShortfallPolicy::ProRataHaircut)
        .unwrap();
    s.crank_to_end(&[7]);
    assert_eq!(s.free(&alice, USDC), 30);
}

// ---------------------------------------------------------------------------------------
// The voted configuration: Configure, CheckConfig, Release { config }
// ---------------------------------------------------------------------------------------

/// `Configure` is a same-version migration; `CheckConfig` parses and validates the vault's
/// own `VaultConfigUpdate` JSON and writes nothing.
#[test]
fn configure_is_same_version_and_check_config_writes_nothing() {
    let mut deps = instantiated();
    let env = mock_env();
    let check = |deps: &cosmwasm_std::OwnedDeps<_, _, _>, json: &str| -> Option<String> {
        let bin = super::suite::direct::query(
            deps.as_ref(),
            mock_env(),
            &RestorableQueryMsg::CheckConfig {
                config: cosmwasm_std::Binary::from(json.as_bytes().to_vec()),
            },
        )
        .unwrap();
        from_json::<rewind_types::restorable::CheckConfigResponse>(&bin)
            .unwrap()
            .error
    };
    let before: rewind_types::vault::ConfigResponse = from_json(
        super::suite::direct::query(deps.as_ref(), env.clone(), &QueryMsg::Config {}).unwrap(),
    )
    .unwrap();
    assert_eq!(check(&deps, r#"{"breaker_budget_trips":2}"#), None);
    assert_eq!(
        check(&deps, "{}"),
        Some(ContractError::EmptyConfigUpdate {}.to_string())
    );
    let unknown = check(&deps, r#"{"exits_pausable":true}"#).unwrap();
    assert!(
        unknown.starts_with("invalid config update: ") && unknown.contains("unknown field"),
        "{unknown}"
    );
    let bad_addr = check(&deps, r#"{"feeder":"Not An Address"}"#).unwrap();
    assert!(!bad_addr.is_empty());
    let out_of_bounds = check(&deps, r#"{"retention_blocks":0}"#).unwrap();
    assert!(out_of_bounds.contains("invalid config"), "{out_of_bounds}");
    let after: rewind_types::vault::ConfigResponse = from_json(
        super::suite::direct::query(deps.as_ref(), env.clone(), &QueryMsg::Config {}).unwrap(),
    )
    .unwrap();
    assert_eq!(before, after, "a check writes nothing");
    // Applied by the same-version migration ...
    let configure = |json: &str| MigrateMsg::Configure {
        config: cosmwasm_std::Binary::from(json.as_bytes().to_vec()),
    };
    let res = migrate(
        deps.as_mut(),
        env.clone(),
        configure(r#"{"breaker_budget_trips":2}"#),
    )
    .unwrap();
    assert!(res
        .attributes
        .iter()
        .any(|a| a.key == "action" && a.value == "configure"));
    let cfg: rewind_types::vault::ConfigResponse = from_json(
        super::suite::direct::query(deps.as_ref(), env.clone(), &QueryMsg::Config {}).unwrap(),
    )
    .unwrap();
    assert_eq!(cfg.breaker_budget_trips, 2);
    assert_eq!(
        migrate(deps.as_mut(), env.clone(), configure("{}")).unwrap_err(),
        ContractError::EmptyConfigUpdate {}.to_string()
    );
    // ... and only that: an older stored version must upgrade first.
    cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "0.0.1").unwrap();
    assert_eq!(
        migrate(
            deps.as_mut(),
            env,
            configure(r#"{"breaker_budget_trips":3}"#)
        )
        .unwrap_err(),
        rewind_text(TargetError::WrongCode {
            action: "configure",
            stored: format!("{CONTRACT_NAME} 0.0.1"),
            name: CONTRACT_NAME,
            version: CONTRACT_VERSION,
        })
    );
}

/// `Release { config }`: the vault reopens and takes the voted configuration in one
/// migration, or refuses both (row R12: the executor's completing step then reverts).
#[test]
fn r12_r14_release_with_a_config_releases_and_configures_or_neither() {
    let (mut s, h) = busy_suite();
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    s.crank_to_complete(&[5]);
    let executor = s.roles.executor.clone();
    let release = |update: &rewind_types::vault::VaultConfigUpdate| MigrateMsg::Release {
        config: Some(cosmwasm_std::to_json_binary(update).unwrap()),
    };
    let refused = rewind_types::vault::VaultConfigUpdate {
        breaker_budget_trips: Some(0),
        ..Default::default()
    };
    let err = s.migrate_as(&executor, &release(&refused)).unwrap_err();
    assert!(err.to_string().contains("invalid config"), "{err}");
    assert!(s.pause_status().restoring, "still locked: nothing released");
    let new_guardian = s.addr("new_guardian");
    let rotate = rewind_types::vault::VaultConfigUpdate {
        guardian: Some(new_guardian.to_string()),
        ..Default::default()
    };
    let res = s.migrate_as(&executor, &release(&rotate)).unwrap();
    assert!(res.events.iter().any(|e| e
        .attributes
        .iter()
        .any(|a| a.key == "configured" && a.value == "true")));
    assert!(!s.pause_status().restoring);
    let cfg: rewind_types::vault::ConfigResponse = s.query(&QueryMsg::Config {});
    assert_eq!(cfg.guardian, new_guardian);
    // The rotated guardian is the one the gate obeys now.
    let old = s.roles.guardian.clone();
    let until = s.app.block_info().time.plus_seconds(30);
    let pause = RestorableExecuteMsg::Gate(GateMsg::SetPause {
        scope: DEPOSIT,
        until,
    });
    s.exec(&old, &pause, &[]).unwrap_err();
    s.exec(&new_guardian, &pause, &[]).unwrap();
}

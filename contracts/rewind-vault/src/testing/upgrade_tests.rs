//! A rollback stuck on its digest check (row R4) and the `Upgrade {}` migration: the upgrade
//! is allowed (it is the way out governance votes), keeps its semantics (a strictly newer
//! version), and never abandons the rollback by itself.

use rewind_journal::JournalError;
use rewind_testing::SuiteBase;
use rewind_types::restorable::RestorationPhase;
use rewind_types::vault::MigrateMsg;
use rewind_types::ShortfallPolicy;

use super::suite::*;
use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};
use crate::state::COLLATERAL;

/// A vault whose rollback to `h` fails its digest check: alice's collateral was inflated
/// behind the journal's back after `h`.
fn stuck_suite() -> Suite {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    s.deposit(&alice, 100, USDC).unwrap();
    let h = s.height();
    s.next_block();
    s.deposit(&alice, 50, USDC).unwrap();
    s.next_block();
    let key = raw_ledger_key(&COLLATERAL.key((alice.clone(), USDC.to_string())));
    {
        let vault = s.vault.clone();
        let mut store = s.app.contract_storage_mut(&vault);
        let mut raw = store.get(&key).unwrap();
        raw.truncate(9);
        raw.extend_from_slice(b"\"1000000\"");
        store.set(&key, &raw);
    }
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    // The verify pass finds the mismatch and records it, undoing nothing; settling the live
    // ledger then refuses: its inflated claim exceeds the bank (row R11), so it is stuck.
    s.crank(Some(200)).unwrap();
    let failure = s.status().failure.unwrap_or_default();
    assert!(failure.contains("digest mismatch"), "{failure}");
    let err = (0..5)
        .find_map(|_| s.crank(Some(200)).err())
        .expect("the settlement refuses");
    assert!(err.to_string().contains("exceed the bank balance"), "{err}");
    assert_eq!(s.status().phase, RestorationPhase::Replaying);
    assert!(s.pause_status().restoring);
    s.next_block();
    s
}

#[test]
fn r4_stuck_rollback_stays_locked_and_restore_is_refused() {
    let mut s = stuck_suite();
    let alice = s.addr("alice");
    expect_err(
        s.deposit(&alice, 1, USDC),
        ContractError::Journal(JournalError::Restoring),
    );
    let executor = s.roles.executor.clone();
    let msg = MigrateMsg::Restore {
        height: s.height() - 1,
        exclusions: vec![],
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
        expected_digest: cosmwasm_std::HexBinary::from(vec![0u8; 32]),
    };
    expect_err(
        s.migrate_as(&executor, &msg),
        ContractError::Journal(JournalError::RollbackAlreadyRunning {
            running_height: s.height() - 3,
        }),
    );
}

#[test]
fn r4_upgrade_during_a_stuck_rollback_needs_a_newer_version_and_never_abandons() {
    let mut s = stuck_suite();
    let executor = s.roles.executor.clone();
    // Same code, same version: still not an upgrade, even as the way out.
    // rewind-target's rule: the same name and version is not an upgrade.
    expect_rewind(
        s.migrate_as(&executor, &MigrateMsg::Upgrade {}),
        rewind_target::TargetError::WrongCode {
            action: "upgrade",
            stored: format!("{CONTRACT_NAME} {CONTRACT_VERSION}"),
            name: CONTRACT_NAME,
            version: CONTRACT_VERSION,
        },
    );
    // From an older stored version the upgrade is allowed while the rollback is stuck...
    {
        let vault = s.vault.clone();
        let mut store = s.app.contract_storage_mut(&vault);
        cw2::set_contract_version(store.as_mut(), CONTRACT_NAME, "0.0.1").unwrap();
    }
    let res = s.migrate_as(&executor, &MigrateMsg::Upgrade {}).unwrap();
    assert!(res
        .events
        .iter()
        .flat_map(|e| &e.attributes)
        .any(|a| a.key == "action" && a.value == "migrate"));
    // ...and leaves the stuck restoration to the new code's migration: still locked, its
    // digest failure recorded, its settlement still refused.
    assert!(s.pause_status().restoring);
    assert_eq!(s.status().phase, RestorationPhase::Replaying);
    assert!(s.status().failure.is_some());
    let alice = s.addr("alice");
    expect_err(
        s.deposit(&alice, 1, USDC),
        ContractError::Journal(JournalError::Restoring),
    );
    let err = s.crank(Some(200)).unwrap_err();
    assert!(err.to_string().contains("exceed the bank balance"), "{err}");
}

/// The vault no longer keeps `exits_pausable` (the guardian's registry is the one source of
/// truth). A config stored by the earlier code, with the field, still loads: no state
/// migration is needed for it.
#[test]
fn p3_a_config_stored_with_exits_pausable_still_loads() {
    use cosmwasm_std::testing::MockStorage;
    use cosmwasm_std::Storage;

    let s = SuiteBuilder::default().build();
    let config = crate::state::CONFIG
        .load(s.app.contract_storage(&s.vault).as_ref())
        .unwrap();
    let json = cosmwasm_std::to_json_string(&config).unwrap();
    let old = json.replacen('{', r#"{"exits_pausable":false,"#, 1);
    assert!(old.contains("exits_pausable"));
    let mut store = MockStorage::new();
    store.set(b"vault_config", old.as_bytes());
    assert_eq!(crate::state::CONFIG.load(&store).unwrap(), config);
}

//! The Suite deploys the real system as the deploy script does (every address predicted
//! with instantiate2, governance the wasm admin of every core contract and of itself), and
//! nobody but the executor can migrate a target (row R8).

use cosmwasm_std::{to_json_binary, HexBinary, WasmMsg};
use cw_multi_test::Executor;
use rewind_testing::suite::SuiteBuilder;
use rewind_testing::SuiteBase;
use rewind_types::guardian::{QueryMsg as GuardianQuery, TargetsResponse};
use rewind_types::restorable::RestorableMigrateMsg;
use rewind_types::vault::{ConfigResponse as VaultConfig, QueryMsg as VaultQuery};
use rewind_types::{executor, timelock, ShortfallPolicy};

#[test]
fn suite_deploys_the_real_system_without_a_deployer_key() {
    let s = SuiteBuilder::new().with_vaults(2).build();
    // The modules governance instantiated know each other from their instantiation.
    let t: timelock::ConfigResponse = s.query(&s.timelock, &timelock::QueryMsg::Config {});
    let modules = t.modules;
    assert_eq!(modules.governance, s.governance);
    assert_eq!(modules.guardian, s.guardian);
    assert_eq!(modules.executor, s.executor);
    let e: executor::ConfigResponse = s.query(&s.executor, &executor::QueryMsg::Config {});
    assert_eq!(e.modules, modules);
    // Governance is the wasm admin of itself, the modules and the voting module (G7).
    for core in [
        &s.governance,
        &s.timelock,
        &s.guardian,
        &s.executor,
        &s.stake,
    ] {
        let info = s.app.wrap().query_wasm_contract_info(core).unwrap();
        assert_eq!(info.admin, Some(s.governance.clone()), "admin of {core}");
    }
    // Both vaults: registered in the guardian, roles set, wasm admin = the executor.
    let targets: TargetsResponse = s.query(
        &s.guardian,
        &GuardianQuery::Targets {
            start_after: None,
            limit: None,
        },
    );
    assert_eq!(targets.targets.len(), 2);
    for v in &s.vaults {
        assert!(targets
            .targets
            .iter()
            .any(|t| t.target == *v && t.exits_pausable));
        let info = s.app.wrap().query_wasm_contract_info(v).unwrap();
        assert_eq!(info.admin, Some(s.executor.clone()));
        let config: VaultConfig = s.query(v, &VaultQuery::Config {});
        assert_eq!(config.governance, s.governance);
        assert_eq!(config.guardian, s.guardian);
    }
    // Every holder's genesis stake counts from the block after it.
    let h = s.height();
    assert_eq!(s.total_power_at(h), 3 * s.config.holder_stake);
    assert_eq!(s.total_power_at(h - 1), 0);
}

#[test]
fn r8_only_the_executor_can_migrate_a_target() {
    let mut s = SuiteBuilder::new().build();
    let h = s.height() - 1;
    let restore = RestorableMigrateMsg::Restore {
        height: h,
        exclusions: vec![],
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
        expected_digest: HexBinary::from(s.expected_digest(0, h).as_slice()),
    };
    for who in [s.addr("deployer"), s.guardian_key(), s.attacker()] {
        let msg = WasmMsg::Migrate {
            contract_addr: s.vaults[0].to_string(),
            new_code_id: s.codes.vault,
            msg: to_json_binary(&restore).unwrap(),
        };
        let err = s.app.execute(who.clone(), msg.into()).unwrap_err();
        assert!(
            err.to_string().contains("Only admin can migrate contract"),
            "{who}: {err}"
        );
    }
    assert!(
        !s.journal_info(0).restoring,
        "no migration reached the vault"
    );
}

//! The parameter changes that act on a registered target: a voted code upgrade
//! (`UpgradeTarget`, sent through the executor, the targets' wasm admin) and a vault
//! configuration change (`ConfigureTarget`, the vault's `UpdateConfig`, whose only sender is
//! governance). Both are typed: there is no free-form message.

use cosmwasm_std::{to_json_binary, Addr, CosmosMsg, Deps, HexBinary, Storage, WasmMsg};
use rewind_types::governance::ParameterChange;
use rewind_types::vault::{self, VaultConfigUpdate};
use rewind_types::{executor, PinnedCode};

use crate::state::{MODULES, TARGETS};
use crate::ContractError;

/// A registered target's address, or `TargetNotRegistered`.
pub fn registered(
    api: &dyn cosmwasm_std::Api,
    storage: &dyn Storage,
    contract: &str,
) -> Result<Addr, ContractError> {
    let addr = api.addr_validate(contract)?;
    if !TARGETS.has(storage, &addr) {
        return Err(ContractError::TargetNotRegistered {
            target: addr.to_string(),
        });
    }
    Ok(addr)
}

/// At proposal: the target is registered, the executor is its wasm admin (row R8), and the
/// pinned checksum is the chain's checksum of the code (row G6). The executor checks the
/// admin and the checksum again when it migrates.
pub fn validate_upgrade(
    deps: Deps,
    contract: &str,
    new_code: &PinnedCode,
) -> Result<(), ContractError> {
    let target = registered(deps.api, deps.storage, contract)?;
    let executor = MODULES.load(deps.storage)?.executor;
    let info = deps.querier.query_wasm_contract_info(&target)?;
    if info.admin.as_ref() != Some(&executor) {
        return Err(ContractError::TargetAdminNotExecutor {
            target: target.to_string(),
            admin: info.admin.map(|a| a.to_string()),
        });
    }
    check_checksum(deps, new_code.code_id, &new_code.checksum)
}

/// The chain's checksum of `code_id` is `expected` (row G6): a pinned code cannot be
/// swapped for another between the vote and the migration.
pub fn check_checksum(deps: Deps, code_id: u64, expected: &HexBinary) -> Result<(), ContractError> {
    let actual = HexBinary::from(
        deps.querier
            .query_wasm_code_info(code_id)?
            .checksum
            .as_slice(),
    );
    if actual != *expected {
        return Err(ContractError::ChecksumMismatch {
            code_id,
            expected: expected.clone(),
            actual,
        });
    }
    Ok(())
}

/// At proposal: the target is registered, the update changes something, and every address
/// in it is valid. The vault checks the values again (and its own bounds) when applied.
pub fn validate_configure(
    deps: Deps,
    contract: &str,
    config: &VaultConfigUpdate,
) -> Result<(), ContractError> {
    registered(deps.api, deps.storage, contract)?;
    if *config == VaultConfigUpdate::default() {
        return Err(ContractError::EmptyTargetConfig {
            target: contract.to_string(),
        });
    }
    for addr in [&config.feeder, &config.guardian, &config.governance]
        .into_iter()
        .flatten()
    {
        deps.api.addr_validate(addr)?;
    }
    if config.retention_blocks == Some(0) {
        return Err(ContractError::ZeroDuration {
            field: "retention_blocks".into(),
        });
    }
    Ok(())
}

/// A passed parameter proposal applies at close, without the timelock. For a code upgrade
/// that is acceptable only after the full normal-track vote: an expedited parameter
/// proposal (none can be created today) may not carry one. The same holds for a sweep of
/// frozen funds (`SweepFrozen`), which is timelocked as well.
pub fn check_track(
    proposal_id: u64,
    expedited: bool,
    changes: &[ParameterChange],
) -> Result<(), ContractError> {
    if expedited
        && changes
            .iter()
            .any(|c| matches!(c, ParameterChange::UpgradeTarget { .. }))
    {
        return Err(ContractError::UpgradeNotOnNormalTrack { id: proposal_id });
    }
    if expedited
        && changes
            .iter()
            .any(|c| matches!(c, ParameterChange::SweepFrozen { .. }))
    {
        return Err(ContractError::SweepNotOnNormalTrack { id: proposal_id });
    }
    Ok(())
}

/// At proposal: the target is registered and the recipient, if named, is a valid address.
pub fn validate_sweep(deps: Deps, target: &str, to: Option<&str>) -> Result<(), ContractError> {
    registered(deps.api, deps.storage, target)?;
    if let Some(to) = to {
        deps.api.addr_validate(to)?;
    }
    Ok(())
}

/// When applied: the executor's `ScheduleSweep` for a still-registered target.
pub fn sweep_msg(deps: Deps, target: &str, to: Option<String>) -> Result<CosmosMsg, ContractError> {
    let target = registered(deps.api, deps.storage, target)?;
    let executor = MODULES.load(deps.storage)?.executor;
    exec(
        &executor,
        &executor::ExecuteMsg::ScheduleSweep {
            target: target.to_string(),
            to,
        },
    )
}

fn exec<T: serde::Serialize>(contract: &Addr, msg: &T) -> Result<CosmosMsg, ContractError> {
    Ok(WasmMsg::Execute {
        contract_addr: contract.to_string(),
        msg: to_json_binary(msg)?,
        funds: vec![],
    }
    .into())
}

/// When applied: the executor's `Upgrade` for a still-registered target.
pub fn upgrade_msg(
    deps: Deps,
    contract: &str,
    new_code: PinnedCode,
) -> Result<CosmosMsg, ContractError> {
    let target = registered(deps.api, deps.storage, contract)?;
    let executor = MODULES.load(deps.storage)?.executor;
    exec(
        &executor,
        &executor::ExecuteMsg::Upgrade {
            contract: target.to_string(),
            code_id: new_code.code_id,
            checksum: new_code.checksum,
        },
    )
}

/// When applied: the vault's `UpdateConfig` for a still-registered target.
pub fn configure_msg(
    deps: Deps,
    contract: &str,
    config: VaultConfigUpdate,
) -> Result<CosmosMsg, ContractError> {
    let target = registered(deps.api, deps.storage, contract)?;
    exec(&target, &vault::ExecuteMsg::UpdateConfig(config))
}

//! The parameter changes that act on a registered target: a voted code upgrade
//! (`UpgradeTarget`) and a configuration change (`ConfigureTarget`), both sent through the
//! executor, the targets' wasm admin. Both are typed: there is no free-form message. A
//! configuration is the target's own JSON: governance asks the target whether it accepts it
//! (`CheckConfig`) and never reads it.

use cosmwasm_std::{to_json_binary, Addr, Binary, CosmosMsg, Deps, HexBinary, Storage, WasmMsg};
use rewind_types::governance::ParameterChange;
use rewind_types::restorable::{CheckConfigResponse, RestorableQueryMsg};
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
    let info = crate::answers::contract_info(deps, &target)?;
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
    let actual = crate::answers::code_checksum(deps, code_id)?;
    if actual != *expected {
        return Err(ContractError::ChecksumMismatch {
            code_id,
            expected: expected.clone(),
            actual,
        });
    }
    Ok(())
}

/// The target accepts `config` now (`RestorableQueryMsg::CheckConfig`), or
/// `InvalidTargetConfig` with its reason; a target that cannot answer refuses too.
pub fn check_config(deps: Deps, contract: &Addr, config: &Binary) -> Result<(), ContractError> {
    let refused = |reason: String| ContractError::InvalidTargetConfig {
        contract: contract.to_string(),
        reason,
    };
    let answer: CheckConfigResponse = deps
        .querier
        .query_wasm_smart(
            contract,
            &RestorableQueryMsg::CheckConfig {
                config: config.clone(),
            },
        )
        .map_err(|e| refused(format!("CheckConfig failed: {e}")))?;
    match answer.error {
        Some(reason) => Err(refused(reason)),
        None => Ok(()),
    }
}

/// At proposal: the target is registered and accepts the configuration now. It checks it
/// again when the executor applies it.
pub fn validate_configure(
    deps: Deps,
    contract: &str,
    config: &Binary,
) -> Result<(), ContractError> {
    let target = registered(deps.api, deps.storage, contract)?;
    check_config(deps, &target, config)
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

/// When applied: the executor's `Configure` for a still-registered target.
pub fn configure_msg(
    deps: Deps,
    contract: &str,
    config: Binary,
) -> Result<CosmosMsg, ContractError> {
    let target = registered(deps.api, deps.storage, contract)?;
    let executor = MODULES.load(deps.storage)?.executor;
    exec(
        &executor,
        &executor::ExecuteMsg::Configure {
            contract: target.to_string(),
            config,
        },
    )
}

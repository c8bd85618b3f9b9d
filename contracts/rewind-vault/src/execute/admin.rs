//! Guardian gate updates, governance config changes and journal pruning.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_journal::{
    hold_history, prune as journal_prune, set_pause, set_restoration_lock, set_retention,
};
use rewind_types::vault::VaultConfigUpdate;
use rewind_types::GateMsg;
use rewind_types::PauseScope;

use crate::error::ContractError;
use crate::state::CONFIG;

/// The most journal entries one `Prune` deletes.
pub const MAX_PRUNE_LIMIT: u32 = 100;
/// The prune limit when none is given.
pub const DEFAULT_PRUNE_LIMIT: u32 = 30;

/// A gate update from the guardian contract.
pub fn gate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: GateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.guardian {
        return Err(ContractError::Unauthorized {
            action: "gate".into(),
            sender: info.sender,
        });
    }
    match msg {
        GateMsg::SetPause { scope, until } => {
            if scope == PauseScope::Withdraw && !config.exits_pausable {
                return Err(ContractError::ExitsNotPausable {
                    scope: scope.to_string(),
                });
            }
            // The guardian's slot only: a breaker pause is never shortened (row P7).
            set_pause(deps.storage, &env, scope, until)?;
            Ok(Response::new()
                .add_attribute("action", "set_pause")
                .add_attribute("scope", scope.as_str())
                .add_attribute("until", until.seconds().to_string())
                .add_attribute("lifted", (until <= env.block.time).to_string()))
        }
        GateMsg::HoldHistory { from_height, until } => {
            // Never refused (row G12): merged when the journal's hold list is full.
            hold_history(deps.storage, &env, from_height, until)?;
            Ok(Response::new()
                .add_attribute("action", "hold_history")
                .add_attribute("from_height", from_height.to_string())
                .add_attribute("until", until.seconds().to_string()))
        }
        GateMsg::SetRestorationLock { until } => {
            set_restoration_lock(deps.storage, until)?;
            Ok(Response::new()
                .add_attribute("action", "set_restoration_lock")
                .add_attribute(
                    "until",
                    until.map_or_else(|| "none".to_string(), |t| t.seconds().to_string()),
                ))
        }
    }
}

/// Governance changes the mutable configuration.
pub fn update_config(
    deps: DepsMut,
    info: MessageInfo,
    update: VaultConfigUpdate,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let mut config = CONFIG.load(deps.storage)?;
    if info.sender != config.governance {
        return Err(ContractError::Unauthorized {
            action: "update_config".into(),
            sender: info.sender,
        });
    }
    if let Some(feeder) = update.feeder {
        config.feeder = deps.api.addr_validate(&feeder)?;
    }
    if let Some(guardian) = update.guardian {
        config.guardian = deps.api.addr_validate(&guardian)?;
    }
    if let Some(governance) = update.governance {
        config.governance = deps.api.addr_validate(&governance)?;
    }
    if let Some(exits) = update.exits_pausable {
        config.exits_pausable = exits;
    }
    if let Some(bps) = update.breaker_bound_bps {
        config.breaker_bound_bps = bps;
    }
    if let Some(seconds) = update.breaker_pause_seconds {
        config.breaker_pause_seconds = seconds;
    }
    if let Some(blocks) = update.retention_blocks {
        config.retention_blocks = blocks;
    }
    if let Some(seconds) = update.retention_seconds {
        config.retention_seconds = seconds;
    }
    if let Some(seconds) = update.breaker_max_trip_seconds {
        config.breaker_max_trip_seconds = seconds;
    }
    if let Some(seconds) = update.breaker_cooldown_seconds {
        config.breaker_cooldown_seconds = seconds;
    }
    if let Some(trips) = update.breaker_budget_trips {
        config.breaker_budget_trips = trips;
    }
    if let Some(seconds) = update.breaker_window_seconds {
        config.breaker_window_seconds = seconds;
    }
    crate::instantiate::validate_config(&config)?;
    if update.retention_blocks.is_some() || update.retention_seconds.is_some() {
        set_retention(
            deps.storage,
            config.retention_blocks,
            config.retention_seconds,
        )?;
    }
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("feeder", config.feeder.as_str())
        .add_attribute("guardian", config.guardian.as_str())
        .add_attribute("exits_pausable", config.exits_pausable.to_string()))
}

/// Prunes at most `limit` journal entries (anyone).
pub fn prune(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    limit: Option<u32>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let limit = limit
        .unwrap_or(DEFAULT_PRUNE_LIMIT)
        .clamp(1, MAX_PRUNE_LIMIT);
    let pruned = journal_prune(deps.storage, &env, limit)?;
    Ok(Response::new()
        .add_attribute("action", "prune")
        .add_attribute("limit", limit.to_string())
        .add_attribute("pruned", pruned.to_string()))
}

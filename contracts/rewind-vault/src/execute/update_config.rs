//! Governance changes the vault's mutable configuration.

use cosmwasm_std::{DepsMut, MessageInfo, Response};
use rewind_journal::set_retention;
use rewind_types::vault::VaultConfigUpdate;

use crate::error::ContractError;
use crate::state::CONFIG;

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
        .add_attribute("guardian", config.guardian.as_str()))
}

//! The voted configuration change: `Configure { config }` (a same-version migration, so
//! only the wasm admin, the executor, can send it) and `Release { config: Some(..) }` apply a
//! [`VaultConfigUpdate`] given as JSON; `CheckConfig { config }` answers whether they would,
//! writing nothing. The vault's configuration has no other way to change: the authority is
//! the chain's wasm admin, not an address the vault stores.

use cosmwasm_std::{from_json, Api, Binary, DepsMut, Response, Storage};
use rewind_journal::set_retention;
use rewind_types::restorable::CheckConfigResponse;
use rewind_types::vault::VaultConfigUpdate;

use crate::error::ContractError;
use crate::state::{Config, CONFIG};

/// The update as the vault's own type, or `InvalidConfigUpdate` (not JSON of a
/// [`VaultConfigUpdate`], an unknown field) or `EmptyConfigUpdate` (changes nothing).
fn parse(config: &Binary) -> Result<VaultConfigUpdate, ContractError> {
    let update: VaultConfigUpdate =
        from_json(config).map_err(|e| ContractError::InvalidConfigUpdate {
            reason: e.to_string(),
        })?;
    if update == VaultConfigUpdate::default() {
        return Err(ContractError::EmptyConfigUpdate {});
    }
    Ok(update)
}

/// The configuration `update` leads to, validated as at instantiate; nothing written.
fn updated(
    api: &dyn Api,
    storage: &dyn Storage,
    update: &VaultConfigUpdate,
) -> Result<Config, ContractError> {
    let mut config = CONFIG.load(storage)?;
    if let Some(feeder) = &update.feeder {
        config.feeder = api.addr_validate(feeder)?;
    }
    if let Some(guardian) = &update.guardian {
        config.guardian = api.addr_validate(guardian)?;
    }
    if let Some(governance) = &update.governance {
        config.governance = api.addr_validate(governance)?;
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
    Ok(config)
}

/// `CheckConfig { config }`: parse and validate, no write.
pub fn check(api: &dyn Api, storage: &dyn Storage, config: &Binary) -> CheckConfigResponse {
    CheckConfigResponse::from_result(
        parse(config).and_then(|u| updated(api, storage, &u).map(|_| ())),
    )
}

/// Applies a voted update: the configuration, and the journal's retention when it changes.
/// `Configure` and `Release { config }` both end here; returns the new configuration.
pub fn apply(deps: DepsMut, config: &Binary) -> Result<Config, ContractError> {
    let update = parse(config)?;
    let new = updated(deps.api, deps.storage, &update)?;
    if update.retention_blocks.is_some() || update.retention_seconds.is_some() {
        set_retention(deps.storage, new.retention_blocks, new.retention_seconds)?;
    }
    CONFIG.save(deps.storage, &new)?;
    Ok(new)
}

/// `Configure { config }`: applies it; event `action=configure`.
pub fn configure(deps: DepsMut, config: &Binary) -> Result<Response, ContractError> {
    let new = apply(deps, config)?;
    Ok(Response::new()
        .add_attribute("action", "configure")
        .add_attribute("feeder", new.feeder.as_str())
        .add_attribute("guardian", new.guardian.as_str()))
}

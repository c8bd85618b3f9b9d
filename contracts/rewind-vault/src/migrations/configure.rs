//! The voted configuration change, the `config: (check_config, apply_config)` hooks of
//! `restorable!`: rewind-target's `Configure { config }` (a same-version migration, so only
//! the wasm admin, the executor, can send it) and `Release { config: Some(..) }` apply a
//! [`VaultConfigUpdate`] given as JSON; `CheckConfig { config }` answers whether they would,
//! writing nothing. The vault's configuration has no other way to change: the authority is
//! the chain's wasm admin, not an address the vault stores.

use cosmwasm_std::{from_json, Api, Binary, Deps, DepsMut, Env, Storage};
use rewind_journal::set_retention;
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

/// The check hook (`CheckConfig { config }`): parse and validate, no write.
pub fn check_config(deps: Deps, _env: &Env, config: &Binary) -> Result<(), ContractError> {
    let update = parse(config)?;
    updated(deps.api, deps.storage, &update).map(|_| ())
}

/// The apply hook (`Configure` and `Release { config }`): the configuration, the journal's
/// retention when it changes, and rewind-target's guardian (the only sender of `Gate`) when
/// the guardian changes.
pub fn apply_config(deps: DepsMut, _env: &Env, config: &Binary) -> Result<(), ContractError> {
    let update = parse(config)?;
    let new = updated(deps.api, deps.storage, &update)?;
    if update.retention_blocks.is_some() || update.retention_seconds.is_some() {
        set_retention(deps.storage, new.retention_blocks, new.retention_seconds)?;
    }
    if update.guardian.is_some() {
        rewind_target::state::SETTINGS.save(
            deps.storage,
            &rewind_target::msg::StoredSettings {
                guardian: new.guardian.clone(),
            },
        )?;
    }
    CONFIG.save(deps.storage, &new)?;
    Ok(())
}

//! Instantiation and configuration checks (row B4).

use cosmwasm_std::{Decimal, DepsMut, Env, MessageInfo, Response};
use rewind_types::vault::{InstantiateMsg, MarketParams};

use crate::error::ContractError;
use crate::invariants::{validate as validate_guard, GUARD};
use crate::state::{Config, CONFIG, MARKETS};

/// The cw2 contract name.
pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
/// The cw2 contract version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The most collateral denoms (bounds every per-denom loop, row D1).
pub const MAX_DENOMS: usize = 5;
/// The most markets (bounds the positions of one account, row D1).
pub const MAX_MARKETS: usize = 20;
/// The longest retention window in seconds (one year).
pub const MAX_RETENTION_SECONDS: u64 = 365 * 24 * 3600;
/// The longest breaker cooldown (7 days).
pub const MAX_BREAKER_COOLDOWN_SECONDS: u64 = 7 * 24 * 3600;
/// The largest breaker trip budget per rolling window (bounds the stored trip list).
pub const MAX_BREAKER_BUDGET_TRIPS: u32 = 10;
/// The longest rolling window of the breaker budget (30 days).
pub const MAX_BREAKER_WINDOW_SECONDS: u64 = 30 * 24 * 3600;

fn invalid(reason: impl Into<String>) -> ContractError {
    ContractError::InvalidConfig {
        reason: reason.into(),
    }
}

/// Checks the bounds of a configuration.
pub fn validate_config(config: &Config) -> Result<(), ContractError> {
    if config.denoms.is_empty() || config.denoms.len() > MAX_DENOMS {
        return Err(invalid(format!("1 to {MAX_DENOMS} denoms")));
    }
    for (i, denom) in config.denoms.iter().enumerate() {
        if denom.len() < 2 || denom.len() > 128 {
            return Err(invalid(format!("denom {denom:?} must be 2 to 128 bytes")));
        }
        if config.denoms[..i].contains(denom) {
            return Err(invalid(format!("duplicate denom {denom}")));
        }
    }
    if config.breaker_bound_bps == 0 {
        return Err(invalid("breaker_bound_bps must be > 0"));
    }
    if config.max_pause_seconds == 0 {
        return Err(invalid("max_pause_seconds must be > 0"));
    }
    if config.breaker_pause_seconds == 0 || config.breaker_pause_seconds > config.max_pause_seconds
    {
        return Err(invalid(
            "breaker_pause_seconds must be > 0 and <= max_pause_seconds",
        ));
    }
    if config.breaker_max_trip_seconds < config.breaker_pause_seconds
        || config.breaker_max_trip_seconds > config.max_pause_seconds
    {
        return Err(invalid(
            "breaker_max_trip_seconds must be >= breaker_pause_seconds and <= max_pause_seconds",
        ));
    }
    if config.breaker_cooldown_seconds == 0
        || config.breaker_cooldown_seconds > MAX_BREAKER_COOLDOWN_SECONDS
    {
        return Err(invalid(format!(
            "breaker_cooldown_seconds must be > 0 and <= {MAX_BREAKER_COOLDOWN_SECONDS}"
        )));
    }
    if config.breaker_budget_trips == 0 || config.breaker_budget_trips > MAX_BREAKER_BUDGET_TRIPS {
        return Err(invalid(format!(
            "breaker_budget_trips must be 1 to {MAX_BREAKER_BUDGET_TRIPS}"
        )));
    }
    if config.breaker_window_seconds == 0
        || config.breaker_window_seconds > MAX_BREAKER_WINDOW_SECONDS
    {
        return Err(invalid(format!(
            "breaker_window_seconds must be > 0 and <= {MAX_BREAKER_WINDOW_SECONDS}"
        )));
    }
    if config.retention_blocks == 0 {
        return Err(invalid("retention_blocks must be > 0"));
    }
    if config.retention_seconds == 0 || config.retention_seconds > MAX_RETENTION_SECONDS {
        return Err(invalid(format!(
            "retention_seconds must be > 0 and <= {MAX_RETENTION_SECONDS}"
        )));
    }
    Ok(())
}

/// Checks one market against the configured denoms.
pub fn validate_market(market: &MarketParams, denoms: &[String]) -> Result<(), ContractError> {
    let id_ok = !market.id.is_empty()
        && market.id.len() <= 32
        && market
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/'));
    if !id_ok {
        return Err(invalid(format!("market id {:?}", market.id)));
    }
    if !denoms.contains(&market.denom) {
        return Err(ContractError::UnknownDenom {
            denom: market.denom.clone(),
        });
    }
    let one = Decimal::one();
    if market.initial_margin_ratio.is_zero() || market.initial_margin_ratio > one {
        return Err(invalid(format!("{}: 0 < initial margin <= 1", market.id)));
    }
    if market.maintenance_margin_ratio.is_zero()
        || market.maintenance_margin_ratio > market.initial_margin_ratio
    {
        return Err(invalid(format!(
            "{}: 0 < maintenance margin <= initial margin",
            market.id
        )));
    }
    let shares = market
        .liquidation_reward_ratio
        .checked_add(market.liquidation_fee_ratio)?;
    if shares > one {
        return Err(invalid(format!(
            "{}: liquidation reward + fee <= 1",
            market.id
        )));
    }
    Ok(())
}

/// Validates the message, stores config and markets, sets cw2.
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = Config {
        governance: deps.api.addr_validate(&msg.governance)?,
        guardian: deps.api.addr_validate(&msg.guardian)?,
        feeder: deps.api.addr_validate(&msg.feeder)?,
        insurance: deps.api.addr_validate(&msg.insurance)?,
        denoms: msg.denoms,
        breaker_bound_bps: msg.breaker_bound_bps,
        breaker_pause_seconds: msg.breaker_pause_seconds,
        max_pause_seconds: msg.max_pause_seconds,
        retention_blocks: msg.retention_blocks,
        retention_seconds: msg.retention_seconds,
        breaker_max_trip_seconds: msg.breaker_max_trip_seconds,
        breaker_cooldown_seconds: msg.breaker_cooldown_seconds,
        breaker_budget_trips: msg.breaker_budget_trips,
        breaker_window_seconds: msg.breaker_window_seconds,
    };
    validate_config(&config)?;
    if msg.markets.is_empty() || msg.markets.len() > MAX_MARKETS {
        return Err(invalid(format!("1 to {MAX_MARKETS} markets")));
    }
    for market in &msg.markets {
        validate_market(market, &config.denoms)?;
        if MARKETS.has(deps.storage, &market.id) {
            return Err(invalid(format!("duplicate market {}", market.id)));
        }
        MARKETS.save(deps.storage, &market.id, market)?;
    }
    CONFIG.save(deps.storage, &config)?;
    GUARD.save(deps.storage, &validate_guard(deps.api, msg.invariants)?)?;
    // rewind-target started the journal with the same `guardian`, `retention_blocks` and
    // `retention_seconds` (read from this message's top level) before this ran.
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("guardian", config.guardian.as_str())
        .add_attribute("feeder", config.feeder.as_str())
        .add_attribute("insurance", config.insurance.as_str())
        .add_attribute("markets", msg.markets.len().to_string()))
}

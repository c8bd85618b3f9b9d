//! Price pushes by the feeder, and the automatic circuit breaker.

use cosmwasm_std::{Decimal, DepsMut, Env, Event, MessageInfo, Response, Timestamp};
use rewind_journal::{ensure_not_locked, set_pause, Journal};
use rewind_types::vault::PriceRecord;
use rewind_types::PauseScope;

use crate::error::ContractError;
use crate::gate::paused_until;
use crate::math;
use crate::state::{market, CONFIG, PRICES};

/// The feeder pushes `price` for `market_id`. A move beyond `breaker_bound_bps` from the
/// price standing at the start of the block trips a `trade` pause of
/// `breaker_pause_seconds` (never above `max_pause_seconds`); the push is stored anyway.
pub fn push_price(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    market_id: String,
    price: Decimal,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.feeder {
        return Err(ContractError::Unauthorized {
            action: "push_price".into(),
            sender: info.sender,
        });
    }
    ensure_not_locked(deps.storage, &env)?;
    market(deps.storage, &market_id)?;
    if price.is_zero() {
        return Err(ContractError::InvalidPrice { market: market_id });
    }

    let previous = PRICES.may_load(deps.storage, market_id.clone())?;
    let reference = match previous {
        Some(p) if p.height == env.block.height => p.block_start_price,
        Some(p) => Some(p.price),
        None => None,
    };
    let record = PriceRecord {
        price,
        height: env.block.height,
        time: env.block.time,
        block_start_price: reference,
    };
    let mut j = Journal::new(&env);
    PRICES.save(deps.storage, &mut j, market_id.clone(), &record)?;
    j.flush(deps.storage)?;

    let mut resp = Response::new()
        .add_attribute("action", "push_price")
        .add_attribute("market", market_id.as_str())
        .add_attribute("price", price.to_string());
    if let Some(reference) = reference {
        if math::moved_beyond(reference, price, config.breaker_bound_bps) {
            let seconds = config.breaker_pause_seconds.min(config.max_pause_seconds);
            let end = seconds
                .checked_mul(1_000_000_000)
                .and_then(|n| env.block.time.nanos().checked_add(n))
                .ok_or_else(|| ContractError::InvalidConfig {
                    reason: "breaker pause end overflows".into(),
                })?;
            let mut until = Timestamp::from_nanos(end);
            // Never shorten a longer pause already in force.
            if let Some(current) = paused_until(deps.storage, &env, PauseScope::Trade)? {
                until = until.max(current);
            }
            set_pause(deps.storage, PauseScope::Trade, until)?;
            resp = resp.add_attribute("breaker", "tripped").add_event(
                Event::new("circuit_breaker")
                    .add_attribute("market", market_id)
                    .add_attribute("reference_price", reference.to_string())
                    .add_attribute("price", price.to_string())
                    .add_attribute("bound_bps", config.breaker_bound_bps.to_string())
                    .add_attribute("scope", PauseScope::Trade.as_str())
                    .add_attribute("until", until.seconds().to_string()),
            );
        }
    }
    Ok(resp)
}

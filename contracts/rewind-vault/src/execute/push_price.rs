//! Price pushes by the feeder, and the automatic circuit breaker.

use cosmwasm_std::{Decimal, DepsMut, Env, Event, MessageInfo, Response, Storage, Timestamp};
use rewind_journal::{set_pause_from, PauseSource};
use rewind_types::vault::PriceRecord;
use rewind_types::vault::{LIQUIDATE, TRADE};
use rewind_types::PauseScope;

use crate::error::ContractError;
use crate::instantiate::MAX_BREAKER_BUDGET_TRIPS;
use crate::invariants::book_price;
use crate::math;
use crate::state::{market, Config, BREAKER, CONFIG, FALLBACK_PRICES, PRICES};

/// The feeder pushes `price` for `market_id`. A move beyond `breaker_bound_bps` from the
/// price standing at the start of the block trips the breaker (row P7): a pause of `trade`
/// AND `liquidate` (so no liquidation pays out at the tripping price) of
/// `breaker_pause_seconds`, in the breaker's own gate slot (a guardian pause is never
/// shortened, and a guardian `SetPause` never shortens it). The push is then stored.
///
/// The breaker is bounded (see [`trip`]): a move it may not answer with a pause is REFUSED
/// and the price is not stored, so alternating prices can neither renew the pause forever
/// nor land the bad price.
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
    // The `feed` scope's gate ran first (restoring, the restoration lock, a pause of `feed`
    // or `all` refuse it), in the entry point rewind-target generates.
    let params = market(deps.storage, &market_id)?;
    if price.is_zero() {
        return Err(ContractError::InvalidPrice { market: market_id });
    }

    let previous = PRICES.may_load(deps.storage, market_id.clone())?;
    let reference = match previous {
        Some(p) if p.height == env.block.height => p.block_start_price,
        Some(p) => Some(p.price),
        None => None,
    };
    let tripped = match reference {
        Some(reference) if math::moved_beyond(reference, price, config.breaker_bound_bps) => {
            trip(deps.storage, &env, &config, &market_id)?.map(|until| (reference, until))
        }
        _ => None,
    };
    let record = PriceRecord {
        price,
        height: env.block.height,
        time: env.block.time,
        block_start_price: reference,
    };
    PRICES.save(deps.storage, market_id.clone(), &record)?;
    book_price(deps.storage, &market_id, &params.denom, price, false)?;
    // The fallback price moves only while the vault runs normally (issue 15): never during
    // a stop, in exit-only mode, or by a push that trips (or lands in) a breaker pause.
    let offline = rewind_target::offline::status(deps.storage, &env)?;
    let breaker = BREAKER
        .may_load(deps.storage)?
        .and_then(|b| b.paused_until)
        .is_some_and(|until| env.block.time < until);
    if !offline.stopped && !offline.exit_only && !breaker && tripped.is_none() {
        FALLBACK_PRICES.save(deps.storage, market_id.clone(), &price)?;
    }

    let mut resp = Response::new()
        .add_attribute("action", "push_price")
        .add_attribute("market", market_id.as_str())
        .add_attribute("price", price.to_string());
    if let Some((reference, until)) = tripped {
        resp = resp.add_attribute("breaker", "tripped").add_event(
            Event::new("circuit_breaker")
                .add_attribute("market", market_id)
                .add_attribute("reference_price", reference.to_string())
                .add_attribute("price", price.to_string())
                .add_attribute("bound_bps", config.breaker_bound_bps.to_string())
                .add_attribute("scopes", format!("{TRADE},{LIQUIDATE}"))
                .add_attribute("until", until.seconds().to_string()),
        );
    }
    Ok(resp)
}

fn seconds_after(t: Timestamp, seconds: u64) -> Result<Timestamp, ContractError> {
    seconds
        .checked_mul(1_000_000_000)
        .and_then(|n| t.nanos().checked_add(n))
        .map(Timestamp::from_nanos)
        .ok_or_else(|| ContractError::InvalidConfig {
            reason: "breaker time overflows".into(),
        })
}

/// Trips (or renews) the breaker for a move beyond the bound, or refuses the move:
/// - while its pause is in force, the pause is renewed to `now + breaker_pause_seconds`,
///   but never past `breaker_max_trip_seconds` after the trip started; at that cap the move
///   is refused (`BreakerAtCap`);
/// - otherwise a new trip needs the cooldown after the last pause to be over
///   (`BreakerCooldown`) and fewer than `breaker_budget_trips` trips in the rolling
///   `breaker_window_seconds` (`BreakerBudgetSpent`).
///
/// Returns the end of the breaker pause, set on `trade` and `liquidate`; `None` for a push
/// replayed by a restoration from before the breaker's last decision: the breaker's record
/// is plain (never rolled back) and its pauses are history, so the replayed push is taken
/// as it was the first time, neither tripping again nor refused by its own earlier trip.
pub fn trip(
    store: &mut dyn Storage,
    env: &Env,
    config: &Config,
    market_id: &str,
) -> Result<Option<Timestamp>, ContractError> {
    trip_scopes(store, env, config, market_id, &[TRADE, LIQUIDATE])
}

/// [`trip`] of `scopes` for `market_id` (or another subject: an invariant's refusal,
/// `crate::invariants::trip`): one breaker record, so every trip shares its cap, cooldown
/// and budget.
pub fn trip_scopes(
    store: &mut dyn Storage,
    env: &Env,
    config: &Config,
    market_id: &str,
    scopes: &[PauseScope],
) -> Result<Option<Timestamp>, ContractError> {
    let now = env.block.time;
    let mut b = BREAKER.may_load(store)?.unwrap_or_default();
    if b.decided_at_height.is_some_and(|h| env.block.height < h) {
        return Ok(None);
    }
    let window = config.breaker_window_seconds;
    let mut kept = Vec::with_capacity(b.trips.len());
    for t in &b.trips {
        if now < seconds_after(*t, window)? {
            kept.push(*t);
        }
    }
    b.trips = kept;
    let pause = config.breaker_pause_seconds.min(config.max_pause_seconds);
    let end = match (b.paused_until, b.trip_started) {
        (Some(current), Some(started)) if now < current => {
            let cap = seconds_after(started, config.breaker_max_trip_seconds)?;
            let renewed = seconds_after(now, pause)?.min(cap);
            if renewed <= current {
                return Err(ContractError::BreakerAtCap {
                    market: market_id.to_string(),
                    until: current,
                });
            }
            renewed
        }
        _ => {
            if let Some(last) = b.paused_until {
                let cool = seconds_after(last, config.breaker_cooldown_seconds)?;
                if now < cool {
                    return Err(ContractError::BreakerCooldown {
                        market: market_id.to_string(),
                        until: cool,
                    });
                }
            }
            let budget = config.breaker_budget_trips.min(MAX_BREAKER_BUDGET_TRIPS);
            let trips = u32::try_from(b.trips.len()).unwrap_or(u32::MAX);
            if trips >= budget {
                return Err(ContractError::BreakerBudgetSpent {
                    market: market_id.to_string(),
                    trips,
                    window_seconds: window,
                });
            }
            b.trips.push(now);
            b.trip_started = Some(now);
            seconds_after(now, pause.min(config.breaker_max_trip_seconds))?
        }
    };
    b.paused_until = Some(end);
    b.decided_at_height = Some(env.block.height);
    BREAKER.save(store, &b)?;
    for scope in scopes {
        set_pause_from(store, env, PauseSource::Breaker, scope, end)?;
    }
    // The breaker's pause counts on the offline clock like the guardian's.
    rewind_target::offline::observe(store, env)?;
    Ok(Some(end))
}

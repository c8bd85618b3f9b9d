//! The queries. `all_shares` is paginated like cw20-base: `start_after` excludes its key,
//! `limit` defaults to [`DEFAULT_LIMIT`] and is capped at [`MAX_LIMIT`].

use cosmwasm_std::{Coin, Deps, Order, StdResult, Uint128};
use cw_storage_plus::Bound;

use crate::error::ContractError;
use crate::math::swap_amounts;
use crate::msg::{AllSharesResponse, ConfigResponse, PoolResponse, ShareInfo, SimulationResponse};
use crate::state::{CONFIG, RESERVES, SHARES, TOTAL_SHARE};

/// Page size when none is asked.
pub const DEFAULT_LIMIT: u32 = 10;
/// The largest page.
pub const MAX_LIMIT: u32 = 30;

/// The reserves (as the pool counts them, not its bank balance) and the total share.
pub fn pool(deps: Deps) -> StdResult<PoolResponse> {
    let config = CONFIG.load(deps.storage)?;
    let reserves = RESERVES.load(deps.storage)?;
    let [first, second] = config.denoms;
    Ok(PoolResponse {
        assets: [
            Coin::new(reserves[0], first),
            Coin::new(reserves[1], second),
        ],
        total_share: TOTAL_SHARE.load(deps.storage)?,
    })
}

/// The LP shares `address` holds.
pub fn share(deps: Deps, address: String) -> StdResult<Uint128> {
    let address = deps.api.addr_validate(&address)?;
    Ok(SHARES.may_load(deps.storage, &address)?.unwrap_or_default())
}

/// What swapping `offer` would return now: the same formula as the swap.
pub fn simulation(deps: Deps, offer: Coin) -> Result<SimulationResponse, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let offer_index = config
        .index_of(&offer.denom)
        .ok_or(ContractError::UnexpectedDenom { denom: offer.denom })?;
    let reserves = RESERVES.load(deps.storage)?;
    let amounts = swap_amounts(
        reserves[offer_index],
        reserves[1 - offer_index],
        Uint128::try_from(offer.amount)?,
        config.fee_bps,
    )?;
    Ok(SimulationResponse {
        return_amount: amounts.return_amount,
        fee_amount: amounts.fee_amount,
    })
}

/// The denoms and the fee.
pub fn config(deps: Deps) -> StdResult<ConfigResponse> {
    let config = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        denoms: config.denoms,
        fee_bps: config.fee_bps,
    })
}

/// The LP share holders by address, one page.
pub fn all_shares(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<AllSharesResponse> {
    let start = start_after
        .map(|s| deps.api.addr_validate(&s))
        .transpose()?;
    let limit = limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
    let shares = SHARES
        .range(
            deps.storage,
            start.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .map(|item| {
            item.map(|(address, share)| ShareInfo {
                address: address.into_string(),
                share,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(AllSharesResponse { shares })
}

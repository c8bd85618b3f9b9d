//! Markets, prices and liabilities.

use cosmwasm_std::{Coin, Deps};
use rewind_types::page;
use rewind_types::vault::{MarketResponse, MarketsResponse, PriceResponse, TotalsResponse};

use crate::error::ContractError;
use crate::state::{market, total, CONFIG, MARKETS, PRICES};

/// `Market { market }`: its parameters and last price.
pub fn market_response(deps: Deps, id: &str) -> Result<MarketResponse, ContractError> {
    Ok(MarketResponse {
        params: market(deps.storage, id)?,
        price: PRICES.may_load(deps.storage, id.to_string())?,
    })
}

/// `Markets { start_after, limit }`: a page of markets by id, each with its last price.
pub fn markets(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<MarketsResponse, ContractError> {
    let params = page(
        &MARKETS,
        deps.storage,
        start_after.as_deref(),
        limit,
        |_, params| params,
    )?;
    Ok(MarketsResponse {
        markets: params
            .into_iter()
            .map(|params| {
                Ok(MarketResponse {
                    price: PRICES.may_load(deps.storage, params.id.clone())?,
                    params,
                })
            })
            .collect::<Result<_, ContractError>>()?,
    })
}

/// `Price { market }`: the market's last price (`None` before the first push).
pub fn price(deps: Deps, id: String) -> Result<PriceResponse, ContractError> {
    market(deps.storage, &id)?;
    Ok(PriceResponse {
        price: PRICES.may_load(deps.storage, id.clone())?,
        market: id,
    })
}

/// `Totals {}`: liabilities per configured denom.
pub fn totals(deps: Deps) -> Result<TotalsResponse, ContractError> {
    let cfg = CONFIG.load(deps.storage)?;
    Ok(TotalsResponse {
        totals: cfg
            .denoms
            .iter()
            .map(|d| Ok(Coin::new(total(deps.storage, d)?, d)))
            .collect::<Result<_, ContractError>>()?,
    })
}

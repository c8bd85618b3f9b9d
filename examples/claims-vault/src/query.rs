//! Queries.

use cosmwasm_std::{Addr, Coin, Deps, Order, StdResult};
use cw_storage_plus::Bound;

use crate::msg::{ClaimsPage, ConfigResponse};
use crate::state::{CLAIMS, RECEIVED, SOURCES};

/// The default and the largest page of `Claims`.
const PAGE: (u32, u32) = (30, 100);

/// `Config {}`.
pub fn config(deps: Deps) -> StdResult<ConfigResponse> {
    Ok(ConfigResponse {
        sources: SOURCES.load(deps.storage)?,
        received: RECEIVED.load(deps.storage)?,
    })
}

/// `Claim { account }`.
pub fn claim(deps: Deps, account: String) -> StdResult<Vec<Coin>> {
    let account = deps.api.addr_validate(&account)?;
    CLAIMS
        .prefix(&account)
        .range(deps.storage, None, None, Order::Ascending)
        .map(|r| r.map(|(denom, amount)| Coin::new(amount, denom)))
        .collect()
}

/// `Claims { start_after, limit }`.
pub fn claims(
    deps: Deps,
    start_after: Option<(String, String)>,
    limit: Option<u32>,
) -> StdResult<ClaimsPage> {
    let limit = limit.unwrap_or(PAGE.0).min(PAGE.1) as usize;
    let start = start_after
        .map(|(a, d)| -> StdResult<(Addr, String)> { Ok((deps.api.addr_validate(&a)?, d)) })
        .transpose()?;
    let min = start
        .as_ref()
        .map(|(a, d)| Bound::exclusive((a, d.as_str())));
    let claims = CLAIMS
        .range(deps.storage, min, None, Order::Ascending)
        .take(limit)
        .map(|r| r.map(|((account, denom), amount)| (account, Coin::new(amount, denom))))
        .collect::<StdResult<_>>()?;
    Ok(ClaimsPage { claims })
}

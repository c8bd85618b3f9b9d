//! dao-voting-token-staked's staking queries: configuration, denom, stakers, claims.

use cosmwasm_std::{Deps, StdResult};

use crate::msg::{
    ClaimsResponse, ConfigResponse, DenomResponse, ListStakersResponse, StakerBalanceResponse,
};
use crate::state::{CLAIMS, CONFIG, CURRENT_STAKES};

/// The unstaking duration, in DAO DAO's `Config` shape.
pub fn config(deps: Deps) -> StdResult<ConfigResponse> {
    let config = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        unstaking_duration: Some(config.unstaking_duration),
    })
}

/// The staked denom.
pub fn denom(deps: Deps) -> StdResult<DenomResponse> {
    let denom = CONFIG.load(deps.storage)?.denom;
    Ok(DenomResponse { denom })
}

/// One page of current stakers in address order (row D2: capped by the shared limit).
pub fn list_stakers(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<ListStakersResponse> {
    let start_after = start_after
        .map(|address| deps.api.addr_validate(&address))
        .transpose()?;
    let stakers = rewind_types::page(
        &CURRENT_STAKES,
        deps.storage,
        start_after.as_ref(),
        limit,
        |address, balance| StakerBalanceResponse {
            address: address.into_string(),
            balance,
        },
    )?;
    Ok(ListStakersResponse { stakers })
}

/// The open claims of `address`, oldest first.
pub fn claims(deps: Deps, address: String) -> StdResult<ClaimsResponse> {
    let address = deps.api.addr_validate(&address)?;
    CLAIMS.query_claims(deps, &address)
}

//! Queries, including the DAO DAO voting-module interface.

use cosmwasm_std::{Deps, Env, Order, StdResult};
use cw_storage_plus::Bound;

use crate::msg::{
    ClaimsResponse, ConfigResponse, InfoResponse, StakerResponse, StakersResponse,
    TotalPowerAtHeightResponse, VotingPowerAtHeightResponse,
};
use crate::state::{CONFIG, STAKED, TOTAL_STAKED, UNBONDING};

/// The power at the start of block `height`; the current height when `None`.
pub fn voting_power_at_height(
    deps: Deps,
    env: Env,
    address: String,
    height: Option<u64>,
) -> StdResult<VotingPowerAtHeightResponse> {
    let address = deps.api.addr_validate(&address)?;
    let height = height.unwrap_or(env.block.height);
    let power = STAKED
        .may_load_at_height(deps.storage, &address, height)?
        .unwrap_or_default();
    Ok(VotingPowerAtHeightResponse { power, height })
}

/// The total power at the start of block `height`; the current height when `None`.
pub fn total_power_at_height(
    deps: Deps,
    env: Env,
    height: Option<u64>,
) -> StdResult<TotalPowerAtHeightResponse> {
    let height = height.unwrap_or(env.block.height);
    let power = TOTAL_STAKED
        .may_load_at_height(deps.storage, height)?
        .unwrap_or_default();
    Ok(TotalPowerAtHeightResponse { power, height })
}

pub fn info(deps: Deps) -> StdResult<InfoResponse> {
    let version = cw2::get_contract_version(deps.storage)?;
    Ok(InfoResponse {
        info: rewind_types::voting::ContractVersion {
            contract: version.contract,
            version: version.version,
        },
    })
}

pub fn config(deps: Deps) -> StdResult<ConfigResponse> {
    let config = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        denom: config.denom,
        unbonding_seconds: config.unbonding_seconds,
    })
}

pub fn stakers(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<StakersResponse> {
    let start_after = start_after
        .map(|address| deps.api.addr_validate(&address))
        .transpose()?;
    let stakers = STAKED
        .range(
            deps.storage,
            start_after.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(rewind_types::clamp_limit(limit))
        .map(|item| item.map(|(address, staked)| StakerResponse { address, staked }))
        .collect::<StdResult<_>>()?;
    Ok(StakersResponse { stakers })
}

pub fn claims(deps: Deps, address: String) -> StdResult<ClaimsResponse> {
    let address = deps.api.addr_validate(&address)?;
    let claims = UNBONDING
        .may_load(deps.storage, &address)?
        .unwrap_or_default();
    Ok(ClaimsResponse { claims })
}

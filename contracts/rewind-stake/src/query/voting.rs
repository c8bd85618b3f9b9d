//! The DAO DAO voting-module interface: power by height, the DAO, the cw2 version.

use cosmwasm_std::{Addr, Deps, Env, StdResult};

use crate::msg::{InfoResponse, TotalPowerAtHeightResponse, VotingPowerAtHeightResponse};
use crate::state::{CONFIG, STAKED, TOTAL_STAKED};

/// The power of `address` at the start of block `height`; the current height when `None`.
pub fn voting_power_at_height(
    deps: Deps,
    env: Env,
    address: String,
    height: Option<u64>,
) -> StdResult<VotingPowerAtHeightResponse> {
    // Row B1: a non-normalised address is refused, never read as another key.
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

/// The DAO this module serves.
pub fn dao(deps: Deps) -> StdResult<Addr> {
    Ok(CONFIG.load(deps.storage)?.dao)
}

/// The cw2 contract name and version.
pub fn info(deps: Deps) -> StdResult<InfoResponse> {
    let info = cw2::get_contract_version(deps.storage)?;
    Ok(InfoResponse { info })
}

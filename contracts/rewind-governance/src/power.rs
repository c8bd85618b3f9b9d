//! Voting power, read from the DAO DAO voting module at an explicit height only (row G3).

use cosmwasm_std::{Addr, Deps, Uint128};
use rewind_types::voting::VotingModuleQueryMsg;

use crate::ContractError;

/// The power height of a restoration: `min(start_height, lowest candidate + 1)`.
///
/// DAO DAO's "power at h" is the power at the start of block h; a restoration to H keeps
/// the state at the end of H. Power at H + 1 therefore counts everything staked through
/// the end of H and nothing staked after it (rows G1, G2).
pub fn restoration_power_height(start_height: u64, candidates: &[u64]) -> u64 {
    candidates
        .iter()
        .map(|h| h.saturating_add(1))
        .min()
        .map_or(start_height, |h| h.min(start_height))
}

/// `voter`'s power at the start of block `height`.
pub fn voting_power(
    deps: Deps,
    voting_module: &Addr,
    voter: &Addr,
    height: u64,
) -> Result<Uint128, ContractError> {
    let res: crate::answers::Power = deps.querier.query_wasm_smart(
        voting_module,
        &VotingModuleQueryMsg::VotingPowerAtHeight {
            address: voter.to_string(),
            height: Some(height),
        },
    )?;
    Ok(res.power)
}

/// The total power at the start of block `height`.
pub fn total_power(
    deps: Deps,
    voting_module: &Addr,
    height: u64,
) -> Result<Uint128, ContractError> {
    let res: crate::answers::Power = deps.querier.query_wasm_smart(
        voting_module,
        &VotingModuleQueryMsg::TotalPowerAtHeight {
            height: Some(height),
        },
    )?;
    Ok(res.power)
}

/// The power a vote counts (row G13): the lower of `voter`'s power at the proposal's power
/// height and at its start height. Stake held briefly around an old candidate height and
/// gone by the time the proposal is made counts only as much as is still held.
pub fn effective_power(
    deps: Deps,
    voting_module: &Addr,
    voter: &Addr,
    power_height: u64,
    start_height: u64,
) -> Result<Uint128, ContractError> {
    let at_power = voting_power(deps, voting_module, voter, power_height)?;
    if at_power.is_zero() || start_height == power_height {
        return Ok(at_power);
    }
    let at_start = voting_power(deps, voting_module, voter, start_height)?;
    Ok(at_power.min(at_start))
}

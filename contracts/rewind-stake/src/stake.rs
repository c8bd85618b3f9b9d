//! `Stake {}`: add the attached coins to the sender's stake.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::state::{CONFIG, STAKED, TOTAL_STAKED};

pub fn execute(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    // Exactly one coin of the staking denom (row B2).
    let amount = Uint128::try_from(cw_utils::must_pay(&info, &config.denom)?)?;
    let height = env.block.height;

    let staked = STAKED
        .may_load(deps.storage, &info.sender)?
        .unwrap_or_default()
        .checked_add(amount)?;
    STAKED.save(deps.storage, &info.sender, &staked, height)?;
    let total = TOTAL_STAKED.load(deps.storage)?.checked_add(amount)?;
    TOTAL_STAKED.save(deps.storage, &total, height)?;

    Ok(Response::new()
        .add_attribute("action", "stake")
        .add_attribute("staker", info.sender)
        .add_attribute("amount", amount)
        .add_attribute("staked", staked)
        .add_attribute("total_staked", total)
        // Power counts from the next block: the power at h is the power at the start of h.
        .add_attribute("power_from_height", (height + 1).to_string()))
}

/// Shared by `Unstake` so both keep the total equal to the sum of stakes.
pub(crate) fn reduce_stake(
    deps: &mut DepsMut,
    env: &Env,
    staker: &cosmwasm_std::Addr,
    amount: Uint128,
) -> Result<(Uint128, Uint128), ContractError> {
    let staked = STAKED.may_load(deps.storage, staker)?.unwrap_or_default();
    let remaining = staked
        .checked_sub(amount)
        .map_err(|_| ContractError::InsufficientStake {
            staked,
            requested: amount,
        })?;
    let height = env.block.height;
    if remaining.is_zero() {
        STAKED.remove(deps.storage, staker, height)?;
    } else {
        STAKED.save(deps.storage, staker, &remaining, height)?;
    }
    let total = TOTAL_STAKED.load(deps.storage)?.checked_sub(amount)?;
    TOTAL_STAKED.save(deps.storage, &total, height)?;
    Ok((remaining, total))
}

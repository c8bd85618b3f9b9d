//! `Stake {}`: add the attached coins to the sender's stake.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::state::{CONFIG, STAKED, TOTAL_STAKED};

/// Adds exactly one coin of the staked denom to the sender's stake and the total, both
/// counted from the next block.
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    // Exactly one coin of the staking denom (row B2).
    let amount = Uint128::try_from(cw_utils::must_pay(&info, &config.denom)?)?;
    let height = env.block.height;

    let staked = STAKED
        .may_load(deps.storage, &info.sender)?
        .unwrap_or_default()
        .checked_add(amount)?;
    let total = TOTAL_STAKED.load(deps.storage)?.checked_add(amount)?;
    STAKED.save(deps.storage, &info.sender, &staked, height)?;
    TOTAL_STAKED.save(deps.storage, &total, height)?;

    Ok(Response::new()
        .add_attribute(rewind_types::ACTION, "stake")
        .add_attribute("staker", info.sender)
        .add_attribute("amount", amount)
        .add_attribute("staked", staked)
        .add_attribute("total_staked", total)
        // Power counts from the next block: the power at h is the power at the start of h.
        .add_attribute("power_from_height", (height + 1).to_string()))
}

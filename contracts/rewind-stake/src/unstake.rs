//! `Unstake { amount }`: remove power now and start the unbonding period.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::msg::UnbondingClaim;
use crate::stake::reduce_stake;
use crate::state::{CONFIG, MAX_UNBONDING_ENTRIES, UNBONDING};

pub fn execute(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    amount: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let config = CONFIG.load(deps.storage)?;
    let (remaining, total) = reduce_stake(&mut deps, &env, &info.sender, amount)?;

    let mut entries = UNBONDING
        .may_load(deps.storage, &info.sender)?
        .unwrap_or_default();
    if entries.len() >= MAX_UNBONDING_ENTRIES {
        return Err(ContractError::TooManyUnbondingEntries {
            max: MAX_UNBONDING_ENTRIES,
        });
    }
    let release_at = env.block.time.plus_seconds(config.unbonding_seconds);
    entries.push(UnbondingClaim { amount, release_at });
    UNBONDING.save(deps.storage, &info.sender, &entries)?;

    Ok(Response::new()
        .add_attribute("action", "unstake")
        .add_attribute("staker", info.sender)
        .add_attribute("amount", amount)
        .add_attribute("staked", remaining)
        .add_attribute("total_staked", total)
        .add_attribute("release_at", release_at.seconds().to_string()))
}

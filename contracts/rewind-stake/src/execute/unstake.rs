//! `Unstake { amount }`: remove power now and open a claim released after the unstaking
//! duration.

use cosmwasm_std::{
    Addr, BlockInfo, DepsMut, Env, MessageInfo, OverflowError, OverflowOperation, Response, Uint128,
};
use cw_utils::{Duration, Expiration};

use crate::error::ContractError;
use crate::state::{CLAIMS, CONFIG, MAX_CLAIMS, STAKED, TOTAL_STAKED};

/// Lowers the sender's stake and the total at this height, then records a claim for
/// `amount` (at most [`MAX_CLAIMS`] open per staker).
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
    let open = CLAIMS
        .query_claims(deps.as_ref(), &info.sender)?
        .claims
        .len();
    if open as u64 >= MAX_CLAIMS {
        return Err(ContractError::TooManyClaims { max: MAX_CLAIMS });
    }
    let (remaining, total) = reduce_stake(&mut deps, &env, &info.sender, amount)?;
    let release_at = release_at(config.unstaking_duration, &env.block)?;
    CLAIMS.create_claim(deps.storage, &info.sender, amount, release_at)?;

    Ok(Response::new()
        .add_attribute(rewind_types::ACTION, "unstake")
        .add_attribute("staker", info.sender)
        .add_attribute("amount", amount)
        .add_attribute("staked", remaining)
        .add_attribute("total_staked", total)
        .add_attribute("release_at", release_at.to_string()))
}

/// Lowers `staker`'s stake and the total by `amount` at this height, keeping the total equal
/// to the sum of stakes. Returns the staker's remaining stake and the new total.
fn reduce_stake(
    deps: &mut DepsMut,
    env: &Env,
    staker: &Addr,
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

/// When a claim opened in `block` is released: `Duration::after` with checked arithmetic, so
/// a huge duration is an error, not a panic (row B3).
fn release_at(duration: Duration, block: &BlockInfo) -> Result<Expiration, ContractError> {
    let overflow = || OverflowError::new(OverflowOperation::Add);
    Ok(match duration {
        Duration::Height(blocks) => {
            Expiration::AtHeight(block.height.checked_add(blocks).ok_or_else(overflow)?)
        }
        Duration::Time(seconds) => {
            let nanos = seconds
                .checked_mul(1_000_000_000)
                .and_then(|nanos| block.time.nanos().checked_add(nanos))
                .ok_or_else(overflow)?;
            Expiration::AtTime(cosmwasm_std::Timestamp::from_nanos(nanos))
        }
    })
}

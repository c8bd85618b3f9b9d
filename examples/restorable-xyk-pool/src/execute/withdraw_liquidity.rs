//! `withdraw_liquidity`: burn LP shares for both denoms, pro rata.

use cosmwasm_std::{BankMsg, Coin, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::execute::take_share;
use crate::math::mul_div_floor;
use crate::state::{CONFIG, RESERVES, TOTAL_SHARE};

/// Burns `share` of the sender's shares and pays `floor(share * reserve / total)` of each
/// denom, refusing less than `min_assets` (in pool order).
pub fn execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    share: Uint128,
    min_assets: Option<[Uint128; 2]>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if share.is_zero() {
        return Err(ContractError::ZeroWithdrawal {});
    }
    let config = CONFIG.load(deps.storage)?;
    let reserves = RESERVES.load(deps.storage)?;
    let total = TOTAL_SHARE.load(deps.storage)?;
    let left = take_share(deps.storage, &info.sender, share)?;

    let paid = [
        mul_div_floor(share, reserves[0], total)?,
        mul_div_floor(share, reserves[1], total)?,
    ];
    if paid.iter().all(Uint128::is_zero) {
        return Err(ContractError::WithdrawalTooSmall {});
    }
    if let Some(min_assets) = min_assets {
        for i in 0..2 {
            if paid[i] < min_assets[i] {
                return Err(ContractError::WithdrawalBelowMinimum {
                    denom: config.denoms[i].clone(),
                    amount: paid[i],
                    minimum: min_assets[i],
                });
            }
        }
    }

    TOTAL_SHARE.save(deps.storage, &total.checked_sub(share)?)?;
    RESERVES.save(
        deps.storage,
        &[
            reserves[0].checked_sub(paid[0])?,
            reserves[1].checked_sub(paid[1])?,
        ],
    )?;
    let payout: Vec<Coin> = (0..2)
        .filter(|&i| !paid[i].is_zero())
        .map(|i| Coin::new(paid[i], config.denoms[i].clone()))
        .collect();
    Ok(Response::new()
        .add_attribute("action", "withdraw_liquidity")
        .add_attribute("provider", info.sender.as_str())
        .add_attribute("share", share)
        .add_attribute("provider_share", left)
        .add_attribute(
            "assets",
            payout
                .iter()
                .map(Coin::to_string)
                .collect::<Vec<_>>()
                .join(","),
        )
        .add_message(BankMsg::Send {
            to_address: info.sender.into_string(),
            amount: payout,
        }))
}

//! `swap`: trade the attached coin for the pool's other denom.

use cosmwasm_std::{BankMsg, Coin, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::math::swap_amounts;
use crate::state::{CONFIG, RESERVES};

/// Takes the one attached coin (of either pool denom) and pays `to` (the sender by default)
/// the constant-product return minus the fee; the fee stays in the pool. Refused below
/// `min_return`.
pub fn execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    min_return: Option<Uint128>,
    to: Option<String>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let offer = match info.funds.as_slice() {
        [] => return Err(ContractError::NoOffer {}),
        [coin] => coin,
        several => {
            return Err(ContractError::MultipleOffers {
                count: several.len(),
            })
        }
    };
    let offer_index =
        config
            .index_of(&offer.denom)
            .ok_or_else(|| ContractError::UnexpectedDenom {
                denom: offer.denom.clone(),
            })?;
    let offer_amount = Uint128::try_from(offer.amount)?;
    if offer_amount.is_zero() {
        return Err(ContractError::ZeroAmount {
            denom: offer.denom.clone(),
        });
    }
    let ask_index = 1 - offer_index;
    let receiver = match to {
        Some(to) => deps.api.addr_validate(&to)?,
        None => info.sender.clone(),
    };

    let mut reserves = RESERVES.load(deps.storage)?;
    let amounts = swap_amounts(
        reserves[offer_index],
        reserves[ask_index],
        offer_amount,
        config.fee_bps,
    )?;
    if amounts.return_amount.is_zero() {
        return Err(ContractError::ZeroReturn {});
    }
    if let Some(min_return) = min_return {
        if amounts.return_amount < min_return {
            return Err(ContractError::Slippage {
                return_amount: amounts.return_amount,
                min_return,
            });
        }
    }
    reserves[offer_index] = reserves[offer_index].checked_add(offer_amount)?;
    reserves[ask_index] = reserves[ask_index].checked_sub(amounts.return_amount)?;
    RESERVES.save(deps.storage, &reserves)?;

    let ask_denom = config.denoms[ask_index].clone();
    Ok(Response::new()
        .add_attribute("action", "swap")
        .add_attribute("sender", info.sender.as_str())
        .add_attribute("receiver", receiver.as_str())
        .add_attribute("offer_denom", offer.denom.as_str())
        .add_attribute("ask_denom", ask_denom.as_str())
        .add_attribute("offer_amount", offer_amount)
        .add_attribute("return_amount", amounts.return_amount)
        .add_attribute("fee_amount", amounts.fee_amount)
        .add_message(BankMsg::Send {
            to_address: receiver.into_string(),
            amount: vec![Coin::new(amounts.return_amount, ask_denom)],
        }))
}

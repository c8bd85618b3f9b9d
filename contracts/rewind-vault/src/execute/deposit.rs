//! Deposit native collateral. A restoration replays an honest deposit after its height like
//! any other recorded execution, with its original funds (row R9).

use cosmwasm_std::{DepsMut, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::state::{adjust_total, credit, CONFIG};

/// Adds the attached funds to the sender's collateral.
pub fn deposit(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if info.funds.is_empty() {
        return Err(cw_utils::PaymentError::NoFunds {}.into());
    }
    for coin in &info.funds {
        if !config.denoms.contains(&coin.denom) {
            return Err(ContractError::UnknownDenom {
                denom: coin.denom.clone(),
            });
        }
        if Uint128::try_from(coin.amount)?.is_zero() {
            return Err(ContractError::Zero {
                what: format!("deposit of {}", coin.denom),
            });
        }
    }
    let mut resp = Response::new()
        .add_attribute("action", "deposit")
        .add_attribute("account", info.sender.as_str());
    for coin in &info.funds {
        let amount = Uint128::try_from(coin.amount)?;
        let balance = credit(deps.storage, &info.sender, &coin.denom, amount)?;
        adjust_total(deps.storage, &coin.denom, amount, Uint128::zero())?;
        resp = resp
            .add_attribute("amount", coin.to_string())
            .add_attribute("balance", balance);
    }
    Ok(resp)
}

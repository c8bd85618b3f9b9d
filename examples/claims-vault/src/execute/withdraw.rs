//! `Withdraw { denom }`: an owner takes its credited claim.

use cosmwasm_std::{BankMsg, Coin, DepsMut, MessageInfo, Order, Response, Uint128};

use crate::error::ContractError;
use crate::state::CLAIMS;

/// Sends the sender its claim in `denom` (or in every denom it has) and zeroes it.
pub fn withdraw(
    deps: DepsMut,
    info: MessageInfo,
    denom: Option<String>,
) -> Result<Response, ContractError> {
    let owed: Vec<(String, Uint128)> = match denom {
        Some(denom) => CLAIMS
            .may_load(deps.storage, (&info.sender, &denom))?
            .map(|a| vec![(denom, a)])
            .unwrap_or_default(),
        None => CLAIMS
            .prefix(&info.sender)
            .range(deps.storage, None, None, Order::Ascending)
            .collect::<Result<_, _>>()?,
    };
    let mut funds = Vec::with_capacity(owed.len());
    for (denom, amount) in owed {
        CLAIMS.remove(deps.storage, (&info.sender, &denom));
        if !amount.is_zero() {
            funds.push(Coin::new(amount, denom));
        }
    }
    if funds.is_empty() {
        return Err(ContractError::NothingToWithdraw {
            account: info.sender,
        });
    }
    let amount = funds
        .iter()
        .map(Coin::to_string)
        .collect::<Vec<_>>()
        .join(",");
    Ok(Response::new()
        .add_attribute("action", "withdraw")
        .add_attribute("account", info.sender.as_str())
        .add_attribute("amount", amount)
        .add_message(BankMsg::Send {
            to_address: info.sender.into_string(),
            amount: funds,
        }))
}

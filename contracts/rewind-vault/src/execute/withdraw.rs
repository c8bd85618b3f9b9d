//! Withdraw free collateral. A restoration replays an honest withdrawal after its height
//! like any other recorded execution; its bank send is not sent again (it was paid when it
//! first ran), so the settlement reconciles the ledger with the bank (row R9).

use cosmwasm_std::{BankMsg, Coin, DepsMut, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::state::{adjust_total, debit, CONFIG};

/// Sends free collateral back to the sender.
pub fn withdraw(
    deps: DepsMut,
    info: MessageInfo,
    denom: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    // The exit gate ran first, in the entry point rewind-target generates.
    let config = CONFIG.load(deps.storage)?;
    cw_utils::nonpayable(&info)?;
    if !config.denoms.contains(&denom) {
        return Err(ContractError::UnknownDenom { denom });
    }
    if amount.is_zero() {
        return Err(ContractError::Zero {
            what: "withdraw amount".into(),
        });
    }
    let balance = debit(deps.storage, &info.sender, &denom, amount)?;
    adjust_total(deps.storage, &denom, Uint128::zero(), amount)?;

    let coin = Coin::new(amount, denom);
    Ok(Response::new()
        .add_attribute("action", "withdraw")
        .add_attribute("account", info.sender.as_str())
        .add_attribute("amount", coin.to_string())
        .add_attribute("balance", balance)
        .add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: vec![coin],
        }))
}

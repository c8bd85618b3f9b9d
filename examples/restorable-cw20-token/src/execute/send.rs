//! `send`: move tokens to a contract and tell it with a `Cw20ReceiveMsg`.

use cosmwasm_std::{Binary, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::execute::{credit, debit, ensure_nonzero};
use crate::msg::Cw20ReceiveMsg;

/// Moves `amount` of the sender's tokens to `contract`, then calls its `receive` with
/// `msg`. If the receiver fails, the whole send is undone.
pub fn execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    contract: String,
    amount: Uint128,
    msg: Binary,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    ensure_nonzero(amount)?;
    let contract = deps.api.addr_validate(&contract)?;
    debit(deps.storage, &info.sender, amount)?;
    credit(deps.storage, &contract, amount)?;
    let receive = Cw20ReceiveMsg {
        sender: info.sender.to_string(),
        amount,
        msg,
    }
    .into_cosmos_msg(contract.clone())?;
    Ok(Response::new()
        .add_message(receive)
        .add_attribute("action", "send")
        .add_attribute("from", info.sender)
        .add_attribute("to", contract)
        .add_attribute("amount", amount))
}

//! `send_from`: a spender sends an owner's tokens to a contract under its allowance.

use cosmwasm_std::{Binary, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::execute::{credit, debit, ensure_nonzero, spend_allowance};
use crate::msg::Cw20ReceiveMsg;

/// Spends `amount` of the sender's allowance from `owner`, moves that much to `contract`
/// and calls its `receive` (with the sender, the spender, as `sender`).
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    owner: String,
    contract: String,
    amount: Uint128,
    msg: Binary,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    ensure_nonzero(amount)?;
    let owner = deps.api.addr_validate(&owner)?;
    let contract = deps.api.addr_validate(&contract)?;
    spend_allowance(deps.storage, &env.block, &owner, &info.sender, amount)?;
    debit(deps.storage, &owner, amount)?;
    credit(deps.storage, &contract, amount)?;
    let receive = Cw20ReceiveMsg {
        sender: info.sender.to_string(),
        amount,
        msg,
    }
    .into_cosmos_msg(contract.clone())?;
    Ok(Response::new()
        .add_message(receive)
        .add_attribute("action", "send_from")
        .add_attribute("from", owner)
        .add_attribute("to", contract)
        .add_attribute("by", info.sender)
        .add_attribute("amount", amount))
}

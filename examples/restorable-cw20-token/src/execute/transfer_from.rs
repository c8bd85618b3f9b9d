//! `transfer_from`: a spender moves an owner's tokens under its allowance.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::execute::{credit, debit, ensure_nonzero, spend_allowance};

/// Spends `amount` of the sender's allowance from `owner` and moves that much of `owner`'s
/// tokens to `recipient`.
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    owner: String,
    recipient: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    ensure_nonzero(amount)?;
    let owner = deps.api.addr_validate(&owner)?;
    let recipient = deps.api.addr_validate(&recipient)?;
    spend_allowance(deps.storage, &env.block, &owner, &info.sender, amount)?;
    debit(deps.storage, &owner, amount)?;
    credit(deps.storage, &recipient, amount)?;
    Ok(Response::new()
        .add_attribute("action", "transfer_from")
        .add_attribute("from", owner)
        .add_attribute("to", recipient)
        .add_attribute("by", info.sender)
        .add_attribute("amount", amount))
}

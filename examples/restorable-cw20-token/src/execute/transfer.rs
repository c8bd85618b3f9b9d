//! `transfer`: move tokens from the sender to a recipient.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::execute::{credit, debit, ensure_nonzero};

/// Moves `amount` of the sender's tokens to `recipient`.
pub fn execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    recipient: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    ensure_nonzero(amount)?;
    let recipient = deps.api.addr_validate(&recipient)?;
    debit(deps.storage, &info.sender, amount)?;
    credit(deps.storage, &recipient, amount)?;
    Ok(Response::new()
        .add_attribute("action", "transfer")
        .add_attribute("from", info.sender)
        .add_attribute("to", recipient)
        .add_attribute("amount", amount))
}

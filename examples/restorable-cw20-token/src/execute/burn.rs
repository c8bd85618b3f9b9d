//! `burn`: destroy some of the sender's tokens.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::execute::{debit, ensure_nonzero};
use crate::state::TOKEN_INFO;

/// Takes `amount` from the sender's balance and from the total supply.
pub fn execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    amount: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    ensure_nonzero(amount)?;
    debit(deps.storage, &info.sender, amount)?;
    TOKEN_INFO.update(deps.storage, |mut token| -> Result<_, ContractError> {
        token.total_supply = token.total_supply.checked_sub(amount)?;
        Ok(token)
    })?;
    Ok(Response::new()
        .add_attribute("action", "burn")
        .add_attribute("from", info.sender)
        .add_attribute("amount", amount))
}

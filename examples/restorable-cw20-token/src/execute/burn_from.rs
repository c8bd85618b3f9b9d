//! `burn_from`: a spender burns an owner's tokens under its allowance.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::execute::{debit, ensure_nonzero, spend_allowance};
use crate::state::TOKEN_INFO;

/// Spends `amount` of the sender's allowance from `owner` and burns that much of `owner`'s
/// tokens, lowering the total supply.
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    owner: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    ensure_nonzero(amount)?;
    let owner = deps.api.addr_validate(&owner)?;
    spend_allowance(deps.storage, &env.block, &owner, &info.sender, amount)?;
    debit(deps.storage, &owner, amount)?;
    TOKEN_INFO.update(deps.storage, |mut token| -> Result<_, ContractError> {
        token.total_supply = token.total_supply.checked_sub(amount)?;
        Ok(token)
    })?;
    Ok(Response::new()
        .add_attribute("action", "burn_from")
        .add_attribute("from", owner)
        .add_attribute("by", info.sender)
        .add_attribute("amount", amount))
}

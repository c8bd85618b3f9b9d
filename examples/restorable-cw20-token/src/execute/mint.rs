//! `mint`: the minter creates new tokens, within the cap.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::execute::{credit, ensure_nonzero};
use crate::state::TOKEN_INFO;

/// Credits `recipient` with `amount` new tokens. Only the minter may, and the total supply
/// may not pass the cap.
pub fn execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    recipient: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    ensure_nonzero(amount)?;
    let mut token = TOKEN_INFO.load(deps.storage)?;
    let minter = token
        .mint
        .as_ref()
        .ok_or(ContractError::MintingDisabled {})?;
    if minter.minter != info.sender {
        return Err(ContractError::Unauthorized {});
    }
    let supply = token.total_supply.checked_add(amount)?;
    if let Some(cap) = token.cap() {
        if supply > cap {
            return Err(ContractError::CannotExceedCap { cap, supply });
        }
    }
    token.total_supply = supply;
    TOKEN_INFO.save(deps.storage, &token)?;

    let recipient = deps.api.addr_validate(&recipient)?;
    credit(deps.storage, &recipient, amount)?;
    Ok(Response::new()
        .add_attribute("action", "mint")
        .add_attribute("to", recipient)
        .add_attribute("amount", amount))
}

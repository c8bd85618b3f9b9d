//! `decrease_allowance`: let a spender move less of the sender's tokens.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use cw_utils::Expiration;

use crate::error::ContractError;
use crate::execute::ensure_nonzero;
use crate::state::{ALLOWANCES, ALLOWANCES_SPENDER};

/// Takes `amount` from `spender`'s allowance from the sender; reaching zero removes the
/// allowance. A given expiry must still be ahead.
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    spender: String,
    amount: Uint128,
    expires: Option<Expiration>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    ensure_nonzero(amount)?;
    let spender = deps.api.addr_validate(&spender)?;
    if spender == info.sender {
        return Err(ContractError::CannotSetOwnAccount {});
    }
    if expires.is_some_and(|e| e.is_expired(&env.block)) {
        return Err(ContractError::InvalidExpiration {});
    }
    let owner = &info.sender;
    let mut current = ALLOWANCES
        .may_load(deps.storage, (owner, &spender))?
        .ok_or(ContractError::NoAllowance {})?;
    if amount >= current.allowance {
        ALLOWANCES.remove(deps.storage, (owner, &spender));
        ALLOWANCES_SPENDER.remove(deps.storage, (&spender, owner));
    } else {
        current.allowance = current.allowance.checked_sub(amount)?;
        if let Some(expires) = expires {
            current.expires = expires;
        }
        ALLOWANCES.save(deps.storage, (owner, &spender), &current)?;
        ALLOWANCES_SPENDER.save(deps.storage, (&spender, owner), &current)?;
    }
    Ok(Response::new()
        .add_attribute("action", "decrease_allowance")
        .add_attribute("owner", owner)
        .add_attribute("spender", spender)
        .add_attribute("amount", amount))
}

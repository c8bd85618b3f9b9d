//! `increase_allowance`: let a spender move more of the sender's tokens.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use cw_utils::Expiration;

use crate::error::ContractError;
use crate::execute::ensure_nonzero;
use crate::state::{ALLOWANCES, ALLOWANCES_SPENDER};

/// Adds `amount` to `spender`'s allowance from the sender and, if given, sets its expiry
/// (which must still be ahead). An owner cannot give itself an allowance.
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
    let updated = ALLOWANCES.update(
        deps.storage,
        (&info.sender, &spender),
        |current| -> Result<_, ContractError> {
            let mut current = current.unwrap_or_default();
            if let Some(expires) = expires {
                current.expires = expires;
            }
            current.allowance = current.allowance.checked_add(amount)?;
            Ok(current)
        },
    )?;
    ALLOWANCES_SPENDER.save(deps.storage, (&spender, &info.sender), &updated)?;
    Ok(Response::new()
        .add_attribute("action", "increase_allowance")
        .add_attribute("owner", info.sender)
        .add_attribute("spender", spender)
        .add_attribute("amount", amount))
}

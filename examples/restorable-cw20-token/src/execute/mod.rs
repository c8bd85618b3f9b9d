//! The actions, one file each, and the three small helpers they share: moving a balance,
//! spending an allowance, and refusing a zero amount.

pub mod burn;
pub mod burn_from;
pub mod decrease_allowance;
pub mod increase_allowance;
pub mod mint;
pub mod send;
pub mod send_from;
pub mod transfer;
pub mod transfer_from;
pub mod update_minter;

use cosmwasm_std::{Addr, BlockInfo, Storage, Uint128};

use crate::error::ContractError;
use crate::msg::AllowanceResponse;
use crate::state::{ALLOWANCES, ALLOWANCES_SPENDER, BALANCES};

/// Refuses a zero amount.
pub fn ensure_nonzero(amount: Uint128) -> Result<(), ContractError> {
    if amount.is_zero() {
        Err(ContractError::InvalidZeroAmount {})
    } else {
        Ok(())
    }
}

/// Takes `amount` from `owner`'s balance, refusing more than it holds.
pub fn debit(
    storage: &mut dyn Storage,
    owner: &Addr,
    amount: Uint128,
) -> Result<(), ContractError> {
    BALANCES.update(storage, owner, |balance| {
        let balance = balance.unwrap_or_default();
        balance
            .checked_sub(amount)
            .map_err(|_| ContractError::InsufficientFunds {
                balance,
                required: amount,
            })
    })?;
    Ok(())
}

/// Adds `amount` to `recipient`'s balance.
pub fn credit(
    storage: &mut dyn Storage,
    recipient: &Addr,
    amount: Uint128,
) -> Result<(), ContractError> {
    BALANCES.update(storage, recipient, |balance| -> Result<_, ContractError> {
        Ok(balance.unwrap_or_default().checked_add(amount)?)
    })?;
    Ok(())
}

/// Spends `amount` of the allowance `owner` gave `spender`: refused when there is none, it
/// has expired, or it is too small. Both allowance indexes are updated.
pub fn spend_allowance(
    storage: &mut dyn Storage,
    block: &BlockInfo,
    owner: &Addr,
    spender: &Addr,
    amount: Uint128,
) -> Result<AllowanceResponse, ContractError> {
    let updated = ALLOWANCES.update(storage, (owner, spender), |current| {
        let mut current = current.ok_or(ContractError::NoAllowance {})?;
        if current.expires.is_expired(block) {
            return Err(ContractError::Expired {});
        }
        current.allowance = current.allowance.checked_sub(amount).map_err(|_| {
            ContractError::InsufficientAllowance {
                allowance: current.allowance,
                required: amount,
            }
        })?;
        Ok(current)
    })?;
    ALLOWANCES_SPENDER.save(storage, (spender, owner), &updated)?;
    Ok(updated)
}

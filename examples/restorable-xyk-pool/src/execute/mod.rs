//! The actions, one file each, and the two small helpers they share: adding to and taking
//! from a holder's LP shares.

pub mod provide_liquidity;
pub mod swap;
pub mod withdraw_liquidity;

use cosmwasm_std::{Addr, Storage, Uint128};

use crate::error::ContractError;
use crate::state::SHARES;

/// Adds `share` to `holder`'s LP shares.
pub fn add_share(
    storage: &mut dyn Storage,
    holder: &Addr,
    share: Uint128,
) -> Result<Uint128, ContractError> {
    SHARES.update(storage, holder, |held| -> Result<_, ContractError> {
        Ok(held.unwrap_or_default().checked_add(share)?)
    })
}

/// Takes `share` from `holder`'s LP shares, refusing more than it holds; an emptied holder
/// leaves the ledger.
pub fn take_share(
    storage: &mut dyn Storage,
    holder: &Addr,
    share: Uint128,
) -> Result<Uint128, ContractError> {
    let available = SHARES.may_load(storage, holder)?.unwrap_or_default();
    let left = available
        .checked_sub(share)
        .map_err(|_| ContractError::InsufficientShare {
            available,
            requested: share,
        })?;
    if left.is_zero() {
        SHARES.remove(storage, holder);
    } else {
        SHARES.save(storage, holder, &left)?;
    }
    Ok(left)
}

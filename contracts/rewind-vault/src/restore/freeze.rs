//! The freeze hook: one excluded account, on the state at the restoration height.

use cosmwasm_std::{Addr, DepsMut, Env};

use super::current;
use crate::error::ContractError;
use crate::state::RESTORATION;

/// Adds `account` to this restoration's exclusions. Nothing of the ledger changes: the
/// account's collateral and positions stay as they were at the height, frozen by
/// rewind-target (no replay, no handler may write a key holding its address), and the
/// settlement values them as a frozen, subordinated claim.
pub fn freeze(deps: DepsMut, _env: &Env, account: &Addr) -> Result<(), ContractError> {
    let mut r = current(deps.storage)?;
    if let Err(at) = r.exclusions.binary_search(account) {
        r.exclusions.insert(at, account.clone());
    }
    RESTORATION.save(deps.storage, &r)?;
    Ok(())
}

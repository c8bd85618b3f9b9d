//! One module per action, plus the shared role checks.

pub mod admin;
pub mod apply;
pub mod crank;
pub mod recover;
pub mod sweep;
pub mod upgrade;

use cosmwasm_std::{Addr, Deps, Timestamp};
use rewind_types::{wiring, ModuleAddresses};

use crate::error::ContractError;
use crate::state::{Restoration, CONFIG, MODULES, RESTORATIONS};

/// The module addresses; refuses every action before `Wire`.
pub fn wired(deps: Deps) -> Result<ModuleAddresses, ContractError> {
    Ok(wiring::wired(MODULES.may_load(deps.storage)?)?)
}

/// Refuses anyone but governance.
pub fn ensure_governance(deps: Deps, sender: &Addr) -> Result<ModuleAddresses, ContractError> {
    let governance = CONFIG.load(deps.storage)?.governance;
    Ok(wiring::ensure_governance(
        MODULES.may_load(deps.storage)?,
        &governance,
        sender,
    )?)
}

/// Loads a restoration or refuses with `RestorationNotFound`.
pub fn load_restoration(deps: Deps, restoration_id: u64) -> Result<Restoration, ContractError> {
    RESTORATIONS
        .may_load(deps.storage, restoration_id)?
        .ok_or(ContractError::RestorationNotFound { restoration_id })
}

/// `t + seconds`, refusing overflow (row B3).
pub fn plus_seconds(t: Timestamp, seconds: u64) -> Result<Timestamp, ContractError> {
    seconds
        .checked_mul(1_000_000_000)
        .and_then(|nanos| t.nanos().checked_add(nanos))
        .map(Timestamp::from_nanos)
        .ok_or(ContractError::Overflow {})
}

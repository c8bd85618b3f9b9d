//! One module per action, plus what they share: the role check, loading restorations and
//! sweeps, and time arithmetic.

pub mod abort;
pub mod apply;
pub mod cancel_sweep;
pub mod configure;
pub mod crank;
pub mod execute_sweep;
pub mod retry;
pub mod schedule_sweep;
pub mod update_settings;
pub mod upgrade;

use cosmwasm_std::{Addr, Deps, Timestamp};
use rewind_types::executor::{RestorationState, SweepResponse, SweepStatus};
use rewind_types::{wiring, ModuleAddresses};

use crate::error::ContractError;
use crate::state::{Restoration, ACTIVE_TARGETS, MODULES, RESTORATIONS, SWEEPS};

/// Refuses anyone but governance; returns the module addresses.
pub fn ensure_governance(deps: Deps, sender: &Addr) -> Result<ModuleAddresses, ContractError> {
    let modules = MODULES.load(deps.storage)?;
    wiring::ensure_governance(&modules, sender)?;
    Ok(modules)
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

/// The Running restoration holding `target`, if any. A Failed one does not count: it is
/// exactly what an upgrade may have to fix, and its frozen claims may be swept.
pub fn running_restoration_of(deps: Deps, target: &Addr) -> Result<Option<u64>, ContractError> {
    if let Some(restoration_id) = ACTIVE_TARGETS.may_load(deps.storage, target)? {
        let r = load_restoration(deps, restoration_id)?;
        if r.state == RestorationState::Running {
            return Ok(Some(restoration_id));
        }
    }
    Ok(None)
}

/// Loads a sweep or refuses with `SweepNotFound`.
pub fn load_sweep(deps: Deps, id: u64) -> Result<SweepResponse, ContractError> {
    SWEEPS
        .may_load(deps.storage, id)?
        .ok_or(ContractError::SweepNotFound { id })
}

/// Refuses a sweep that was executed or cancelled (each runs once, row T2).
pub fn ensure_pending(sweep: &SweepResponse) -> Result<(), ContractError> {
    if sweep.status != SweepStatus::Pending {
        return Err(ContractError::SweepNotPending {
            id: sweep.id,
            status: sweep.status,
        });
    }
    Ok(())
}

/// Refuses a sweep of a target a Running restoration holds (row G10).
pub fn ensure_not_restoring(deps: Deps, target: &Addr) -> Result<(), ContractError> {
    match running_restoration_of(deps, target)? {
        Some(restoration_id) => Err(ContractError::SweepDuringRestoration {
            target: target.clone(),
            restoration_id,
        }),
        None => Ok(()),
    }
}

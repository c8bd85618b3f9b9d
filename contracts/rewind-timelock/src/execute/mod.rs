//! One module per action, plus the shared role checks.

pub mod admin;
pub mod cancel;
pub mod execute_op;
pub mod queue;

use cosmwasm_std::{Addr, Deps};
use rewind_types::ModuleAddresses;

use crate::error::ContractError;
use crate::state::{Operation, CONFIG, MODULES, OPERATIONS};

/// The module addresses; refuses every action before `Wire`.
pub fn wired(deps: Deps) -> Result<ModuleAddresses, ContractError> {
    MODULES
        .may_load(deps.storage)?
        .ok_or(ContractError::NotWired {})
}

/// Refuses anyone but governance.
pub fn ensure_governance(deps: Deps, sender: &Addr) -> Result<ModuleAddresses, ContractError> {
    let modules = wired(deps)?;
    let governance = CONFIG.load(deps.storage)?.governance;
    if *sender != governance {
        return Err(ContractError::Unauthorized {
            sender: sender.clone(),
            required: "governance".to_string(),
        });
    }
    Ok(modules)
}

/// Loads an operation or refuses with `OperationNotFound`.
pub fn load_operation(deps: Deps, operation_id: u64) -> Result<Operation, ContractError> {
    OPERATIONS
        .may_load(deps.storage, operation_id)?
        .ok_or(ContractError::OperationNotFound { operation_id })
}

//! One module per action, plus the shared role checks.

pub mod admin;
pub mod cancel;
pub mod execute_op;
pub mod queue;

use cosmwasm_std::{Addr, Deps, Response, Storage, Timestamp, WasmMsg};
use rewind_types::timelock::OperationStatus;
use rewind_types::{wiring, ModuleAddresses, ACTION};

use crate::error::ContractError;
use crate::state::{Operation, CONFIG, MODULES, OPERATIONS};

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

/// Loads an operation or refuses with `OperationNotFound`.
pub fn load_operation(deps: Deps, operation_id: u64) -> Result<Operation, ContractError> {
    OPERATIONS
        .may_load(deps.storage, operation_id)?
        .ok_or(ContractError::OperationNotFound { operation_id })
}

/// Refuses unless the operation is Queued and inside its grace window at `now` (row T2).
pub fn ensure_queued(op: &Operation, now: Timestamp) -> Result<(), ContractError> {
    match op.effective_status(now) {
        OperationStatus::Queued => Ok(()),
        OperationStatus::Expired => Err(ContractError::Expired {
            operation_id: op.id,
            expires_at: op.expires_at,
        }),
        status => Err(ContractError::NotQueued {
            operation_id: op.id,
            status,
        }),
    }
}

/// Closes `op` for good with `status`, recording `by` as the closer, and answers with `msg`
/// (saved before dispatch: a re-entrant call sees the operation closed, rows T2, R7).
pub fn close_operation(
    storage: &mut dyn Storage,
    mut op: Operation,
    status: OperationStatus,
    by: Addr,
    msg: WasmMsg,
    action: &str,
    by_key: &str,
) -> Result<Response, ContractError> {
    op.status = status;
    op.closed_by = Some(by.clone());
    OPERATIONS.save(storage, op.id, &op)?;
    Ok(Response::new()
        .add_message(msg)
        .add_attribute(ACTION, action)
        .add_attribute("operation_id", op.id.to_string())
        .add_attribute(by_key, by))
}

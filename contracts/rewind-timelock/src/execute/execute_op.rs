//! Anyone executes a due operation: it goes to the executor.

use cosmwasm_std::{to_json_binary, DepsMut, Env, MessageInfo, Response, WasmMsg};
use rewind_types::executor::ExecuteMsg as ExecutorMsg;
use rewind_types::timelock::OperationStatus;

use super::{close_operation, ensure_queued, load_operation, wired};
use crate::error::ContractError;
use crate::state::Operation;

/// Refuses unless the operation is Queued, inside its grace window and due by BOTH time and
/// height (rows T2, T3).
pub fn ensure_executable(op: &Operation, env: &Env) -> Result<(), ContractError> {
    ensure_queued(op, env.block.time)?;
    if env.block.time < op.eta || env.block.height < op.eta_height {
        return Err(ContractError::NotDue {
            operation_id: op.id,
            eta: op.eta,
            eta_height: op.eta_height,
            now: env.block.time,
            height: env.block.height,
        });
    }
    Ok(())
}

pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
) -> Result<Response, ContractError> {
    let modules = wired(deps.as_ref())?;
    let op = load_operation(deps.as_ref(), operation_id)?;
    ensure_executable(&op, &env)?;
    let apply = WasmMsg::Execute {
        contract_addr: modules.executor.to_string(),
        msg: to_json_binary(&ExecutorMsg::Apply {
            operation_id,
            spec: op.spec.clone(),
            content_hash: op.content_hash.clone(),
        })?,
        funds: vec![],
    };
    // Consumed before dispatch: a re-entrant Execute sees Executed (rows T2, R7).
    close_operation(
        deps.storage,
        op,
        OperationStatus::Executed,
        info.sender,
        apply,
        "execute",
        "executed_by",
    )
}

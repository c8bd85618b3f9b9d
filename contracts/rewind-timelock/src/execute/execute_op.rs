//! Anyone executes a due operation: it goes to the executor.

use cosmwasm_std::{to_json_binary, DepsMut, Env, MessageInfo, Response, WasmMsg};
use rewind_types::executor::ExecuteMsg as ExecutorMsg;
use rewind_types::timelock::OperationStatus;
use rewind_types::ACTION;

use super::{load_operation, wired};
use crate::error::ContractError;
use crate::state::{Operation, OPERATIONS};

/// Refuses unless the operation is Queued, inside its grace window and due by BOTH time and
/// height (rows T2, T3).
pub fn ensure_executable(op: &Operation, env: &Env) -> Result<(), ContractError> {
    match op.effective_status(env.block.time) {
        OperationStatus::Queued => {}
        OperationStatus::Expired => {
            return Err(ContractError::Expired {
                operation_id: op.id,
                expires_at: op.expires_at,
            })
        }
        status => {
            return Err(ContractError::NotQueued {
                operation_id: op.id,
                status,
            })
        }
    }
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
    let mut op = load_operation(deps.as_ref(), operation_id)?;
    ensure_executable(&op, &env)?;
    // Consumed before dispatch: a re-entrant Execute sees Executed (rows T2, R7).
    op.status = OperationStatus::Executed;
    op.closed_by = Some(info.sender.clone());
    OPERATIONS.save(deps.storage, operation_id, &op)?;
    let apply = WasmMsg::Execute {
        contract_addr: modules.executor.to_string(),
        msg: to_json_binary(&ExecutorMsg::Apply {
            operation_id,
            spec: op.spec.clone(),
            content_hash: op.content_hash.clone(),
        })?,
        funds: vec![],
    };
    Ok(Response::new()
        .add_message(apply)
        .add_attribute(ACTION, "execute")
        .add_attribute("operation_id", operation_id.to_string())
        .add_attribute("executed_by", info.sender))
}

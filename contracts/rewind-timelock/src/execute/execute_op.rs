//! Anyone executes a due operation: a restoration goes to the executor, an upgrade back to
//! governance.

use cosmwasm_std::{to_json_binary, DepsMut, Env, MessageInfo, Response, StdError, WasmMsg};
use rewind_types::executor::ExecuteMsg as ExecutorMsg;
use rewind_types::governance::ExecuteMsg as GovernanceMsg;
use rewind_types::timelock::OperationStatus;

use super::{close_operation, ensure_queued, load_operation};
use crate::error::ContractError;
use crate::state::{Operation, OperationKind, MODULES};

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

/// `Execute { operation_id }`, open to anyone once the operation is due. A restoration is
/// sent to the executor's `Apply` with its spec, which the timelock then drops (the
/// executor's restoration holds it from then on; the content hash stays here). An upgrade
/// is sent to governance's `ApplyUpgrade`. Either way the operation is Executed before the
/// message is dispatched.
pub fn execute_op(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
) -> Result<Response, ContractError> {
    let modules = MODULES.load(deps.storage)?;
    let mut op = load_operation(deps.as_ref(), operation_id)?;
    ensure_executable(&op, &env)?;
    let msg = match &mut op.kind {
        OperationKind::Restoration { spec } => {
            // A Queued restoration always holds its spec: it is dropped only here.
            let spec = spec
                .take()
                .ok_or_else(|| StdError::msg("a queued restoration without its spec"))?;
            WasmMsg::Execute {
                contract_addr: modules.executor.to_string(),
                msg: to_json_binary(&ExecutorMsg::Apply {
                    operation_id,
                    spec,
                    content_hash: op.content_hash.clone(),
                })?,
                funds: vec![],
            }
        }
        OperationKind::Upgrade { proposal_id } => WasmMsg::Execute {
            contract_addr: modules.governance.to_string(),
            msg: to_json_binary(&GovernanceMsg::ApplyUpgrade {
                proposal_id: *proposal_id,
                content_hash: op.content_hash.clone(),
            })?,
            funds: vec![],
        },
    };
    // Consumed before dispatch: a re-entrant Execute sees Executed (rows T2, R7).
    close_operation(
        deps.storage,
        op,
        OperationStatus::Executed,
        info.sender,
        Some(msg),
        "execute",
        "executed_by",
    )
}

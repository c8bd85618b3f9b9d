//! Cancel (governance or a guardian) and expire (anyone, after the grace window).

use cosmwasm_std::{to_json_binary, DepsMut, Env, MessageInfo, Response, WasmMsg};
use rewind_types::guardian::{ExecuteMsg as GuardianMsg, QueryMsg as GuardianQuery};
use rewind_types::timelock::OperationStatus;
use rewind_types::{ModuleAddresses, ACTION};

use super::{load_operation, wired};
use crate::error::ContractError;
use crate::state::{Operation, CONFIG, OPERATIONS};

fn clear_lock(modules: &ModuleAddresses, op: &Operation) -> Result<WasmMsg, ContractError> {
    Ok(WasmMsg::Execute {
        contract_addr: modules.guardian.to_string(),
        msg: to_json_binary(&GuardianMsg::ClearRestorationLock {
            operation_id: op.id,
            targets: op.target_strings(),
        })?,
        funds: vec![],
    })
}

/// Cancels a Queued operation. Governance, or any address the guardian calls a guardian.
/// Neither path looks at pauses: governance is never paused (row P4).
pub fn cancel(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
) -> Result<Response, ContractError> {
    let modules = wired(deps.as_ref())?;
    let governance = CONFIG.load(deps.storage)?.governance;
    if info.sender != governance {
        let is_guardian: bool = deps.querier.query_wasm_smart(
            modules.guardian.to_string(),
            &GuardianQuery::IsGuardian {
                address: info.sender.to_string(),
            },
        )?;
        if !is_guardian {
            return Err(ContractError::Unauthorized {
                sender: info.sender,
                required: "governance or a guardian".to_string(),
            });
        }
    }
    let mut op = load_operation(deps.as_ref(), operation_id)?;
    match op.effective_status(env.block.time) {
        OperationStatus::Queued => {}
        OperationStatus::Expired => {
            return Err(ContractError::Expired {
                operation_id,
                expires_at: op.expires_at,
            })
        }
        status => {
            return Err(ContractError::NotQueued {
                operation_id,
                status,
            })
        }
    }
    op.status = OperationStatus::Cancelled;
    op.closed_by = Some(info.sender.clone());
    OPERATIONS.save(deps.storage, operation_id, &op)?;
    Ok(Response::new()
        .add_message(clear_lock(&modules, &op)?)
        .add_attribute(ACTION, "cancel")
        .add_attribute("operation_id", operation_id.to_string())
        .add_attribute("cancelled_by", info.sender))
}

/// Marks a Queued operation past its grace window as Expired and releases the lock. Open to
/// anyone: the condition is the block time.
pub fn expire(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
) -> Result<Response, ContractError> {
    let modules = wired(deps.as_ref())?;
    let mut op = load_operation(deps.as_ref(), operation_id)?;
    match op.status {
        OperationStatus::Queued if env.block.time >= op.expires_at => {}
        OperationStatus::Queued => {
            return Err(ContractError::NotExpired {
                operation_id,
                expires_at: op.expires_at,
            })
        }
        status => {
            return Err(ContractError::NotQueued {
                operation_id,
                status,
            })
        }
    }
    op.status = OperationStatus::Expired;
    op.closed_by = Some(info.sender.clone());
    OPERATIONS.save(deps.storage, operation_id, &op)?;
    Ok(Response::new()
        .add_message(clear_lock(&modules, &op)?)
        .add_attribute(ACTION, "expire")
        .add_attribute("operation_id", operation_id.to_string())
        .add_attribute("expired_by", info.sender))
}

//! Cancel (governance or a guardian) and expire (anyone, after the grace window).

use cosmwasm_std::{to_json_binary, DepsMut, Env, MessageInfo, Response, WasmMsg};
use rewind_types::guardian::{ExecuteMsg as GuardianMsg, QueryMsg as GuardianQuery};
use rewind_types::timelock::OperationStatus;
use rewind_types::ModuleAddresses;

use super::{close_operation, ensure_queued, load_operation, wired};
use crate::error::ContractError;
use crate::state::{Operation, CONFIG};

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
    let op = load_operation(deps.as_ref(), operation_id)?;
    ensure_queued(&op, env.block.time)?;
    let clear = clear_lock(&modules, &op)?;
    close_operation(
        deps.storage,
        op,
        OperationStatus::Cancelled,
        info.sender,
        clear,
        "cancel",
        "cancelled_by",
    )
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
    let op = load_operation(deps.as_ref(), operation_id)?;
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
    let clear = clear_lock(&modules, &op)?;
    close_operation(
        deps.storage,
        op,
        OperationStatus::Expired,
        info.sender,
        clear,
        "expire",
        "expired_by",
    )
}

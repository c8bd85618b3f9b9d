//! Cancel (governance: final; a guardian: a one-time delay, row T4), governance's override
//! of a guardian delay, and expire (anyone, after the grace window).

use cosmwasm_std::{to_json_binary, DepsMut, Env, MessageInfo, Response, WasmMsg};
use rewind_types::guardian::{ExecuteMsg as GuardianMsg, QueryMsg as GuardianQuery};
use rewind_types::timelock::{GuardianDelay, OperationStatus};
use rewind_types::{ModuleAddresses, ACTION};

use super::queue::plus_seconds;
use super::{close_operation, ensure_governance, ensure_queued, load_operation, wired};
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

/// `Cancel` of a Queued operation. From governance: final (Cancelled, lock released).
/// From any address the guardian calls a guardian: a one-time delay (row T4), see
/// [`guardian_delay`]. Neither path looks at pauses: governance is never paused (row P4).
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
        return guardian_delay(deps, env, info, &modules, operation_id);
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

/// The lock message covering `op` until its (possibly moved) expiry.
fn set_lock(modules: &ModuleAddresses, op: &Operation) -> Result<WasmMsg, ContractError> {
    Ok(WasmMsg::Execute {
        contract_addr: modules.guardian.to_string(),
        msg: to_json_binary(&GuardianMsg::SetRestorationLock {
            operation_id: op.id,
            targets: op.target_strings(),
            until: op.expires_at,
        })?,
        funds: vec![],
    })
}

/// A guardian's `Cancel`: one key must not veto every passed restoration (row T4). The
/// operation's eta moves by `guardian_delay_seconds` and its eta height by
/// `guardian_delay_blocks`, its expiry by the same seconds, and the restoration lock is
/// extended to the new expiry. Once per operation: a second guardian `Cancel`, by any
/// guardian, even after governance overrode the delay, is refused with `AlreadyDelayed`.
/// So a queued operation is always executable by its original eta plus one guardian delay,
/// unless governance cancels it.
fn guardian_delay(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    modules: &ModuleAddresses,
    operation_id: u64,
) -> Result<Response, ContractError> {
    let mut op = load_operation(deps.as_ref(), operation_id)?;
    ensure_queued(&op, env.block.time)?;
    if let Some(delay) = &op.guardian_delay {
        return Err(ContractError::AlreadyDelayed {
            operation_id,
            delayed_by: delay.delayed_by.clone(),
        });
    }
    let settings = CONFIG.load(deps.storage)?.settings;
    let seconds = settings.guardian_delay_seconds;
    let blocks = settings.guardian_delay_blocks;
    op.guardian_delay = Some(GuardianDelay {
        delayed_by: info.sender.clone(),
        delayed_at: env.block.time,
        seconds,
        blocks,
        original_eta: op.eta,
        original_eta_height: op.eta_height,
        original_expires_at: op.expires_at,
        overridden_at: None,
    });
    op.eta = plus_seconds(op.eta, seconds)?;
    op.eta_height = op
        .eta_height
        .checked_add(blocks)
        .ok_or(ContractError::Overflow {})?;
    op.expires_at = plus_seconds(op.expires_at, seconds)?;
    OPERATIONS.save(deps.storage, operation_id, &op)?;
    Ok(Response::new()
        .add_message(set_lock(modules, &op)?)
        .add_attribute(ACTION, "guardian_delay")
        .add_attribute("operation_id", operation_id.to_string())
        .add_attribute("delayed_by", info.sender)
        .add_attribute("eta", op.eta.seconds().to_string())
        .add_attribute("eta_height", op.eta_height.to_string())
        .add_attribute("expires_at", op.expires_at.seconds().to_string()))
}

/// Governance overrides a guardian's delay of a Queued operation: the eta and eta height
/// return to their values before the delay. The expiry and lock stay extended (a longer
/// window to execute in, never a shorter one), and the delay stays recorded, so no guardian
/// may delay the operation again.
pub fn override_delay(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let mut op = load_operation(deps.as_ref(), operation_id)?;
    ensure_queued(&op, env.block.time)?;
    let delay = op
        .guardian_delay
        .as_mut()
        .ok_or(ContractError::NotDelayed { operation_id })?;
    if delay.overridden_at.is_some() {
        return Err(ContractError::DelayAlreadyOverridden { operation_id });
    }
    delay.overridden_at = Some(env.block.time);
    op.eta = delay.original_eta;
    op.eta_height = delay.original_eta_height;
    OPERATIONS.save(deps.storage, operation_id, &op)?;
    Ok(Response::new()
        .add_attribute(ACTION, "override_delay")
        .add_attribute("operation_id", operation_id.to_string())
        .add_attribute("eta", op.eta.seconds().to_string())
        .add_attribute("eta_height", op.eta_height.to_string())
        .add_attribute("expires_at", op.expires_at.seconds().to_string()))
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

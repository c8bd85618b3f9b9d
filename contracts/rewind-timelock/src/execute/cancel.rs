//! `Cancel`: from governance, final; from a guardian, a one-time delay (row T4).

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::guardian::QueryMsg as GuardianQuery;
use rewind_types::timelock::{GuardianDelay, OperationStatus};
use rewind_types::{ModuleAddresses, ACTION};

use super::{clear_lock, close_operation, ensure_queued, load_operation, plus_seconds, set_lock};
use crate::error::ContractError;
use crate::state::{MODULES, OPERATIONS, SETTINGS};

/// `Cancel` of a Queued operation. From governance: final (Cancelled, a restoration's lock
/// released). From any address the guardian calls a guardian: a one-time delay (row T4),
/// see `guardian_delay`. Neither path looks at pauses: governance is never paused (row
/// P4).
pub fn cancel(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
) -> Result<Response, ContractError> {
    let modules = MODULES.load(deps.storage)?;
    if info.sender != modules.governance {
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

/// A guardian's `Cancel`: one key must not veto every passed operation (row T4). The
/// operation's eta moves by `guardian_delay_seconds` and its eta height by
/// `guardian_delay_blocks`, its expiry by the same seconds, and a restoration's lock is
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
    let settings = SETTINGS.load(deps.storage)?;
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
        .add_messages(set_lock(modules, &op)?)
        .add_attribute(ACTION, "guardian_delay")
        .add_attribute("operation_id", operation_id.to_string())
        .add_attribute("delayed_by", info.sender)
        .add_attribute("eta", op.eta.seconds().to_string())
        .add_attribute("eta_height", op.eta_height.to_string())
        .add_attribute("expires_at", op.expires_at.seconds().to_string()))
}

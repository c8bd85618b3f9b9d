//! `ClearRestorationLock`: the timelock (at cancel or expiry) or the executor (when
//! complete or aborted) releases the lock.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::ACTION;

use super::{ensure_lock_sender, ensure_not_held_by_other, push_lock, validate_targets};
use crate::error::ContractError;
use crate::state::LOCKS;

/// Clears the lock of `operation_id` on every named target and pushes the release. A
/// target locked by another, unexpired operation refuses the whole message.
pub fn clear_restoration_lock(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
    targets: Vec<String>,
) -> Result<Response, ContractError> {
    ensure_lock_sender(deps.as_ref(), &info.sender)?;
    let targets = validate_targets(deps.api, &targets)?;
    let mut res = Response::new();
    for target in &targets {
        ensure_not_held_by_other(deps.storage, env.block.time, target, operation_id)?;
        LOCKS.remove(deps.storage, target);
        res = res.add_message(push_lock(target, None)?);
    }
    Ok(res
        .add_attribute(ACTION, "clear_restoration_lock")
        .add_attribute("operation_id", operation_id.to_string())
        .add_attribute("targets", targets.len().to_string()))
}

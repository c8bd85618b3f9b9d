//! `SetRestorationLock`: the timelock (at queue) or the executor (while applying) locks
//! targets. Every lock ends by itself.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Timestamp};
use rewind_types::ACTION;

use super::{
    ensure_lock_sender, ensure_not_held_by_other, ensure_registered, push_lock, validate_targets,
};
use crate::error::ContractError;
use crate::policy::{add_seconds, MAX_LOCK_SECONDS};
use crate::state::{RestorationLock, LOCKS};

/// Locks every named registered target for `operation_id` until `until`, capped at
/// `MAX_LOCK_SECONDS` from now, and pushes the lock to each. Refused when another operation
/// holds an unexpired lock on one of them. Atomic.
pub fn set_restoration_lock(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
    targets: Vec<String>,
    until: Timestamp,
) -> Result<Response, ContractError> {
    ensure_lock_sender(deps.as_ref(), &info.sender)?;
    let targets = validate_targets(deps.api, &targets)?;
    let now = env.block.time;
    if until <= now {
        return Err(ContractError::LockInPast { until });
    }
    // The cap in code: whatever the sender asks, the lock ends within MAX_LOCK_SECONDS.
    let cap = Timestamp::from_seconds(add_seconds(now.seconds(), MAX_LOCK_SECONDS)?);
    let until = until.min(cap);
    let mut res = Response::new();
    for target in &targets {
        ensure_registered(deps.storage, target)?;
        ensure_not_held_by_other(deps.storage, now, target, operation_id)?;
        LOCKS.save(
            deps.storage,
            target,
            &RestorationLock {
                operation_id,
                until,
            },
        )?;
        res = res.add_message(push_lock(target, Some(until))?);
    }
    Ok(res
        .add_attribute(ACTION, "set_restoration_lock")
        .add_attribute("operation_id", operation_id.to_string())
        .add_attribute("targets", targets.len().to_string())
        .add_attribute("until", until.seconds().to_string()))
}

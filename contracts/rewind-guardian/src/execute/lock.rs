//! The restoration lock: set by the timelock at queue (or the executor while applying),
//! cleared at cancel, expiry, completion or abort. Every lock ends by itself.

use std::collections::BTreeSet;

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Timestamp};
use rewind_types::ACTION;

use super::{push_lock, wired};
use crate::error::ContractError;
use crate::policy::{add_seconds, MAX_LOCK_SECONDS, MAX_LOCK_TARGETS};
use crate::state::{RestorationLock, LOCKS, TARGETS};

/// Refuses anyone but the timelock and the executor.
fn ensure_lock_sender(deps: &DepsMut, sender: &Addr) -> Result<(), ContractError> {
    let modules = wired(deps.as_ref())?;
    if *sender != modules.timelock && *sender != modules.executor {
        return Err(ContractError::Unauthorized {
            sender: sender.clone(),
            required: "the timelock or the executor".to_string(),
        });
    }
    Ok(())
}

/// Validates, dedupes and caps a list of targets (row D3); refuses an empty one.
pub(crate) fn validate_targets(
    deps: &DepsMut,
    targets: &[String],
) -> Result<Vec<Addr>, ContractError> {
    if targets.is_empty() {
        return Err(ContractError::NoTargets {});
    }
    let set: BTreeSet<Addr> = targets
        .iter()
        .map(|t| deps.api.addr_validate(t))
        .collect::<Result<_, _>>()?;
    if set.len() > MAX_LOCK_TARGETS {
        return Err(ContractError::TooManyTargets {
            max: MAX_LOCK_TARGETS as u64,
        });
    }
    Ok(set.into_iter().collect())
}

/// Refuses when another operation holds an unexpired lock on the target.
fn ensure_not_held_by_other(
    deps: &DepsMut,
    now: Timestamp,
    target: &Addr,
    operation_id: u64,
) -> Result<(), ContractError> {
    if let Some(lock) = LOCKS.may_load(deps.storage, target)? {
        if lock.operation_id != operation_id && lock.until > now {
            return Err(ContractError::LockHeldByOther {
                target: target.clone(),
                holder: lock.operation_id,
                operation_id,
            });
        }
    }
    Ok(())
}

pub fn set_lock(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
    targets: Vec<String>,
    until: Timestamp,
) -> Result<Response, ContractError> {
    ensure_lock_sender(&deps, &info.sender)?;
    let targets = validate_targets(&deps, &targets)?;
    let now = env.block.time;
    if until <= now {
        return Err(ContractError::LockInPast { until });
    }
    // The cap in code: whatever the sender asks, the lock ends within MAX_LOCK_SECONDS.
    let cap = Timestamp::from_seconds(add_seconds(now.seconds(), MAX_LOCK_SECONDS)?);
    let until = until.min(cap);
    let mut res = Response::new();
    for target in &targets {
        if !TARGETS.has(deps.storage, target) {
            return Err(ContractError::TargetNotRegistered {
                target: target.clone(),
            });
        }
        ensure_not_held_by_other(&deps, now, target, operation_id)?;
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

pub fn clear_lock(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
    targets: Vec<String>,
) -> Result<Response, ContractError> {
    ensure_lock_sender(&deps, &info.sender)?;
    let targets = validate_targets(&deps, &targets)?;
    let mut res = Response::new();
    for target in &targets {
        ensure_not_held_by_other(&deps, env.block.time, target, operation_id)?;
        LOCKS.remove(deps.storage, target);
        res = res.add_message(push_lock(target, None)?);
    }
    Ok(res
        .add_attribute(ACTION, "clear_restoration_lock")
        .add_attribute("operation_id", operation_id.to_string())
        .add_attribute("targets", targets.len().to_string()))
}

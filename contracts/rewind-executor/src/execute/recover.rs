//! Governance retries or aborts a failed restoration.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::executor::RestorationState;
use rewind_types::ACTION;

use super::apply::{lock_msg, migrate_submsg, verify_target};
use super::{ensure_governance, load_restoration};
use crate::error::ContractError;
use crate::progress::{clear_lock_msg, set_state};
use crate::state::{Restoration, RESTORATIONS};

fn load_failed(deps: &DepsMut, restoration_id: u64) -> Result<Restoration, ContractError> {
    let r = load_restoration(deps.as_ref(), restoration_id)?;
    if !matches!(r.state, RestorationState::Failed { .. }) {
        return Err(ContractError::NotFailed { restoration_id });
    }
    Ok(r)
}

/// Resumes from the failed step: re-verifies and re-migrates the targets whose migration
/// did not succeed, re-locks every target, and lets cranking continue.
pub fn retry(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    restoration_id: u64,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let mut r = load_failed(&deps, restoration_id)?;
    let pending: Vec<usize> = (0..r.targets.len())
        .filter(|&i| !r.targets[i].migrated)
        .collect();
    for &i in &pending {
        verify_target(deps.as_ref(), &env, &r.spec.targets[i])?;
    }
    set_state(deps.storage, &env, &mut r, RestorationState::Running)?;
    RESTORATIONS.save(deps.storage, restoration_id, &r)?;
    let mut res = Response::new().add_message(lock_msg(deps.as_ref(), &env, &r)?);
    for &i in &pending {
        res = res.add_submessage(migrate_submsg(&r.spec, restoration_id, i)?);
    }
    Ok(res
        .add_attribute(ACTION, "retry")
        .add_attribute("restoration_id", restoration_id.to_string())
        .add_attribute("remigrated", pending.len().to_string()))
}

/// Gives up on a failed restoration and releases the targets' lock.
pub fn abort(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    restoration_id: u64,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let mut r = load_failed(&deps, restoration_id)?;
    set_state(deps.storage, &env, &mut r, RestorationState::Aborted)?;
    RESTORATIONS.save(deps.storage, restoration_id, &r)?;
    Ok(Response::new()
        .add_message(clear_lock_msg(deps.as_ref(), &r)?)
        .add_attribute(ACTION, "abort")
        .add_attribute("restoration_id", restoration_id.to_string()))
}

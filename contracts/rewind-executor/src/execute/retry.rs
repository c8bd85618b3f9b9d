//! Governance retries a failed restoration from its failed step.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::executor::RestorationState;
use rewind_types::ACTION;

use super::apply::{lock_msg, migrate_submsg, verify_target};
use super::{ensure_governance, load_restoration};
use crate::error::ContractError;
use crate::progress::set_state;
use crate::state::{Restoration, RESTORATIONS};

fn load_failed(deps: &DepsMut, restoration_id: u64) -> Result<Restoration, ContractError> {
    let r = load_restoration(deps.as_ref(), restoration_id)?;
    if !matches!(r.state, RestorationState::Failed { .. }) {
        return Err(ContractError::NotFailed { restoration_id });
    }
    Ok(r)
}

/// `Retry`, from governance only, of a Failed restoration. Resumes from the failed step: re-verifies and re-migrates the targets whose migration
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
    let lock = lock_msg(deps.as_ref(), &env, &mut r)?;
    RESTORATIONS.save(deps.storage, restoration_id, &r)?;
    let mut res = Response::new().add_message(lock);
    for &i in &pending {
        res = res.add_submessage(migrate_submsg(&r.spec, restoration_id, i)?);
    }
    Ok(res
        .add_attribute(ACTION, "retry")
        .add_attribute("restoration_id", restoration_id.to_string())
        .add_attribute("remigrated", pending.len().to_string()))
}

//! Governance cancels a pending sweep.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::executor::SweepStatus;
use rewind_types::ACTION;

use super::{ensure_governance, ensure_pending, load_sweep};
use crate::error::ContractError;
use crate::state::SWEEPS;

/// `CancelSweep { id }`, from governance only, while pending.
pub fn cancel_sweep(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    id: u64,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let mut sweep = load_sweep(deps.as_ref(), id)?;
    ensure_pending(&sweep)?;
    sweep.status = SweepStatus::Cancelled;
    sweep.finished_at = Some(env.block.time);
    SWEEPS.save(deps.storage, id, &sweep)?;
    Ok(Response::new()
        .add_attribute(ACTION, "cancel_sweep")
        .add_attribute("sweep_id", id.to_string())
        .add_attribute("target", sweep.target.as_str()))
}

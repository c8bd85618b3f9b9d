//! Governance overrides a guardian's delay.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::ACTION;

use super::{ensure_governance, ensure_queued, load_operation};
use crate::error::ContractError;
use crate::state::OPERATIONS;

/// `OverrideDelay` of a Queued operation a guardian delayed, from governance only: the eta
/// and eta height return to their values before the delay. The expiry and lock stay
/// extended (a longer window to execute in, never a shorter one), and the delay stays
/// recorded, so no guardian may delay the operation again.
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

//! `UpdatePolicy`: governance changes the pause caps (row B4).

use cosmwasm_std::{DepsMut, MessageInfo, Response};
use rewind_types::guardian::PausePolicy;
use rewind_types::ACTION;

use super::ensure_governance;
use crate::error::ContractError;
use crate::policy::validate_policy;
use crate::state::POLICY;

/// Replaces the pause caps, within the bounds in code.
pub fn update_policy(
    deps: DepsMut,
    info: MessageInfo,
    policy: PausePolicy,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    validate_policy(&policy)?;
    POLICY.save(deps.storage, &policy)?;
    Ok(Response::new()
        .add_attribute(ACTION, "update_policy")
        .add_attribute("max_pause_seconds", policy.max_pause_seconds.to_string())
        .add_attribute("cooldown_seconds", policy.cooldown_seconds.to_string())
        .add_attribute("budget_seconds", policy.budget_seconds.to_string())
        .add_attribute(
            "budget_window_seconds",
            policy.budget_window_seconds.to_string(),
        )
        .add_attribute("min_charge_seconds", policy.min_charge_seconds.to_string()))
}

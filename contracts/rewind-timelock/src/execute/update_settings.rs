//! Governance changes the delay and windows.

use cosmwasm_std::{DepsMut, MessageInfo, Response};
use rewind_types::timelock::TimelockSettings;
use rewind_types::ACTION;

use super::ensure_governance;
use crate::error::ContractError;
use crate::settings::validate;
use crate::state::SETTINGS;

/// `UpdateSettings`, from governance only, within the bounds in code (row T1). Operations
/// already queued keep their eta and expiry.
pub fn update_settings(
    deps: DepsMut,
    info: MessageInfo,
    settings: TimelockSettings,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    validate(&settings)?;
    SETTINGS.save(deps.storage, &settings)?;
    Ok(Response::new()
        .add_attribute(ACTION, "update_settings")
        .add_attribute("delay_seconds", settings.delay_seconds.to_string())
        .add_attribute("min_delay_blocks", settings.min_delay_blocks.to_string())
        .add_attribute(
            "grace_period_seconds",
            settings.grace_period_seconds.to_string(),
        )
        .add_attribute(
            "guardian_delay_seconds",
            settings.guardian_delay_seconds.to_string(),
        )
        .add_attribute(
            "guardian_delay_blocks",
            settings.guardian_delay_blocks.to_string(),
        ))
}

//! Governance changes the crank bounds.

use cosmwasm_std::{DepsMut, MessageInfo, Response};
use rewind_types::executor::ExecutorSettings;
use rewind_types::ACTION;

use super::ensure_governance;
use crate::error::ContractError;
use crate::settings::validate;
use crate::state::SETTINGS;

/// `UpdateSettings`, from governance only, within the bounds in code (rows D1, B4).
pub fn update_settings(
    deps: DepsMut,
    info: MessageInfo,
    settings: ExecutorSettings,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    validate(&settings)?;
    SETTINGS.save(deps.storage, &settings)?;
    Ok(Response::new()
        .add_attribute(ACTION, "update_settings")
        .add_attribute(
            "default_crank_limit",
            settings.default_crank_limit.to_string(),
        )
        .add_attribute("max_crank_limit", settings.max_crank_limit.to_string())
        .add_attribute("lock_seconds", settings.lock_seconds.to_string())
        .add_attribute("exit_only_seconds", settings.exit_only_seconds.to_string()))
}

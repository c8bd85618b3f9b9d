//! `RemoveTarget`: governance removes a target from the registry.

use cosmwasm_std::{DepsMut, MessageInfo, Response};
use rewind_types::ACTION;

use super::{ensure_governance, ensure_registered};
use crate::error::ContractError;
use crate::state::TARGETS;

/// Removes a registered target: guardians may no longer pause it, locks and holds no
/// longer name it. Its history, stretches and running pauses are kept (each ends by
/// itself, and governance may still lift them).
pub fn remove_target(
    deps: DepsMut,
    info: MessageInfo,
    target: String,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&target)?;
    ensure_registered(deps.storage, &target)?;
    TARGETS.remove(deps.storage, &target);
    Ok(Response::new()
        .add_attribute(ACTION, "remove_target")
        .add_attribute("target", target))
}

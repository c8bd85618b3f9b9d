//! `LiftPause`: governance ends a running pause now. Never refused by the exit policy or
//! the registry: lifting only opens.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::PauseScope;

use super::{active_pause, end_pause_now, ensure_governance};
use crate::error::ContractError;

/// Ends a running pause now, registered target or not. The cooldown starts as for an
/// early end.
pub fn lift_pause(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    target: String,
    scope: PauseScope,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&target)?;
    let running = active_pause(deps.storage, &env, &target, &scope)?;
    end_pause_now(deps.storage, &env, target, scope, running, "lift_pause")
}

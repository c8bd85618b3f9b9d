//! `SetTarget`: governance registers a target or changes its exit policy or its declared
//! scopes. The guardian's registry is the one record of every target's `exits_pausable` and
//! scopes.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::{ScopeInfo, ACTION};

use super::{ensure_governance, register_target, validate_scopes};
use crate::error::ContractError;

/// Registers `target` or changes whether its exits may be paused or which scopes it
/// declares (see [`register_target`]): refused when the scopes are invalid, when the
/// registry is full (row D3), when the scopes would change under a running pause, or when
/// exits would become unpausable under a running pause that stops them. A target registered again
/// keeps its stretches, but a guardian removed while it was unregistered waives their
/// cooldowns now (row P6).
pub fn set_target(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    target: String,
    exits_pausable: bool,
    scopes: Vec<ScopeInfo>,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&target)?;
    let scopes = validate_scopes(&target, scopes)?;
    let count = scopes.infos().len();
    let cooldowns = register_target(
        deps.storage,
        env.block.time,
        &target,
        exits_pausable,
        scopes,
    )?;
    Ok(Response::new()
        .add_attribute(ACTION, "set_target")
        .add_attribute("target", target)
        .add_attribute("exits_pausable", exits_pausable.to_string())
        .add_attribute("scopes", count.to_string())
        .add_attribute("cooldowns_cleared", cooldowns.to_string()))
}

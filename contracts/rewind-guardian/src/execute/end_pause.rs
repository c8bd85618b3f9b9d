//! `EndPause`: the guardian who paused ends its own pause early.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::PauseScope;

use super::{active_pause, end_pause_now, ensure_guardian};
use crate::error::ContractError;

/// Ends the running pause of `scope` on `target` now, if the sender started it and
/// governance has not extended it (row P2). The cooldown starts from the new end.
pub fn end_pause(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    target: String,
    scope: PauseScope,
) -> Result<Response, ContractError> {
    ensure_guardian(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&target)?;
    let (id, record) = active_pause(deps.storage, &env, &target, &scope)?;
    if record.paused_by != info.sender {
        return Err(ContractError::NotPauser {
            sender: info.sender,
            scope: scope.clone(),
            paused_by: record.paused_by,
        });
    }
    if record.extended_by_governance {
        return Err(ContractError::ExtendedByGovernance { scope });
    }
    Ok(
        end_pause_now(deps.storage, &env, target, scope, (id, record), "end_pause")?
            .add_attribute("guardian", info.sender),
    )
}

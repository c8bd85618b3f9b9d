//! `Gate`: pauses, the restoration lock and history holds, from the guardian only.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_journal::{hold_history, set_pause, set_restoration_lock};
use rewind_types::GateMsg;

use crate::error::{ContractError, TargetError};
use crate::state::SETTINGS;
use crate::target::Target;

/// Applies a gate message sent by the guardian. A pause of a scope the contract does not
/// declare is refused (the guardian refuses it first); a lift of any scope is taken, so an
/// upgrade that drops a scope never leaves it paused.
pub fn gate<E>(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: GateMsg,
    target: &Target<E>,
) -> Result<Response, ContractError<E>> {
    let guardian = SETTINGS.load(deps.storage)?.guardian;
    if info.sender != guardian {
        return Err(TargetError::NotGuardian {
            guardian,
            sender: info.sender,
        }
        .into());
    }
    let kind = match msg {
        GateMsg::SetPause { scope, until } => {
            if until > env.block.time && !target.knows(&scope) {
                return Err(TargetError::UndeclaredScope { scope }.into());
            }
            set_pause(deps.storage, &env, &scope, until)?;
            "set_pause"
        }
        GateMsg::SetRestorationLock { until } => {
            set_restoration_lock(deps.storage, until)?;
            "set_restoration_lock"
        }
        GateMsg::HoldHistory { from_height, until } => {
            hold_history(deps.storage, &env, from_height, until)?;
            "hold_history"
        }
    };
    // The offline clock sees every change of a pause or the lock (issue 15).
    crate::offline::observe(deps.storage, &env)?;
    Ok(Response::new()
        .add_attribute("action", "gate")
        .add_attribute("gate", kind))
}

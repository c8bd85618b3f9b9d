//! `Gate`: pauses, the restoration lock and history holds, from the guardian only.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_journal::{hold_history, set_pause, set_restoration_lock};
use rewind_types::GateMsg;

use crate::error::{ContractError, TargetError};
use crate::state::SETTINGS;

/// Applies a gate message sent by the guardian.
pub fn gate<E>(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: GateMsg,
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
            set_pause(deps.storage, &env, scope, until)?;
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
    Ok(Response::new()
        .add_attribute("action", "gate")
        .add_attribute("gate", kind))
}

//! Gate updates from the guardian contract: pauses, history holds, the restoration lock.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_journal::{hold_history, set_pause, set_restoration_lock};
use rewind_types::vault::SCOPES;
use rewind_types::GateMsg;

use crate::error::ContractError;
use crate::state::CONFIG;

/// A gate update from the guardian contract.
pub fn gate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: GateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.guardian {
        return Err(ContractError::Unauthorized {
            action: "gate".into(),
            sender: info.sender,
        });
    }
    match msg {
        GateMsg::SetPause { scope, until } => {
            // Every declared scope is taken: the guardian's registry alone decides whether
            // a target's exits may be paused, and refuses before sending (one source of
            // truth). A pause of a scope the vault does not declare is refused (the guardian
            // refuses it first); a lift of any scope is taken, so an upgrade that drops a
            // scope can never leave it paused. The guardian's slot only: a breaker pause is
            // never shortened (row P7).
            if until > env.block.time && !scope.is_all() && !SCOPES.iter().any(|s| s.scope == scope)
            {
                return Err(ContractError::UndeclaredScope { scope });
            }
            set_pause(deps.storage, &env, &scope, until)?;
            Ok(Response::new()
                .add_attribute("action", "set_pause")
                .add_attribute("scope", scope.as_str())
                .add_attribute("until", until.seconds().to_string())
                .add_attribute("lifted", (until <= env.block.time).to_string()))
        }
        GateMsg::HoldHistory { from_height, until } => {
            // Never refused (row G12): merged when the journal's hold list is full.
            hold_history(deps.storage, &env, from_height, until)?;
            Ok(Response::new()
                .add_attribute("action", "hold_history")
                .add_attribute("from_height", from_height.to_string())
                .add_attribute("until", until.seconds().to_string()))
        }
        GateMsg::SetRestorationLock { until } => {
            set_restoration_lock(deps.storage, until)?;
            Ok(Response::new()
                .add_attribute("action", "set_restoration_lock")
                .add_attribute(
                    "until",
                    until.map_or_else(|| "none".to_string(), |t| t.seconds().to_string()),
                ))
        }
    }
}

//! `Reset {}`: clear the sender's counter.

use cosmwasm_std::{DepsMut, MessageInfo, Response};

use crate::error::ContractError;
use crate::state::COUNTERS;

/// Removes the sender's counter (a no-op if it has none).
pub fn reset(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    COUNTERS.remove(deps.storage, &info.sender);
    Ok(Response::new().add_attribute("action", "reset"))
}

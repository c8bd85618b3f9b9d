//! `Increment { by }`: add to the sender's counter.

use cosmwasm_std::{DepsMut, MessageInfo, Response};

use crate::error::ContractError;
use crate::state::COUNTERS;

/// Adds `by` (default 1, never 0) to the sender's counter.
pub fn increment(
    deps: DepsMut,
    info: MessageInfo,
    by: Option<u64>,
) -> Result<Response, ContractError> {
    let by = by.unwrap_or(1);
    if by == 0 {
        return Err(ContractError::ZeroIncrement);
    }
    let count = COUNTERS.update(deps.storage, &info.sender, |c| {
        c.unwrap_or(0)
            .checked_add(by)
            .ok_or(ContractError::Overflow)
    })?;
    Ok(Response::new()
        .add_attribute("action", "increment")
        .add_attribute("count", count.to_string()))
}

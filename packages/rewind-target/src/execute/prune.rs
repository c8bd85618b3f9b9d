//! `Prune { limit }`: retention upkeep, open to anyone.

use cosmwasm_std::{DepsMut, Env, Response};

use crate::error::ContractError;

/// The prune limit when the caller names none.
pub const DEFAULT_PRUNE_LIMIT: u32 = 50;
/// The highest prune limit; larger ones are clamped to it.
pub const MAX_PRUNE_LIMIT: u32 = 200;

/// Deletes at most `limit` journal entries that no retained height, history hold or
/// incident freeze needs (nothing while a restoration is pending).
pub fn prune<E>(deps: DepsMut, env: Env, limit: Option<u32>) -> Result<Response, ContractError<E>> {
    let limit = limit
        .unwrap_or(DEFAULT_PRUNE_LIMIT)
        .clamp(1, MAX_PRUNE_LIMIT);
    let pruned = rewind_journal::prune(deps.storage, &env, limit)?;
    Ok(Response::new()
        .add_attribute("action", "prune")
        .add_attribute("pruned", pruned.to_string()))
}

//! Journal pruning (anyone), bounded per call.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_journal::prune as journal_prune;

use crate::error::ContractError;

/// The most journal entries one `Prune` deletes.
pub const MAX_PRUNE_LIMIT: u32 = 100;
/// The prune limit when none is given.
pub const DEFAULT_PRUNE_LIMIT: u32 = 30;

/// Prunes at most `limit` journal entries (anyone).
pub fn prune(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    limit: Option<u32>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let limit = limit
        .unwrap_or(DEFAULT_PRUNE_LIMIT)
        .clamp(1, MAX_PRUNE_LIMIT);
    let pruned = journal_prune(deps.storage, &env, limit)?;
    Ok(Response::new()
        .add_attribute("action", "prune")
        .add_attribute("limit", limit.to_string())
        .add_attribute("pruned", pruned.to_string()))
}

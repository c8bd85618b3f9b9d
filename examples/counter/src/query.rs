//! Queries.

use cosmwasm_std::{to_json_binary, Binary, Deps, Order, StdResult};
use cw_storage_plus::Bound;

use crate::msg::{CounterEntry, CountersResponse};
use crate::state::COUNTERS;

/// The default and the highest page size of `Counters`.
pub const DEFAULT_LIMIT: u32 = 10;
/// The highest page size of `Counters`.
pub const MAX_LIMIT: u32 = 30;

/// The counter of `address` (0 if it never incremented).
pub fn count(deps: Deps, address: String) -> StdResult<Binary> {
    let address = deps.api.addr_validate(&address)?;
    to_json_binary(&COUNTERS.may_load(deps.storage, &address)?.unwrap_or(0))
}

/// Every counter, by address, one page at a time.
pub fn counters(deps: Deps, start_after: Option<String>, limit: Option<u32>) -> StdResult<Binary> {
    let start = start_after
        .map(|a| deps.api.addr_validate(&a))
        .transpose()?;
    let limit = limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
    let counters = COUNTERS
        .range(
            deps.storage,
            start.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .map(|entry| entry.map(|(address, count)| CounterEntry { address, count }))
        .collect::<StdResult<_>>()?;
    to_json_binary(&CountersResponse { counters })
}

//! Messages.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::Addr;

/// Nothing to configure.
#[cw_serde]
pub struct InstantiateMsg {}

/// The counter's actions.
#[cw_serde]
pub enum ExecuteMsg {
    /// Add `by` (default 1) to the sender's counter.
    Increment {
        /// The amount to add (> 0).
        by: Option<u64>,
    },
    /// Clear the sender's counter.
    Reset {},
}

/// The counter's queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The counter of `address` (0 if it never incremented).
    #[returns(u64)]
    Count {
        /// The address.
        address: String,
    },
    /// Every counter, by address.
    #[returns(CountersResponse)]
    Counters {
        /// The last address of the previous page.
        start_after: Option<String>,
        /// Page size (default 10, at most 30).
        limit: Option<u32>,
    },
}

/// One page of counters.
#[cw_serde]
pub struct CountersResponse {
    /// The counters, by address.
    pub counters: Vec<CounterEntry>,
}

/// One address's counter.
#[cw_serde]
pub struct CounterEntry {
    /// The address.
    pub address: Addr,
    /// Its counter.
    pub count: u64,
}

/// Upgrades carry nothing.
#[cw_serde]
pub struct MigrateMsg {}

//! Storage.

use cosmwasm_std::Addr;
use cw_storage_plus::Map;

/// Each address's counter.
pub const COUNTERS: Map<&Addr, u64> = Map::new("counters");

//! Storage.

use cosmwasm_std::{Addr, Uint128};
use cw_storage_plus::{Item, Map};

/// The registered source targets.
pub const SOURCES: Item<Vec<Addr>> = Item::new("sources");
/// Claim records received so far.
pub const RECEIVED: Item<u64> = Item::new("received");
/// Credited claims by (account, denom).
pub const CLAIMS: Map<(&Addr, &str), Uint128> = Map::new("claims");
/// Every record taken, by (source, sequence): a record is credited once.
pub const SEEN: Map<(&Addr, u64), ()> = Map::new("seen");

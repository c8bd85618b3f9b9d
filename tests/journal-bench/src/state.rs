//! The three maps under comparison, each `Addr -> Uint128` under a namespace of equal length.

use cosmwasm_std::{Addr, Uint128};
use cw_storage_plus::{Map, SnapshotMap, Strategy};
use rewind_journal::JournaledMap;

/// cw-storage-plus `Map`.
pub const PLAIN: Map<&Addr, Uint128> = Map::new("bal");

/// cw-storage-plus `SnapshotMap`, one changelog entry per key per block.
pub const SNAPSHOT: SnapshotMap<&Addr, Uint128> =
    SnapshotMap::new("bal", "bal__check", "bal__change", Strategy::EveryBlock);

/// rewind-journal `JournaledMap`.
pub const JOURNALED: JournaledMap<&Addr, Uint128> = JournaledMap::new("bal");

/// The account at `index`: a 43-character address, the length of a typical bech32 account
/// (`osmo1` + 38), so key bytes are priced like a real balance key.
pub fn account(index: u32) -> Addr {
    Addr::unchecked(format!("acct1{index:038}"))
}

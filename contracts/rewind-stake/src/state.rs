//! Storage.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Uint128};
use cw_controllers::Claims;
use cw_storage_plus::{Item, Map, SnapshotItem, SnapshotMap, Strategy};
use cw_utils::Duration;

/// The configuration, written once at instantiate.
#[cw_serde]
pub struct Config {
    /// The DAO this module serves (`Dao {}`).
    pub dao: Addr,
    /// The staked native denom.
    pub denom: String,
    /// How long unstaked tokens wait; never zero.
    pub unstaking_duration: Duration,
}

/// The configuration.
pub const CONFIG: Item<Config> = Item::new("config");

/// The storage namespace of [`STAKED`]'s current values.
const STAKED_NAMESPACE: &str = "staked";

/// Each staker's stake, snapshotted every block so the power at any past height is one
/// lookup. `may_load_at_height(h)` is the value at the start of block h, as DAO DAO reads it.
pub const STAKED: SnapshotMap<&Addr, Uint128> = SnapshotMap::new(
    STAKED_NAMESPACE,
    "staked__checkpoints",
    "staked__changelog",
    Strategy::EveryBlock,
);

/// A read-only view of [`STAKED`]'s current values: a `SnapshotMap` keeps them in a plain
/// `Map` under its primary namespace, and this is that `Map`, so `list_stakers` pages it with
/// the shared [`rewind_types::page`] reader. Never written: writes go through [`STAKED`],
/// which also records the history.
pub const CURRENT_STAKES: Map<&Addr, Uint128> = Map::new(STAKED_NAMESPACE);

/// The sum of all stakes, snapshotted like [`STAKED`].
pub const TOTAL_STAKED: SnapshotItem<Uint128> = SnapshotItem::new(
    "total_staked",
    "total_staked__checkpoints",
    "total_staked__changelog",
    Strategy::EveryBlock,
);

/// The open claims of each staker, oldest first (cw-controllers).
pub const CLAIMS: Claims = Claims::new("claims");

/// The most claims one staker may hold open at once (row D3), as in dao-voting-token-staked:
/// every unstake and claim reads them all.
pub const MAX_CLAIMS: u64 = 100;

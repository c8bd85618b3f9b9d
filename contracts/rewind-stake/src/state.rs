use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Uint128};
use cw_storage_plus::{Item, Map, SnapshotItem, SnapshotMap, Strategy};

use crate::msg::UnbondingClaim;

#[cw_serde]
pub struct Config {
    pub denom: String,
    pub unbonding_seconds: u64,
}

pub const CONFIG: Item<Config> = Item::new("config");

/// Each staker's stake, snapshotted every block so the power at any past height is one
/// lookup. `may_load_at_height(h)` is the value at the start of block h, as DAO DAO reads it.
pub const STAKED: SnapshotMap<&Addr, Uint128> = SnapshotMap::new(
    "staked",
    "staked__checkpoints",
    "staked__changelog",
    Strategy::EveryBlock,
);

/// The sum of all stakes, snapshotted like [`STAKED`].
pub const TOTAL_STAKED: SnapshotItem<Uint128> = SnapshotItem::new(
    "total_staked",
    "total_staked__checkpoints",
    "total_staked__changelog",
    Strategy::EveryBlock,
);

/// Unbonding entries per staker, oldest first.
pub const UNBONDING: Map<&Addr, Vec<UnbondingClaim>> = Map::new("unbonding");

/// The most unbonding entries one staker may hold at once (row D3).
pub const MAX_UNBONDING_ENTRIES: usize = 32;

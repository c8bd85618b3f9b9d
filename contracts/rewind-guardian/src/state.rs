use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Empty, Timestamp};
use cw_storage_plus::{Item, Map};
use rewind_types::guardian::{PausePolicy, PauseRecord};
use rewind_types::ModuleAddresses;

/// Governance and the pause caps.
#[cw_serde]
pub struct Config {
    /// The only source of parameter changes.
    pub governance: Addr,
    /// The pause caps.
    pub policy: PausePolicy,
}

/// A restoration lock held on one target.
#[cw_serde]
pub struct RestorationLock {
    /// The timelock operation (and executor restoration) holding it.
    pub operation_id: u64,
    /// When it ends by itself.
    pub until: Timestamp,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const MODULES: Item<ModuleAddresses> = Item::new("modules");
pub const GUARDIANS: Map<&Addr, Empty> = Map::new("guardians");
/// Registered targets and whether their exits may be paused.
pub const TARGETS: Map<&Addr, bool> = Map::new("targets");
/// Every pause ever made, by target and id (the history).
pub const PAUSES: Map<(&Addr, u64), PauseRecord> = Map::new("pauses");
/// The latest pause id of each target and scope.
pub const ACTIVE: Map<(&Addr, &str), u64> = Map::new("active");
/// Ids of the pauses of a target that still matter for its budget or cooldown (pruned).
pub const WINDOW: Map<&Addr, Vec<u64>> = Map::new("window");
pub const NEXT_PAUSE_ID: Item<u64> = Item::new("next_pause_id");
pub const LOCKS: Map<&Addr, RestorationLock> = Map::new("locks");

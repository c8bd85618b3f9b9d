//! The guardian's storage.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Empty, Timestamp};
use cw_storage_plus::{Item, Map};
use rewind_types::guardian::{PausePolicy, PauseRecord};
use rewind_types::{ModuleAddresses, ScopeInfo};

/// A restoration lock held on one target.
#[cw_serde]
pub struct RestorationLock {
    /// The timelock operation (and executor restoration) holding it.
    pub operation_id: u64,
    /// When it ends by itself.
    pub until: Timestamp,
}

/// The latest continuous guardian stretch of one action of a target (row P5): the union
/// of the overlapping or touching guardian pauses of any scopes that stop the action.
#[cw_serde]
pub struct Stretch {
    /// When the stretch started: the start of its first pause.
    pub start: Timestamp,
    /// When it ends or ended: the latest end of its pauses (early ends and governance
    /// extensions included).
    pub end: Timestamp,
    /// The guardians who contributed pauses to the stretch and are still guardians,
    /// ascending, without duplicates (row P6). Governance drops removed guardians from it,
    /// so it never holds more than `MAX_GUARDIANS` addresses.
    #[serde(default)]
    pub contributors: Vec<Addr>,
    /// Set when governance removed a contributor (row P6): once ended, the stretch imposes
    /// no cooldown. A running stretch keeps its cap.
    #[serde(default)]
    pub cooldown_waived: bool,
}

/// The pause caps.
pub const POLICY: Item<PausePolicy> = Item::new("policy");
/// The module addresses governance predicted and passed at instantiate; `governance` is
/// the only source of parameter changes.
pub const MODULES: Item<ModuleAddresses> = Item::new("modules");
/// The current guardians.
pub const GUARDIANS: Map<&Addr, Empty> = Map::new("guardians");
/// Registered targets and whether their exits may be paused: the one record of every
/// target's exit policy (governance and the targets read it here, none keeps a copy).
pub const TARGETS: Map<&Addr, bool> = Map::new("targets");
/// The scopes each target declared when it was last registered (`all` excluded): the one
/// record of which scopes a pause may name on it and which of them are exits. Kept when the
/// target is removed, so its running pauses can still be lifted with their stretches.
pub const TARGET_SCOPES: Map<&Addr, Vec<ScopeInfo>> = Map::new("target_scopes");
/// Every pause ever made, by target and id (the history).
pub const PAUSES: Map<(&Addr, u64), PauseRecord> = Map::new("pauses");
/// The latest pause id of each target and scope.
pub const ACTIVE: Map<(&Addr, &str), u64> = Map::new("active");
/// Ids of one guardian's pauses of a target whose charged part is still inside the budget
/// window, oldest first, by (guardian, target) (row P6: per-guardian budget and record cap;
/// pruned lazily at each of the guardian's pauses).
pub const WINDOW: Map<(&Addr, &Addr), Vec<u64>> = Map::new("guardian_window");
/// The latest guardian stretch of each action of a target, by (target, action) (row P5).
pub const STRETCHES: Map<(&Addr, &str), Stretch> = Map::new("stretches");
/// The id the next pause gets.
pub const NEXT_PAUSE_ID: Item<u64> = Item::new("next_pause_id");
/// The restoration lock of each locked target.
pub const LOCKS: Map<&Addr, RestorationLock> = Map::new("locks");

//! What the executor stores.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Empty, Timestamp};
use cw_storage_plus::{Item, Map};
use rewind_types::executor::{ExecutorSettings, RestorationState, SweepResponse};
use rewind_types::restorable::RestorationStatusResponse;
use rewind_types::{ModuleAddresses, RestorationSpec};

/// One target of a restoration.
#[cw_serde]
pub struct TargetState {
    /// The target.
    pub contract: Addr,
    /// Whether its restore migration succeeded.
    pub migrated: bool,
    /// Its status as last read.
    pub status: RestorationStatusResponse,
    /// Sent `Release {}` (with every sibling, on completion).
    #[serde(default)]
    pub released: bool,
    /// Sent `Abandon` (with every sibling, on abort).
    #[serde(default)]
    pub abandoned: bool,
    /// The target's refusal of `Abandon`, if any.
    #[serde(default)]
    pub abandon_error: Option<String>,
}

/// A restoration; its id is the timelock operation id.
#[cw_serde]
pub struct Restoration {
    /// The timelock operation id.
    pub id: u64,
    /// What was voted. The one stored copy once the timelock executed the operation (the
    /// timelock drops it and keeps the content hash).
    pub spec: RestorationSpec,
    /// Where it is.
    pub state: RestorationState,
    /// Per-target progress, in spec order.
    pub targets: Vec<TargetState>,
    /// When it was applied.
    pub started_at: Timestamp,
    /// When it completed, failed or was aborted.
    pub finished_at: Option<Timestamp>,
    /// The end of the executor's restoration lock (apply, retry).
    #[serde(default)]
    pub lock_until: Option<Timestamp>,
    /// After an abort: the end of the targets' exit-only mode.
    #[serde(default)]
    pub exit_only_until: Option<Timestamp>,
}

/// What a submessage reply refers to; carried in the submessage payload.
#[cw_serde]
pub struct ReplyContext {
    /// The restoration.
    pub restoration_id: u64,
    /// The target, as its index in the spec.
    pub target_index: u32,
}

/// Governance, timelock, guardian (and the executor itself), fixed at instantiate.
pub const MODULES: Item<ModuleAddresses> = Item::new("modules");
/// Crank bounds, lock length and exit-only window.
pub const SETTINGS: Item<ExecutorSettings> = Item::new("settings");
/// Every restoration, by id.
pub const RESTORATIONS: Map<u64, Restoration> = Map::new("restorations");
/// Restorations in the Running state, so a crank finds one without scanning history.
pub const RUNNING: Map<u64, Empty> = Map::new("running");
/// Targets of unfinished (Running or Failed) restorations, to their restoration.
pub const ACTIVE_TARGETS: Map<&Addr, u64> = Map::new("active_targets");
/// The re-entrancy guard: the restoration whose crank is in flight (row R7).
pub const CRANKING: Item<u64> = Item::new("cranking");
/// Scheduled sweeps by id (rows G10, T2).
pub const SWEEPS: Map<u64, SweepResponse> = Map::new("sweeps");
/// The restoration last applied to each target: a sweep scheduled before another one is
/// applied is outdated (the vote saw other frozen accounts).
pub const LAST_APPLIED: Map<&Addr, u64> = Map::new("last_applied");
/// The last sweep id used.
pub const SWEEP_COUNT: Item<u64> = Item::new("sweep_count");

/// A status before anything was read.
pub fn idle_status() -> RestorationStatusResponse {
    RestorationStatusResponse::at(rewind_types::restorable::RestorationPhase::Idle, None)
}

//! The library's own records: raw, under the journal's reserved `rj/` names, never rolled
//! back and not in the digest.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, StdResult, Storage, Uint128};
use cw_storage_plus::{Item, Map};
use rewind_journal::keys::{
    NS_EXCLUSIONS, NS_FROZEN, NS_REPLAY, NS_REPLAY_REPORT, NS_SETTLEMENT, NS_TARGET_SETTINGS,
    NS_TARGET_STATUS,
};
use rewind_types::restorable::{
    ExecutionId, HoldingsSettlement, ReplayEntry, RestorationPhase, RestorationStatusResponse,
};
use rewind_types::restoration::ShortfallPolicy;

use crate::msg::StoredSettings;

/// The guardian.
pub const SETTINGS: Item<StoredSettings> = Item::new(NS_TARGET_SETTINGS);
/// The current or last restoration, as `RestorationStatus` answers it.
pub const STATUS: Item<RestorationStatusResponse> = Item::new(NS_TARGET_STATUS);
/// Every account a restoration excluded: its keys are frozen and it may not execute.
pub const FROZEN: Item<Vec<Addr>> = Item::new(NS_FROZEN);
/// The running restoration's exclusions: frozen (and handed to the freeze hook) when its
/// rollback completes, dropped if it is abandoned.
pub const EXCLUSIONS: Item<Vec<Addr>> = Item::new(NS_EXCLUSIONS);

/// The running restoration's replay: where it is in the redo log, and the voted rule its
/// settlement applies.
pub const REPLAY: Item<ReplayState> = Item::new(NS_REPLAY);
/// Each restoration's replay report, by its height: every recorded execution it skipped, and
/// every one whose outgoing messages it did not send again.
pub const REPLAY_REPORT: Map<(u64, u64, u32), ReplayEntry> = Map::new(NS_REPLAY_REPORT);

/// The last settlement of the contract's holdings (a contract that declares them).
pub const SETTLEMENT: Item<HoldingsSettlement> = Item::new(NS_SETTLEMENT);

/// See [`REPLAY`].
#[cw_serde]
pub struct ReplayState {
    /// The last recorded execution handled (replayed or skipped); `None`: none yet.
    pub cursor: Option<ExecutionId>,
    /// How the settlement hook settles a shortfall.
    pub shortfall_policy: ShortfallPolicy,
    /// Every recorded execution is handled; the settlement hook runs (again) on each crank
    /// until it is done.
    #[serde(default)]
    pub settling: bool,
}

/// The status before any restoration, and the shape of every status the library writes: the
/// library replays executions, not flows, and keeps no claims of its own.
pub fn status(phase: RestorationPhase, height: Option<u64>) -> RestorationStatusResponse {
    RestorationStatusResponse {
        phase,
        height,
        undone_entries: 0,
        replayed_flows: 0,
        digest_verified: false,
        total_claims: Uint128::zero(),
        replayed_executions: 0,
        skipped_executions: 0,
        next_replay: None,
    }
}

/// The current status (idle if no restoration ever ran).
pub fn load_status(store: &dyn Storage) -> StdResult<RestorationStatusResponse> {
    Ok(STATUS
        .may_load(store)?
        .unwrap_or_else(|| status(RestorationPhase::Idle, None)))
}

/// The frozen accounts (none if no restoration excluded any).
pub fn frozen(store: &dyn Storage) -> StdResult<Vec<Addr>> {
    Ok(FROZEN.may_load(store)?.unwrap_or_default())
}

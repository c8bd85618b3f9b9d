//! The interface every protected target implements.
//!
//! A target's own `ExecuteMsg`, `MigrateMsg` and `QueryMsg` contain variants with exactly
//! these names and fields, so the guardian and executor can send the types below and the
//! target parses them as its own. Each target has a test that proves it.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{HexBinary, Timestamp, Uint128};

use crate::restoration::ShortfallPolicy;
use crate::scope::PauseScope;

/// Gate updates, accepted by a target from its guardian contract only.
#[cw_serde]
pub enum GateMsg {
    /// Pause `scope` until `until`. An `until` at or before the block time lifts the pause.
    /// There is no pause without an end.
    SetPause {
        /// The family of actions to stop.
        scope: PauseScope,
        /// When the pause ends by itself.
        until: Timestamp,
    },
    /// Hold the restoration lock until `until` (set at queue, bounded by the grace window),
    /// or release it with `None`.
    SetRestorationLock {
        /// When the lock ends by itself; `None` releases it now.
        until: Option<Timestamp>,
    },
}

/// The execute variants the guardian and executor send to a target.
#[cw_serde]
pub enum RestorableExecuteMsg {
    /// From the guardian contract only.
    Gate(GateMsg),
    /// Continue a running restoration by at most `limit` units of work. Open to anyone:
    /// the work is deterministic.
    Crank {
        /// The most undo entries or flows to process; `None` uses the target's default.
        limit: Option<u32>,
    },
}

/// A target's migrate message.
#[cw_serde]
pub enum RestorableMigrateMsg {
    /// A normal upgrade: same cw2 name, strictly newer version.
    Upgrade {},
    /// Roll the target back to the end of block `height`, replay the flows of every account
    /// not in `exclusions`, settle the shortfall by `shortfall_policy`, and verify the
    /// digest. The one same-version migration; the chain only lets the wasm admin send it.
    Restore {
        /// The last good block.
        height: u64,
        /// Accounts whose later flows are not replayed and whose claims are frozen.
        exclusions: Vec<String>,
        /// How a shortfall is settled.
        shortfall_policy: ShortfallPolicy,
        /// The digest the target recorded at `height`; the rollback must reach it.
        expected_digest: HexBinary,
    },
}

/// The queries governance and the executor send to a target.
#[cw_serde]
#[derive(QueryResponses)]
pub enum RestorableQueryMsg {
    /// The retained history and lock state.
    #[returns(JournalInfoResponse)]
    JournalInfo {},
    /// The digest of the state at the end of `height`.
    #[returns(DigestAtResponse)]
    DigestAt {
        /// The block height.
        height: u64,
    },
    /// The progress of the current or last restoration.
    #[returns(RestorationStatusResponse)]
    RestorationStatus {},
}

/// The journal's retained range and locks.
#[cw_serde]
pub struct JournalInfoResponse {
    /// The lowest height a rollback may target.
    pub retained_from: u64,
    /// The last height that wrote journaled state.
    pub latest_height: u64,
    /// The configured retention window, in blocks.
    pub retention_blocks: u64,
    /// A rollback is running.
    pub restoring: bool,
    /// The restoration lock set by the guardian, if any and not expired.
    pub restoration_lock_until: Option<Timestamp>,
}

/// The digest of the state at the end of a height.
#[cw_serde]
pub struct DigestAtResponse {
    /// The height asked for.
    pub height: u64,
    /// The last height at or below `height` that wrote journaled state.
    pub recorded_at: u64,
    /// The 32-byte additive multiset hash of the journaled state.
    pub digest: HexBinary,
}

/// Where a target's restoration is.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum RestorationPhase {
    /// No restoration has run.
    Idle,
    /// Undoing journal entries above the height.
    RollingBack,
    /// Replaying the flows of non-excluded accounts.
    Replaying,
    /// Done: reconciled, settled, digest verified, unlocked.
    Complete,
}

/// A target's restoration progress and, once complete, its totals.
#[cw_serde]
pub struct RestorationStatusResponse {
    /// Where the restoration is.
    pub phase: RestorationPhase,
    /// The restoration height, once one has started.
    pub height: Option<u64>,
    /// Undo entries applied so far.
    pub undone_entries: u64,
    /// Flows replayed so far.
    pub replayed_flows: u64,
    /// Whether the rolled-back state matched the digest recorded at `height`.
    pub digest_verified: bool,
    /// Total claims after restoration (zero until complete).
    pub total_claims: Uint128,
}

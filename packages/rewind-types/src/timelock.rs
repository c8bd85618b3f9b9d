//! rewind-timelock: the delay between a passed vote and its execution.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary, Timestamp};

use crate::restoration::RestorationSpec;
use crate::wiring::ModuleAddresses;

/// The timelock's bounds and windows. Bounds live in code as well: see the contract's
/// `HARD_MIN_DELAY_SECONDS` and `HARD_MAX_DELAY_SECONDS` (row T1).
#[cw_serde]
pub struct TimelockSettings {
    /// The delay applied to every queued operation, in seconds; within [min, max].
    pub delay_seconds: u64,
    /// The lowest delay governance may set (default 12 h).
    pub min_delay_seconds: u64,
    /// The highest delay governance may set (default 14 days).
    pub max_delay_seconds: u64,
    /// Blocks that must pass as well as the delay, so a chain halt cannot skip the
    /// cancel window (row T3).
    pub min_delay_blocks: u64,
    /// How long a due operation stays executable before it expires (default 7 days).
    pub grace_period_seconds: u64,
    /// How far a guardian's `Cancel` moves a queued operation's eta and expiry, in seconds
    /// (row T4: a guardian delays once, it does not veto). Bounded in code (1 h ..= 3 days).
    pub guardian_delay_seconds: u64,
    /// How far a guardian's `Cancel` moves a queued operation's eta height, in blocks (the
    /// block-count counterpart of `guardian_delay_seconds`, row T3). Bounded in code
    /// (1 ..= 259 200, about 3 days of 1-second blocks).
    pub guardian_delay_blocks: u64,
}

/// Instantiates rewind-timelock. Governance sends it, with every module's address predicted
/// by instantiate2; any other sender is refused. Governance is its wasm admin.
#[cw_serde]
pub struct InstantiateMsg {
    /// The module addresses; `governance` must be the sender.
    pub modules: ModuleAddresses,
    /// The delay and windows.
    pub settings: TimelockSettings,
}

/// rewind-timelock's execute messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Queue a passed restoration. Governance only. Its targets are locked in the guardian
    /// until it is executed, cancelled or expires. Answers the operation id in `data`.
    Queue {
        /// Exactly what will execute.
        spec: RestorationSpec,
        /// `spec.content_hash()` as governance computed it.
        content_hash: HexBinary,
        /// A fast-track restoration (issue 16): its playbook's veto window replaces the
        /// delay, within `governance::FAST_TRACK_MIN_VETO_SECONDS ..=
        /// FAST_TRACK_MAX_VETO_SECONDS` (bounded here too, whatever governance sends), and
        /// the block floor scales with it. `None`: the configured delay.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        veto_window_seconds: Option<u64>,
    },
    /// Queue a passed module upgrade. Governance only. When due, `Execute` calls governance's
    /// `ApplyUpgrade { proposal_id, content_hash }`, which re-checks the pinned checksum and
    /// migrates the module. It waits under the same rules as a restoration (delay, blocks,
    /// grace window, one guardian delay, expiry) and locks nothing in the guardian. Answers
    /// the operation id in `data`.
    QueueUpgrade {
        /// The governance proposal holding the upgrade.
        proposal_id: u64,
        /// The upgrade's content hash as governance computed it.
        content_hash: HexBinary,
    },
    /// Execute a due operation. Open to anyone. A restoration goes to the executor's
    /// `Apply` with its spec, which the timelock then drops (the executor's restoration holds
    /// it; the content hash stays here); an upgrade goes to governance's `ApplyUpgrade`.
    Execute {
        /// The operation.
        operation_id: u64,
    },
    /// From governance: cancel a queued operation, for good. From a guardian: DELAY it, once
    /// (row T4): its eta moves by `guardian_delay_seconds` and `guardian_delay_blocks`, its
    /// expiry (and a restoration's lock) move with it, and the guardian is recorded. A second
    /// guardian `Cancel` of the same operation, by any guardian, is refused.
    Cancel {
        /// The operation.
        operation_id: u64,
    },
    /// Governance overrides a guardian's delay of a queued operation: its eta and eta height
    /// return to what they were before the delay (the extended expiry and lock stay). The
    /// delay still counts: no guardian may delay the operation again.
    OverrideDelay {
        /// The operation.
        operation_id: u64,
    },
    /// Mark a queued operation whose grace window is over as Expired and release a
    /// restoration's lock. Open to anyone.
    Expire {
        /// The operation.
        operation_id: u64,
    },
    /// Change the delay and windows. Governance only; bounded in code.
    UpdateSettings(TimelockSettings),
}

/// rewind-timelock's queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// Settings and module addresses.
    #[returns(ConfigResponse)]
    Config {},
    /// One operation, with its effective status.
    #[returns(OperationResponse)]
    Operation {
        /// The operation.
        operation_id: u64,
    },
    /// Operations by id, paginated.
    #[returns(OperationsResponse)]
    Operations {
        /// Start after this id (exclusive).
        start_after: Option<u64>,
        /// At most this many; capped.
        limit: Option<u32>,
    },
}

/// The timelock's configuration.
#[cw_serde]
pub struct ConfigResponse {
    /// Delay and windows.
    pub settings: TimelockSettings,
    /// The module addresses.
    pub modules: ModuleAddresses,
}

/// An operation's state. Executed, Cancelled and Expired are final (row T2).
#[cw_serde]
#[derive(Copy, Eq)]
pub enum OperationStatus {
    /// Waiting for its delay, or due and executable.
    Queued,
    /// Dispatched: a restoration to the executor, an upgrade to governance.
    Executed,
    /// Cancelled by governance (a guardian can only delay).
    Cancelled,
    /// Not executed within the grace window.
    Expired,
}

/// One queued operation.
#[cw_serde]
pub struct OperationResponse {
    /// Its id.
    pub id: u64,
    /// The restoration that executes, while the operation waits. `None` for an upgrade, and
    /// once executed: the spec is stored in one place at a time, and the executor's
    /// restoration holds it from then on.
    pub spec: Option<RestorationSpec>,
    /// The governance proposal of an upgrade operation; `None` for a restoration.
    #[serde(default)]
    pub upgrade_proposal_id: Option<u64>,
    /// The hash governance computed (re-computed by the timelock for a restoration). Kept
    /// after execution, when the spec is dropped.
    pub content_hash: HexBinary,
    /// The status, with Expired derived from the block time.
    pub status: OperationStatus,
    /// When it was queued.
    pub queued_at: Timestamp,
    /// The height it was queued at.
    pub queued_height: u64,
    /// The earliest time it may execute.
    pub eta: Timestamp,
    /// The earliest height it may execute.
    pub eta_height: u64,
    /// When it expires.
    pub expires_at: Timestamp,
    /// Who executed, cancelled or expired it.
    pub closed_by: Option<Addr>,
    /// The guardian delay, if a guardian delayed it (at most one per operation, row T4).
    #[serde(default)]
    pub guardian_delay: Option<GuardianDelay>,
}

/// A guardian's one delay of a queued operation (row T4).
#[cw_serde]
pub struct GuardianDelay {
    /// The guardian who delayed it.
    pub delayed_by: Addr,
    /// When.
    pub delayed_at: Timestamp,
    /// The seconds added to the eta and the expiry.
    pub seconds: u64,
    /// The blocks added to the eta height.
    pub blocks: u64,
    /// The eta before the delay.
    pub original_eta: Timestamp,
    /// The eta height before the delay.
    pub original_eta_height: u64,
    /// The expiry before the delay.
    pub original_expires_at: Timestamp,
    /// When governance overrode the delay (restoring the original eta), if it did.
    pub overridden_at: Option<Timestamp>,
}

/// A page of operations.
#[cw_serde]
pub struct OperationsResponse {
    /// The operations, by id.
    pub operations: Vec<OperationResponse>,
}

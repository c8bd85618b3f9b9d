//! rewind-executor: the wasm admin of every target; applies restorations.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Binary, HexBinary, Timestamp};

use crate::restorable::RestorationStatusResponse;
use crate::restoration::RestorationSpec;
use crate::wiring::ModuleAddresses;

/// The executor's bounds on crank work.
#[cw_serde]
pub struct ExecutorSettings {
    /// The crank limit used when a caller names none.
    pub default_crank_limit: u32,
    /// The highest crank limit a caller may name (row D1).
    pub max_crank_limit: u32,
    /// How long the executor holds the restoration lock while applying, in seconds.
    pub lock_seconds: u64,
    /// How long the targets of an aborted restoration stay in exit-only mode, in seconds:
    /// `Abort` sends every target `Abandon { exit_only_until: now + exit_only_seconds }`
    /// (rows R12, R13). Bounded in code (1 day ..= 30 days).
    pub exit_only_seconds: u64,
}

/// Instantiates rewind-executor. Governance sends it, with every module's address
/// predicted by instantiate2; any other sender is refused. Governance is its wasm admin.
#[cw_serde]
pub struct InstantiateMsg {
    /// The module addresses, predicted by governance with instantiate2; `governance` must
    /// be the sender.
    pub modules: ModuleAddresses,
    /// The crank bounds.
    pub settings: ExecutorSettings,
}

/// rewind-executor's execute messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Apply a due operation. From the timelock only.
    Apply {
        /// The timelock operation.
        operation_id: u64,
        /// What was voted. The executor's restoration keeps it: the timelock drops its copy
        /// once it sends it here.
        spec: RestorationSpec,
        /// The hash the timelock stored; re-computed and compared here.
        content_hash: HexBinary,
    },
    /// Continue a running restoration by at most `limit` units of work. Open to anyone.
    Crank {
        /// The restoration to crank; `None` cranks the oldest running one.
        restoration_id: Option<u64>,
        /// The work bound; `None` uses the default, above the maximum is refused.
        limit: Option<u32>,
    },
    /// Governance retries a failed restoration from its failed step.
    Retry {
        /// The restoration.
        restoration_id: u64,
    },
    /// Governance aborts a restoration that is Failed, or still Running past its lock
    /// (row R13): every target of it gets `RestorableMigrateMsg::Abandon` (exit-only until
    /// now + `exit_only_seconds`), the restoration becomes Aborted and the guardian lock is
    /// cleared.
    Abort {
        /// The restoration.
        restoration_id: u64,
    },
    /// Governance changes the crank bounds.
    UpdateSettings(ExecutorSettings),
    /// Governance migrates a target to new code with `RestorableMigrateMsg::Upgrade {}` (a
    /// voted code upgrade, e.g. a fix for a target whose rollback is stuck). The executor
    /// re-checks that it is the target's wasm admin and the checksum of `code_id`, and
    /// refuses while the target is part of a running restoration.
    Upgrade {
        /// The target to migrate.
        contract: String,
        /// The stored code to migrate it to.
        code_id: u64,
        /// The sha256 checksum of `code_id` that was voted; compared with the chain's.
        checksum: HexBinary,
    },
    /// Governance (a passed `ConfigureTarget` parameter proposal) changes a target's
    /// configuration: the executor re-checks that it is the target's wasm admin, refuses
    /// while a Running or Failed restoration holds the target, and migrates it to its
    /// CURRENT code with `RestorableMigrateMsg::Configure { config }`. A refusal by the
    /// target fails the whole parameter proposal.
    Configure {
        /// The target.
        contract: String,
        /// The target's config update, as JSON (its own type; never read here).
        config: Binary,
    },
    /// Governance (a passed `SweepFrozen` parameter proposal) schedules a sweep of a
    /// target's frozen claims and surplus. It becomes executable after the timelock's
    /// current `delay_seconds` and `min_delay_blocks`, exactly as long as a restoration
    /// waits. Refused while a restoration of the target is Running.
    ScheduleSweep {
        /// The target to sweep.
        target: String,
        /// The recipient; `None` lets the target send to its insurance account.
        to: Option<String>,
    },
    /// Execute a pending sweep once it is due and before it expires: the executor sends the
    /// target `RestorableMigrateMsg::Sweep { to }` (same code id). Open to anyone; once.
    ExecuteSweep {
        /// The sweep.
        id: u64,
    },
    /// Governance (a passed `CancelSweep` parameter proposal) cancels a pending sweep.
    CancelSweep {
        /// The sweep.
        id: u64,
    },
}

/// Where a scheduled sweep is. Executed and Cancelled are final (row T2).
#[cw_serde]
#[derive(Copy, Eq)]
pub enum SweepStatus {
    /// Waiting for its eta, or due and executable.
    Pending,
    /// Sent to the target.
    Executed,
    /// Cancelled by governance.
    Cancelled,
}

/// A scheduled sweep.
#[cw_serde]
pub struct SweepResponse {
    /// Its id: 1, 2, ...
    pub id: u64,
    /// The target to sweep.
    pub target: Addr,
    /// The recipient; `None`: the target's insurance account.
    pub to: Option<Addr>,
    /// When it was scheduled.
    pub scheduled_at: Timestamp,
    /// It is executable from this time ...
    pub eta: Timestamp,
    /// ... and this height.
    pub eta_height: u64,
    /// It may no longer be executed from this time on (eta + the timelock's grace period,
    /// as for a restoration): a vote does not authorise a sweep forever.
    pub expires_at: Timestamp,
    /// The last restoration applied to the target when the sweep was scheduled (`None`:
    /// none yet). If another one is applied before it runs, the sweep is outdated.
    pub after_restoration: Option<u64>,
    /// Where it is.
    pub status: SweepStatus,
    /// When it was executed or cancelled.
    pub finished_at: Option<Timestamp>,
}

/// A page of sweeps.
#[cw_serde]
pub struct SweepsResponse {
    /// The sweeps, by id.
    pub sweeps: Vec<SweepResponse>,
}

/// rewind-executor's queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// Settings and module addresses.
    #[returns(ConfigResponse)]
    Config {},
    /// One restoration with per-target progress.
    #[returns(RestorationResponse)]
    Restoration {
        /// The restoration (its id is the timelock operation id).
        restoration_id: u64,
    },
    /// Restorations by id, paginated.
    #[returns(RestorationsResponse)]
    Restorations {
        /// Start after this id (exclusive).
        start_after: Option<u64>,
        /// At most this many; capped.
        limit: Option<u32>,
    },
    /// One scheduled sweep.
    #[returns(SweepResponse)]
    Sweep {
        /// The sweep.
        id: u64,
    },
    /// Scheduled sweeps by id, paginated.
    #[returns(SweepsResponse)]
    Sweeps {
        /// Start after this id (exclusive).
        start_after: Option<u64>,
        /// At most this many; capped.
        limit: Option<u32>,
    },
}

/// The executor's configuration.
#[cw_serde]
pub struct ConfigResponse {
    /// Crank bounds.
    pub settings: ExecutorSettings,
    /// The module addresses.
    pub modules: ModuleAddresses,
}

/// Where a restoration is.
#[cw_serde]
pub enum RestorationState {
    /// Targets migrated; cranking.
    Running,
    /// Every target verified; each was sent `Release { config }` (its voted post-restore
    /// configuration, if any) and the lock cleared together.
    Complete,
    /// A step failed; governance may retry or abort.
    Failed {
        /// The error, as the failing step reported it.
        error: String,
    },
    /// Governance aborted it; every target was sent `Abandon`, the lock cleared.
    Aborted,
}

/// One target's progress.
#[cw_serde]
pub struct TargetProgress {
    /// The target.
    pub contract: Addr,
    /// Whether its restore migration has succeeded.
    pub migrated: bool,
    /// The target's own status, as last read.
    pub status: RestorationStatusResponse,
    /// Set when the target was sent `Release { .. }` (all targets together, on completion).
    #[serde(default)]
    pub released: bool,
    /// Set when the target was sent `Abandon` (all targets together, on abort).
    #[serde(default)]
    pub abandoned: bool,
    /// The error the target answered `Abandon` with, if it refused it. The abort stands;
    /// the target is no longer held by the restoration, so a voted `Upgrade` can repair it.
    #[serde(default)]
    pub abandon_error: Option<String>,
}

/// One restoration.
#[cw_serde]
pub struct RestorationResponse {
    /// Its id: the timelock operation id.
    pub id: u64,
    /// What was voted: the one stored copy of a restoration's spec once the timelock has
    /// executed its operation.
    pub spec: RestorationSpec,
    /// Where it is.
    pub state: RestorationState,
    /// Per-target progress.
    pub targets: Vec<TargetProgress>,
    /// When it started.
    pub started_at: Timestamp,
    /// When it completed, failed or was aborted.
    pub finished_at: Option<Timestamp>,
    /// When the executor's restoration lock (taken at apply, renewed at retry) ends: a
    /// Running restoration past this time may be aborted.
    #[serde(default)]
    pub lock_until: Option<Timestamp>,
    /// After an abort: the end of the targets' exit-only mode.
    #[serde(default)]
    pub exit_only_until: Option<Timestamp>,
}

/// A page of restorations.
#[cw_serde]
pub struct RestorationsResponse {
    /// The restorations, by id.
    pub restorations: Vec<RestorationResponse>,
}

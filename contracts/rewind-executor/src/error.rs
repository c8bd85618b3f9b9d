//! The executor's errors.

use cosmwasm_std::{Addr, HexBinary, StdError, Timestamp};
use cw_utils::PaymentError;
use thiserror::Error;

/// Every way an executor action is refused.
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(Error, Debug)]
pub enum ContractError {
    /// A standard library error.
    #[error("{0}")]
    Std(#[from] StdError),

    /// Funds were attached to a message that takes none (row B2).
    #[error("{0}")]
    Payment(#[from] PaymentError),

    /// The sender lacks the role the action needs.
    #[error("unauthorized: {sender} is not {required}")]
    Unauthorized { sender: Addr, required: String },

    /// A migration to another contract's code, or to an older version (row G7).
    #[error(transparent)]
    Upgrade(#[from] rewind_types::upgrade::UpgradeError),

    /// Settings outside the bounds in code (rows D1, B4).
    #[error("invalid executor settings: {reason}")]
    InvalidSettings { reason: String },

    /// The hash sent with the spec is not the spec's hash (row G6).
    #[error("content hash mismatch: sent {sent}, spec hashes to {computed}")]
    ContentHashMismatch {
        sent: HexBinary,
        computed: HexBinary,
    },

    /// The operation was applied before: each restoration is consumed once (row R2).
    #[error("restoration {restoration_id} was already applied")]
    AlreadyApplied { restoration_id: u64 },

    /// A spec with no target, or too many (row D3).
    #[error("a restoration must name between 1 and {max} targets, got {count}")]
    InvalidTargetCount { count: u64, max: u64 },

    /// A target named twice in one spec (row R4).
    #[error("target {target} is named twice")]
    DuplicateTarget { target: Addr },

    /// A target is already part of an unfinished restoration (row R1).
    #[error("target {target} is already being restored by restoration {restoration_id}")]
    TargetBusy { target: Addr, restoration_id: u64 },

    /// A voted code upgrade of a target that a Running restoration holds: it waits until
    /// the restoration completes, fails or is aborted.
    #[error("cannot upgrade {target}: restoration {restoration_id} is running on it")]
    UpgradeDuringRestoration { target: Addr, restoration_id: u64 },

    /// A voted configuration change of a target that a Running or Failed restoration
    /// holds: it waits until the restoration completes or is aborted.
    #[error("cannot configure {target}: restoration {restoration_id} holds it")]
    ConfigureDuringRestoration { target: Addr, restoration_id: u64 },

    /// The executor is not the target's wasm admin (row R8).
    #[error("the executor is not the wasm admin of {target} (admin: {admin:?})")]
    NotAdmin { target: Addr, admin: Option<Addr> },

    /// The code's checksum on chain is not the voted one (row G6).
    #[error("checksum of code {code_id} is {actual}, but {expected} was voted")]
    ChecksumMismatch {
        code_id: u64,
        expected: HexBinary,
        actual: HexBinary,
    },

    /// The target's cw2 name is not the voted one: the wrong contract (row R8).
    #[error("{target} is {actual:?}, but {expected:?} was voted")]
    ContractNameMismatch {
        target: Addr,
        expected: String,
        actual: String,
    },

    /// No such restoration.
    #[error("restoration {restoration_id} does not exist")]
    RestorationNotFound { restoration_id: u64 },

    /// The restoration is not running.
    #[error("restoration {restoration_id} is not running")]
    NotRunning { restoration_id: u64 },

    /// No restoration is running.
    #[error("no restoration is running")]
    NothingToCrank {},

    /// Retry applies to failed restorations only; abort to failed ones and to running ones
    /// past their lock.
    #[error("restoration {restoration_id} has not failed")]
    NotFailed { restoration_id: u64 },

    /// Abort of a Running restoration whose lock has not ended: it may still complete
    /// (row R13). A Failed one may be aborted at any time.
    #[error("restoration {restoration_id} is running and its lock lasts until {lock_until}")]
    LockNotExpired {
        restoration_id: u64,
        lock_until: Timestamp,
    },

    /// A crank limit of zero.
    #[error("the crank limit must be at least 1")]
    ZeroCrankLimit {},

    /// A crank limit above the maximum (row D1).
    #[error("crank limit {limit} exceeds the maximum {max}")]
    CrankLimitTooHigh { limit: u32, max: u32 },

    /// A crank arrived while another crank's dispatch was in flight (row R7).
    #[error("re-entrant crank refused: restoration {restoration_id} is being cranked")]
    Reentrancy { restoration_id: u64 },

    /// A reply id the executor never used (row R6).
    #[error("unknown reply id {id}")]
    UnknownReplyId { id: u64 },

    /// A reply names a target the restoration does not have.
    #[error("restoration {restoration_id} has no target {index}")]
    UnknownTargetIndex { restoration_id: u64, index: u32 },

    /// A sweep of a target that a Running restoration holds (row G10).
    #[error("cannot sweep {target}: restoration {restoration_id} is running on it")]
    SweepDuringRestoration { target: Addr, restoration_id: u64 },

    /// No such sweep.
    #[error("sweep {id} does not exist")]
    SweepNotFound { id: u64 },

    /// The sweep was already executed or cancelled: each runs once (row T2).
    #[error("sweep {id} is {status:?}, not pending")]
    SweepNotPending {
        id: u64,
        status: rewind_types::executor::SweepStatus,
    },

    /// The sweep's delay has not passed (row T2).
    #[error("sweep {id} is not due: eta {eta} at height {eta_height}")]
    SweepNotDue {
        id: u64,
        eta: Timestamp,
        eta_height: u64,
    },

    /// The sweep's grace period ended before it was executed (row T2).
    #[error("sweep {id} expired at {expires_at}")]
    SweepExpired { id: u64, expires_at: Timestamp },

    /// A restoration was applied to the target after the sweep was scheduled: the vote saw
    /// other frozen accounts, so the sweep must be voted again (row G10).
    #[error("sweep {id} is outdated: restoration {restoration_id} was applied to {target} since")]
    SweepOutdated {
        id: u64,
        target: Addr,
        restoration_id: u64,
    },

    /// Arithmetic overflowed (row B3).
    #[error("arithmetic overflow")]
    Overflow {},
}

rewind_types::impl_from_wiring_error!(ContractError);
rewind_types::impl_error_eq!(ContractError);

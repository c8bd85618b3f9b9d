//! The timelock's errors.

use cosmwasm_std::{Addr, HexBinary, StdError, Timestamp};
use cw_utils::PaymentError;
use rewind_types::timelock::OperationStatus;
use thiserror::Error;

/// Every way a timelock action is refused.
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

    /// Settings outside the bounds in code (rows T1, B4).
    #[error("invalid timelock settings: {reason}")]
    InvalidSettings { reason: String },

    /// The hash sent with the spec is not the spec's hash (row G6).
    #[error("content hash mismatch: sent {sent}, spec hashes to {computed}")]
    ContentHashMismatch {
        sent: HexBinary,
        computed: HexBinary,
    },

    /// A spec with no target, or too many (row D3).
    #[error("a restoration must name between 1 and {max} targets, got {count}")]
    InvalidTargetCount { count: u64, max: u64 },

    /// The same content (restoration or upgrade) was queued before, whatever became of it
    /// (rows T2, R2).
    #[error("this content was already queued as operation {operation_id} ({status:?})")]
    AlreadyQueued {
        operation_id: u64,
        status: OperationStatus,
    },

    /// No such operation.
    #[error("operation {operation_id} does not exist")]
    OperationNotFound { operation_id: u64 },

    /// The operation is in a final state (row T2).
    #[error("operation {operation_id} is {status:?}, not Queued")]
    NotQueued {
        operation_id: u64,
        status: OperationStatus,
    },

    /// The grace window is over: the operation can no longer execute (row T2).
    #[error("operation {operation_id} expired at {expires_at}")]
    Expired {
        operation_id: u64,
        expires_at: Timestamp,
    },

    /// Time or blocks have not yet passed (rows T2, T3).
    #[error("operation {operation_id} is not due: needs time {eta} and height {eta_height}, now {now} at height {height}")]
    NotDue {
        operation_id: u64,
        eta: Timestamp,
        eta_height: u64,
        now: Timestamp,
        height: u64,
    },

    /// Marking as expired before the grace window is over.
    #[error("operation {operation_id} does not expire before {expires_at}")]
    NotExpired {
        operation_id: u64,
        expires_at: Timestamp,
    },

    /// A guardian already delayed this operation: each operation is delayed at most once,
    /// whoever asks (row T4).
    #[error("operation {operation_id} was already delayed by guardian {delayed_by}")]
    AlreadyDelayed { operation_id: u64, delayed_by: Addr },

    /// `OverrideDelay` of an operation no guardian delayed.
    #[error("operation {operation_id} was not delayed by a guardian")]
    NotDelayed { operation_id: u64 },

    /// `OverrideDelay` of a delay governance already overrode.
    #[error("the guardian delay of operation {operation_id} was already overridden")]
    DelayAlreadyOverridden { operation_id: u64 },

    /// Arithmetic overflowed (row B3).
    /// A fast-track veto window outside the bounds in code.
    #[error("a fast-track veto window must be {min} to {max} seconds, got {seconds}")]
    InvalidVetoWindow {
        /// What was sent.
        seconds: u64,
        /// The lower bound.
        min: u64,
        /// The upper bound.
        max: u64,
    },

    #[error("arithmetic overflow")]
    Overflow {},
}

rewind_types::impl_from_wiring_error!(ContractError);
rewind_types::impl_error_eq!(ContractError);

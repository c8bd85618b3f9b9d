//! The journal's typed errors.

use cosmwasm_std::{HexBinary, StdError, Timestamp};
use rewind_types::PauseScope;
use thiserror::Error;

/// Everything the journal can refuse, each with the context needed to act on it.
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(Error, Debug)]
pub enum JournalError {
    /// A storage or (de)serialisation error.
    #[error("{0}")]
    Std(#[from] StdError),

    /// A write to a key of an account that a restoration excluded: its journaled state is
    /// frozen (row G10).
    #[error("account {account} is frozen by a restoration: its state cannot change")]
    FrozenAccount {
        /// The excluded account.
        account: cosmwasm_std::Addr,
    },

    /// `initialize` was not called: there is no retained history and no retention window.
    #[error("the journal is not initialized")]
    NotInitialized,

    /// `initialize` was called twice.
    #[error("the journal was already initialized at height {start_height}")]
    AlreadyInitialized {
        /// The height the journal started at.
        start_height: u64,
    },

    /// A retention window of zero blocks or zero seconds would keep no history at all.
    #[error(
        "invalid retention window: {retention_blocks} blocks, {retention_seconds} seconds (each must be > 0)"
    )]
    InvalidRetention {
        /// The rejected window in blocks.
        retention_blocks: u64,
        /// The rejected window in seconds.
        retention_seconds: u64,
    },

    /// The ledger was not consistent at the end of `height`: a restoration was running
    /// (row R10). `until` is the first consistent height after it, `None` while it runs.
    #[error("height {height} is inside a restoration (inconsistent from height {from}, until {until:?})")]
    HeightInconsistent {
        /// The requested height.
        height: u64,
        /// The first inconsistent height (the block the rollback started in).
        from: u64,
        /// The block the restoration completed or was abandoned in; `None` while it runs.
        until: Option<u64>,
    },

    /// Exit-only mode: only exits may run (row R13). `until` is its end; `None` while a
    /// restoration is stuck past its lock (it ends when the restoration is abandoned).
    #[error("exit-only mode (until {until:?}): only exits may run")]
    ExitOnly {
        /// When exit-only mode ends by itself, if it does.
        until: Option<Timestamp>,
    },

    /// The restoration lock expired while the restoration was still running: the target is
    /// exit-only and no more restoration steps may run until it is abandoned (row R13).
    #[error(
        "the restoration lock expired at {until}: the restoration is stuck, only exits may run"
    )]
    RestorationLockExpired {
        /// When the lock ended.
        until: Timestamp,
    },

    /// `release_restoration` was called before the restoration completed (row R12).
    #[error("the restoration to height {height} has not completed: it cannot be released")]
    RestorationNotComplete {
        /// The target height of the restoration.
        height: u64,
    },

    /// A query asked about too many accounts.
    #[error("too many accounts: {count}, at most {max}")]
    TooManyAccounts {
        /// Accounts asked for.
        count: usize,
        /// The cap.
        max: usize,
    },

    /// The block `height` has not ended yet (or is in the future).
    #[error("height {height} is not in the past (current height {current_height})")]
    HeightNotInPast {
        /// The requested height.
        height: u64,
        /// The current block height.
        current_height: u64,
    },

    /// The undo entries needed to reach `height` were pruned or never recorded.
    #[error("height {height} is before the retained history (retained from {retained_from})")]
    BeforeRetainedHistory {
        /// The requested height.
        height: u64,
        /// The lowest height a rollback may target.
        retained_from: u64,
    },

    /// `height` lies in a range that an earlier rollback erased: its state cannot be rebuilt.
    #[error(
        "height {height} was erased by the rollback to {rolled_back_to} completed at height {restored_at}"
    )]
    HeightRolledBack {
        /// The requested height.
        height: u64,
        /// The target of the rollback that erased it.
        rolled_back_to: u64,
        /// The height at which that rollback completed.
        restored_at: u64,
    },

    /// No journaled write happened at or before `height`, so no digest describes its state.
    #[error("no digest recorded at or below height {height}")]
    NoDigestRecorded {
        /// The requested height.
        height: u64,
    },

    /// A rollback (or the restoration around it) is already running.
    #[error("a rollback to height {running_height} is already running")]
    RollbackAlreadyRunning {
        /// The target height of the running rollback.
        running_height: u64,
    },

    /// A rollback's verify pass found that it would not reach the digest recorded at its
    /// height: nothing was undone, and the rollback is over.
    #[error("the rollback to {height} failed before it changed anything: {why}")]
    RollbackFailed {
        /// The rollback's height.
        height: u64,
        /// Why its verify pass refused it.
        why: String,
    },

    /// The digest does not match: either the caller's expected digest differs from the one
    /// recorded at `height`, or the state reached by the rollback differs from it.
    #[error("digest mismatch at height {height}: expected {expected}, found {actual}")]
    DigestMismatch {
        /// The height whose digest was compared.
        height: u64,
        /// The digest that should have been found.
        expected: HexBinary,
        /// The digest that was found.
        actual: HexBinary,
    },

    /// `rollback_step` or `finish_restoration` was called with no rollback started.
    #[error("no rollback is running")]
    NoRollbackRunning,

    /// `finish_restoration` was called before the rollback reached and verified its height.
    #[error("the rollback to height {height} has not completed and verified its digest")]
    RollbackNotVerified {
        /// The target height of the running rollback.
        height: u64,
    },

    /// A restoration is running: every gated action is locked until it finishes.
    #[error("a restoration is running; the contract is locked")]
    Restoring,

    /// The guardian's restoration lock is held (a restoration is queued).
    #[error("restoration lock held until {until}")]
    RestorationLocked {
        /// When the lock ends by itself.
        until: Timestamp,
    },

    /// The action's scope (or `All`) is paused.
    #[error("scope {scope} is paused until {until}")]
    Paused {
        /// The paused scope that stops the action (the action's own scope or `All`).
        scope: PauseScope,
        /// When the pause ends by itself.
        until: Timestamp,
    },
}

// Same variant and same rendered message (every field is in the message): `StdError` has
// no `PartialEq` in cosmwasm-std 3. The one strategy for every error type of the workspace.
rewind_types::impl_error_eq!(JournalError);

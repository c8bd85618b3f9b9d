//! Every way a guardian action is refused.

use cosmwasm_std::{Addr, StdError, Timestamp};
use cw_utils::PaymentError;
use rewind_types::{PauseScope, ScopeError};
use thiserror::Error;

/// Every way a guardian action is refused.
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(Error, Debug)]
pub enum ContractError {
    /// A standard library error.
    #[error("{0}")]
    Std(#[from] StdError),

    /// A migration was refused: another contract, or a downgrade (row G7).
    #[error(transparent)]
    Upgrade(#[from] rewind_types::upgrade::UpgradeError),

    /// Funds were attached to a message that takes none (row B2).
    #[error("{0}")]
    Payment(#[from] PaymentError),

    /// The sender lacks the role the action needs.
    #[error("unauthorized: {sender} is not {required}")]
    Unauthorized { sender: Addr, required: String },

    /// A policy value is outside the bounds in code (row B4).
    #[error("invalid pause policy: {reason}")]
    InvalidPolicy { reason: String },

    /// The guardian set would exceed its cap (row D3).
    #[error("too many guardians: {count} > {max}")]
    TooManyGuardians { count: u64, max: u64 },

    /// The same address is both added and removed.
    #[error("{address} is both added and removed")]
    ConflictingGuardianUpdate { address: Addr },

    /// A guardian to remove is not in the set.
    #[error("{address} is not a guardian")]
    GuardianNotFound { address: Addr },

    /// The registry of targets would exceed its cap (row D3).
    #[error("too many targets: at most {max}")]
    TooManyTargets { max: u64 },

    /// A target named twice in one registration list.
    #[error("target {target} is named twice")]
    DuplicateTarget { target: Addr },

    /// The target is not registered with the guardian.
    #[error("target {target} is not registered")]
    TargetNotRegistered { target: Addr },

    /// A registration whose declared scopes are invalid (none, more than `MAX_SCOPES`, a
    /// name twice, or `all`).
    #[error("invalid scopes for {target}: {error}")]
    InvalidScopes { target: Addr, error: ScopeError },

    /// A pause, extension or lift of a scope the target does not declare (other than
    /// `all`).
    #[error("{target} declares no scope {scope}")]
    ScopeNotDeclared { target: Addr, scope: PauseScope },

    /// Governance would change the declared scopes of a target while one of its pauses
    /// runs: lift it first.
    #[error(
        "the scopes of {target} cannot change while {scope} is paused until {until}: lift it first"
    )]
    ScopesChangeWhilePaused {
        target: Addr,
        scope: PauseScope,
        until: Timestamp,
    },

    /// A pause of zero seconds.
    #[error("a pause must last at least one second")]
    ZeroDuration {},

    /// A guardian pause longer than the cap (row P1).
    #[error("pause of {requested}s exceeds the cap of {max}s")]
    PauseTooLong { requested: u64, max: u64 },

    /// A pause (a guardian's, or governance's extension) of a scope that stops exits, on
    /// a target whose exits are not pausable (the registry's exit policy).
    #[error("scope {scope} stops exits, which are not pausable on {target}")]
    ExitsNotPausable { target: Addr, scope: PauseScope },

    /// Governance would make the exits of a target unpausable while a pause of a scope
    /// that stops them runs: lift it first.
    #[error(
        "{scope} of {target} is paused until {until} and stops exits: lift it before making exits unpausable"
    )]
    ExitsPaused {
        target: Addr,
        scope: PauseScope,
        until: Timestamp,
    },

    /// The scope is already paused; a guardian may not renew a pause (row P1).
    #[error("{scope} of {target} is already paused until {until}")]
    AlreadyPaused {
        target: Addr,
        scope: PauseScope,
        until: Timestamp,
    },

    /// The pause would stop `action`, whose previous guardian stretch ended less than a
    /// cooldown ago (rows P1, P5).
    #[error("{action} of {target} is in cooldown until {until}")]
    InCooldown {
        target: Addr,
        action: PauseScope,
        until: Timestamp,
    },

    /// The pause would keep `action` continuously stopped by guardians, whatever the scopes,
    /// from `since` to `until`: longer than the cap (row P5).
    #[error(
        "{action} of {target} would stay stopped by guardians from {since} to {until}, over the cap of {max}s"
    )]
    StretchTooLong {
        target: Addr,
        action: PauseScope,
        since: Timestamp,
        until: Timestamp,
        max: u64,
    },

    /// The pause would push the guardian's own charged time in a rolling window over its
    /// budget (rows P1, P6).
    #[error("pause would charge {guardian} {needed}s in a window, over its budget of {budget}s")]
    BudgetExceeded {
        guardian: Addr,
        needed: u64,
        budget: u64,
    },

    /// The guardian has too many pauses of the target inside the budget window (rows D3,
    /// P6). Per guardian: other guardians keep their own room.
    #[error("{guardian} has too many pauses of {target} in the budget window: at most {max}")]
    TooManyPauses {
        target: Addr,
        guardian: Addr,
        max: u64,
    },

    /// A history hold that would already be over.
    #[error("history hold end {until} is not in the future")]
    HoldInPast { until: Timestamp },

    /// A history hold beyond the bound in code: every hold ends.
    #[error("history hold end {until} is beyond the longest hold (until {max})")]
    HoldTooLong { until: Timestamp, max: Timestamp },

    /// The scope is not paused now.
    #[error("{scope} of {target} is not paused")]
    NotPaused { target: Addr, scope: PauseScope },

    /// A guardian tried to end a pause it did not start (row P2).
    #[error("{sender} did not start the pause of {scope} (started by {paused_by})")]
    NotPauser {
        sender: Addr,
        scope: PauseScope,
        paused_by: Addr,
    },

    /// Governance extended this pause; only governance may end it now.
    #[error("the pause of {scope} was extended by governance; only governance can lift it")]
    ExtendedByGovernance { scope: PauseScope },

    /// An extension must move the end later.
    #[error("new end {until} is not after the current end {current}")]
    ExtensionNotLater {
        until: Timestamp,
        current: Timestamp,
    },

    /// An extension beyond the bound in code: every pause ends.
    #[error("new end {until} is beyond the longest governance pause (until {max})")]
    ExtensionTooLong { until: Timestamp, max: Timestamp },

    /// A lock or clear named no target.
    #[error("a restoration lock needs at least one target")]
    NoTargets {},

    /// A lock that would already be over.
    #[error("lock end {until} is not in the future")]
    LockInPast { until: Timestamp },

    /// Another operation holds the restoration lock of the target.
    #[error("{target} is locked by operation {holder}, not {operation_id}")]
    LockHeldByOther {
        target: Addr,
        holder: u64,
        operation_id: u64,
    },

    /// Time arithmetic overflowed (row B3).
    #[error("time arithmetic overflow")]
    TimeOverflow {},
}

rewind_types::impl_from_wiring_error!(ContractError);

rewind_types::impl_error_eq!(ContractError);

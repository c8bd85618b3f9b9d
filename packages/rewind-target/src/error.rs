//! What the library refuses, and the error type of a restorable contract's entry points.

use std::fmt;

use cosmwasm_std::{Addr, StdError};
use rewind_journal::JournalError;
use rewind_types::upgrade::UpgradeError;
use thiserror::Error;

/// Everything the library itself can refuse.
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(Error, Debug)]
pub enum TargetError {
    /// A storage or (de)serialisation error.
    #[error("{0}")]
    Std(#[from] StdError),

    /// The journal refused: gate closed, frozen account, bad height, digest mismatch, ...
    #[error("{0}")]
    Journal(#[from] JournalError),

    /// The cw2 rule of an upgrade: another contract, or a downgrade.
    #[error("{0}")]
    Upgrade(#[from] UpgradeError),

    /// `Gate` from anyone but the guardian.
    #[error("unauthorized: only the guardian {guardian} may send Gate, not {sender}")]
    NotGuardian { guardian: Addr, sender: Addr },

    /// The guardian pushed a pause of a scope the contract does not declare.
    #[error("the contract declares no scope {scope}")]
    UndeclaredScope { scope: rewind_types::PauseScope },

    /// `Crank` after the restoration failed its digest check (issue 15).
    #[error("the restoration failed, and the target is exit-only: {why}")]
    RestorationFailed { why: String },

    /// `Crank` with no rollback to continue.
    #[error("no restoration is running")]
    NoRestorationRunning,

    /// A restoration migration whose code is not the one the state was written by.
    #[error("cannot run {action} on {stored}: the code is {name} {version}")]
    WrongCode {
        action: &'static str,
        stored: String,
        name: &'static str,
        version: &'static str,
    },

    /// More excluded accounts than a restoration takes (row D3).
    #[error("{count} exclusions, at most {max}")]
    TooManyExclusions { count: usize, max: usize },

    /// A `ReplayPreview` asked more of the contract's own queries than it answers.
    #[error("{count} preview queries, at most {max}")]
    TooManyPreviewQueries { count: usize, max: usize },

    /// An exclusion that did not act after the restoration height (row G14).
    #[error("{account} last acted at {last_acted_height:?}, not after height {height}: a dormant account cannot be excluded")]
    DormantExclusion {
        account: Addr,
        last_acted_height: Option<u64>,
        height: u64,
    },

    /// An execution sent by a frozen (excluded) account.
    #[error("{account} is frozen by a restoration")]
    FrozenSender { account: Addr },

    /// Funds attached to one of Rewind's execute messages, which take none (row B2).
    #[error("{action} takes no funds")]
    Funds { action: &'static str },

    /// A voted configuration for a contract that takes none.
    #[error("this contract takes no voted configuration")]
    NotConfigurable,

    /// A contract message refused in exit-only mode by the offline clock (issue 15).
    #[error("exit-only mode: stopped {stopped_seconds} s, more than max_offline {max_offline} s: only exits may run")]
    Offline {
        stopped_seconds: u64,
        max_offline: u64,
    },

    /// A contract message refused in the exit-only mode a failed restoration leaves.
    #[error("exit-only mode since a restoration failed its digest check: only exits may run")]
    OfflineAfterFailure,

    /// `MoveToSuccessor` outside exit-only mode (a restoration running included).
    #[error("not in exit-only mode (stopped {stopped_seconds} s of max_offline {max_offline} s, no failed restoration): no move to the successor")]
    NotExitOnly {
        stopped_seconds: u64,
        max_offline: u64,
    },

    /// `MoveToSuccessor` with no successor registered.
    #[error("no successor is registered")]
    NoSuccessor,

    /// `MoveToSuccessor` on a contract that computes no claims.
    #[error("this contract declares no claim rule: nothing can move to a successor")]
    NoClaimRule,

    /// The successor does not run the pinned code.
    #[error("successor {successor} runs code {found}, not the pinned {expected}")]
    SuccessorChecksum {
        successor: Addr,
        expected: cosmwasm_std::HexBinary,
        found: String,
    },

    /// `MoveToSuccessor` by an account whose claim is empty (or already moved).
    #[error("{account} has no claim to move")]
    NothingToMove { account: Addr },

    /// A move the bank balance cannot pay.
    #[error("claim of {claim}{denom} exceeds the bank balance {balance}{denom}")]
    MoveUnderfunded {
        denom: String,
        claim: cosmwasm_std::Uint256,
        balance: cosmwasm_std::Uint256,
    },

    /// A restoration to a height below a move to the successor (the funds have left).
    #[error(
        "cannot restore to height {height}: a claim moved to the successor at height {moved_at}"
    )]
    BelowMove { height: u64, moved_at: u64 },

    /// A malformed `{"rewind": ..}` configuration.
    #[error("invalid rewind configuration: {reason}")]
    InvalidRewindConfig { reason: String },

    /// `Sweep` on a contract without a sweep hook (it holds no funds for Rewind to sweep).
    #[error("this contract keeps no frozen claims or surplus for Rewind: nothing to sweep")]
    NothingToSweep,

    /// An execution that would break one of the contract's declared invariants (issue 16).
    #[error("refused: the execution would break invariant {invariant}: {reason}")]
    InvariantViolated { invariant: String, reason: String },

    /// `Report` of an invariant the contract does not declare.
    #[error("the contract declares no invariant {invariant}")]
    UnknownInvariant { invariant: String },

    /// `Report` of an invariant the contract gives no full evaluation for.
    #[error("invariant {invariant} takes no reports")]
    NotReportable { invariant: String },

    /// `Report` of an invariant whose incident is already proven and open: no second bounty.
    #[error("invariant {invariant} is already reported: incident {incident} is open")]
    DuplicateReport { invariant: String, incident: u64 },

    /// `Report` of an invariant that holds over the whole state: nothing changes.
    #[error("report refuted: invariant {invariant} holds")]
    ReportRefuted { invariant: String },

    /// `FundBounty` without exactly one non-zero coin of the budget's denom, or first funded
    /// without `per_incident`.
    #[error("fund_bounty takes one non-zero coin of the budget's denom, and per_incident the first time")]
    BountyFunds {},

    /// `FundBounty { per_incident }` from someone other than the contract's wasm admin.
    #[error("only the contract's admin sets the bounty per incident, not {sender}")]
    NotAdmin { sender: Addr },

    /// `Incident { id }` of an id never recorded.
    #[error("no incident {id}")]
    NoIncident { id: u64 },
}

rewind_types::impl_error_eq!(TargetError);

/// The error of a restorable contract's entry points: Rewind's refusal, or the contract's own
/// error, whose message is kept as it is.
#[derive(Debug)]
pub enum ContractError<E> {
    /// Refused by Rewind.
    Rewind(TargetError),
    /// Refused by the contract itself.
    Contract(E),
}

impl<E: fmt::Display> fmt::Display for ContractError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContractError::Rewind(e) => write!(f, "rewind: {e}"),
            ContractError::Contract(e) => e.fmt(f),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for ContractError<E> {}

/// Every library refusal converts with `?`.
macro_rules! rewind_error_from {
    ($($source:ty),*) => {$(
        impl<E> From<$source> for ContractError<E> {
            fn from(e: $source) -> Self {
                ContractError::Rewind(e.into())
            }
        }
    )*};
}
rewind_error_from!(TargetError, StdError, JournalError, UpgradeError);

//! rewind-governance's one error type.

use cosmwasm_std::{
    Coin, HexBinary, Instantiate2AddressError, OverflowError, StdError, Timestamp, Uint128, Uint256,
};
use cw_utils::PaymentError;
use rewind_types::upgrade::UpgradeError;
use thiserror::Error;

/// Every way a governance message can fail.
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(Error, Debug)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("{0}")]
    Payment(#[from] PaymentError),

    #[error("{0}")]
    Overflow(#[from] OverflowError),

    // ---- configuration (row B4) ----
    #[error("{field} must be greater than zero")]
    ZeroDuration { field: String },

    #[error("{track} quorum must be in (0, 1]")]
    InvalidQuorum { track: String },

    #[error("{track} threshold must be in (0, 1]")]
    InvalidThreshold { track: String },

    #[error("{track} veto threshold must be in (0, 1]")]
    InvalidVetoThreshold { track: String },

    #[error("{track} voting period {period}s is below the minimum voting period {min}s")]
    VotingPeriodBelowMinimum {
        track: String,
        period: u64,
        min: u64,
    },

    #[error("the expedited voting period {expedited}s exceeds the normal one {normal}s")]
    ExpeditedLongerThanNormal { expedited: u64, normal: u64 },

    #[error("cap {field} must be greater than zero")]
    ZeroCap { field: String },

    #[error("{field} is {value}, above the hard cap {max}")]
    CapAboveLimit { field: String, value: u32, max: u32 },

    #[error("the deposit must be a non-zero amount of a non-empty denom")]
    ZeroDeposit {},

    #[error("{field} is {value}, below the hard floor {floor}")]
    BelowFloor {
        field: String,
        value: String,
        floor: String,
    },

    #[error("min_proposer_power must be greater than zero")]
    ZeroMinProposerPower {},

    #[error("max_candidate_age_blocks {value} is outside [{min}, {max}]")]
    CandidateAgeOutOfRange { value: u64, min: u64, max: u64 },

    #[error("target {target} retains {retention_seconds}s of history, a restoration needs {required}s (normal voting period + timelock delay + grace)")]
    RetentionTooShort {
        target: String,
        retention_seconds: u64,
        required: u64,
    },

    // ---- targets ----
    #[error("at most {max} registered targets")]
    TooManyRegisteredTargets { max: u32 },

    #[error("target {target} is listed twice")]
    DuplicateTarget { target: String },

    #[error("target {target} is not registered")]
    TargetNotRegistered { target: String },

    /// A registration whose scopes are no valid declaration (none, too many, a name twice,
    /// or `all`).
    #[error("invalid scopes for target {target}: {error}")]
    InvalidScopes {
        target: String,
        error: rewind_types::ScopeError,
    },

    /// A registration whose scopes are not what the target answers to `Scopes {}`.
    #[error(
        "target {target} declares the scopes [{declared}], the registration names [{registered}]"
    )]
    ScopesMismatch {
        target: String,
        declared: String,
        registered: String,
    },

    // ---- modules (rows G7, R6) ----
    /// A module address could not be predicted with instantiate2.
    #[error("{0}")]
    Instantiate2(#[from] Instantiate2AddressError),

    /// A reply id governance never sends.
    #[error("unknown reply id {id}")]
    UnknownReplyId { id: u64 },

    #[error("the timelock's queue reply carries no operation id in its data")]
    MissingOperationId {},

    #[error("the reply payload does not name a proposal")]
    InvalidReplyPayload {},

    // ---- proposals (rows G11, D3) ----
    #[error("deposit must be exactly {expected}, received {received}")]
    WrongDeposit { expected: Coin, received: Uint256 },

    #[error("the title must not be empty")]
    EmptyTitle {},

    #[error("the title exceeds {max} bytes")]
    TitleTooLong { max: usize },

    #[error("the description exceeds {max} bytes")]
    DescriptionTooLong { max: usize },

    #[error("a restoration names at least one target")]
    NoTargets {},

    #[error("{got} targets, at most {max}")]
    TooManyTargets { max: u32, got: usize },

    #[error("a restoration names at least one candidate height")]
    NoCandidates {},

    #[error("{got} candidates, at most {max}")]
    TooManyCandidates { max: u32, got: usize },

    #[error("candidate height {height} is listed twice")]
    DuplicateCandidate { height: u64 },

    #[error("candidate height {height} is not in the past (current height {current})")]
    CandidateNotInPast { height: u64, current: u64 },

    #[error("candidate {height} has {got} expected digests for {expected} targets")]
    DigestCountMismatch {
        height: u64,
        expected: usize,
        got: usize,
    },

    #[error("{got} exclusions, at most {max}")]
    TooManyExclusions { max: u32, got: usize },

    #[error("target {target} is reserved by the queued or running restoration of proposal {proposal_id}")]
    TargetReserved { target: String, proposal_id: u64 },

    #[error("{proposer} holds {power} voting power at height {height}, a restoration proposer needs {min}")]
    ProposerPowerTooLow {
        proposer: String,
        power: Uint128,
        min: Uint128,
        height: u64,
    },

    #[error("candidate height {height} is more than {max_age} blocks before the current height {current}")]
    CandidateTooOld {
        height: u64,
        current: u64,
        max_age: u64,
    },

    #[error("excluded account {account} did not act on any target of the proposal after height {after_height}")]
    ExclusionNotActive { account: String, after_height: u64 },

    #[error("target {target} answered the activity of {got:?} for the asked {expected}")]
    ActivityMismatch {
        target: String,
        expected: String,
        got: Option<String>,
    },

    #[error("target {target} is restoring")]
    TargetRestoring { target: String },

    #[error("candidate {height} is before target {target}'s retained history ({retained_from})")]
    CandidateBeforeRetained {
        target: String,
        height: u64,
        retained_from: u64,
    },

    #[error("target {target} digest at {height} is {actual}, the proposal expects {expected}")]
    DigestMismatch {
        target: String,
        height: u64,
        expected: HexBinary,
        actual: HexBinary,
    },

    #[error("target {target}'s wasm admin is {admin:?}, not the executor")]
    TargetAdminNotExecutor {
        target: String,
        admin: Option<String>,
    },

    #[error("target {target} has no cw2 contract version")]
    MissingContractVersion { target: String },

    #[error("code {code_id} has checksum {actual}, the proposal pins {expected}")]
    ChecksumMismatch {
        code_id: u64,
        expected: HexBinary,
        actual: HexBinary,
    },

    #[error("total voting power at height {height} is zero")]
    ZeroTotalPower { height: u64 },

    #[error("a parameter proposal names at least one change")]
    NoChanges {},

    #[error("{got} changes, at most {max}")]
    TooManyChanges { max: usize, got: usize },

    #[error("{got} guardian changes, at most {max}")]
    TooManyGuardianChanges { max: usize, got: usize },

    /// The target refused a proposed configuration (`ConfigureTarget`, or a restoration's
    /// `post_restore_config`) in `CheckConfig`, or could not answer it.
    #[error("target {contract} refuses the configuration: {reason}")]
    InvalidTargetConfig { contract: String, reason: String },

    #[error("proposal {id} upgrades a target's code, which needs the normal track")]
    UpgradeNotOnNormalTrack { id: u64 },

    #[error("proposal {id} sweeps a target's frozen funds, which needs the normal track")]
    SweepNotOnNormalTrack { id: u64 },

    #[error("the new pause end {until} is not in the future")]
    PauseEndNotInFuture { until: Timestamp },

    // ---- votes and close ----
    #[error("proposal {id} not found")]
    ProposalNotFound { id: u64 },

    #[error("voting on proposal {id} is closed")]
    VotingClosed { id: u64 },

    #[error("vote option {option} is not valid for this proposal")]
    InvalidVoteOption { option: String },

    #[error("{voter} has no voting power at height {height}")]
    ZeroVotingPower { voter: String, height: u64 },

    #[error("already voted on proposal {id} and revoting is off")]
    AlreadyVoted { id: u64 },

    #[error("voting on proposal {id} is open until {ends}")]
    VotingOpen { id: u64, ends: Timestamp },

    #[error("proposal {id} is already closed")]
    AlreadyClosed { id: u64 },

    #[error("proposal {id} is not a passed parameter proposal awaiting application")]
    NotApplicable { id: u64 },

    #[error("unauthorized")]
    Unauthorized {},

    /// The proposal scheduled no restoration (not passed, or its queueing failed).
    #[error("proposal {id} scheduled no restoration")]
    NotScheduled { id: u64 },

    // ---- upgrades (row G7) ----
    /// A core module to upgrade does not have governance as its wasm admin.
    #[error("governance is not the wasm admin of {contract} (admin: {admin:?})")]
    GovernanceNotAdmin {
        contract: String,
        admin: Option<String>,
    },

    /// `ApplyUpgrade` named a proposal that is not a passed, queued upgrade.
    #[error("proposal {id} is not a queued module upgrade")]
    NotAQueuedUpgrade { id: u64 },

    /// The timelock's content hash is not the hash of the voted upgrade.
    #[error("upgrade {id} has content hash {actual}, the timelock carries {expected}")]
    UpgradeHashMismatch {
        id: u64,
        expected: HexBinary,
        actual: HexBinary,
    },

    // ---- the optimistic fast track (rows F1-F9) ----
    #[error("{sender} is not a guardian: only a guardian proposes a fast track")]
    NotAGuardian { sender: String },

    #[error("target {target} has no fast-track playbook")]
    NoPlaybook { target: String },

    #[error("invalid playbook for {target}: {reason}")]
    InvalidPlaybook { target: String, reason: String },

    #[error("incident {incident_id} of {target} names no last invariant-holding height")]
    IncidentWithoutHeight { target: String, incident_id: u64 },

    #[error("incident {incident_id} of {target} already has fast-track proposal {proposal_id}")]
    IncidentAlreadyFastTracked {
        target: String,
        incident_id: u64,
        proposal_id: u64,
    },

    #[error("{account} is not an account incident {incident_id} names")]
    ExclusionNotInIncident { account: String, incident_id: u64 },

    #[error("proposal {id} is a fast track: only Veto counts")]
    FastTrackVetoOnly { id: u64 },

    /// A migration of governance itself was refused.
    #[error(transparent)]
    Upgrade(#[from] UpgradeError),
}

rewind_types::impl_error_eq!(ContractError);

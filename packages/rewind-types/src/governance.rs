//! rewind-governance: restoration and parameter proposals, votes and tally.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Binary, Coin, Decimal, HexBinary, Timestamp, Uint128};

use crate::executor::ExecutorSettings;
use crate::guardian::{GuardianSettings, PausePolicy};
use crate::restoration::{PinnedCode, RestorationSpec, ShortfallPolicy};
use crate::scope::{PauseScope, ScopeInfo};
use crate::timelock::TimelockSettings;
use crate::wiring::{ModuleAddresses, ModuleInit};

/// Quorum, threshold and veto of one track. Copied into each proposal at creation (row G8).
#[cw_serde]
#[derive(Copy)]
pub struct VotingRules {
    /// Voting period, in seconds. Never shorter than `min_voting_period_seconds`.
    pub voting_period_seconds: u64,
    /// Share of total power (at the power height) that must vote, abstain included.
    pub quorum: Decimal,
    /// Share of non-abstain votes the winning option must reach.
    pub threshold: Decimal,
    /// Share of non-abstain votes for veto that rejects and burns the deposit.
    pub veto_threshold: Decimal,
}

/// Governance configuration.
#[cw_serde]
pub struct GovernanceConfig {
    /// The DAO DAO-compatible voting module (rewind-stake or any DAO DAO voting module).
    pub voting_module: Addr,
    /// The normal track (default: 3 days, threshold 1/2).
    pub normal: VotingRules,
    /// The expedited track (default: 24 h, threshold 2/3).
    pub expedited: VotingRules,
    /// No proposal closes before this many seconds (row G4).
    pub min_voting_period_seconds: u64,
    /// The deposit a proposer attaches.
    pub deposit: Coin,
    /// Refund the deposit when a proposal expires without quorum.
    pub refund_failed_quorum: bool,
    /// Whether a voter may change their vote during the voting period.
    pub allow_revoting: bool,
    /// The most candidate heights per proposal (row D3).
    pub max_candidates: u32,
    /// The most targets per proposal (row D3).
    pub max_targets: u32,
    /// The most excluded accounts per proposal (row D3).
    pub max_exclusions: u32,
    /// The least voting power (at the proposal's power height and at its start height,
    /// whichever is lower) a restoration proposer must hold, besides the deposit (row G12).
    /// Never zero.
    pub min_proposer_power: Uint128,
    /// The oldest a candidate height may be, in blocks before the proposal's block (row
    /// G13). Bounded in code (1,000 to 1,000,000 blocks).
    pub max_candidate_age_blocks: u64,
}

/// Instantiates rewind-governance, which instantiates and wires the other modules.
#[cw_serde]
pub struct InstantiateMsg {
    /// The configuration; `voting_module` given as a string.
    pub config: GovernanceConfigInput,
    /// Targets registered from the start.
    pub targets: Vec<TargetRegistration>,
    /// The timelock code and settings.
    pub timelock: ModuleInit<TimelockSettings>,
    /// The guardian code and settings.
    pub guardian: ModuleInit<GuardianSettings>,
    /// The executor code and settings.
    pub executor: ModuleInit<ExecutorSettings>,
}

/// [`GovernanceConfig`] with its address unchecked, as messages carry it.
#[cw_serde]
pub struct GovernanceConfigInput {
    /// See [`GovernanceConfig::voting_module`].
    pub voting_module: String,
    /// See [`GovernanceConfig::normal`].
    pub normal: VotingRules,
    /// See [`GovernanceConfig::expedited`].
    pub expedited: VotingRules,
    /// See [`GovernanceConfig::min_voting_period_seconds`].
    pub min_voting_period_seconds: u64,
    /// See [`GovernanceConfig::deposit`].
    pub deposit: Coin,
    /// See [`GovernanceConfig::refund_failed_quorum`].
    pub refund_failed_quorum: bool,
    /// See [`GovernanceConfig::allow_revoting`].
    pub allow_revoting: bool,
    /// See [`GovernanceConfig::max_candidates`].
    pub max_candidates: u32,
    /// See [`GovernanceConfig::max_targets`].
    pub max_targets: u32,
    /// See [`GovernanceConfig::max_exclusions`].
    pub max_exclusions: u32,
    /// See [`GovernanceConfig::min_proposer_power`].
    pub min_proposer_power: Uint128,
    /// See [`GovernanceConfig::max_candidate_age_blocks`].
    pub max_candidate_age_blocks: u64,
}

/// A target governance may restore.
#[cw_serde]
pub struct TargetRegistration {
    /// The protected contract; its wasm admin must be the executor.
    pub contract: String,
    /// Whether guardians may pause its exits.
    pub exits_pausable: bool,
    /// The scopes the target declares, exactly as its `Scopes {}` query answers them
    /// (governance checks it at proposal and when applied; at genesis the target does not
    /// exist yet and the deploy plan is the source). The guardian records them: it pauses
    /// only these and `all`.
    pub scopes: Vec<ScopeInfo>,
}

/// A target named in a restoration proposal.
#[cw_serde]
pub struct ProposedTarget {
    /// A registered target.
    pub contract: String,
    /// Migrate to this code instead of the target's current code.
    pub new_code: Option<PinnedCode>,
    /// A configuration change applied atomically with the target's release at completion
    /// (rotate a compromised minter, feeder or guardian in the vote that restores): the
    /// JSON of the target's own config-update type. The target must accept it in
    /// `CheckConfig` at proposal; it is carried into the spec, so the content hash covers
    /// it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_restore_config: Option<Binary>,
}

/// One candidate restoration height.
#[cw_serde]
pub struct Candidate {
    /// The last good block.
    pub height: u64,
    /// The digest each target recorded at `height`, in the order of `targets`.
    pub expected_digests: Vec<HexBinary>,
}

/// The shortest veto window a fast-track restoration may have (4 h). The timelock enforces
/// the same bounds on the operation it queues.
pub const FAST_TRACK_MIN_VETO_SECONDS: u64 = 4 * 3600;
/// The longest veto window a fast-track restoration may have (12 h).
pub const FAST_TRACK_MAX_VETO_SECONDS: u64 = 12 * 3600;

/// A target's pre-approved answer to a proven incident: the optimistic fast track. Set in
/// peacetime by a normal-track `SetPlaybook`. When a `Report` has proven an invariant
/// violation on the target, a guardian may propose (`ProposeFastTrack`) its restoration to
/// the incident's last invariant-holding height, excluding only accounts the incident names.
/// The restoration is queued in the timelock at once with `veto_window_seconds` as its delay
/// and executes then, unless holders veto it with `veto_threshold` of the total power at
/// the power height.
#[cw_serde]
pub struct Playbook {
    /// The veto window and timelock delay, within [`FAST_TRACK_MIN_VETO_SECONDS`] ..=
    /// [`FAST_TRACK_MAX_VETO_SECONDS`].
    pub veto_window_seconds: u64,
    /// The share of the total power at the power height whose veto stops it: above 0, at
    /// most 1/2 (a minority can always stop it).
    pub veto_threshold: Decimal,
    /// How a shortfall is settled, voted with the playbook.
    pub shortfall_policy: ShortfallPolicy,
    /// A configuration change applied with the target's release (rotate to a backup feeder,
    /// say), voted with the playbook; the target must accept it in `CheckConfig` when the
    /// playbook is set and again when a fast track is proposed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_restore_config: Option<Binary>,
}

/// A parameter change. There is no free-form message execution.
#[cw_serde]
pub enum ParameterChange {
    /// Replace governance's configuration.
    UpdateConfig(GovernanceConfigInput),
    /// Change the guardian set.
    UpdateGuardians {
        /// Guardians to add.
        add: Vec<String>,
        /// Guardians to remove.
        remove: Vec<String>,
    },
    /// Change the guardian's pause caps.
    UpdatePausePolicy(PausePolicy),
    /// Register a target, or change whether its exits may be paused or which scopes it
    /// declares.
    RegisterTarget(TargetRegistration),
    /// Remove a target.
    RemoveTarget {
        /// The target.
        contract: String,
    },
    /// Change the timelock's delay and windows.
    UpdateTimelock(TimelockSettings),
    /// Change the executor's crank bounds.
    UpdateExecutor(ExecutorSettings),
    /// Extend a pause to `until`.
    ExtendPause {
        /// The target.
        target: String,
        /// The scope.
        scope: PauseScope,
        /// The new end.
        until: Timestamp,
    },
    /// Lift a pause now.
    LiftPause {
        /// The target.
        target: String,
        /// The scope.
        scope: PauseScope,
    },
    /// Cancel a queued timelock operation.
    CancelOperation {
        /// The operation.
        operation_id: u64,
    },
    /// Lift a guardian's one-time delay of a queued operation: its original eta applies
    /// again (row T4).
    OverrideGuardianDelay {
        /// The operation.
        operation_id: u64,
    },
    /// Retry a failed restoration.
    RetryRestoration {
        /// The restoration.
        restoration_id: u64,
    },
    /// Abort a failed restoration.
    AbortRestoration {
        /// The restoration.
        restoration_id: u64,
    },
    /// Migrate a registered target to new code (`RestorableMigrateMsg::Upgrade {}`, sent by
    /// the executor, its wasm admin). The way out for a target whose rollback is stuck: the
    /// new code's migration repairs it. Parameter proposals use the normal track only.
    UpgradeTarget {
        /// A registered target.
        contract: String,
        /// The code to migrate to; its checksum is compared with the chain's code info at
        /// proposal and again by the executor.
        new_code: PinnedCode,
    },
    /// Change a registered target's configuration. `config` is the JSON of the target's
    /// OWN config-update type; governance never reads it. At proposal the target must
    /// accept it (`RestorableQueryMsg::CheckConfig`); when applied, the executor (the
    /// target's wasm admin) sends it as `RestorableMigrateMsg::Configure` to the target's
    /// current code, and a refusal fails the whole proposal.
    ConfigureTarget {
        /// A registered target.
        contract: String,
        /// The target's config update, as JSON.
        config: Binary,
    },
    /// Schedule, through the executor's timelocked `ScheduleSweep`, the sweep of a
    /// registered target's frozen (excluded) accounts' claims and its surplus (row G10).
    /// It runs after the timelock's delay, through `RestorableMigrateMsg::Sweep`. Parameter
    /// proposals use the normal track only.
    SweepFrozen {
        /// A registered target.
        target: String,
        /// The recipient; `None`: the target's insurance account (decided by the target).
        to: Option<String>,
    },
    /// Cancel a pending sweep scheduled by an earlier `SweepFrozen`.
    CancelSweep {
        /// The executor's sweep id.
        id: u64,
    },
    /// Pre-approve (or, with `None`, withdraw) a registered target's fast-track playbook.
    /// Parameter proposals use the normal track only.
    SetPlaybook {
        /// A registered target.
        target: String,
        /// The playbook; `None` removes it.
        playbook: Option<Playbook>,
    },
}

/// A vote.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum VoteOption {
    /// For a restoration candidate, by height.
    Candidate {
        /// One of the proposal's candidate heights.
        height: u64,
    },
    /// For a parameter proposal.
    Yes,
    /// Against.
    Reject,
    /// Counts for quorum only.
    Abstain,
    /// Against, and burns the deposit when the veto threshold is reached.
    Veto,
}

/// rewind-governance's execute messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Propose a restoration. Attach the deposit.
    ProposeRestoration {
        /// A short title.
        title: String,
        /// What happened and why this restoration.
        description: String,
        /// The targets, restored to one height together.
        targets: Vec<ProposedTarget>,
        /// 1..=max_candidates candidate heights with expected digests.
        candidates: Vec<Candidate>,
        /// Accounts excluded from replay and restitution.
        exclusions: Vec<String>,
        /// How a shortfall is settled.
        shortfall_policy: ShortfallPolicy,
        /// Use the expedited track.
        expedited: bool,
    },
    /// A guardian proposes the restoration a target's playbook pre-approves, for an incident a
    /// `Report` proved on it: the incident's last invariant-holding height, the playbook's
    /// shortfall rule and post-restore configuration, and `exclusions` (default: every
    /// account the incident names; never one it does not name). It is queued in the timelock
    /// at once and executes after the playbook's veto window unless holders veto it
    /// (`Vote { vote: Veto }`). One fast track per incident. No deposit.
    ProposeFastTrack {
        /// A registered target with a playbook.
        target: String,
        /// The target's incident (`Incident { id }`).
        incident_id: u64,
        /// A subset of the incident's accounts; `None`: all of them.
        exclusions: Option<Vec<String>>,
    },
    /// Propose a parameter change. Attach the deposit.
    ProposeParameters {
        /// A short title.
        title: String,
        /// Why.
        description: String,
        /// The changes, applied in order when it passes.
        changes: Vec<ParameterChange>,
    },
    /// Vote with the lower of the power held at the proposal's power height and at its
    /// start height (row G13).
    Vote {
        /// The proposal.
        proposal_id: u64,
        /// The option.
        vote: VoteOption,
    },
    /// Close a proposal whose voting period ended: schedule or apply it, settle the deposit.
    /// Open to anyone.
    Close {
        /// The proposal.
        proposal_id: u64,
    },
    /// Internal: governance sends this to itself from `Close` so that a passed parameter
    /// proposal applies all-or-nothing (a failure reverts every change of the proposal and
    /// marks it `ExecutionFailed`). Refused from any other sender.
    ApplyParameters {
        /// The passed parameter proposal.
        proposal_id: u64,
    },
    /// Propose a migration of a core contract (normal track only; it waits in the
    /// timelock).
    ProposeUpgrade {
        /// Title.
        title: String,
        /// Description.
        description: String,
        /// What migrates to what.
        upgrade: UpgradeModule,
    },
    /// From the timelock only, when a queued upgrade is due: re-check the content hash and
    /// the pinned checksum, then migrate the module (governance is its wasm admin).
    ApplyUpgrade {
        /// The upgrade proposal.
        proposal_id: u64,
        /// The content hash the timelock stored.
        content_hash: HexBinary,
    },
}

/// rewind-governance's migrate message, shared by every core contract. Migration never
/// rewrites configuration, modules or proposals (row G7).
pub use crate::upgrade::MigrateMsg;

/// A core contract governance is the wasm admin of.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum CoreModule {
    /// Governance itself.
    Governance,
    /// rewind-timelock.
    Timelock,
    /// rewind-guardian.
    Guardian,
    /// rewind-executor.
    Executor,
    /// The configured voting module (rewind-stake, or any DAO DAO voting module whose wasm
    /// admin is governance).
    VotingModule,
}

/// A voted migration of a core contract to new code. It waits in the timelock like a
/// restoration; the checksum is compared with the chain's code info at proposal and again
/// when it executes.
#[cw_serde]
pub struct UpgradeModule {
    /// The contract to migrate.
    pub module: CoreModule,
    /// The stored code to migrate to.
    pub code_id: u64,
    /// Its sha256 checksum.
    pub checksum: HexBinary,
    /// The migrate message, passed as is (`{"upgrade":{}}` for Rewind's core contracts).
    pub msg: cosmwasm_std::Binary,
}

impl UpgradeModule {
    /// The hash the timelock stores and governance re-checks before migrating: sha256 of the
    /// upgrade's JSON.
    pub fn content_hash(&self) -> cosmwasm_std::StdResult<HexBinary> {
        crate::restoration::json_sha256(self)
    }
}

/// A restoration target as governance read it when the proposal was created.
#[cw_serde]
pub struct TargetSnapshot {
    /// The target.
    pub contract: Addr,
    /// Its cw2 contract name (raw `contract_info` key), carried into the spec (row R8).
    pub contract_name: String,
    /// The code it migrates to: its current code id, or the pinned new code id.
    pub code_id: u64,
    /// The checksum of `code_id`, read from the chain's code info (row G6).
    pub checksum: HexBinary,
}

/// What a proposal does.
#[cw_serde]
pub enum ProposalKind {
    /// A restoration.
    Restoration {
        /// The targets, with their cw2 names and codes as read at creation.
        targets: Vec<ProposedTarget>,
        /// The candidates.
        candidates: Vec<Candidate>,
        /// Excluded accounts.
        exclusions: Vec<Addr>,
        /// Shortfall settlement.
        shortfall_policy: ShortfallPolicy,
        /// Per target, in `targets` order: cw2 name, code id and checksum read at creation.
        snapshots: Vec<TargetSnapshot>,
    },
    /// Parameter changes.
    Parameters {
        /// The changes.
        changes: Vec<ParameterChange>,
    },
    /// A migration of a core contract, through the timelock.
    Upgrade(UpgradeModule),
}

/// A proposal's status.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum ProposalStatus {
    /// Voting is open.
    Open,
    /// Voting ended and it passed; waiting for `Close`.
    Passed,
    /// Voting ended and it was rejected.
    Rejected,
    /// Rejected with the veto threshold reached; the deposit is burned.
    Vetoed,
    /// Voting ended without quorum.
    Expired,
    /// Passed and closed: queued in the timelock or applied.
    Executed,
    /// Rejected, vetoed or expired, and closed.
    Closed,
    /// Passed and closed, but scheduling or applying it failed; nothing of it took effect.
    /// The deposit is refunded.
    ExecutionFailed,
}

/// The votes counted so far.
#[cw_serde]
#[derive(Default)]
pub struct Tally {
    /// Power per candidate height, in the proposal's candidate order (one entry for `Yes`
    /// on parameter proposals).
    pub for_options: Vec<Uint128>,
    /// Power against.
    pub reject: Uint128,
    /// Power abstaining.
    pub abstain: Uint128,
    /// Power vetoing.
    pub veto: Uint128,
}

/// One proposal, with its tally and derived status.
#[cw_serde]
pub struct ProposalResponse {
    /// Its id.
    pub id: u64,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Who proposed.
    pub proposer: Addr,
    /// What it does.
    pub kind: ProposalKind,
    /// The status now.
    pub status: ProposalStatus,
    /// Expedited track.
    pub expedited: bool,
    /// The optimistic fast track: it passes at `end_time` unless vetoed by
    /// `rules.veto_threshold` of `total_power`; only `Veto` votes count.
    #[serde(default)]
    pub fast_track: bool,
    /// The rules in force now, copied at creation (the normal-track rules once an expedited
    /// proposal has fallen back).
    pub rules: VotingRules,
    /// For an expedited proposal, the normal-track rules it falls back to if it misses its
    /// expedited threshold.
    pub fallback_rules: Option<VotingRules>,
    /// The height power is read at.
    pub power_height: u64,
    /// Total power at `power_height`.
    pub total_power: Uint128,
    /// The block it was created in.
    pub start_height: u64,
    /// When voting opened.
    pub start_time: Timestamp,
    /// When voting ends (the fallback end once an expedited proposal has fallen back).
    pub end_time: Timestamp,
    /// Seconds of voting left.
    pub seconds_left: u64,
    /// The votes.
    pub tally: Tally,
    /// The deposit held.
    pub deposit: Coin,
    /// The winning candidate height, once passed (a fast track: its one height, from its
    /// proposal on).
    pub winning_height: Option<u64>,
    /// The timelock operation, once queued.
    pub operation_id: Option<u64>,
    /// Why scheduling or applying failed, when the status is `ExecutionFailed`.
    pub execution_error: Option<String>,
}

/// A page of proposals.
#[cw_serde]
pub struct ProposalsResponse {
    /// The proposals, by id.
    pub proposals: Vec<ProposalResponse>,
    /// The last id this page scanned, when the scan stopped before the end of the list
    /// (the page is full, or a status-filtered scan reached its cap): pass it as
    /// `start_after` to continue. `None`: nothing is left.
    #[serde(default)]
    pub next_start_after: Option<u64>,
}

/// One vote.
#[cw_serde]
pub struct VoteInfo {
    /// The voter.
    pub voter: Addr,
    /// The option.
    pub vote: VoteOption,
    /// The power counted.
    pub power: Uint128,
}

/// A page of votes.
#[cw_serde]
pub struct VotesResponse {
    /// The votes, by voter address.
    pub votes: Vec<VoteInfo>,
}

/// A voter's vote and power on a proposal.
#[cw_serde]
pub struct VoterResponse {
    /// Their vote, if any.
    pub vote: Option<VoteInfo>,
    /// The power their vote counts (or would count): the lower of their power at the
    /// proposal's power height and at its start height (row G13).
    pub power: Uint128,
}

/// Governance's configuration and module addresses.
#[cw_serde]
pub struct ConfigResponse {
    /// The configuration.
    pub config: GovernanceConfig,
    /// The module addresses, predicted with instantiate2 at instantiate.
    pub modules: ModuleAddresses,
}

/// A registered target.
#[cw_serde]
pub struct TargetInfo {
    /// The contract. Its exit policy is in the guardian's `Targets {}`, the one record of it.
    pub contract: Addr,
    /// The passed restoration whose queued or running operation reserves the target, if
    /// any (rows G11, G12). Open proposals never reserve a target; an open fast track does
    /// (it is queued at once).
    pub active_proposal: Option<u64>,
    /// Its fast-track playbook, if governance pre-approved one.
    #[serde(default)]
    pub playbook: Option<Playbook>,
}

/// A page of targets.
#[cw_serde]
pub struct TargetsResponse {
    /// The targets, by address.
    pub targets: Vec<TargetInfo>,
}

/// rewind-governance's queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// Configuration and modules.
    #[returns(ConfigResponse)]
    Config {},
    /// One proposal.
    #[returns(ProposalResponse)]
    Proposal {
        /// The proposal.
        proposal_id: u64,
    },
    /// Proposals by id, paginated, optionally only those with `status`.
    #[returns(ProposalsResponse)]
    Proposals {
        /// Only this status.
        status: Option<ProposalStatus>,
        /// Start after this id (exclusive).
        start_after: Option<u64>,
        /// At most this many; capped.
        limit: Option<u32>,
    },
    /// Votes on a proposal, paginated by voter.
    #[returns(VotesResponse)]
    Votes {
        /// The proposal.
        proposal_id: u64,
        /// Start after this voter (exclusive).
        start_after: Option<String>,
        /// At most this many; capped.
        limit: Option<u32>,
    },
    /// A voter's vote and power on a proposal.
    #[returns(VoterResponse)]
    Voter {
        /// The proposal.
        proposal_id: u64,
        /// The voter.
        voter: String,
    },
    /// Registered targets, paginated.
    #[returns(TargetsResponse)]
    Targets {
        /// Start after this address (exclusive).
        start_after: Option<String>,
        /// At most this many; capped.
        limit: Option<u32>,
    },
    /// The spec a passed restoration proposal schedules, with its content hash.
    #[returns(ScheduledSpecResponse)]
    ScheduledSpec {
        /// The proposal.
        proposal_id: u64,
    },
}

/// The spec a passed restoration schedules.
#[cw_serde]
pub struct ScheduledSpecResponse {
    /// What executes.
    pub spec: RestorationSpec,
    /// Its content hash.
    pub content_hash: HexBinary,
}

// ---- governance's stored configuration, in the shared binary codec ----

use crate::codec::{Reader, Record, Writer};

impl VotingRules {
    /// Writes the track's rules.
    pub fn encode(&self, w: &mut Writer) {
        w.u64(self.voting_period_seconds);
        w.u128(self.quorum.atomics());
        w.u128(self.threshold.atomics());
        w.u128(self.veto_threshold.atomics());
    }

    /// Reads what [`VotingRules::encode`] wrote.
    pub fn decode(r: &mut Reader) -> cosmwasm_std::StdResult<Self> {
        Ok(VotingRules {
            voting_period_seconds: r.u64()?,
            quorum: cosmwasm_std::Decimal::new(r.u128()?),
            threshold: cosmwasm_std::Decimal::new(r.u128()?),
            veto_threshold: cosmwasm_std::Decimal::new(r.u128()?),
        })
    }
}

impl Record for ModuleAddresses {
    fn encode(&self, w: &mut Writer) -> cosmwasm_std::StdResult<()> {
        for a in [
            &self.governance,
            &self.timelock,
            &self.guardian,
            &self.executor,
        ] {
            w.str(a.as_str());
        }
        Ok(())
    }
    fn decode(r: &mut Reader) -> cosmwasm_std::StdResult<Self> {
        Ok(ModuleAddresses {
            governance: r.addr()?,
            timelock: r.addr()?,
            guardian: r.addr()?,
            executor: r.addr()?,
        })
    }
}

impl Record for GovernanceConfig {
    fn encode(&self, w: &mut Writer) -> cosmwasm_std::StdResult<()> {
        w.str(self.voting_module.as_str());
        self.normal.encode(w);
        self.expedited.encode(w);
        w.u64(self.min_voting_period_seconds);
        w.coin(&self.deposit);
        w.bool(self.refund_failed_quorum);
        w.bool(self.allow_revoting);
        w.u64(self.max_candidates.into());
        w.u64(self.max_targets.into());
        w.u64(self.max_exclusions.into());
        w.u128(self.min_proposer_power);
        w.u64(self.max_candidate_age_blocks);
        Ok(())
    }
    fn decode(r: &mut Reader) -> cosmwasm_std::StdResult<Self> {
        let u32 = |r: &mut Reader| u32::try_from(r.u64()?).map_err(|_| r.corrupt());
        Ok(GovernanceConfig {
            voting_module: r.addr()?,
            normal: VotingRules::decode(r)?,
            expedited: VotingRules::decode(r)?,
            min_voting_period_seconds: r.u64()?,
            deposit: r.coin()?,
            refund_failed_quorum: r.bool()?,
            allow_revoting: r.bool()?,
            max_candidates: u32(r)?,
            max_targets: u32(r)?,
            max_exclusions: u32(r)?,
            min_proposer_power: r.u128()?,
            max_candidate_age_blocks: r.u64()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::{from_json, to_json_string, Binary};

    use super::{ParameterChange, ProposedTarget};

    /// A restoration proposal's target written before post-restore configurations parses
    /// with none, and serialises back to the same JSON.
    #[test]
    fn a_proposed_target_without_config_keeps_its_old_json() {
        let old = r#"{"contract":"vault","new_code":null}"#;
        let parsed: ProposedTarget = from_json(old).unwrap();
        assert_eq!(
            parsed,
            ProposedTarget {
                contract: "vault".into(),
                new_code: None,
                post_restore_config: None,
            }
        );
        assert_eq!(to_json_string(&parsed).unwrap(), old);
    }

    /// `ConfigureTarget` carries the target's own JSON as an opaque binary.
    #[test]
    fn configure_target_carries_opaque_json() {
        let change = ParameterChange::ConfigureTarget {
            contract: "vault".into(),
            config: Binary::from(br#"{"label":"x"}"#.to_vec()),
        };
        assert_eq!(
            to_json_string(&change).unwrap(),
            r#"{"configure_target":{"contract":"vault","config":"eyJsYWJlbCI6IngifQ=="}}"#
        );
    }
}

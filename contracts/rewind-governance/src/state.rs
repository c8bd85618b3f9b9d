//! Storage layout. Every namespace is distinct (row B5; see `namespaces_are_distinct`).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Coin, Timestamp, Uint128};
use cw_storage_plus::{Index, IndexList, IndexedMap, Item, Map, MultiIndex};
use rewind_types::governance::{
    GovernanceConfig, ProposalKind, ProposalStatus, Tally, VoteOption, VotingRules,
};
use rewind_types::{ModuleAddresses, RestorationSpec};

/// The configuration.
pub const CONFIG: Item<GovernanceConfig> = Item::new("config");
/// The module addresses, saved once all three instantiate replies arrived.
pub const MODULES: Item<ModuleAddresses> = Item::new("modules");
/// Module addresses recorded so far during instantiation.
pub const PENDING_MODULES: Item<PendingModules> = Item::new("pending_modules");
/// Registered targets.
pub const TARGETS: Map<&Addr, TargetState> = Map::new("targets");
/// How many targets are registered (capped by [`crate::config::MAX_REGISTERED_TARGETS`]).
pub const TARGET_COUNT: Item<u32> = Item::new("target_count");
/// The last proposal id handed out.
pub const PROPOSAL_COUNT: Item<u64> = Item::new("proposal_count");
/// Votes by (proposal, voter).
pub const VOTES: Map<(u64, &Addr), StoredVote> = Map::new("votes");
/// The spec and content hash a passed restoration scheduled.
pub const SPECS: Map<u64, ScheduledSpec> = Map::new("specs");

/// Addresses recorded from the instantiate replies.
#[cw_serde]
#[derive(Default)]
pub struct PendingModules {
    /// rewind-timelock.
    pub timelock: Option<Addr>,
    /// rewind-guardian.
    pub guardian: Option<Addr>,
    /// rewind-executor.
    pub executor: Option<Addr>,
}

/// A registered target.
#[cw_serde]
pub struct TargetState {
    /// Whether guardians may pause its exits.
    pub exits_pausable: bool,
    /// The proposal holding its one active restoration (row G11).
    pub active_proposal: Option<u64>,
}

/// One vote as counted.
#[cw_serde]
pub struct StoredVote {
    /// The option.
    pub vote: VoteOption,
    /// The power at the proposal's power height.
    pub power: Uint128,
}

/// A scheduled restoration.
#[cw_serde]
pub struct ScheduledSpec {
    /// What executes.
    pub spec: RestorationSpec,
    /// `spec.content_hash()`.
    pub content_hash: cosmwasm_std::HexBinary,
}

/// A proposal as stored. `status` is `Open` until `Close`; the derived status (Passed,
/// Rejected, ...) is computed from the tally and the block time by [`crate::status`].
#[cw_serde]
pub struct Proposal {
    /// Its id.
    pub id: u64,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Who proposed and receives any refund.
    pub proposer: Addr,
    /// What it does.
    pub kind: ProposalKind,
    /// Open, or one of the closed states (Executed, Closed, ExecutionFailed).
    pub status: ProposalStatus,
    /// Expedited track.
    pub expedited: bool,
    /// The track's rules, copied at creation (row G8).
    pub rules: VotingRules,
    /// For expedited proposals, the normal-track rules copied at creation.
    pub fallback_rules: Option<VotingRules>,
    /// Revoting allowed, copied at creation.
    pub allow_revoting: bool,
    /// Refund on expiry without quorum, copied at creation.
    pub refund_failed_quorum: bool,
    /// The voting module, copied at creation so a config change cannot switch the source
    /// of power mid-vote (row G8).
    pub voting_module: Addr,
    /// The height power is read at.
    pub power_height: u64,
    /// Total power at `power_height`.
    pub total_power: Uint128,
    /// The creation block.
    pub start_height: u64,
    /// The creation time.
    pub start_time: Timestamp,
    /// The end of the track's voting period.
    pub end_time: Timestamp,
    /// For expedited proposals, start + the normal voting period.
    pub fallback_end_time: Option<Timestamp>,
    /// The votes.
    pub tally: Tally,
    /// The deposit held.
    pub deposit: Coin,
    /// The winning candidate height, once closed as passed.
    pub winning_height: Option<u64>,
    /// The timelock operation, once queued.
    pub operation_id: Option<u64>,
    /// Why scheduling or applying failed.
    pub execution_error: Option<String>,
}

/// The stored-status code the proposal index uses.
pub fn status_code(status: ProposalStatus) -> u8 {
    match status {
        ProposalStatus::Open
        | ProposalStatus::Passed
        | ProposalStatus::Rejected
        | ProposalStatus::Vetoed
        | ProposalStatus::Expired => 0,
        ProposalStatus::Executed => 1,
        ProposalStatus::Closed => 2,
        ProposalStatus::ExecutionFailed => 3,
    }
}

/// Proposal indexes.
pub struct ProposalIndexes<'a> {
    /// By stored status code.
    pub status: MultiIndex<'a, u8, Proposal, u64>,
}

impl IndexList<Proposal> for ProposalIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Proposal>> + '_> {
        let v: Vec<&dyn Index<Proposal>> = vec![&self.status];
        Box::new(v.into_iter())
    }
}

/// Proposals by id, indexed by stored status.
pub fn proposals<'a>() -> IndexedMap<u64, Proposal, ProposalIndexes<'a>> {
    IndexedMap::new(
        "proposals",
        ProposalIndexes {
            status: MultiIndex::new(
                |_pk, p| status_code(p.status),
                "proposals",
                "proposals__status",
            ),
        },
    )
}

/// Loads a proposal or fails with `ProposalNotFound`.
pub fn load_proposal(
    storage: &dyn cosmwasm_std::Storage,
    id: u64,
) -> Result<Proposal, crate::ContractError> {
    proposals()
        .may_load(storage, id)?
        .ok_or(crate::ContractError::ProposalNotFound { id })
}

/// Every storage namespace this contract uses (row B5).
pub const NAMESPACES: [&str; 10] = [
    "config",
    "modules",
    "pending_modules",
    "targets",
    "target_count",
    "proposal_count",
    "votes",
    "specs",
    "proposals",
    "proposals__status",
];

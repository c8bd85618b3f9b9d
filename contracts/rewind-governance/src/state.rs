//! Storage layout. Every namespace is distinct (row B5; see `namespaces_are_distinct`).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Coin, Timestamp, Uint128};
use cw_storage_plus::{Index, IndexList, IndexedMap, Item, Map, MultiIndex};
use rewind_types::governance::{
    GovernanceConfig, ProposalKind, ProposalStatus, Tally, VoteOption, VotingRules,
};
use rewind_types::ModuleAddresses;

/// The configuration.
pub const CONFIG: Item<GovernanceConfig> = Item::new("config");
/// The module addresses, predicted with instantiate2 and saved at instantiate.
pub const MODULES: Item<ModuleAddresses> = Item::new("modules");
/// Registered targets.
pub const TARGETS: Map<&Addr, TargetState> = Map::new("targets");
/// How many targets are registered (capped by [`crate::config::MAX_REGISTERED_TARGETS`]).
pub const TARGET_COUNT: Item<u32> = Item::new("target_count");
/// The last proposal id handed out.
pub const PROPOSAL_COUNT: Item<u64> = Item::new("proposal_count");
/// Votes by (proposal, voter).
pub const VOTES: Map<(u64, &Addr), StoredVote> = Map::new("votes");
/// Per proposal, the few fields a vote reads and writes, kept apart from the proposal body
/// so a vote's cost does not depend on the proposal's size (row D4).
pub const BALLOTS: Map<u64, Ballot> = Map::new("ballots");

/// A registered target. Its exit policy is in the guardian's registry, the one record of it.
#[cw_serde]
pub struct TargetState {
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

/// A proposal's body as stored: what it does and how it ended. Its votes, rules and tally
/// are in its [`Ballot`] (row D4). `status` is `Open` until `Close`; the derived status
/// (Passed, Rejected, ...) is computed from the ballot and the block time by
/// [`crate::status`].
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
    /// Open, or one of the closed states (Executed, Closed, ExecutionFailed); always equal
    /// to the ballot's `status`.
    pub status: ProposalStatus,
    /// Expedited track.
    pub expedited: bool,
    /// Refund on expiry without quorum, copied at creation.
    pub refund_failed_quorum: bool,
    /// The creation time.
    pub start_time: Timestamp,
    /// The deposit held.
    pub deposit: Coin,
    /// The winning candidate height, once closed as passed.
    pub winning_height: Option<u64>,
    /// The timelock operation, once queued.
    pub operation_id: Option<u64>,
    /// Why scheduling or applying failed.
    pub execution_error: Option<String>,
}

/// What a vote needs of a proposal, and nothing of its size: at most
/// [`crate::config::HARD_MAX_CANDIDATES`] candidate heights and as many tally entries
/// (row D4).
#[cw_serde]
pub struct Ballot {
    /// Open, or the closed state of the proposal; always equal to the body's `status`.
    pub status: ProposalStatus,
    /// The track's rules, copied at creation (row G8).
    pub rules: VotingRules,
    /// For expedited proposals, the normal-track rules copied at creation.
    pub fallback_rules: Option<VotingRules>,
    /// The end of the track's voting period.
    pub end_time: Timestamp,
    /// For expedited proposals, start + the normal voting period.
    pub fallback_end_time: Option<Timestamp>,
    /// Revoting allowed, copied at creation.
    pub allow_revoting: bool,
    /// The voting module, copied at creation so a config change cannot switch the source
    /// of power mid-vote (row G8).
    pub voting_module: Addr,
    /// The height power is read at.
    pub power_height: u64,
    /// The creation block; a voter's power is also read here and the lower counts (G13).
    pub start_height: u64,
    /// Total power at `power_height`.
    pub total_power: Uint128,
    /// A restoration's candidate heights, in tally order; empty for a parameter proposal,
    /// whose one for-option is `Yes`.
    pub candidate_heights: Vec<u64>,
    /// The votes.
    pub tally: Tally,
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

/// Loads a proposal's ballot or fails with `ProposalNotFound`.
pub fn load_ballot(
    storage: &dyn cosmwasm_std::Storage,
    id: u64,
) -> Result<Ballot, crate::ContractError> {
    BALLOTS
        .may_load(storage, id)?
        .ok_or(crate::ContractError::ProposalNotFound { id })
}

/// Every storage namespace this contract uses (row B5).
pub const NAMESPACES: [&str; 9] = [
    "config",
    "modules",
    "targets",
    "target_count",
    "proposal_count",
    "votes",
    "ballots",
    "proposals",
    "proposals__status",
];

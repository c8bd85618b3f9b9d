//! Storage layout. Every namespace is distinct (row B5; see `namespaces_are_distinct`).

use cosmwasm_std::{Addr, Coin, StdResult, Timestamp, Uint128};
use cw_storage_plus::{Index, IndexList, IndexedMap, Item, Map, MultiIndex};
use rewind_types::governance::{
    GovernanceConfig, Playbook, ProposalKind, ProposalStatus, Tally, TargetSnapshot, VoteOption,
    VotingRules,
};
use rewind_types::ModuleAddresses;

use crate::binary_record;
use crate::codec::{GovernanceFields, ReadGovernanceFields, Reader, Record, RecordItem, Writer};

/// The configuration.
pub const CONFIG: RecordItem<GovernanceConfig> = RecordItem::new("config");
/// The module addresses, predicted with instantiate2 and saved at instantiate.
pub const MODULES: RecordItem<ModuleAddresses> = RecordItem::new("modules");
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

/// Per (target, incident id), the fast-track proposal made for it: one per incident (row
/// F7).
pub const FAST_TRACKED: Map<(&Addr, u64), u64> = Map::new("fast_tracked");

/// A registered target. Its exit policy is in the guardian's registry, the one record of it.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetState {
    /// The proposal holding its one active restoration (row G11).
    pub active_proposal: Option<u64>,
    /// Its fast-track playbook, pre-approved by a normal-track `SetPlaybook`.
    pub playbook: Option<Playbook>,
}

/// One vote as counted.
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, PartialEq)]
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
    /// The winning candidate height, once closed as passed (a fast track: from its proposal).
    pub winning_height: Option<u64>,
    /// The timelock operation, once queued.
    pub operation_id: Option<u64>,
    /// Why scheduling or applying failed.
    pub execution_error: Option<String>,
}

/// What a vote needs of a proposal, and nothing of its size: at most
/// [`crate::config::HARD_MAX_CANDIDATES`] candidate heights and as many tally entries
/// (row D4).
#[derive(Clone, Debug, PartialEq)]
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
    /// The optimistic fast track: passes at `end_time` unless `Veto` reaches
    /// `rules.veto_threshold` of `total_power` (see [`crate::tally::fast_track_outcome`]).
    pub fast_track: bool,
}

impl Record for TargetState {
    fn encode(&self, w: &mut Writer) -> StdResult<()> {
        w.opt_u64(self.active_proposal);
        // The playbook is the record's last field, absent when none: a record written
        // before playbooks existed reads as "no playbook".
        if let Some(playbook) = &self.playbook {
            w.json(playbook)?;
        }
        Ok(())
    }
    fn decode(r: &mut Reader) -> StdResult<Self> {
        Ok(TargetState {
            active_proposal: r.opt_u64()?,
            playbook: match r.rest.is_empty() {
                true => None,
                false => Some(r.json()?),
            },
        })
    }
}
binary_record!(TargetState);

impl Record for StoredVote {
    fn encode(&self, w: &mut Writer) -> StdResult<()> {
        w.vote(self.vote);
        w.u128(self.power);
        Ok(())
    }
    fn decode(r: &mut Reader) -> StdResult<Self> {
        Ok(StoredVote {
            vote: r.vote()?,
            power: r.u128()?,
        })
    }
}
binary_record!(StoredVote);

/// A proposal kind's tag in the record.
const RESTORATION: u8 = 0;
/// See [`RESTORATION`].
const PARAMETERS: u8 = 1;
/// See [`RESTORATION`].
const UPGRADE: u8 = 2;

impl Record for Proposal {
    fn encode(&self, w: &mut Writer) -> StdResult<()> {
        w.u64(self.id);
        w.str(&self.title);
        w.str(&self.description);
        w.str(self.proposer.as_str());
        match &self.kind {
            ProposalKind::Restoration {
                targets,
                candidates,
                exclusions,
                shortfall_policy,
                snapshots,
            } => {
                w.u8(RESTORATION);
                w.json(targets)?;
                w.json(candidates)?;
                w.list(exclusions, |w, a| w.str(a.as_str()));
                w.json(shortfall_policy)?;
                w.list(snapshots, |w, s| {
                    w.str(s.contract.as_str());
                    w.str(&s.contract_name);
                    w.u64(s.code_id);
                    w.bytes(&s.checksum);
                });
            }
            ProposalKind::Parameters { changes } => {
                w.u8(PARAMETERS);
                w.json(changes)?;
            }
            ProposalKind::Upgrade(upgrade) => {
                w.u8(UPGRADE);
                w.json(upgrade)?;
            }
        }
        w.status(self.status);
        w.bool(self.expedited);
        w.bool(self.refund_failed_quorum);
        w.u64(self.start_time.nanos());
        w.coin(&self.deposit);
        w.opt_u64(self.winning_height);
        w.opt_u64(self.operation_id);
        w.bool(self.execution_error.is_some());
        w.str(self.execution_error.as_deref().unwrap_or_default());
        Ok(())
    }
    fn decode(r: &mut Reader) -> StdResult<Self> {
        let id = r.u64()?;
        let title = r.string()?;
        let description = r.string()?;
        let proposer = r.addr()?;
        let kind = match r.u8()? {
            RESTORATION => ProposalKind::Restoration {
                targets: r.json()?,
                candidates: r.json()?,
                exclusions: r.list(Reader::addr)?,
                shortfall_policy: r.json()?,
                snapshots: r.list(|r| {
                    Ok(TargetSnapshot {
                        contract: r.addr()?,
                        contract_name: r.string()?,
                        code_id: r.u64()?,
                        checksum: r.bytes()?.into(),
                    })
                })?,
            },
            PARAMETERS => ProposalKind::Parameters { changes: r.json()? },
            _ => ProposalKind::Upgrade(r.json()?),
        };
        Ok(Proposal {
            id,
            title,
            description,
            proposer,
            kind,
            status: r.status()?,
            expedited: r.bool()?,
            refund_failed_quorum: r.bool()?,
            start_time: r.time()?,
            deposit: r.coin()?,
            winning_height: r.opt_u64()?,
            operation_id: r.opt_u64()?,
            execution_error: {
                let some = r.bool()?;
                let error = r.string()?;
                some.then_some(error)
            },
        })
    }
}
binary_record!(Proposal);

impl Record for Ballot {
    fn encode(&self, w: &mut Writer) -> StdResult<()> {
        w.status(self.status);
        self.rules.encode(w);
        w.bool(self.fallback_rules.is_some());
        if let Some(rules) = &self.fallback_rules {
            rules.encode(w);
        }
        w.u64(self.end_time.nanos());
        w.opt_u64(self.fallback_end_time.map(|t| t.nanos()));
        w.bool(self.allow_revoting);
        w.str(self.voting_module.as_str());
        w.u64(self.power_height);
        w.u64(self.start_height);
        w.u128(self.total_power);
        w.list(&self.candidate_heights, |w, h| w.u64(*h));
        w.list(&self.tally.for_options, |w, p| w.u128(*p));
        w.u128(self.tally.reject);
        w.u128(self.tally.abstain);
        w.u128(self.tally.veto);
        // Last and only when set: ballots written before the fast track read as `false`.
        if self.fast_track {
            w.bool(true);
        }
        Ok(())
    }
    fn decode(r: &mut Reader) -> StdResult<Self> {
        Ok(Ballot {
            status: r.status()?,
            rules: VotingRules::decode(r)?,
            fallback_rules: if r.bool()? {
                Some(VotingRules::decode(r)?)
            } else {
                None
            },
            end_time: r.time()?,
            fallback_end_time: r.opt_u64()?.map(Timestamp::from_nanos),
            allow_revoting: r.bool()?,
            voting_module: r.addr()?,
            power_height: r.u64()?,
            start_height: r.u64()?,
            total_power: r.u128()?,
            candidate_heights: r.list(Reader::u64)?,
            tally: Tally {
                for_options: r.list(Reader::u128)?,
                reject: r.u128()?,
                abstain: r.u128()?,
                veto: r.u128()?,
            },
            fast_track: !r.rest.is_empty() && r.bool()?,
        })
    }
}
binary_record!(Ballot);

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
pub const NAMESPACES: [&str; 10] = [
    "config",
    "modules",
    "targets",
    "target_count",
    "proposal_count",
    "votes",
    "ballots",
    "proposals",
    "proposals__status",
    "fast_tracked",
];

//! Queries. Every list is paginated and capped with `clamp_limit` (row D2).

use cosmwasm_std::{to_json_binary, Binary, Deps, Env, Order, StdResult};
use cw_storage_plus::Bound;
use rewind_types::governance::{
    ConfigResponse, ProposalResponse, ProposalStatus, ProposalsResponse, QueryMsg,
    ScheduledSpecResponse, TargetInfo, TargetsResponse, VoteInfo, VoterResponse, VotesResponse,
};
use rewind_types::{clamp_limit, page, page_prefix};

use crate::execute::close::scheduled_spec;
use crate::power::effective_power;
use crate::state::{
    load_ballot, load_proposal, proposals, status_code, Ballot, Proposal, CONFIG, MODULES, TARGETS,
    VOTES,
};

/// The most proposals one `Proposals` query reads, whatever the filter (row D4): a
/// status-filtered page whose matches are sparse stops here and says where to continue.
pub const MAX_PROPOSALS_SCANNED: usize = 100;
use crate::status::derive;
use crate::ContractError;

/// Query entry point logic.
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&ConfigResponse {
            config: CONFIG.load(deps.storage)?,
            modules: MODULES.load(deps.storage)?,
        })?,
        QueryMsg::Proposal { proposal_id } => to_json_binary(&proposal_response(
            &env,
            load_proposal(deps.storage, proposal_id)?,
            load_ballot(deps.storage, proposal_id)?,
        ))?,
        QueryMsg::Proposals {
            status,
            start_after,
            limit,
        } => to_json_binary(&list_proposals(deps, &env, status, start_after, limit)?)?,
        QueryMsg::Votes {
            proposal_id,
            start_after,
            limit,
        } => {
            let start = start_after
                .map(|a| deps.api.addr_validate(&a))
                .transpose()?;
            let votes = page_prefix(
                &VOTES.prefix(proposal_id),
                deps.storage,
                start.as_ref(),
                limit,
                |voter, v| VoteInfo {
                    voter,
                    vote: v.vote,
                    power: v.power,
                },
            )?;
            to_json_binary(&VotesResponse { votes })?
        }
        QueryMsg::Voter { proposal_id, voter } => {
            let ballot = load_ballot(deps.storage, proposal_id)?;
            let voter = deps.api.addr_validate(&voter)?;
            let vote = VOTES
                .may_load(deps.storage, (proposal_id, &voter))?
                .map(|v| VoteInfo {
                    voter: voter.clone(),
                    vote: v.vote,
                    power: v.power,
                });
            let power = match &vote {
                Some(v) => v.power,
                None => effective_power(
                    deps,
                    &ballot.voting_module,
                    &voter,
                    ballot.power_height,
                    ballot.start_height,
                )?,
            };
            to_json_binary(&VoterResponse { vote, power })?
        }
        QueryMsg::Targets { start_after, limit } => {
            let start = start_after
                .map(|a| deps.api.addr_validate(&a))
                .transpose()?;
            let targets = page(
                &TARGETS,
                deps.storage,
                start.as_ref(),
                limit,
                |contract, t| TargetInfo {
                    contract,
                    active_proposal: t.active_proposal,
                    playbook: t.playbook,
                },
            )?;
            to_json_binary(&TargetsResponse { targets })?
        }
        QueryMsg::ScheduledSpec { proposal_id } => {
            // Derived from the proposal, the one record of what was voted: the timelock holds
            // the spec while it waits, the executor once it runs.
            let proposal = load_proposal(deps.storage, proposal_id)?;
            let spec = proposal
                .winning_height
                // A fast track is scheduled from its proposal on (it has an operation).
                .filter(|_| {
                    proposal.status == ProposalStatus::Executed || proposal.operation_id.is_some()
                })
                .and_then(|height| scheduled_spec(&proposal, height))
                .ok_or(ContractError::NotScheduled { id: proposal_id })?;
            let content_hash = spec.content_hash()?;
            to_json_binary(&ScheduledSpecResponse { spec, content_hash })?
        }
    })
}

/// A proposal with its derived status and time left.
pub fn proposal_response(env: &Env, p: Proposal, b: Ballot) -> ProposalResponse {
    let derived = derive(&b, env.block.time);
    let seconds_left = if derived.status == ProposalStatus::Open {
        derived
            .end_time
            .seconds()
            .saturating_sub(env.block.time.seconds())
    } else {
        0
    };
    ProposalResponse {
        id: p.id,
        title: p.title,
        description: p.description,
        proposer: p.proposer,
        kind: p.kind,
        status: derived.status,
        expedited: p.expedited,
        fast_track: b.fast_track,
        rules: derived.rules,
        fallback_rules: b.fallback_rules,
        power_height: b.power_height,
        total_power: b.total_power,
        start_height: b.start_height,
        start_time: p.start_time,
        end_time: derived.end_time,
        seconds_left,
        tally: b.tally,
        deposit: p.deposit,
        winning_height: p.winning_height,
        operation_id: p.operation_id,
        execution_error: p.execution_error,
    }
}

/// Proposals by id. Closed statuses use the stored-status index; the derived ones (Open,
/// Passed, Rejected, Vetoed, Expired) scan only proposals not yet closed. At most
/// [`MAX_PROPOSALS_SCANNED`] proposals are read per query (row D4); `next_start_after`
/// tells where the scan stopped when it stopped early.
fn list_proposals(
    deps: Deps,
    env: &Env,
    status: Option<ProposalStatus>,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<ProposalsResponse> {
    let limit = clamp_limit(limit);
    let start = start_after.map(Bound::exclusive);
    let map = proposals();
    let iter: Box<dyn Iterator<Item = StdResult<(u64, Proposal)>>> = match status {
        None => map.range(deps.storage, start, None, Order::Ascending),
        Some(s) => {
            map.idx
                .status
                .prefix(status_code(s))
                .range(deps.storage, start, None, Order::Ascending)
        }
    };
    let mut out = Vec::with_capacity(limit);
    let mut last_scanned = None;
    let mut stopped_early = false;
    for (scanned, item) in iter.enumerate() {
        if out.len() >= limit || scanned >= MAX_PROPOSALS_SCANNED {
            stopped_early = true;
            break;
        }
        let (id, p) = item?;
        last_scanned = Some(id);
        let ballot = load_ballot(deps.storage, id)
            .map_err(|e| cosmwasm_std::StdError::msg(e.to_string()))?;
        let response = proposal_response(env, p, ballot);
        if status.is_none_or(|s| s == response.status) {
            out.push(response);
        }
    }
    Ok(ProposalsResponse {
        proposals: out,
        next_start_after: if stopped_early { last_scanned } else { None },
    })
}

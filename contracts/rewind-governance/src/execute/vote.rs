//! `Vote`: power read at the proposal's stored heights (rows G1, G2, G3, G13). A vote loads
//! and saves only the proposal's [`Ballot`], never its body (row D4).

use cosmwasm_std::{to_json_binary, DepsMut, Env, MessageInfo, Response, Uint128, WasmMsg};
use rewind_types::governance::{ProposalStatus, Tally, VoteOption};
use rewind_types::timelock;

use crate::execute::propose_restoration::release_targets;

use crate::power::effective_power;
use crate::state::{load_ballot, load_proposal, Ballot, StoredVote, BALLOTS, MODULES, VOTES};
use crate::status::derive;
use crate::ContractError;

/// The tally slot an option counts in, or `InvalidVoteOption`.
enum Slot {
    For(usize),
    Reject,
    Abstain,
    Veto,
}

fn slot(ballot: &Ballot, vote: VoteOption) -> Result<Slot, ContractError> {
    let invalid = || ContractError::InvalidVoteOption {
        option: format!("{vote:?}"),
    };
    let restoration = !ballot.candidate_heights.is_empty();
    match (restoration, vote) {
        (true, VoteOption::Candidate { height }) => ballot
            .candidate_heights
            .iter()
            .position(|&h| h == height)
            .map(Slot::For)
            .ok_or_else(invalid),
        (false, VoteOption::Yes) => Ok(Slot::For(0)),
        (_, VoteOption::Reject) => Ok(Slot::Reject),
        (_, VoteOption::Abstain) => Ok(Slot::Abstain),
        (_, VoteOption::Veto) => Ok(Slot::Veto),
        _ => Err(invalid()),
    }
}

fn counter<'a>(tally: &'a mut Tally, slot: &Slot) -> Result<&'a mut Uint128, ContractError> {
    Ok(match slot {
        Slot::For(i) => tally
            .for_options
            .get_mut(*i)
            .ok_or(ContractError::InvalidVoteOption {
                option: format!("option {i}"),
            })?,
        Slot::Reject => &mut tally.reject,
        Slot::Abstain => &mut tally.abstain,
        Slot::Veto => &mut tally.veto,
    })
}

/// `Vote` logic.
pub fn vote(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    proposal_id: u64,
    vote: VoteOption,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let mut proposal = load_ballot(deps.storage, proposal_id)?;
    if derive(&proposal, env.block.time).status != ProposalStatus::Open {
        return Err(ContractError::VotingClosed { id: proposal_id });
    }
    // Rows F5, F8: on a fast track only the veto counts.
    if proposal.fast_track && vote != VoteOption::Veto {
        return Err(ContractError::FastTrackVetoOnly { id: proposal_id });
    }
    let new_slot = slot(&proposal, vote)?;
    let previous = VOTES.may_load(deps.storage, (proposal_id, &info.sender))?;
    let power = match &previous {
        Some(prev) => {
            if !proposal.allow_revoting {
                return Err(ContractError::AlreadyVoted { id: proposal_id });
            }
            let old_slot = slot(&proposal, prev.vote)?;
            let old = counter(&mut proposal.tally, &old_slot)?;
            *old = old.checked_sub(prev.power)?;
            prev.power
        }
        None => {
            // Row G3: always the stored heights, never the current one. Row G13: the lower
            // of the power at the power height and at the start height.
            let power = effective_power(
                deps.as_ref(),
                &proposal.voting_module,
                &info.sender,
                proposal.power_height,
                proposal.start_height,
            )?;
            if power.is_zero() {
                return Err(ContractError::ZeroVotingPower {
                    voter: info.sender.to_string(),
                    height: proposal.power_height,
                });
            }
            power
        }
    };
    let count = counter(&mut proposal.tally, &new_slot)?;
    *count = count.checked_add(power)?;
    BALLOTS.save(deps.storage, proposal_id, &proposal)?;
    VOTES.save(
        deps.storage,
        (proposal_id, &info.sender),
        &StoredVote { vote, power },
    )?;
    let mut response = Response::new();
    if proposal.fast_track && derive(&proposal, env.block.time).status == ProposalStatus::Vetoed {
        response = veto_fast_track(deps, proposal_id, response)?;
    }
    Ok(response
        .add_attribute("action", "vote")
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_attribute("voter", info.sender.as_str())
        .add_attribute("vote", format!("{vote:?}"))
        .add_attribute("power", power.to_string())
        .add_attribute("revote", previous.is_some().to_string()))
}

/// The vote that vetoed a fast track (row F5): its queued operation is cancelled for good
/// at once (governance's `Cancel` is final), so it cannot execute whether or not anyone
/// closes the proposal, and its target is released. Nobody can vote after this vote: the
/// status is `Vetoed`.
fn veto_fast_track(
    deps: DepsMut,
    proposal_id: u64,
    response: Response,
) -> Result<Response, ContractError> {
    let proposal = load_proposal(deps.storage, proposal_id)?;
    release_targets(deps.storage, &proposal)?;
    let Some(operation_id) = proposal.operation_id else {
        return Ok(response);
    };
    let cancel = WasmMsg::Execute {
        contract_addr: MODULES.load(deps.storage)?.timelock.to_string(),
        msg: to_json_binary(&timelock::ExecuteMsg::Cancel { operation_id })?,
        funds: vec![],
    };
    Ok(response
        .add_message(cancel)
        .add_attribute("vetoed", "true")
        .add_attribute("operation_id", operation_id.to_string()))
}

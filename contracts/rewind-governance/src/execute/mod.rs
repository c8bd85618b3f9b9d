//! Execute actions, one module per action. This module holds what the proposal actions
//! share: the deposit, text caps, the copied rules and the record.

pub mod apply_upgrade;
pub mod close;
pub mod parameters;
pub mod propose_fast_track;
pub mod propose_restoration;
pub mod propose_upgrade;
pub mod target_changes;
pub mod vote;

use cosmwasm_std::{Addr, Coin, Decimal, DepsMut, Env, MessageInfo, Timestamp, Uint128};
use rewind_types::governance::{
    GovernanceConfig, ProposalKind, ProposalStatus, Tally, VotingRules,
};

use crate::config::{MAX_DESCRIPTION_LEN, MAX_TITLE_LEN};
use crate::power::total_power;
use crate::state::{proposals, Ballot, Proposal, BALLOTS, PROPOSAL_COUNT};
use crate::ContractError;

/// Requires exactly the configured deposit, in its denom only (rows B2, G11).
pub fn take_deposit(info: &MessageInfo, config: &GovernanceConfig) -> Result<Coin, ContractError> {
    let received = cw_utils::must_pay(info, &config.deposit.denom)?;
    if received != config.deposit.amount {
        return Err(ContractError::WrongDeposit {
            expected: config.deposit.clone(),
            received,
        });
    }
    Ok(config.deposit.clone())
}

/// Title non-empty and capped; description capped (row G11).
pub fn check_text(title: &str, description: &str) -> Result<(), ContractError> {
    if title.trim().is_empty() {
        return Err(ContractError::EmptyTitle {});
    }
    if title.len() > MAX_TITLE_LEN {
        return Err(ContractError::TitleTooLong { max: MAX_TITLE_LEN });
    }
    if description.len() > MAX_DESCRIPTION_LEN {
        return Err(ContractError::DescriptionTooLong {
            max: MAX_DESCRIPTION_LEN,
        });
    }
    Ok(())
}

/// A validated proposal about to be stored.
pub struct NewProposal {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// What it does.
    pub kind: ProposalKind,
    /// Expedited track.
    pub expedited: bool,
    /// The height power is read at.
    pub power_height: u64,
    /// A restoration's candidate heights; empty for a parameter proposal (one `Yes`).
    pub candidate_heights: Vec<u64>,
    /// A fast track's veto window (seconds) and veto threshold, from its playbook.
    pub fast_track: Option<(u64, Decimal)>,
}

fn end_after(start: Timestamp, seconds: u64) -> Result<Timestamp, ContractError> {
    let nanos = seconds
        .checked_mul(1_000_000_000)
        .and_then(|n| n.checked_add(start.nanos()))
        .ok_or(ContractError::Overflow(cosmwasm_std::OverflowError::new(
            cosmwasm_std::OverflowOperation::Add,
        )))?;
    Ok(Timestamp::from_nanos(nanos))
}

/// The ballot of a new proposal: the track's rules copied (row G8), the ends computed, an
/// empty tally. Pure, so the floors can be checked against it (row B6).
pub fn new_ballot(
    config: &GovernanceConfig,
    env: &Env,
    expedited: bool,
    power_height: u64,
    total_power: Uint128,
    candidate_heights: Vec<u64>,
) -> Result<Ballot, ContractError> {
    let start_time = env.block.time;
    let (rules, fallback_rules) = if expedited {
        (config.expedited, Some(config.normal))
    } else {
        (config.normal, None)
    };
    let options = candidate_heights.len().max(1);
    Ok(Ballot {
        status: ProposalStatus::Open,
        rules,
        fallback_rules,
        end_time: end_after(start_time, rules.voting_period_seconds)?,
        fallback_end_time: fallback_rules
            .map(|r| end_after(start_time, r.voting_period_seconds))
            .transpose()?,
        allow_revoting: config.allow_revoting,
        voting_module: config.voting_module.clone(),
        power_height,
        start_height: env.block.height,
        total_power,
        candidate_heights,
        tally: Tally {
            for_options: vec![Uint128::zero(); options],
            ..Tally::default()
        },
        fast_track: false,
    })
}

/// Reads the total power, copies the rules (row G8) and stores the proposal body and its
/// ballot apart (row D4).
pub fn store_proposal(
    deps: DepsMut,
    env: &Env,
    proposer: Addr,
    config: &GovernanceConfig,
    deposit: Coin,
    new: NewProposal,
) -> Result<(Proposal, Ballot), ContractError> {
    let total: Uint128 = total_power(deps.as_ref(), &config.voting_module, new.power_height)?;
    if total.is_zero() {
        return Err(ContractError::ZeroTotalPower {
            height: new.power_height,
        });
    }
    let id = PROPOSAL_COUNT
        .load(deps.storage)?
        .checked_add(1)
        .ok_or(ContractError::Overflow(cosmwasm_std::OverflowError::new(
            cosmwasm_std::OverflowOperation::Add,
        )))?;
    PROPOSAL_COUNT.save(deps.storage, &id)?;
    // A fast track's one candidate is what executes unless vetoed.
    let winning_height = new.fast_track.and(new.candidate_heights.first().copied());
    let mut ballot = new_ballot(
        config,
        env,
        new.expedited,
        new.power_height,
        total,
        new.candidate_heights,
    )?;
    if let Some((window, veto_threshold)) = new.fast_track {
        // Only the veto counts: no quorum, no threshold (see `tally::fast_track_outcome`).
        ballot.rules = VotingRules {
            voting_period_seconds: window,
            quorum: Decimal::zero(),
            threshold: Decimal::zero(),
            veto_threshold,
        };
        ballot.fallback_rules = None;
        ballot.fallback_end_time = None;
        ballot.end_time = end_after(env.block.time, window)?;
        ballot.fast_track = true;
    }
    let proposal = Proposal {
        id,
        title: new.title,
        description: new.description,
        proposer,
        kind: new.kind,
        status: ProposalStatus::Open,
        expedited: new.expedited,
        refund_failed_quorum: config.refund_failed_quorum,
        start_time: env.block.time,
        deposit,
        winning_height,
        operation_id: None,
        execution_error: None,
    };
    proposals().save(deps.storage, id, &proposal)?;
    BALLOTS.save(deps.storage, id, &ballot)?;
    Ok((proposal, ballot))
}

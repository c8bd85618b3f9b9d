//! What every proposal shares: the deposit, text caps, the copied rules and the record.

use cosmwasm_std::{Addr, Coin, DepsMut, Env, MessageInfo, Uint128};
use rewind_types::governance::{GovernanceConfig, ProposalKind, ProposalStatus, Tally};

use crate::config::{MAX_DESCRIPTION_LEN, MAX_TITLE_LEN};
use crate::power::total_power;
use crate::state::{proposals, Proposal, PROPOSAL_COUNT};
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
    /// The number of `for_options` in the tally.
    pub options: usize,
}

/// Reads the total power, copies the rules (row G8) and stores the proposal.
pub fn store_proposal(
    deps: DepsMut,
    env: &Env,
    proposer: Addr,
    config: &GovernanceConfig,
    deposit: Coin,
    new: NewProposal,
) -> Result<Proposal, ContractError> {
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
    let start_time = env.block.time;
    let (rules, fallback_rules) = if new.expedited {
        (config.expedited, Some(config.normal))
    } else {
        (config.normal, None)
    };
    let end = |seconds: u64| -> Result<cosmwasm_std::Timestamp, ContractError> {
        let nanos = seconds
            .checked_mul(1_000_000_000)
            .and_then(|n| n.checked_add(start_time.nanos()))
            .ok_or(ContractError::Overflow(cosmwasm_std::OverflowError::new(
                cosmwasm_std::OverflowOperation::Add,
            )))?;
        Ok(cosmwasm_std::Timestamp::from_nanos(nanos))
    };
    let proposal = Proposal {
        id,
        title: new.title,
        description: new.description,
        proposer,
        kind: new.kind,
        status: ProposalStatus::Open,
        expedited: new.expedited,
        rules,
        fallback_rules,
        allow_revoting: config.allow_revoting,
        refund_failed_quorum: config.refund_failed_quorum,
        voting_module: config.voting_module.clone(),
        power_height: new.power_height,
        total_power: total,
        start_height: env.block.height,
        start_time,
        end_time: end(rules.voting_period_seconds)?,
        fallback_end_time: fallback_rules
            .map(|r| end(r.voting_period_seconds))
            .transpose()?,
        tally: Tally {
            for_options: vec![Uint128::zero(); new.options],
            ..Tally::default()
        },
        deposit,
        winning_height: None,
        operation_id: None,
        execution_error: None,
    };
    proposals().save(deps.storage, id, &proposal)?;
    Ok(proposal)
}

//! `Close`: after the voting period, schedule or apply a passed proposal and settle the
//! deposit. Open to anyone.

use cosmwasm_std::{
    to_json_binary, Addr, BankMsg, Binary, Coin, CosmosMsg, DepsMut, Env, MessageInfo, Response,
    SubMsg, WasmMsg,
};
use rewind_types::governance::{ExecuteMsg, ProposalKind, ProposalStatus};
use rewind_types::{timelock, RestorationSpec, RestorationTarget};

use crate::instantiate::{REPLY_APPLY, REPLY_QUEUE};
use crate::propose_restoration::release_targets;
use crate::state::{load_proposal, proposals, Proposal, ScheduledSpec, MODULES, SPECS};
use crate::status::derive;
use crate::ContractError;

/// The spec a passed restoration schedules: the winning height, each target's snapshot
/// and its expected digest at that height, the exclusions and the policy.
pub fn build_spec(proposal: &Proposal, option: usize) -> Option<RestorationSpec> {
    let ProposalKind::Restoration {
        candidates,
        exclusions,
        shortfall_policy,
        snapshots,
        ..
    } = &proposal.kind
    else {
        return None;
    };
    let candidate = candidates.get(option)?;
    let targets = snapshots
        .iter()
        .zip(&candidate.expected_digests)
        .map(|(snap, digest)| RestorationTarget {
            contract: snap.contract.clone(),
            contract_name: snap.contract_name.clone(),
            code_id: snap.code_id,
            checksum: snap.checksum.clone(),
            expected_digest: digest.clone(),
        })
        .collect();
    Some(RestorationSpec {
        proposal_id: proposal.id,
        height: candidate.height,
        targets,
        exclusions: exclusions.clone(),
        shortfall_policy: *shortfall_policy,
    })
}

fn settle(to: &Addr, deposit: &Coin, refund: bool) -> Option<CosmosMsg> {
    if deposit.amount.is_zero() {
        return None;
    }
    Some(if refund {
        BankMsg::Send {
            to_address: to.to_string(),
            amount: vec![deposit.clone()],
        }
        .into()
    } else {
        BankMsg::Burn {
            amount: vec![deposit.clone()],
        }
        .into()
    })
}

/// `Close` logic.
pub fn close(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    proposal_id: u64,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let mut proposal = load_proposal(deps.storage, proposal_id)?;
    if proposal.status != ProposalStatus::Open {
        return Err(ContractError::AlreadyClosed { id: proposal_id });
    }
    let derived = derive(&proposal, env.block.time);
    let payload = Binary::from(proposal_id.to_be_bytes().to_vec());
    let mut response = Response::new()
        .add_attribute("action", "close")
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_attribute("outcome", format!("{:?}", derived.status));
    let refund = match (derived.status, derived.winner) {
        (ProposalStatus::Open, _) => {
            return Err(ContractError::VotingOpen {
                id: proposal_id,
                ends: derived.end_time,
            })
        }
        (ProposalStatus::Passed, Some(option)) => {
            proposal.status = ProposalStatus::Executed;
            if let Some(spec) = build_spec(&proposal, option) {
                let content_hash = spec.content_hash()?;
                let timelock_addr = MODULES
                    .may_load(deps.storage)?
                    .ok_or(ContractError::ModulesNotWired {})?
                    .timelock;
                proposal.winning_height = Some(spec.height);
                SPECS.save(
                    deps.storage,
                    proposal_id,
                    &ScheduledSpec {
                        spec: spec.clone(),
                        content_hash: content_hash.clone(),
                    },
                )?;
                let queue = WasmMsg::Execute {
                    contract_addr: timelock_addr.to_string(),
                    msg: to_json_binary(&timelock::ExecuteMsg::Queue {
                        spec: spec.clone(),
                        content_hash: content_hash.clone(),
                    })?,
                    funds: vec![],
                };
                response = response
                    .add_submessage(SubMsg::reply_always(queue, REPLY_QUEUE).with_payload(payload))
                    .add_attribute("height", spec.height.to_string())
                    .add_attribute("content_hash", content_hash.to_hex());
            } else {
                let apply = WasmMsg::Execute {
                    contract_addr: env.contract.address.to_string(),
                    msg: to_json_binary(&ExecuteMsg::ApplyParameters { proposal_id })?,
                    funds: vec![],
                };
                response = response.add_submessage(
                    SubMsg::reply_on_error(apply, REPLY_APPLY).with_payload(payload),
                );
            }
            true
        }
        (ProposalStatus::Vetoed, _) => false,
        (ProposalStatus::Expired, _) => proposal.refund_failed_quorum,
        _ => true,
    };
    if proposal.status == ProposalStatus::Open {
        proposal.status = ProposalStatus::Closed;
        release_targets(deps.storage, &proposal)?;
    }
    proposals().save(deps.storage, proposal_id, &proposal)?;
    if let Some(msg) = settle(&proposal.proposer, &proposal.deposit, refund) {
        response = response.add_message(msg);
    }
    Ok(response
        .add_attribute("status", format!("{:?}", proposal.status))
        .add_attribute("deposit", if refund { "refunded" } else { "burned" }))
}

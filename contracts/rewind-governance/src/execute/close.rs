//! `Close`: after the voting period, schedule a passed restoration or upgrade in the
//! timelock, or apply a passed parameter proposal, and settle the deposit. Open to anyone.

use cosmwasm_std::{
    to_json_binary, Addr, BankMsg, Binary, Coin, CosmosMsg, Deps, DepsMut, Env, MessageInfo,
    Response, SubMsg, WasmMsg,
};
use rewind_types::executor;
use rewind_types::governance::{ExecuteMsg, ProposalKind, ProposalStatus};
use rewind_types::restorable::RestorableQueryMsg;
use rewind_types::timelock::OperationStatus;
use rewind_types::{timelock, RestorationSpec, RestorationTarget};

use crate::execute::propose_restoration::release_targets;
use crate::instantiate::{REPLY_APPLY, REPLY_QUEUE};
use crate::state::{load_ballot, load_proposal, proposals, Proposal, BALLOTS, MODULES, TARGETS};
use crate::status::derive;
use crate::ContractError;

/// The one field of the timelock's `OperationResponse` governance reads. Parsing only it
/// keeps the spec's deserialiser (about 15 KB of wasm) out of governance.
#[derive(serde::Deserialize)]
struct OperationState {
    status: OperationStatus,
}

/// The one field of the executor's `RestorationResponse` governance reads.
#[derive(serde::Deserialize)]
struct RestorationStateOnly {
    state: StateOnly,
}

/// The executor's `RestorationState`, without the failure's text (not read).
#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum StateOnly {
    Running,
    Complete,
    Failed {},
    Aborted,
}

/// Whether the restoration `holder` still reserves its targets (rows G11, G12, F7): from its
/// close as passed (a fast track: from its proposal, queued at once) while its timelock
/// operation is queued, and once executed while the executor's restoration runs or has
/// failed (until it is retried to completion or aborted). A restoration can fail at
/// execution before any target started restoring, so the targets' own `restoring` flags do
/// not show it.
pub fn still_reserved(deps: Deps, holder: u64) -> Result<bool, ContractError> {
    let p = load_proposal(deps.storage, holder)?;
    match (p.status, p.operation_id) {
        // Only a fast track is open with an operation.
        (ProposalStatus::Executed | ProposalStatus::Open, Some(operation_id)) => {
            let modules = MODULES.load(deps.storage)?;
            let op: OperationState = deps.querier.query_wasm_smart(
                modules.timelock,
                &timelock::QueryMsg::Operation { operation_id },
            )?;
            match op.status {
                OperationStatus::Queued => Ok(true),
                OperationStatus::Executed => {
                    let restoration: RestorationStateOnly = deps.querier.query_wasm_smart(
                        modules.executor,
                        &executor::QueryMsg::Restoration {
                            restoration_id: operation_id,
                        },
                    )?;
                    Ok(matches!(
                        restoration.state,
                        StateOnly::Running | StateOnly::Failed {}
                    ))
                }
                _ => Ok(false),
            }
        }
        (ProposalStatus::Executed, None) => Ok(true),
        _ => Ok(false),
    }
}

/// Why `target` cannot be scheduled for proposal `me` now, if it cannot (row G12): it left
/// the registry, another queued restoration reserves it, or it is restoring (a running
/// operation). A target that cannot answer is a reason too, so `Close` never fails on it.
fn unavailable(deps: Deps, target: &Addr, me: u64) -> Option<ContractError> {
    let check = || -> Result<Option<ContractError>, ContractError> {
        let Some(state) = TARGETS.may_load(deps.storage, target)? else {
            return Ok(Some(ContractError::TargetNotRegistered {
                target: target.to_string(),
            }));
        };
        if let Some(holder) = state.active_proposal {
            if holder != me && still_reserved(deps, holder)? {
                return Ok(Some(ContractError::TargetReserved {
                    target: target.to_string(),
                    proposal_id: holder,
                }));
            }
        }
        let check: crate::answers::RestorationCheck = deps.querier.query_wasm_smart(
            target,
            &RestorableQueryMsg::RestorationCheck {
                heights: vec![],
                accounts: vec![],
            },
        )?;
        if check.journal.restoring {
            return Ok(Some(ContractError::TargetRestoring {
                target: target.to_string(),
            }));
        }
        Ok(None)
    };
    check().unwrap_or_else(Some)
}

/// The short code of a scheduling refusal, for the `reason` event attribute.
fn reason_code(err: &ContractError) -> &'static str {
    match err {
        ContractError::TargetReserved { .. } => "target_reserved",
        ContractError::TargetRestoring { .. } => "target_restoring",
        ContractError::TargetNotRegistered { .. } => "target_not_registered",
        _ => "target_unavailable",
    }
}

/// The spec a passed restoration schedules: the winning height, each target's snapshot,
/// its expected digest at that height and its post-restore configuration, the exclusions
/// and the policy.
pub fn build_spec(proposal: &Proposal, option: usize) -> Option<RestorationSpec> {
    let ProposalKind::Restoration {
        targets,
        candidates,
        exclusions,
        shortfall_policy,
        snapshots,
    } = &proposal.kind
    else {
        return None;
    };
    let candidate = candidates.get(option)?;
    let targets = snapshots
        .iter()
        .zip(targets)
        .zip(&candidate.expected_digests)
        .map(|((snap, proposed), digest)| RestorationTarget {
            contract: snap.contract.clone(),
            contract_name: snap.contract_name.clone(),
            code_id: snap.code_id,
            checksum: snap.checksum.clone(),
            expected_digest: digest.clone(),
            post_restore_config: proposed.post_restore_config.clone(),
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

/// The spec a passed restoration scheduled at `height`, derived from the proposal (the one
/// record of what was voted).
pub fn scheduled_spec(proposal: &Proposal, height: u64) -> Option<RestorationSpec> {
    let ProposalKind::Restoration { candidates, .. } = &proposal.kind else {
        return None;
    };
    let option = candidates.iter().position(|c| c.height == height)?;
    build_spec(proposal, option)
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
    let mut ballot = load_ballot(deps.storage, proposal_id)?;
    if proposal.status != ProposalStatus::Open {
        return Err(ContractError::AlreadyClosed { id: proposal_id });
    }
    let derived = derive(&ballot, env.block.time);
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
        // A fast track was queued when proposed; its window is over and nobody vetoed it.
        (ProposalStatus::Passed, Some(_)) if ballot.fast_track => {
            proposal.status = ProposalStatus::Executed;
            true
        }
        (ProposalStatus::Passed, Some(option)) => {
            proposal.status = ProposalStatus::Executed;
            let spec = build_spec(&proposal, option);
            // Row G12: a passed restoration reserves its targets only now; one whose target
            // another queued or running restoration holds fails, refunded, with the reason.
            let refusal = spec.as_ref().and_then(|spec| {
                spec.targets
                    .iter()
                    .find_map(|t| unavailable(deps.as_ref(), &t.contract, proposal_id))
            });
            if let Some(err) = refusal {
                proposal.status = ProposalStatus::ExecutionFailed;
                proposal.execution_error = Some(err.to_string());
                response = response
                    .add_attribute("reason", reason_code(&err))
                    .add_attribute("execution_error", err.to_string());
            } else if let Some(spec) = spec {
                for t in &spec.targets {
                    let mut state = TARGETS.load(deps.storage, &t.contract)?;
                    state.active_proposal = Some(proposal_id);
                    TARGETS.save(deps.storage, &t.contract, &state)?;
                }
                let content_hash = spec.content_hash()?;
                let timelock_addr = MODULES.load(deps.storage)?.timelock;
                proposal.winning_height = Some(spec.height);
                let queue = WasmMsg::Execute {
                    contract_addr: timelock_addr.to_string(),
                    msg: to_json_binary(&timelock::ExecuteMsg::Queue {
                        spec: spec.clone(),
                        content_hash: content_hash.clone(),
                        veto_window_seconds: None,
                    })?,
                    funds: vec![],
                };
                response = response
                    .add_submessage(SubMsg::reply_always(queue, REPLY_QUEUE).with_payload(payload))
                    .add_attribute("height", spec.height.to_string())
                    .add_attribute("content_hash", content_hash.to_hex());
            } else if let ProposalKind::Upgrade(upgrade) = &proposal.kind {
                let content_hash = upgrade.content_hash()?;
                let queue = WasmMsg::Execute {
                    contract_addr: MODULES.load(deps.storage)?.timelock.to_string(),
                    msg: to_json_binary(&timelock::ExecuteMsg::QueueUpgrade {
                        proposal_id,
                        content_hash: content_hash.clone(),
                    })?,
                    funds: vec![],
                };
                response = response
                    .add_submessage(SubMsg::reply_always(queue, REPLY_QUEUE).with_payload(payload))
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
    ballot.status = proposal.status;
    proposals().save(deps.storage, proposal_id, &proposal)?;
    BALLOTS.save(deps.storage, proposal_id, &ballot)?;
    if let Some(msg) = settle(&proposal.proposer, &proposal.deposit, refund) {
        response = response.add_message(msg);
    }
    Ok(response
        .add_attribute("status", format!("{:?}", proposal.status))
        .add_attribute("deposit", if refund { "refunded" } else { "burned" }))
}

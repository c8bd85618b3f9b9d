//! Replies: the timelock queue (restorations and upgrades), parameter application, and the
//! retention check after a proposal configured a target. Unknown reply ids are rejected
//! (row R6).

use cosmwasm_std::{DepsMut, Env, Reply, Response, SubMsgResult};
use rewind_types::governance::{ProposalKind, ProposalStatus};

use crate::execute::parameters::check_configured_retention;
use crate::execute::propose_restoration::release_targets;
use crate::instantiate::{REPLY_APPLY, REPLY_CONFIGURED, REPLY_QUEUE};
use crate::state::{load_ballot, load_proposal, proposals, BALLOTS};
use crate::ContractError;

/// Reply entry point logic.
pub fn reply(deps: DepsMut, _env: Env, msg: Reply) -> Result<Response, ContractError> {
    match msg.id {
        REPLY_QUEUE => queued(deps, msg),
        REPLY_APPLY => apply_failed(deps, msg),
        REPLY_CONFIGURED => configured(deps, msg),
        id => Err(ContractError::UnknownReplyId { id }),
    }
}

/// Keeps the ballot's status equal to the body's.
fn mark_ballot(
    storage: &mut dyn cosmwasm_std::Storage,
    id: u64,
    status: ProposalStatus,
) -> Result<(), ContractError> {
    let mut ballot = load_ballot(storage, id)?;
    ballot.status = status;
    BALLOTS.save(storage, id, &ballot)?;
    Ok(())
}

fn payload_proposal_id(msg: &Reply) -> Result<u64, ContractError> {
    let bytes: [u8; 8] = msg
        .payload
        .as_slice()
        .try_into()
        .map_err(|_| ContractError::InvalidReplyPayload {})?;
    Ok(u64::from_be_bytes(bytes))
}

/// The operation id the timelock's `Queue` returns as its response data (JSON `u64`), read
/// from the execute response rather than from events any contract could emit.
fn operation_id_from_data(result: &cosmwasm_std::SubMsgResponse) -> Result<u64, ContractError> {
    let from_responses = result
        .msg_responses
        .first()
        .and_then(|r| cw_utils::parse_execute_response_data(r.value.as_slice()).ok())
        .and_then(|r| r.data);
    #[allow(deprecated)]
    let data = from_responses
        .or_else(|| result.data.clone())
        .ok_or(ContractError::MissingOperationId {})?;
    cosmwasm_std::from_json::<u64>(&data).map_err(|_| ContractError::MissingOperationId {})
}

/// The timelock's answer to `Queue`: record the operation id, or mark the proposal failed.
fn queued(deps: DepsMut, msg: Reply) -> Result<Response, ContractError> {
    let id = payload_proposal_id(&msg)?;
    let mut proposal = load_proposal(deps.storage, id)?;
    let response = Response::new()
        .add_attribute(
            "action",
            if matches!(proposal.kind, ProposalKind::Upgrade(_)) {
                "upgrade_queued"
            } else {
                "restoration_queued"
            },
        )
        .add_attribute("proposal_id", id.to_string());
    match msg.result {
        SubMsgResult::Ok(result) => {
            let operation_id = operation_id_from_data(&result)?;
            proposal.operation_id = Some(operation_id);
            proposals().save(deps.storage, id, &proposal)?;
            Ok(response.add_attribute("operation_id", operation_id.to_string()))
        }
        SubMsgResult::Err(error) => {
            let old = proposal.clone();
            proposal.status = ProposalStatus::ExecutionFailed;
            proposal.execution_error = Some(error.clone());
            proposals().replace(deps.storage, id, Some(&proposal), Some(&old))?;
            mark_ballot(deps.storage, id, proposal.status)?;
            release_targets(deps.storage, &proposal)?;
            Ok(response
                .add_attribute("status", "execution_failed")
                .add_attribute("error", error))
        }
    }
}

/// The self-call applying a parameter proposal failed: every change was reverted.
fn apply_failed(deps: DepsMut, msg: Reply) -> Result<Response, ContractError> {
    let id = payload_proposal_id(&msg)?;
    let SubMsgResult::Err(error) = msg.result else {
        return Ok(Response::new()
            .add_attribute("action", "parameters_applied")
            .add_attribute("proposal_id", id.to_string()));
    };
    let mut proposal = load_proposal(deps.storage, id)?;
    let old = proposal.clone();
    proposal.status = ProposalStatus::ExecutionFailed;
    proposal.execution_error = Some(error.clone());
    proposals().replace(deps.storage, id, Some(&proposal), Some(&old))?;
    mark_ballot(deps.storage, id, proposal.status)?;
    Ok(Response::new()
        .add_attribute("action", "parameters_failed")
        .add_attribute("proposal_id", id.to_string())
        .add_attribute("error", error))
}

/// Every change of a parameter proposal that configures a target applied (this replies to
/// its last module message, on success): each configured target must still keep enough
/// history (row G12). An error here reverts the whole `ApplyParameters`, which marks the
/// proposal `ExecutionFailed`.
fn configured(deps: DepsMut, msg: Reply) -> Result<Response, ContractError> {
    let id = payload_proposal_id(&msg)?;
    let proposal = load_proposal(deps.storage, id)?;
    let ProposalKind::Parameters { changes } = proposal.kind else {
        return Err(ContractError::NotApplicable { id });
    };
    check_configured_retention(deps.as_ref(), &changes)?;
    Ok(Response::new()
        .add_attribute("action", "configured_retention_checked")
        .add_attribute("proposal_id", id.to_string()))
}

//! Replies: module instantiation (then wiring), the timelock queue, and parameter
//! application. Unknown reply ids are rejected (row R6).

use cosmwasm_std::{
    to_json_binary, Addr, CosmosMsg, DepsMut, Env, Order, Reply, Response, StdResult, SubMsgResult,
    WasmMsg,
};
use rewind_types::governance::ProposalStatus;
use rewind_types::{executor, guardian, timelock, ModuleAddresses};

use crate::instantiate::{
    REPLY_APPLY, REPLY_EXECUTOR, REPLY_GUARDIAN, REPLY_QUEUE, REPLY_TIMELOCK,
};
use crate::propose_restoration::release_targets;
use crate::state::{
    load_ballot, load_proposal, proposals, BALLOTS, MODULES, PENDING_MODULES, SPECS, TARGETS,
};
use crate::ContractError;

/// Reply entry point logic.
pub fn reply(deps: DepsMut, env: Env, msg: Reply) -> Result<Response, ContractError> {
    match msg.id {
        REPLY_TIMELOCK | REPLY_GUARDIAN | REPLY_EXECUTOR => module_instantiated(deps, env, msg),
        REPLY_QUEUE => queued(deps, msg),
        REPLY_APPLY => apply_failed(deps, msg),
        id => Err(ContractError::UnknownReplyId { id }),
    }
}

/// The new contract's address: from the instantiate response data, else from the
/// `_contract_address` attribute of the `instantiate` event.
fn instantiated_address(result: &SubMsgResult) -> Result<String, ContractError> {
    let SubMsgResult::Ok(response) = result else {
        return Err(ContractError::MissingContractAddress {});
    };
    #[allow(deprecated)]
    let data = response
        .msg_responses
        .first()
        .map(|r| r.value.clone())
        .or_else(|| response.data.clone());
    if let Some(data) = data {
        if let Ok(parsed) = cw_utils::parse_instantiate_response_data(data.as_slice()) {
            return Ok(parsed.contract_address);
        }
    }
    response
        .events
        .iter()
        .filter(|e| e.ty == "instantiate")
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == "_contract_address")
        .map(|a| a.value.clone())
        .ok_or(ContractError::MissingContractAddress {})
}

fn wire_msg<T: serde::Serialize>(contract: &Addr, msg: &T) -> StdResult<CosmosMsg> {
    Ok(WasmMsg::Execute {
        contract_addr: contract.to_string(),
        msg: to_json_binary(msg)?,
        funds: vec![],
    }
    .into())
}

fn module_instantiated(deps: DepsMut, env: Env, msg: Reply) -> Result<Response, ContractError> {
    let addr = deps
        .api
        .addr_validate(&instantiated_address(&msg.result)?)?;
    let mut pending = PENDING_MODULES.load(deps.storage)?;
    let (slot, name) = match msg.id {
        REPLY_TIMELOCK => (&mut pending.timelock, "timelock"),
        REPLY_GUARDIAN => (&mut pending.guardian, "guardian"),
        _ => (&mut pending.executor, "executor"),
    };
    // Row G7: an address, once recorded, is never replaced.
    if slot.is_some() || MODULES.exists(deps.storage) {
        return Err(ContractError::ModuleAlreadyRecorded {
            module: name.to_string(),
        });
    }
    *slot = Some(addr.clone());
    PENDING_MODULES.save(deps.storage, &pending)?;
    let response = Response::new()
        .add_attribute("action", "module_instantiated")
        .add_attribute("module", name)
        .add_attribute("address", addr);

    let (Some(timelock), Some(guardian), Some(executor)) =
        (pending.timelock, pending.guardian, pending.executor)
    else {
        return Ok(response);
    };
    let modules = ModuleAddresses {
        governance: env.contract.address,
        timelock,
        guardian,
        executor,
    };
    MODULES.save(deps.storage, &modules)?;
    let mut msgs = vec![
        wire_msg(
            &modules.timelock,
            &timelock::ExecuteMsg::Wire(modules.clone()),
        )?,
        wire_msg(
            &modules.guardian,
            &guardian::ExecuteMsg::Wire(modules.clone()),
        )?,
        wire_msg(
            &modules.executor,
            &executor::ExecuteMsg::Wire(modules.clone()),
        )?,
    ];
    // The registry is capped (MAX_REGISTERED_TARGETS), so this loop is bounded.
    for item in TARGETS.range(deps.storage, None, None, Order::Ascending) {
        let (target, state) = item?;
        msgs.push(wire_msg(
            &modules.guardian,
            &guardian::ExecuteMsg::SetTarget {
                target: target.to_string(),
                exits_pausable: state.exits_pausable,
            },
        )?);
    }
    Ok(response.add_messages(msgs).add_attribute("wired", "true"))
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
        .add_attribute("action", "restoration_queued")
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
            SPECS.remove(deps.storage, id);
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

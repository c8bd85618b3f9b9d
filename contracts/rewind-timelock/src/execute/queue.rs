//! Governance queues a passed restoration.

use cosmwasm_std::{
    to_json_binary, DepsMut, Env, HexBinary, MessageInfo, Response, Timestamp, WasmMsg,
};
use rewind_types::guardian::ExecuteMsg as GuardianMsg;
use rewind_types::timelock::OperationStatus;
use rewind_types::{RestorationSpec, ACTION};

use super::ensure_governance;
use crate::error::ContractError;
use crate::settings::MAX_TARGETS;
use crate::state::{Operation, BY_HASH, CONFIG, NEXT_ID, OPERATIONS};

/// `t + seconds`, refusing overflow (row B3).
pub fn plus_seconds(t: Timestamp, seconds: u64) -> Result<Timestamp, ContractError> {
    seconds
        .checked_mul(1_000_000_000)
        .and_then(|nanos| t.nanos().checked_add(nanos))
        .map(Timestamp::from_nanos)
        .ok_or(ContractError::Overflow {})
}

pub fn queue(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    spec: RestorationSpec,
    content_hash: HexBinary,
) -> Result<Response, ContractError> {
    let modules = ensure_governance(deps.as_ref(), &info.sender)?;
    // What executes is exactly what was voted (row G6).
    let computed = spec.content_hash()?;
    if computed != content_hash {
        return Err(ContractError::ContentHashMismatch {
            sent: content_hash,
            computed,
        });
    }
    let count = spec.targets.len() as u64;
    if count == 0 || count > MAX_TARGETS {
        return Err(ContractError::InvalidTargetCount {
            count,
            max: MAX_TARGETS,
        });
    }
    for target in &spec.targets {
        deps.api.addr_validate(target.contract.as_str())?;
    }
    if let Some(operation_id) = BY_HASH.may_load(deps.storage, computed.as_slice())? {
        let existing = OPERATIONS.load(deps.storage, operation_id)?;
        return Err(ContractError::AlreadyQueued {
            operation_id,
            status: existing.effective_status(env.block.time),
        });
    }
    let settings = CONFIG.load(deps.storage)?.settings;
    let eta = plus_seconds(env.block.time, settings.delay_seconds)?;
    let expires_at = plus_seconds(eta, settings.grace_period_seconds)?;
    let eta_height = env
        .block
        .height
        .checked_add(settings.min_delay_blocks)
        .ok_or(ContractError::Overflow {})?;
    let id = NEXT_ID.load(deps.storage)?;
    NEXT_ID.save(
        deps.storage,
        &id.checked_add(1).ok_or(ContractError::Overflow {})?,
    )?;
    let operation = Operation {
        id,
        spec,
        content_hash: computed.clone(),
        status: OperationStatus::Queued,
        queued_at: env.block.time,
        queued_height: env.block.height,
        eta,
        eta_height,
        expires_at,
        closed_by: None,
        guardian_delay: None,
    };
    OPERATIONS.save(deps.storage, id, &operation)?;
    BY_HASH.save(deps.storage, computed.as_slice(), &id)?;
    // The targets stay locked from queue until executed, cancelled or expired (row P4).
    let lock = WasmMsg::Execute {
        contract_addr: modules.guardian.to_string(),
        msg: to_json_binary(&GuardianMsg::SetRestorationLock {
            operation_id: id,
            targets: operation.target_strings(),
            until: operation.expires_at,
        })?,
        funds: vec![],
    };
    Ok(Response::new()
        .add_message(lock)
        .set_data(to_json_binary(&id)?)
        .add_attribute(ACTION, "queue")
        .add_attribute("operation_id", id.to_string())
        .add_attribute("proposal_id", operation.spec.proposal_id.to_string())
        .add_attribute("content_hash", computed.to_hex())
        .add_attribute("eta", eta.seconds().to_string())
        .add_attribute("eta_height", eta_height.to_string())
        .add_attribute("expires_at", expires_at.seconds().to_string()))
}

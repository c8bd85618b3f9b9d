//! Governance queues a passed restoration.

use cosmwasm_std::{to_json_binary, DepsMut, Env, HexBinary, MessageInfo, Response};
use rewind_types::{RestorationSpec, ACTION};

use super::{ensure_governance, schedule, set_lock};
use crate::error::ContractError;
use crate::settings::MAX_TARGETS;
use crate::state::OperationKind;

/// `Queue { spec, content_hash, veto_window_seconds }`, from governance only: re-computes the
/// content hash (row G6), bounds the targets (row D3), schedules the operation (a fast
/// track's veto window, bounded in code, replaces the delay: row F6) and locks the targets in
/// the guardian until it expires (row P4). Answers the operation id in `data`.
pub fn queue(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    spec: RestorationSpec,
    content_hash: HexBinary,
    veto_window_seconds: Option<u64>,
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
    let proposal_id = spec.proposal_id;
    let op = schedule(
        deps,
        &env,
        OperationKind::Restoration { spec: Some(spec) },
        computed,
        veto_window_seconds,
    )?;
    // The targets stay locked from queue until executed, cancelled or expired (row P4).
    Ok(Response::new()
        .add_messages(set_lock(&modules, &op)?)
        .set_data(to_json_binary(&op.id)?)
        .add_attribute(ACTION, "queue")
        .add_attribute("operation_id", op.id.to_string())
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_attribute("content_hash", op.content_hash.to_hex())
        .add_attribute("fast_track", veto_window_seconds.is_some().to_string())
        .add_attribute("eta", op.eta.seconds().to_string())
        .add_attribute("eta_height", op.eta_height.to_string())
        .add_attribute("expires_at", op.expires_at.seconds().to_string()))
}

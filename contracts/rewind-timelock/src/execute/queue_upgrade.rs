//! Governance queues a passed upgrade of a core contract.

use cosmwasm_std::{to_json_binary, DepsMut, Env, HexBinary, MessageInfo, Response};
use rewind_types::ACTION;

use super::{ensure_governance, schedule};
use crate::error::ContractError;
use crate::state::OperationKind;

/// `QueueUpgrade { proposal_id, content_hash }`, from governance only. The operation waits
/// exactly as a restoration does (delay, blocks, grace window, one guardian delay, expiry)
/// but locks nothing in the guardian. When executed it calls governance's
/// `ApplyUpgrade { proposal_id, content_hash }`, which re-checks the content hash and the
/// pinned checksum before migrating. The same content hash is queued once (row R2). Answers
/// the operation id in `data`.
pub fn queue_upgrade(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    proposal_id: u64,
    content_hash: HexBinary,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let op = schedule(
        deps,
        &env,
        OperationKind::Upgrade { proposal_id },
        content_hash,
        None,
    )?;
    Ok(Response::new()
        .set_data(to_json_binary(&op.id)?)
        .add_attribute(ACTION, "queue_upgrade")
        .add_attribute("operation_id", op.id.to_string())
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_attribute("content_hash", op.content_hash.to_hex())
        .add_attribute("eta", op.eta.seconds().to_string())
        .add_attribute("eta_height", op.eta_height.to_string())
        .add_attribute("expires_at", op.expires_at.seconds().to_string()))
}

//! Anyone marks an operation past its grace window as Expired.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::timelock::OperationStatus;

use super::{clear_lock, close_operation, load_operation};
use crate::error::ContractError;
use crate::state::MODULES;

/// `Expire` of a Queued operation past its grace window: Expired, and a restoration's lock
/// released. Open to anyone: the condition is the block time.
pub fn expire(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
) -> Result<Response, ContractError> {
    let modules = MODULES.load(deps.storage)?;
    let op = load_operation(deps.as_ref(), operation_id)?;
    match op.status {
        OperationStatus::Queued if env.block.time >= op.expires_at => {}
        OperationStatus::Queued => {
            return Err(ContractError::NotExpired {
                operation_id,
                expires_at: op.expires_at,
            })
        }
        status => {
            return Err(ContractError::NotQueued {
                operation_id,
                status,
            })
        }
    }
    let clear = clear_lock(&modules, &op)?;
    close_operation(
        deps.storage,
        op,
        OperationStatus::Expired,
        info.sender,
        clear,
        "expire",
        "expired_by",
    )
}

//! Instantiation: Rewind's settings, the journal, then the contract's own instantiate.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_journal::initialize;

use crate::error::ContractError;
use crate::journaled::run_first;
use crate::msg::{InstantiateMsg, StoredSettings};
use crate::state::SETTINGS;
use crate::target::Target;

/// Stores the guardian, starts the journal, runs the contract's instantiate on journaled
/// storage, and records cw2 if the contract did not.
pub fn instantiate<I, E>(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg<I>,
    target: &Target<E>,
    handler: fn(DepsMut, Env, MessageInfo, I) -> Result<Response, E>,
) -> Result<Response, ContractError<E>> {
    let guardian = deps.api.addr_validate(&msg.rewind.guardian)?;
    SETTINGS.save(
        deps.storage,
        &StoredSettings {
            guardian: guardian.clone(),
        },
    )?;
    initialize(
        deps.storage,
        &env,
        msg.rewind.retention_blocks,
        msg.rewind.retention_seconds,
    )?;
    let max_offline = msg
        .rewind
        .max_offline
        .unwrap_or(rewind_types::successor::DEFAULT_MAX_OFFLINE);
    if max_offline < rewind_types::successor::MIN_MAX_OFFLINE {
        return Err(crate::error::TargetError::InvalidRewindConfig {
            reason: format!(
                "max_offline {max_offline} s, at least {} s",
                rewind_types::successor::MIN_MAX_OFFLINE
            ),
        }
        .into());
    }
    crate::offline::set_max_offline(deps.storage, max_offline)?;
    let response = run_first(deps.branch(), &env, target, |deps| {
        handler(deps, env.clone(), info, msg.contract)
    })?;
    // Governance snapshots the cw2 name at proposal and the executor re-checks it.
    if cw2::get_contract_version(deps.storage).is_err() {
        cw2::set_contract_version(deps.storage, target.name, target.version)?;
    }
    Ok(response.add_attribute("rewind_guardian", guardian))
}

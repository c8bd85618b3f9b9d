//! Entry points: they only dispatch.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::execute;
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::{migrations, query};

/// Instantiates the timelock (from governance only).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    crate::instantiate::instantiate(deps, env, info, msg)
}

/// Dispatches an execute message to its action; no message takes funds (row B2).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    match msg {
        ExecuteMsg::Queue {
            spec,
            content_hash,
            veto_window_seconds,
        } => execute::queue::queue(deps, env, info, spec, content_hash, veto_window_seconds),
        ExecuteMsg::QueueUpgrade {
            proposal_id,
            content_hash,
        } => execute::queue_upgrade::queue_upgrade(deps, env, info, proposal_id, content_hash),
        ExecuteMsg::Execute { operation_id } => {
            execute::execute_op::execute_op(deps, env, info, operation_id)
        }
        ExecuteMsg::Cancel { operation_id } => {
            execute::cancel::cancel(deps, env, info, operation_id)
        }
        ExecuteMsg::OverrideDelay { operation_id } => {
            execute::override_delay::override_delay(deps, env, info, operation_id)
        }
        ExecuteMsg::Expire { operation_id } => {
            execute::expire::expire(deps, env, info, operation_id)
        }
        ExecuteMsg::UpdateSettings(settings) => {
            execute::update_settings::update_settings(deps, info, settings)
        }
    }
}

/// Answers a query.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    query::query(deps, env, msg)
}

/// Migrates the timelock to new code (governance, its wasm admin, after a voted upgrade).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    migrations::migrate(deps, env, msg)
}

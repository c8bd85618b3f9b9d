//! Entry points: they only dispatch.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Reply, Response};

use crate::error::ContractError;
use crate::execute;
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::{migrations, query, reply as replies};

/// Instantiates the executor (from governance only).
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
        ExecuteMsg::Apply {
            operation_id,
            spec,
            content_hash,
        } => execute::apply::apply(deps, env, info, operation_id, spec, content_hash),
        ExecuteMsg::Crank {
            restoration_id,
            limit,
        } => execute::crank::crank(deps, env, info, restoration_id, limit),
        ExecuteMsg::Retry { restoration_id } => {
            execute::retry::retry(deps, env, info, restoration_id)
        }
        ExecuteMsg::Abort { restoration_id } => {
            execute::abort::abort(deps, env, info, restoration_id)
        }
        ExecuteMsg::UpdateSettings(settings) => {
            execute::update_settings::update_settings(deps, info, settings)
        }
        ExecuteMsg::Upgrade {
            contract,
            code_id,
            checksum,
        } => execute::upgrade::upgrade(deps, env, info, contract, code_id, checksum),
        ExecuteMsg::Configure { contract, config } => {
            execute::configure::configure(deps, env, info, contract, config)
        }
        ExecuteMsg::ScheduleSweep { target, to } => {
            execute::schedule_sweep::schedule_sweep(deps, env, info, target, to)
        }
        ExecuteMsg::ExecuteSweep { id } => execute::execute_sweep::execute_sweep(deps, env, id),
        ExecuteMsg::CancelSweep { id } => execute::cancel_sweep::cancel_sweep(deps, env, info, id),
    }
}

/// Records the outcome of a migration, crank, abandon or unlock submessage.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, env: Env, msg: Reply) -> Result<Response, ContractError> {
    replies::reply(deps, env, msg)
}

/// Answers a query.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    query::query(deps, env, msg)
}

/// Migrates the executor to new code (governance, its wasm admin, after a voted upgrade).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    migrations::migrate(deps, env, msg)
}

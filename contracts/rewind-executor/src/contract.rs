//! Entry points: they only dispatch.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Reply, Response};

use crate::error::ContractError;
use crate::execute::{admin, apply, crank, recover, sweep, upgrade};
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};
use crate::{query, reply as replies};

pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    admin::instantiate(deps, env, info, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    match msg {
        ExecuteMsg::Wire(modules) => admin::wire(deps, info, modules),
        ExecuteMsg::Apply {
            operation_id,
            spec,
            content_hash,
        } => apply::apply(deps, env, info, operation_id, spec, content_hash),
        ExecuteMsg::Crank {
            restoration_id,
            limit,
        } => crank::crank(deps, env, info, restoration_id, limit),
        ExecuteMsg::Retry { restoration_id } => recover::retry(deps, env, info, restoration_id),
        ExecuteMsg::Abort { restoration_id } => recover::abort(deps, env, info, restoration_id),
        ExecuteMsg::UpdateSettings(settings) => admin::update_settings(deps, info, settings),
        ExecuteMsg::Upgrade {
            contract,
            code_id,
            checksum,
        } => upgrade::upgrade(deps, env, info, contract, code_id, checksum),
        ExecuteMsg::ScheduleSweep { target, to } => sweep::schedule(deps, env, info, target, to),
        ExecuteMsg::ExecuteSweep { id } => sweep::execute(deps, env, id),
        ExecuteMsg::CancelSweep { id } => sweep::cancel(deps, env, info, id),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, env: Env, msg: Reply) -> Result<Response, ContractError> {
    replies::reply(deps, env, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    query::query(deps, env, msg)
}

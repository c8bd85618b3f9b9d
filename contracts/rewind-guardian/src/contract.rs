//! Entry points: they only dispatch.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::execute::{admin, governance_pause, hold, lock, pause};
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};
use crate::query;

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
        ExecuteMsg::Pause {
            target,
            scope,
            duration_seconds,
            reason,
        } => pause::pause(deps, env, info, target, scope, duration_seconds, reason),
        ExecuteMsg::EndPause { target, scope } => pause::end_pause(deps, env, info, target, scope),
        ExecuteMsg::ExtendPause {
            target,
            scope,
            until,
        } => governance_pause::extend(deps, env, info, target, scope, until),
        ExecuteMsg::LiftPause { target, scope } => {
            governance_pause::lift(deps, env, info, target, scope)
        }
        ExecuteMsg::UpdateGuardians { add, remove } => {
            admin::update_guardians(deps, env, info, add, remove)
        }
        ExecuteMsg::SetTarget {
            target,
            exits_pausable,
        } => admin::set_target(deps, env, info, target, exits_pausable),
        ExecuteMsg::RemoveTarget { target } => admin::remove_target(deps, info, target),
        ExecuteMsg::UpdatePolicy(policy) => admin::update_policy(deps, info, policy),
        ExecuteMsg::SetRestorationLock {
            operation_id,
            targets,
            until,
        } => lock::set_lock(deps, env, info, operation_id, targets, until),
        ExecuteMsg::ClearRestorationLock {
            operation_id,
            targets,
        } => lock::clear_lock(deps, env, info, operation_id, targets),
        ExecuteMsg::HoldHistory {
            targets,
            from_height,
            until,
        } => hold::hold_history(deps, env, info, targets, from_height, until),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    query::query(deps, env, msg)
}

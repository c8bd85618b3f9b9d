//! Entry points: each only dispatches to `instantiate`, an action of `execute`, `query` or
//! `migrations`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::execute::{
    clear_restoration_lock, end_pause, extend_pause, hold_history, lift_pause, pause,
    remove_target, set_restoration_lock, set_target, update_guardians, update_policy,
};
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::{instantiate as init, migrations, query as queries};

/// Instantiates the guardian (from governance only).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    init::instantiate(deps, env, info, msg)
}

/// Runs one action. No message takes funds (row B2).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    match msg {
        ExecuteMsg::Pause {
            target,
            scope,
            duration_seconds,
            reason,
        } => pause::pause(deps, env, info, target, scope, duration_seconds, reason),
        ExecuteMsg::EndPause { target, scope } => {
            end_pause::end_pause(deps, env, info, target, scope)
        }
        ExecuteMsg::ExtendPause {
            target,
            scope,
            until,
        } => extend_pause::extend_pause(deps, env, info, target, scope, until),
        ExecuteMsg::LiftPause { target, scope } => {
            lift_pause::lift_pause(deps, env, info, target, scope)
        }
        ExecuteMsg::UpdateGuardians { add, remove } => {
            update_guardians::update_guardians(deps, env, info, add, remove)
        }
        ExecuteMsg::SetTarget {
            target,
            exits_pausable,
            scopes,
        } => set_target::set_target(deps, env, info, target, exits_pausable, scopes),
        ExecuteMsg::RemoveTarget { target } => remove_target::remove_target(deps, info, target),
        ExecuteMsg::UpdatePolicy(policy) => update_policy::update_policy(deps, info, policy),
        ExecuteMsg::SetRestorationLock {
            operation_id,
            targets,
            until,
        } => set_restoration_lock::set_restoration_lock(
            deps,
            env,
            info,
            operation_id,
            targets,
            until,
        ),
        ExecuteMsg::ClearRestorationLock {
            operation_id,
            targets,
        } => clear_restoration_lock::clear_restoration_lock(deps, env, info, operation_id, targets),
        ExecuteMsg::HoldHistory {
            targets,
            from_height,
            until,
        } => hold_history::hold_history(deps, env, info, targets, from_height, until),
    }
}

/// Answers a query.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    queries::query(deps, env, msg)
}

/// Migrates to this code (from governance, the wasm admin, after a voted upgrade).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    migrations::migrate(deps, env, msg)
}

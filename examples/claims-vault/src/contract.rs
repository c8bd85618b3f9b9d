//! Entry points: each only dispatches.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::execute::{receive_claim, withdraw};
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::query;

/// Stores the sources (see [`crate::instantiate`]).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    crate::instantiate::instantiate(deps, env, info, msg)
}

/// Dispatches each execute message to its action.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::ReceiveClaim { record, digest } => {
            receive_claim::receive_claim(deps, info, record, digest)
        }
        ExecuteMsg::Withdraw { denom } => withdraw::withdraw(deps, info, denom),
    }
}

/// Dispatches each query.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?)?,
        QueryMsg::Claim { account } => to_json_binary(&query::claim(deps, account)?)?,
        QueryMsg::Claims { start_after, limit } => {
            to_json_binary(&query::claims(deps, start_after, limit)?)?
        }
    })
}

/// Migrates in place (see [`crate::migrations`]).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    crate::migrations::migrate(deps, env, msg)
}

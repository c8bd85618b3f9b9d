//! Entry points: they only dispatch.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::execute::{admin, cancel, execute_op, queue};
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
        ExecuteMsg::Queue { spec, content_hash } => {
            queue::queue(deps, env, info, spec, content_hash)
        }
        ExecuteMsg::Execute { operation_id } => execute_op::execute(deps, env, info, operation_id),
        ExecuteMsg::Cancel { operation_id } => cancel::cancel(deps, env, info, operation_id),
        ExecuteMsg::OverrideDelay { operation_id } => {
            cancel::override_delay(deps, env, info, operation_id)
        }
        ExecuteMsg::Expire { operation_id } => cancel::expire(deps, env, info, operation_id),
        ExecuteMsg::UpdateSettings(settings) => admin::update_settings(deps, info, settings),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    query::query(deps, env, msg)
}

//! Entry points: each only dispatches.

use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response, StdError};

use crate::error::ContractError;
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::{execute, query};

/// The cw2 name.
pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
/// The cw2 version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Records cw2; the counters start empty.
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    _msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

/// Dispatches an execute message.
pub fn execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    match msg {
        ExecuteMsg::Increment { by } => execute::increment::increment(deps, info, by),
        ExecuteMsg::Reset {} => execute::reset::reset(deps, info),
    }
}

/// Dispatches a query.
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> Result<Binary, StdError> {
    match msg {
        QueryMsg::Count { address } => query::count(deps, address),
        QueryMsg::Counters { start_after, limit } => query::counters(deps, start_after, limit),
    }
}

/// Same cw2 name, same or newer version.
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    cw2::ensure_from_older_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new().add_attribute("action", "migrate"))
}

rewind_target::gated!(ExecuteMsg {
    increment => ExecuteMsg::Increment { .. } | ExecuteMsg::Reset {},
});

rewind_target::restorable! {
    instantiate: instantiate(InstantiateMsg),
    execute: execute(ExecuteMsg) -> ContractError,
    query: query(QueryMsg) -> StdError,
    migrate: migrate(MigrateMsg),
}

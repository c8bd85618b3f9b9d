//! Entry points: they only dispatch.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};
use rewind_types::vault::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

use crate::error::ContractError;
use crate::execute::{
    close_position, deposit, gate as gate_msg, liquidate, open_position, prune, push_price,
    withdraw,
};
use crate::{gate, instantiate as init, migrations, query as q, restore};

/// Instantiates the vault.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    init::instantiate(deps, env, info, msg)
}

/// Checks the pause gate for the variant, then dispatches it.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    gate::admit(deps.branch(), &env, &info, &msg)?;
    match msg {
        ExecuteMsg::Deposit {} => deposit::deposit(deps, env, info),
        ExecuteMsg::Withdraw { denom, amount } => {
            withdraw::withdraw(deps, env, info, denom, amount)
        }
        ExecuteMsg::OpenPosition {
            market,
            size,
            margin,
        } => open_position::open_position(deps, env, info, market, size, margin),
        ExecuteMsg::ClosePosition { market } => {
            close_position::close_position(deps, env, info, market)
        }
        ExecuteMsg::Liquidate { account, market } => {
            liquidate::liquidate(deps, env, info, account, market)
        }
        ExecuteMsg::PushPrice { market, price } => {
            push_price::push_price(deps, env, info, market, price)
        }
        ExecuteMsg::Prune { limit } => prune::prune(deps, env, info, limit),
        ExecuteMsg::Gate(msg) => gate_msg::gate(deps, env, info, msg),
        ExecuteMsg::Crank { limit } => restore::crank::crank(deps, env, info, limit),
    }
}

/// Answers a query.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    q::query(deps, env, msg)
}

/// `Upgrade {}`, `Restore { .. }`, `Release { .. }`, `Configure { .. }`, `Abandon { .. }`
/// or `Sweep { .. }` (the chain lets only the wasm admin send it).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    migrations::migrate(deps, env, msg)
}

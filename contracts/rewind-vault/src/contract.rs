//! Entry points: they only dispatch.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};
use rewind_journal::note_activity;
use rewind_types::vault::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

use crate::error::ContractError;
use crate::execute::{admin, collateral, liquidate, price, trade};
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
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    gate::check(deps.as_ref(), &env, &msg)?;
    if gate::is_user_action(&msg) {
        // Row G14: the newest height each account acted at (plain, never rolled back). A
        // failed execution reverts it with everything else.
        note_activity(deps.storage, &env, &info.sender)?;
    }
    match msg {
        ExecuteMsg::Deposit {} => collateral::deposit(deps, env, info),
        ExecuteMsg::Withdraw { denom, amount } => {
            collateral::withdraw(deps, env, info, denom, amount)
        }
        ExecuteMsg::OpenPosition {
            market,
            size,
            margin,
        } => trade::open_position(deps, env, info, market, size, margin),
        ExecuteMsg::ClosePosition { market } => trade::close_position(deps, env, info, market),
        ExecuteMsg::Liquidate { account, market } => {
            liquidate::liquidate(deps, env, info, account, market)
        }
        ExecuteMsg::PushPrice { market, price } => {
            price::push_price(deps, env, info, market, price)
        }
        ExecuteMsg::UpdateConfig(update) => admin::update_config(deps, info, update),
        ExecuteMsg::Prune { limit } => admin::prune(deps, env, info, limit),
        ExecuteMsg::Gate(msg) => admin::gate(deps, env, info, msg),
        ExecuteMsg::Crank { limit } => restore::crank::crank(deps, env, info, limit),
    }
}

/// Answers a query.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    q::query(deps, env, msg)
}

/// `Upgrade {}` or `Restore { .. }` (the chain lets only the wasm admin send it).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    migrations::migrate(deps, env, msg)
}

//! The entry points. Each one only dispatches to [`instantiate`](crate::instantiate), an
//! action under [`execute`](crate::execute), [`query`](crate::query) or
//! [`migrate`](crate::migrate).

use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::execute::{provide_liquidity, swap, withdraw_liquidity};
use crate::migrate::MigrateMsg;
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};
use crate::query;

/// Validates and stores the pool's denoms and fee (see [`crate::instantiate`]).
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    crate::instantiate::instantiate(deps, env, info, msg)
}

/// Dispatches each execute message to its action.
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::ProvideLiquidity { min_share } => {
            provide_liquidity::execute(deps, env, info, min_share)
        }
        ExecuteMsg::WithdrawLiquidity { share, min_assets } => {
            withdraw_liquidity::execute(deps, env, info, share, min_assets)
        }
        ExecuteMsg::Swap { min_return, to } => swap::execute(deps, env, info, min_return, to),
    }
}

/// Dispatches each query to its reader.
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Pool {} => to_json_binary(&query::pool(deps)?)?,
        QueryMsg::Share { address } => to_json_binary(&query::share(deps, address)?)?,
        QueryMsg::Simulation { offer } => to_json_binary(&query::simulation(deps, offer)?)?,
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?)?,
        QueryMsg::AllShares { start_after, limit } => {
            to_json_binary(&query::all_shares(deps, start_after, limit)?)?
        }
    })
}

/// Upgrades the code in place (see [`crate::migrate`]).
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    crate::migrate::migrate(deps, env, msg)
}

rewind_target::gated!(ExecuteMsg {
    provide => ExecuteMsg::ProvideLiquidity { .. },
    #[exit] withdraw => ExecuteMsg::WithdrawLiquidity { .. },
    swap => ExecuteMsg::Swap { .. },
});

rewind_target::restorable! {
    instantiate: instantiate(InstantiateMsg),
    execute: execute(ExecuteMsg) -> ContractError,
    query: query(QueryMsg) -> ContractError,
    migrate: migrate(MigrateMsg),
    holdings: (held, set_held), // its reserves: the library reconciles them with the bank
    shares: ("shares", "total_share"),
}
fn held(deps: Deps) -> Result<Vec<cosmwasm_std::Coin>, ContractError> {
    Ok(query::pool(deps)?.assets.to_vec())
}
fn set_held(deps: DepsMut, held: &[cosmwasm_std::Coin]) -> Result<(), ContractError> {
    Ok(crate::state::RESERVES.save(deps.storage, &rewind_target::amounts(held)?)?)
}

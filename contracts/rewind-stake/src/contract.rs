//! Entry points. Each one only dispatches to [`instantiate`](crate::instantiate), an action
//! under `execute/`, [`query`](crate::query) or [`migrations`](crate::migrations).

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult};
use rewind_types::upgrade::MigrateMsg;

use crate::error::ContractError;
use crate::execute::{claim, stake, unstake};
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};
use crate::query::{staking, voting};

/// Validates and stores the configuration (see [`crate::instantiate`]).
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
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Stake {} => stake::execute(deps, env, info),
        ExecuteMsg::Unstake { amount } => unstake::execute(deps, env, info, amount),
        ExecuteMsg::Claim {} => claim::execute(deps, env, info),
    }
}

/// Dispatches each query to its reader.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::VotingPowerAtHeight { address, height } => {
            to_json_binary(&voting::voting_power_at_height(deps, env, address, height)?)
        }
        QueryMsg::TotalPowerAtHeight { height } => {
            to_json_binary(&voting::total_power_at_height(deps, env, height)?)
        }
        QueryMsg::Dao {} => to_json_binary(&voting::dao(deps)?),
        QueryMsg::Info {} => to_json_binary(&voting::info(deps)?),
        QueryMsg::GetConfig {} => to_json_binary(&staking::config(deps)?),
        QueryMsg::Denom {} => to_json_binary(&staking::denom(deps)?),
        QueryMsg::Claims { address } => to_json_binary(&staking::claims(deps, address)?),
        QueryMsg::ListStakers { start_after, limit } => {
            to_json_binary(&staking::list_stakers(deps, start_after, limit)?)
        }
    }
}

/// Upgrades the code in place (see [`crate::migrations`]). Only the wasm admin, governance,
/// can call it; the chain enforces that.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    crate::migrations::migrate(deps, env, msg)
}

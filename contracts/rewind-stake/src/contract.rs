//! Entry points: validation of the instantiate message, then dispatch to one module per action.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult, Uint128,
};

use crate::error::ContractError;
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};
use crate::state::{Config, CONFIG, TOTAL_STAKED};
use crate::{claim, query, stake, unstake};

pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    validate_denom(&msg.denom)?;
    if msg.unbonding_seconds == 0 {
        return Err(ContractError::ZeroUnbondingPeriod {});
    }
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    CONFIG.save(
        deps.storage,
        &Config {
            denom: msg.denom.clone(),
            unbonding_seconds: msg.unbonding_seconds,
        },
    )?;
    TOTAL_STAKED.save(deps.storage, &Uint128::zero(), env.block.height)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("denom", msg.denom)
        .add_attribute("unbonding_seconds", msg.unbonding_seconds.to_string()))
}

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

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::VotingPowerAtHeight { address, height } => {
            to_json_binary(&query::voting_power_at_height(deps, env, address, height)?)
        }
        QueryMsg::TotalPowerAtHeight { height } => {
            to_json_binary(&query::total_power_at_height(deps, env, height)?)
        }
        QueryMsg::Info {} => to_json_binary(&query::info(deps)?),
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?),
        QueryMsg::Stakers { start_after, limit } => {
            to_json_binary(&query::stakers(deps, start_after, limit)?)
        }
        QueryMsg::Claims { address } => to_json_binary(&query::claims(deps, address)?),
    }
}

/// The Cosmos SDK denom rule: a letter, then 2 to 127 of `[a-zA-Z0-9/:._-]`.
fn validate_denom(denom: &str) -> Result<(), ContractError> {
    let valid_len = (3..=128).contains(&denom.len());
    let mut chars = denom.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_valid = chars.all(|c| c.is_ascii_alphanumeric() || "/:._-".contains(c));
    if valid_len && starts_with_letter && rest_valid {
        Ok(())
    } else {
        Err(ContractError::InvalidDenom {
            denom: denom.to_string(),
        })
    }
}

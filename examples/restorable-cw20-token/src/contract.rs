//! The entry points. Each one only dispatches to [`instantiate`](crate::instantiate), an
//! action under [`execute`](crate::execute), [`query`](crate::query) or
//! [`migrate`](crate::migrate).

use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult};

use crate::error::ContractError;
use crate::execute::{
    burn, burn_from, decrease_allowance, increase_allowance, mint, send, send_from, transfer,
    transfer_from, update_minter,
};
use crate::migrate::MigrateMsg;
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};
use crate::query;

/// Validates the token and stores its initial balances (see [`crate::instantiate`]).
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
        ExecuteMsg::Transfer { recipient, amount } => {
            transfer::execute(deps, env, info, recipient, amount)
        }
        ExecuteMsg::Burn { amount } => burn::execute(deps, env, info, amount),
        ExecuteMsg::Send {
            contract,
            amount,
            msg,
        } => send::execute(deps, env, info, contract, amount, msg),
        ExecuteMsg::IncreaseAllowance {
            spender,
            amount,
            expires,
        } => increase_allowance::execute(deps, env, info, spender, amount, expires),
        ExecuteMsg::DecreaseAllowance {
            spender,
            amount,
            expires,
        } => decrease_allowance::execute(deps, env, info, spender, amount, expires),
        ExecuteMsg::TransferFrom {
            owner,
            recipient,
            amount,
        } => transfer_from::execute(deps, env, info, owner, recipient, amount),
        ExecuteMsg::SendFrom {
            owner,
            contract,
            amount,
            msg,
        } => send_from::execute(deps, env, info, owner, contract, amount, msg),
        ExecuteMsg::BurnFrom { owner, amount } => {
            burn_from::execute(deps, env, info, owner, amount)
        }
        ExecuteMsg::Mint { recipient, amount } => mint::execute(deps, env, info, recipient, amount),
        ExecuteMsg::UpdateMinter { new_minter } => {
            update_minter::execute(deps, env, info, new_minter)
        }
    }
}

/// Dispatches each query to its reader.
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Balance { address } => to_json_binary(&query::balance(deps, address)?),
        QueryMsg::TokenInfo {} => to_json_binary(&query::token_info(deps)?),
        QueryMsg::Minter {} => to_json_binary(&query::minter(deps)?),
        QueryMsg::Allowance { owner, spender } => {
            to_json_binary(&query::allowance(deps, env, owner, spender)?)
        }
        QueryMsg::AllAllowances {
            owner,
            start_after,
            limit,
        } => to_json_binary(&query::all_allowances(deps, owner, start_after, limit)?),
        QueryMsg::AllSpenderAllowances {
            spender,
            start_after,
            limit,
        } => to_json_binary(&query::all_spender_allowances(
            deps,
            spender,
            start_after,
            limit,
        )?),
        QueryMsg::AllAccounts { start_after, limit } => {
            to_json_binary(&query::all_accounts(deps, start_after, limit)?)
        }
    }
}

/// Upgrades the code in place (see [`crate::migrate`]).
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    crate::migrate::migrate(deps, env, msg)
}

rewind_target::gated!(ExecuteMsg {
    mint => ExecuteMsg::Mint { .. } | ExecuteMsg::UpdateMinter { .. },
    allowance => ExecuteMsg::IncreaseAllowance { .. } | ExecuteMsg::DecreaseAllowance { .. },
    #[exit] transfer => ExecuteMsg::Transfer { .. } | ExecuteMsg::Send { .. }
        | ExecuteMsg::TransferFrom { .. } | ExecuteMsg::SendFrom { .. },
    #[exit] burn => ExecuteMsg::Burn { .. } | ExecuteMsg::BurnFrom { .. },
});

rewind_target::restorable! {
    instantiate: instantiate(InstantiateMsg),
    execute: execute(ExecuteMsg) -> ContractError,
    query: query(QueryMsg) -> cosmwasm_std::StdError,
    migrate: migrate(MigrateMsg),
}

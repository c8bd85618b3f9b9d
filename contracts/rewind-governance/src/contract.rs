//! Entry points. They only dispatch.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Reply, Response};

use crate::execute::propose_restoration::RestorationInput;
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::ContractError;

/// Instantiates governance and, through sub-messages, the timelock, guardian and executor.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    crate::instantiate::instantiate(deps, env, info, msg)
}

/// Dispatches an execute message to its action.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::ProposeRestoration {
            title,
            description,
            targets,
            candidates,
            exclusions,
            shortfall_policy,
            expedited,
        } => crate::execute::propose_restoration::propose_restoration(
            deps,
            env,
            info,
            RestorationInput {
                title,
                description,
                targets,
                candidates,
                exclusions,
                shortfall_policy,
                expedited,
            },
        ),
        ExecuteMsg::ProposeFastTrack {
            target,
            incident_id,
            exclusions,
        } => crate::execute::propose_fast_track::propose_fast_track(
            deps,
            env,
            info,
            target,
            incident_id,
            exclusions,
        ),
        ExecuteMsg::ProposeParameters {
            title,
            description,
            changes,
        } => crate::execute::parameters::propose_parameters(
            deps,
            env,
            info,
            title,
            description,
            changes,
        ),
        ExecuteMsg::Vote { proposal_id, vote } => {
            crate::execute::vote::vote(deps, env, info, proposal_id, vote)
        }
        ExecuteMsg::Close { proposal_id } => {
            crate::execute::close::close(deps, env, info, proposal_id)
        }
        ExecuteMsg::ApplyParameters { proposal_id } => {
            crate::execute::parameters::apply_parameters(deps, env, info, proposal_id)
        }
        ExecuteMsg::ProposeUpgrade {
            title,
            description,
            upgrade,
        } => crate::execute::propose_upgrade::propose_upgrade(
            deps,
            env,
            info,
            title,
            description,
            upgrade,
        ),
        ExecuteMsg::ApplyUpgrade {
            proposal_id,
            content_hash,
        } => {
            crate::execute::apply_upgrade::apply_upgrade(deps, env, info, proposal_id, content_hash)
        }
    }
}

/// Dispatches a query.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    crate::query::query(deps, env, msg)
}

/// Dispatches a reply.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, env: Env, msg: Reply) -> Result<Response, ContractError> {
    crate::reply::reply(deps, env, msg)
}

/// Migrates governance's own code (row G7).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    crate::migrations::migrate(deps, env, msg)
}

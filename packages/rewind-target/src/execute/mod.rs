//! Execution: Rewind's `Gate` and `Crank`, or the contract's own message behind the gate.

mod contract;
pub(crate) mod crank;
mod gate;
mod prune;
mod replay;
mod reply;
mod settle;

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::restorable::RestorableExecuteMsg;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{ContractError, TargetError};
use crate::msg::{ExecuteMsg, Gated, Wrapped};
use crate::target::Target;

pub use crank::{crank, DEFAULT_CRANK_LIMIT, MAX_CRANK_LIMIT, REPLAY_WEIGHT};
pub use reply::reply;

/// A contract's own execute handler.
pub type ExecuteHandler<M, E> = fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>;
pub use prune::{DEFAULT_PRUNE_LIMIT, MAX_PRUNE_LIMIT};

/// Dispatches an execute message of a restorable contract.
pub fn execute<M: Gated + Serialize + DeserializeOwned, E: std::fmt::Display>(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg<M>,
    target: &Target<E>,
    handler: fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>,
) -> Result<Response, ContractError<E>> {
    if let Wrapped::Rewind(rewind) = &msg {
        // `FundBounty` is the one Rewind message that takes funds.
        let funding = matches!(rewind, RestorableExecuteMsg::FundBounty { .. });
        if !info.funds.is_empty() && !funding {
            let action = match rewind {
                RestorableExecuteMsg::Gate(_) => "gate",
                RestorableExecuteMsg::Crank { .. } => "crank",
                RestorableExecuteMsg::CrankBefore { .. } => "crank_before",
                RestorableExecuteMsg::Prune { .. } => "prune",
                RestorableExecuteMsg::MoveToSuccessor {} => "move_to_successor",
                RestorableExecuteMsg::Report { .. } => "report",
                RestorableExecuteMsg::FundBounty { .. } => "fund_bounty",
            };
            return Err(TargetError::Funds { action }.into());
        }
    }
    match msg {
        // Not gated: the guardian must be able to set, end and extend pauses while paused.
        Wrapped::Rewind(RestorableExecuteMsg::Gate(msg)) => {
            gate::gate(deps, env, info, msg, target)
        }
        // Not gated: a restoration must progress while the contract is locked.
        Wrapped::Rewind(RestorableExecuteMsg::Crank { limit }) => {
            crank::crank(deps, env, target, limit, None, handler)
        }
        // The executor's global order across the targets of one restoration.
        Wrapped::Rewind(RestorableExecuteMsg::CrankBefore { limit, height }) => {
            crank::crank(deps, env, target, limit, Some(height), handler)
        }
        // Not gated: upkeep anyone may run; the journal idles while a restoration is pending.
        Wrapped::Rewind(RestorableExecuteMsg::Prune { limit }) => prune::prune(deps, env, limit),
        // Exit-only mode only (issue 15): the sender's own claim, to the pinned successor.
        Wrapped::Rewind(RestorableExecuteMsg::MoveToSuccessor {}) => {
            crate::successor::move_to_successor(deps, env, info, target)
        }
        // Not gated: a report must reach a paused contract (issue 16).
        Wrapped::Rewind(RestorableExecuteMsg::Report { invariant, limit }) => {
            crate::report::report(deps, env, info, invariant, limit, target)
        }
        Wrapped::Rewind(RestorableExecuteMsg::FundBounty { per_incident }) => {
            crate::report::fund_bounty(deps, env, info, per_incident)
        }
        Wrapped::Contract(msg) => contract::contract(deps, env, info, msg, target, handler),
    }
}

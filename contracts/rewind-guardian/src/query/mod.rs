//! Read-only views, dispatched here: the registry and configuration (`registry`), pause
//! status and history (`pauses`), and the guardian budgets and stretches (`budget`).

pub mod budget;
pub mod pauses;
pub mod registry;

use cosmwasm_std::{to_json_binary, Binary, Deps, Env};
use rewind_types::guardian::QueryMsg;

use crate::error::ContractError;

/// Answers one query.
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&registry::config(deps)?)?,
        QueryMsg::IsGuardian { address } => to_json_binary(&registry::is_guardian(deps, address)?)?,
        QueryMsg::Guardians { start_after, limit } => {
            to_json_binary(&registry::guardians(deps, start_after, limit)?)?
        }
        QueryMsg::PauseStatus { target } => {
            to_json_binary(&pauses::pause_status(deps, &env, target)?)?
        }
        QueryMsg::PauseHistory {
            target,
            start_before,
            limit,
        } => to_json_binary(&pauses::history(deps, target, start_before, limit)?)?,
        QueryMsg::Budget { target } => to_json_binary(&budget::budget(deps, &env, target)?)?,
        QueryMsg::GuardianBudget { target, guardian } => {
            to_json_binary(&budget::guardian_budget(deps, &env, target, guardian)?)?
        }
        QueryMsg::Target { target } => to_json_binary(&registry::target(deps, target)?)?,
        QueryMsg::Targets { start_after, limit } => {
            to_json_binary(&registry::targets(deps, start_after, limit)?)?
        }
    })
}

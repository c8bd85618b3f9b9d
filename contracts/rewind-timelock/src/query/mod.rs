//! Read-only views: config and operations with their effective status.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env};
use rewind_types::page_by_id;
use rewind_types::timelock::{ConfigResponse, OperationsResponse, QueryMsg};

use crate::error::ContractError;
use crate::execute::load_operation;
use crate::state::{MODULES, OPERATIONS, SETTINGS};

/// Answers every query; an operation's status is its effective one at the block time.
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    let now = env.block.time;
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&ConfigResponse {
            settings: SETTINGS.load(deps.storage)?,
            modules: MODULES.load(deps.storage)?,
        })?,
        QueryMsg::Operation { operation_id } => {
            to_json_binary(&load_operation(deps, operation_id)?.to_response(now))?
        }
        QueryMsg::Operations { start_after, limit } => {
            let operations = page_by_id(&OPERATIONS, deps.storage, start_after, limit, |op| {
                op.to_response(now)
            })?;
            to_json_binary(&OperationsResponse { operations })?
        }
    })
}

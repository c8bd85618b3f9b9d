//! Read-only views: config and operations with their effective status.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env};
use rewind_types::page_by_id;
use rewind_types::timelock::{ConfigResponse, OperationsResponse, QueryMsg};

use crate::error::ContractError;
use crate::execute::load_operation;
use crate::state::{CONFIG, MODULES, OPERATIONS};

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    let now = env.block.time;
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&ConfigResponse {
            settings: CONFIG.load(deps.storage)?.settings,
            modules: MODULES.may_load(deps.storage)?,
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

//! Read-only views: config and operations with their effective status.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env, Order, StdResult};
use cw_storage_plus::Bound;
use rewind_types::clamp_limit;
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
            let operations = OPERATIONS
                .range(
                    deps.storage,
                    start_after.map(Bound::exclusive),
                    None,
                    Order::Ascending,
                )
                .take(clamp_limit(limit))
                .map(|item| item.map(|(_, op)| op.to_response(now)))
                .collect::<StdResult<_>>()?;
            to_json_binary(&OperationsResponse { operations })?
        }
    })
}

//! Migration: the same name, the same or a newer version (cw2). No stored version needs a
//! state change yet.

use cosmwasm_std::{DepsMut, Env, Response};

use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};
use crate::msg::MigrateMsg;

/// Checks the cw2 rule and records the version.
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let from = cw2::get_contract_version(deps.storage)?;
    if from.contract != CONTRACT_NAME {
        return Err(cosmwasm_std::StdError::msg(format!(
            "cannot migrate {} to {CONTRACT_NAME}",
            from.contract
        ))
        .into());
    }
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", from.version))
}

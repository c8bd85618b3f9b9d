//! `migrate`: a code upgrade of the same contract, never to an older version.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{DepsMut, Env, Response};

use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};

/// The migrate message: nothing to configure.
#[cw_serde]
pub struct MigrateMsg {}

/// Refuses another contract's state and any downgrade (cw2), then records the new version.
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let from = cw2::ensure_from_older_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", from.to_string())
        .add_attribute("to_version", CONTRACT_VERSION))
}

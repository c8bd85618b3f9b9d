//! Migrate: same cw2 name, strictly newer version; never rewrites configuration, modules
//! or proposals (row G7).

use cosmwasm_std::{DepsMut, Env, Response};
use rewind_types::governance::MigrateMsg;

use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};
use crate::ContractError;

/// Parses `major.minor.patch` (pre-release and build suffixes are not accepted).
pub fn parse_version(version: &str) -> Result<(u64, u64, u64), ContractError> {
    let invalid = || ContractError::InvalidVersion {
        version: version.to_string(),
    };
    let mut parts = version
        .split('.')
        .map(|p| p.parse::<u64>().map_err(|_| invalid()));
    let major = parts.next().ok_or_else(invalid)??;
    let minor = parts.next().ok_or_else(invalid)??;
    let patch = parts.next().ok_or_else(invalid)??;
    if parts.next().is_some() {
        return Err(invalid());
    }
    Ok((major, minor, patch))
}

/// Migrate entry point logic.
pub fn migrate(deps: DepsMut, _env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    let MigrateMsg::Upgrade {} = msg;
    let stored = cw2::get_contract_version(deps.storage)?;
    if stored.contract != CONTRACT_NAME {
        return Err(ContractError::WrongContract {
            expected: CONTRACT_NAME.to_string(),
            found: stored.contract,
        });
    }
    if parse_version(&stored.version)? >= parse_version(CONTRACT_VERSION)? {
        return Err(ContractError::NotNewerVersion {
            stored: stored.version,
            new: CONTRACT_VERSION.to_string(),
        });
    }
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", stored.version)
        .add_attribute("to_version", CONTRACT_VERSION))
}

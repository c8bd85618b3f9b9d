//! Instantiation: the registered sources.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::msg::InstantiateMsg;
use crate::state::{RECEIVED, SOURCES};

/// The cw2 name.
pub const CONTRACT_NAME: &str = "crates.io:claims-vault";
/// The cw2 version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The most sources one claims vault takes.
pub const MAX_SOURCES: usize = 20;

/// Validates and stores the sources.
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    if msg.sources.is_empty() || msg.sources.len() > MAX_SOURCES {
        return Err(ContractError::Sources {
            sources: msg.sources.len(),
            max: MAX_SOURCES,
        });
    }
    let mut sources = msg
        .sources
        .iter()
        .map(|s| deps.api.addr_validate(s))
        .collect::<Result<Vec<_>, _>>()?;
    sources.sort();
    sources.dedup();
    SOURCES.save(deps.storage, &sources)?;
    RECEIVED.save(deps.storage, &0)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("sources", sources.len().to_string()))
}

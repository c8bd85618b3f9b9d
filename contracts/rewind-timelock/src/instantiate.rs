//! Instantiation: governance sends every module's address, predicted with instantiate2.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::timelock::InstantiateMsg;
use rewind_types::{wiring, ACTION};

use crate::error::ContractError;
use crate::settings::validate;
use crate::state::{MODULES, NEXT_ID, SETTINGS};

/// The cw2 contract name.
pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
/// The cw2 contract version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Checks the module addresses (valid, and the sender is the governance they name, row B1)
/// and the settings (rows T1, B4), then stores both.
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let modules = wiring::validate_modules(deps.api, &info.sender, &msg.modules)?;
    validate(&msg.settings)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    MODULES.save(deps.storage, &modules)?;
    SETTINGS.save(deps.storage, &msg.settings)?;
    NEXT_ID.save(deps.storage, &1)?;
    Ok(Response::new()
        .add_attribute(ACTION, "instantiate")
        .add_attribute("governance", modules.governance)
        .add_attribute("guardian", modules.guardian)
        .add_attribute("executor", modules.executor))
}

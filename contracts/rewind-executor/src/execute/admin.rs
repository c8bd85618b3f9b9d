//! Instantiate, wiring and governance's setting changes.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, StdResult};
use rewind_types::executor::{ExecutorSettings, InstantiateMsg};
use rewind_types::{wiring, ModuleAddresses, ACTION};

use super::ensure_governance;
use crate::contract::{CONTRACT_NAME, CONTRACT_VERSION};
use crate::error::ContractError;
use crate::settings::validate;
use crate::state::{Config, CONFIG, MODULES};

pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let governance = deps.api.addr_validate(&msg.governance)?;
    validate(&msg.settings)?;
    CONFIG.save(
        deps.storage,
        &Config {
            governance: governance.clone(),
            settings: msg.settings,
        },
    )?;
    Ok(Response::new()
        .add_attribute(ACTION, "instantiate")
        .add_attribute("governance", governance))
}

pub fn wire(
    deps: DepsMut,
    info: MessageInfo,
    modules: ModuleAddresses,
) -> Result<Response, ContractError> {
    let governance = CONFIG.load(deps.storage)?.governance;
    let already_wired = MODULES.exists(deps.storage);
    let validated =
        wiring::validate_wire(deps.api, &info.sender, &governance, already_wired, &modules)?;
    MODULES.save(deps.storage, &validated)?;
    Ok(Response::new()
        .add_attribute(ACTION, "wire")
        .add_attribute("timelock", validated.timelock)
        .add_attribute("guardian", validated.guardian))
}

pub fn update_settings(
    deps: DepsMut,
    info: MessageInfo,
    settings: ExecutorSettings,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    validate(&settings)?;
    CONFIG.update(deps.storage, |mut c| -> StdResult<_> {
        c.settings = settings.clone();
        Ok(c)
    })?;
    Ok(Response::new()
        .add_attribute(ACTION, "update_settings")
        .add_attribute(
            "default_crank_limit",
            settings.default_crank_limit.to_string(),
        )
        .add_attribute("max_crank_limit", settings.max_crank_limit.to_string())
        .add_attribute("lock_seconds", settings.lock_seconds.to_string())
        .add_attribute("exit_only_seconds", settings.exit_only_seconds.to_string()))
}

//! Instantiation: governance sends the module addresses it predicted, the guardian set,
//! the pause caps and the targets registered from genesis with their exit policy.

use std::collections::BTreeSet;

use cosmwasm_std::{DepsMut, Empty, Env, MessageInfo, Response};
use rewind_types::guardian::InstantiateMsg;
use rewind_types::{wiring, ACTION};

use crate::error::ContractError;
use crate::execute::{register_target, validate_scopes, validate_set};
use crate::policy::{validate_policy, MAX_GUARDIANS};
use crate::state::{GUARDIANS, MODULES, NEXT_PAUSE_ID, POLICY};

/// The cw2 contract name.
pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
/// The cw2 contract version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Stores the module addresses (the sender must be the governance they name, row B1), the
/// validated policy (row B4) and guardian set (row D3), and registers `msg.targets` as
/// `SetTarget` would: valid addresses, each once, at most `MAX_TARGETS`, each with valid
/// declared scopes. The targets do not exist yet at genesis (they are instantiated after
/// governance, at predicted addresses), so their scopes come from the deploy plan.
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let modules = wiring::validate_modules(deps.api, &info.sender, &msg.modules)?;
    validate_policy(&msg.settings.policy)?;
    let guardians = validate_set(deps.api, &msg.settings.guardians)?;
    if guardians.len() as u64 > MAX_GUARDIANS {
        return Err(ContractError::TooManyGuardians {
            count: guardians.len() as u64,
            max: MAX_GUARDIANS,
        });
    }
    for g in &guardians {
        GUARDIANS.save(deps.storage, g, &Empty {})?;
    }
    MODULES.save(deps.storage, &modules)?;
    POLICY.save(deps.storage, &msg.settings.policy)?;
    NEXT_PAUSE_ID.save(deps.storage, &1)?;
    let mut seen = BTreeSet::new();
    for registration in &msg.targets {
        let target = deps.api.addr_validate(&registration.contract)?;
        if !seen.insert(target.clone()) {
            return Err(ContractError::DuplicateTarget { target });
        }
        let scopes = validate_scopes(&target, registration.scopes.clone())?;
        register_target(
            deps.storage,
            env.block.time,
            &target,
            registration.exits_pausable,
            scopes,
        )?;
    }
    Ok(Response::new()
        .add_attribute(ACTION, "instantiate")
        .add_attribute("governance", modules.governance)
        .add_attribute("timelock", modules.timelock)
        .add_attribute("executor", modules.executor)
        .add_attribute("guardians", guardians.len().to_string())
        .add_attribute("targets", seen.len().to_string()))
}

//! One module per family of actions, plus the shared role checks.

pub mod admin;
pub mod governance_pause;
pub mod hold;
pub mod lock;
pub mod pause;

use cosmwasm_std::{to_json_binary, Addr, Deps, Timestamp, WasmMsg};
use rewind_types::{wiring, GateMsg, ModuleAddresses, PauseScope, RestorableExecuteMsg};

use crate::error::ContractError;
use crate::state::{CONFIG, GUARDIANS, MODULES};

/// The module addresses; refuses every action before `Wire`.
pub fn wired(deps: Deps) -> Result<ModuleAddresses, ContractError> {
    Ok(wiring::wired(MODULES.may_load(deps.storage)?)?)
}

/// Refuses anyone but governance. Governance is never subject to a pause (row P4).
pub fn ensure_governance(deps: Deps, sender: &Addr) -> Result<ModuleAddresses, ContractError> {
    let governance = CONFIG.load(deps.storage)?.governance;
    Ok(wiring::ensure_governance(
        MODULES.may_load(deps.storage)?,
        &governance,
        sender,
    )?)
}

/// Refuses anyone but a current guardian.
pub fn ensure_guardian(deps: Deps, sender: &Addr) -> Result<(), ContractError> {
    wired(deps)?;
    if !GUARDIANS.has(deps.storage, sender) {
        return Err(ContractError::Unauthorized {
            sender: sender.clone(),
            required: "a guardian".to_string(),
        });
    }
    Ok(())
}

/// The gate update pushed to a target.
pub fn push_pause(
    target: &Addr,
    scope: PauseScope,
    until: Timestamp,
) -> Result<WasmMsg, ContractError> {
    Ok(WasmMsg::Execute {
        contract_addr: target.to_string(),
        msg: to_json_binary(&RestorableExecuteMsg::Gate(GateMsg::SetPause {
            scope,
            until,
        }))?,
        funds: vec![],
    })
}

/// The restoration-lock update pushed to a target.
pub fn push_lock(target: &Addr, until: Option<Timestamp>) -> Result<WasmMsg, ContractError> {
    Ok(WasmMsg::Execute {
        contract_addr: target.to_string(),
        msg: to_json_binary(&RestorableExecuteMsg::Gate(GateMsg::SetRestorationLock {
            until,
        }))?,
        funds: vec![],
    })
}

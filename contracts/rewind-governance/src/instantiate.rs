//! Instantiate: validate and store the configuration, register the initial targets, and
//! instantiate the timelock, guardian and executor with governance as admin and authority.

use cosmwasm_std::{
    to_json_binary, Addr, DepsMut, Env, MessageInfo, Response, StdResult, Storage, SubMsg, WasmMsg,
};
use rewind_types::governance::{InstantiateMsg, TargetRegistration};
use rewind_types::{executor, guardian, timelock};

use crate::config::{validate_config, validate_timelock_floors, MAX_REGISTERED_TARGETS};
use crate::state::{
    PendingModules, TargetState, CONFIG, PENDING_MODULES, PROPOSAL_COUNT, TARGETS, TARGET_COUNT,
};
use crate::ContractError;

/// cw2 name of this contract.
pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
/// cw2 version of this contract.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Reply id of the timelock's instantiation.
pub const REPLY_TIMELOCK: u64 = 1;
/// Reply id of the guardian's instantiation.
pub const REPLY_GUARDIAN: u64 = 2;
/// Reply id of the executor's instantiation.
pub const REPLY_EXECUTOR: u64 = 3;
/// Reply id of a restoration's `Queue` in the timelock (payload: proposal id).
pub const REPLY_QUEUE: u64 = 4;
/// Reply id of a parameter proposal's self-call `ApplyParameters` (payload: proposal id).
pub const REPLY_APPLY: u64 = 5;

/// Registers a target or updates whether its exits may be paused; keeps its active mark.
/// Returns true when the target is new.
pub fn register_target(
    storage: &mut dyn Storage,
    target: &Addr,
    exits_pausable: bool,
) -> Result<bool, ContractError> {
    let existing = TARGETS.may_load(storage, target)?;
    let is_new = existing.is_none();
    if is_new {
        let count = TARGET_COUNT.may_load(storage)?.unwrap_or(0);
        if count >= MAX_REGISTERED_TARGETS {
            return Err(ContractError::TooManyRegisteredTargets {
                max: MAX_REGISTERED_TARGETS,
            });
        }
        TARGET_COUNT.save(
            storage,
            &count
                .checked_add(1)
                .ok_or(ContractError::TooManyRegisteredTargets {
                    max: MAX_REGISTERED_TARGETS,
                })?,
        )?;
    }
    let state = TargetState {
        exits_pausable,
        active_proposal: existing.and_then(|t| t.active_proposal),
    };
    TARGETS.save(storage, target, &state)?;
    Ok(is_new)
}

fn instantiate_module<T: serde::Serialize>(
    id: u64,
    admin: &Addr,
    code_id: u64,
    label: &str,
    msg: &T,
) -> StdResult<SubMsg> {
    Ok(SubMsg::reply_on_success(
        WasmMsg::Instantiate {
            admin: Some(admin.to_string()),
            code_id,
            msg: to_json_binary(msg)?,
            funds: vec![],
            label: label.to_string(),
        },
        id,
    ))
}

/// Instantiate entry point logic.
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let config = validate_config(deps.api, &msg.config)?;
    validate_timelock_floors(&msg.timelock.settings)?;
    CONFIG.save(deps.storage, &config)?;
    PROPOSAL_COUNT.save(deps.storage, &0)?;
    TARGET_COUNT.save(deps.storage, &0)?;
    PENDING_MODULES.save(deps.storage, &PendingModules::default())?;

    if msg.targets.len() > MAX_REGISTERED_TARGETS as usize {
        return Err(ContractError::TooManyRegisteredTargets {
            max: MAX_REGISTERED_TARGETS,
        });
    }
    for TargetRegistration {
        contract,
        exits_pausable,
    } in &msg.targets
    {
        let addr = deps.api.addr_validate(contract)?;
        if !register_target(deps.storage, &addr, *exits_pausable)? {
            return Err(ContractError::DuplicateTarget {
                target: addr.to_string(),
            });
        }
    }

    let me = env.contract.address;
    let governance = me.to_string();
    let timelock_msg = timelock::InstantiateMsg {
        governance: governance.clone(),
        settings: msg.timelock.settings,
    };
    let guardian_msg = guardian::InstantiateMsg {
        governance: governance.clone(),
        settings: msg.guardian.settings,
    };
    let executor_msg = executor::InstantiateMsg {
        governance,
        settings: msg.executor.settings,
    };
    Ok(Response::new()
        .add_submessage(instantiate_module(
            REPLY_TIMELOCK,
            &me,
            msg.timelock.code_id,
            &msg.timelock.label,
            &timelock_msg,
        )?)
        .add_submessage(instantiate_module(
            REPLY_GUARDIAN,
            &me,
            msg.guardian.code_id,
            &msg.guardian.label,
            &guardian_msg,
        )?)
        .add_submessage(instantiate_module(
            REPLY_EXECUTOR,
            &me,
            msg.executor.code_id,
            &msg.executor.label,
            &executor_msg,
        )?)
        .add_attribute("action", "instantiate")
        .add_attribute("voting_module", config.voting_module)
        .add_attribute("targets", msg.targets.len().to_string()))
}

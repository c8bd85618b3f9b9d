//! Instantiate: validate and store the configuration, register the initial targets, and
//! instantiate the timelock, guardian and executor with instantiate2 at addresses predicted
//! here, governance as their wasm admin and authority.

use cosmwasm_std::{
    instantiate2_address, to_json_binary, Addr, Binary, CanonicalAddr, Deps, DepsMut, Env,
    MessageInfo, Response, StdResult, Storage, WasmMsg,
};
use rewind_types::governance::{InstantiateMsg, TargetRegistration};
use rewind_types::wiring::ModuleInit;
use rewind_types::{executor, guardian, timelock, ModuleAddresses};

use crate::config::{validate_config, validate_timelock_floors, MAX_REGISTERED_TARGETS};
use crate::state::{TargetState, CONFIG, MODULES, PROPOSAL_COUNT, TARGETS, TARGET_COUNT};
use crate::ContractError;

/// cw2 name of this contract.
pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
/// cw2 version of this contract.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Reply id of a restoration's `Queue` in the timelock (payload: proposal id).
pub const REPLY_QUEUE: u64 = 4;
/// Reply id of a parameter proposal's self-call `ApplyParameters` (payload: proposal id).
pub const REPLY_APPLY: u64 = 5;
/// Reply id of the last module message of a parameter proposal that configures a target
/// (on success; payload: proposal id): the configured targets' retention is checked once
/// every change has applied.
pub const REPLY_CONFIGURED: u64 = 6;

/// Registers a target (its exit policy lives in the guardian's registry only); keeps its
/// active mark. Returns true when the target is new.
pub fn register_target(storage: &mut dyn Storage, target: &Addr) -> Result<bool, ContractError> {
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
    // A re-registration (new scopes or exit policy) keeps the reservation and the playbook.
    let state = existing.unwrap_or(TargetState {
        active_proposal: None,
        playbook: None,
    });
    TARGETS.save(storage, target, &state)?;
    Ok(is_new)
}

/// instantiate2 salts of the modules. Governance is the creator, so each module's address
/// is fixed by governance's own address and the module's code.
pub const TIMELOCK_SALT: &[u8] = b"rewind-timelock";
/// See [`TIMELOCK_SALT`].
pub const GUARDIAN_SALT: &[u8] = b"rewind-guardian";
/// See [`TIMELOCK_SALT`].
pub const EXECUTOR_SALT: &[u8] = b"rewind-executor";

/// The address `code_id` gets when governance (`creator`) instantiates it with `salt`.
fn predict(
    deps: Deps,
    creator: &CanonicalAddr,
    code_id: u64,
    salt: &[u8],
) -> Result<Addr, ContractError> {
    let checksum = crate::answers::code_checksum(deps, code_id)?;
    let canonical = instantiate2_address(checksum.as_slice(), creator, salt)?;
    Ok(deps.api.addr_humanize(&canonical)?)
}

/// An instantiate2 of a module, with governance as its wasm admin.
fn instantiate_module<T: serde::Serialize>(
    admin: &Addr,
    init: &ModuleInit<impl Sized>,
    salt: &[u8],
    msg: &T,
) -> StdResult<WasmMsg> {
    Ok(WasmMsg::Instantiate2 {
        admin: Some(admin.to_string()),
        code_id: init.code_id,
        label: init.label.clone(),
        msg: to_json_binary(msg)?,
        funds: vec![],
        salt: Binary::from(salt),
    })
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

    if msg.targets.len() > MAX_REGISTERED_TARGETS as usize {
        return Err(ContractError::TooManyRegisteredTargets {
            max: MAX_REGISTERED_TARGETS,
        });
    }
    for TargetRegistration { contract, .. } in &msg.targets {
        let addr = deps.api.addr_validate(contract)?;
        if !register_target(deps.storage, &addr)? {
            return Err(ContractError::DuplicateTarget {
                target: addr.to_string(),
            });
        }
    }

    // Every address is known before any module exists, so each module is instantiated
    // with all of them and there is no second wiring step.
    let me = env.contract.address;
    let creator = deps.api.addr_canonicalize(me.as_str())?;
    let modules = ModuleAddresses {
        governance: me.clone(),
        timelock: predict(deps.as_ref(), &creator, msg.timelock.code_id, TIMELOCK_SALT)?,
        guardian: predict(deps.as_ref(), &creator, msg.guardian.code_id, GUARDIAN_SALT)?,
        executor: predict(deps.as_ref(), &creator, msg.executor.code_id, EXECUTOR_SALT)?,
    };
    MODULES.save(deps.storage, &modules)?;
    let timelock_msg = timelock::InstantiateMsg {
        modules: modules.clone(),
        settings: msg.timelock.settings.clone(),
    };
    let guardian_msg = guardian::InstantiateMsg {
        modules: modules.clone(),
        settings: msg.guardian.settings.clone(),
        targets: msg.targets.clone(),
    };
    let executor_msg = executor::InstantiateMsg {
        modules: modules.clone(),
        settings: msg.executor.settings.clone(),
    };
    Ok(Response::new()
        .add_message(instantiate_module(
            &me,
            &msg.timelock,
            TIMELOCK_SALT,
            &timelock_msg,
        )?)
        .add_message(instantiate_module(
            &me,
            &msg.guardian,
            GUARDIAN_SALT,
            &guardian_msg,
        )?)
        .add_message(instantiate_module(
            &me,
            &msg.executor,
            EXECUTOR_SALT,
            &executor_msg,
        )?)
        .add_attribute("action", "instantiate")
        .add_attribute("voting_module", config.voting_module)
        .add_attribute("targets", msg.targets.len().to_string())
        .add_attribute("timelock", modules.timelock)
        .add_attribute("guardian", modules.guardian)
        .add_attribute("executor", modules.executor))
}

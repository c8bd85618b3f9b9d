//! Instantiate, wiring and governance's registry and policy changes.

use std::collections::BTreeSet;

use cosmwasm_std::{Addr, DepsMut, Empty, Env, MessageInfo, Order, Response, StdResult, Storage};
use rewind_types::guardian::{InstantiateMsg, PausePolicy};
use rewind_types::{wiring, ModuleAddresses, ACTION};

use super::ensure_governance;
use crate::contract::{CONTRACT_NAME, CONTRACT_VERSION};
use crate::error::ContractError;
use crate::policy::{validate_policy, MAX_GUARDIANS, MAX_TARGETS};
use crate::state::{Config, CONFIG, GUARDIANS, MODULES, NEXT_PAUSE_ID, TARGETS};
use crate::stretch;

/// Validates and dedupes a list of addresses (row B1).
fn validate_set(deps: &DepsMut, list: &[String]) -> Result<BTreeSet<Addr>, ContractError> {
    list.iter()
        .map(|a| Ok(deps.api.addr_validate(a)?))
        .collect()
}

fn guardian_count(deps: &DepsMut) -> StdResult<u64> {
    Ok(GUARDIANS
        .keys(deps.storage, None, None, Order::Ascending)
        .count() as u64)
}

pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let governance = deps.api.addr_validate(&msg.governance)?;
    validate_policy(&msg.settings.policy)?;
    let guardians = validate_set(&deps, &msg.settings.guardians)?;
    if guardians.len() as u64 > MAX_GUARDIANS {
        return Err(ContractError::TooManyGuardians {
            count: guardians.len() as u64,
            max: MAX_GUARDIANS,
        });
    }
    for g in &guardians {
        GUARDIANS.save(deps.storage, g, &Empty {})?;
    }
    CONFIG.save(
        deps.storage,
        &Config {
            governance: governance.clone(),
            policy: msg.settings.policy,
        },
    )?;
    NEXT_PAUSE_ID.save(deps.storage, &1)?;
    Ok(Response::new()
        .add_attribute(ACTION, "instantiate")
        .add_attribute("governance", governance)
        .add_attribute("guardians", guardians.len().to_string()))
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
        .add_attribute("executor", validated.executor))
}

/// Row P6: waives the cooldown of every stretch of every registered target to which a
/// guardian `is_removed` names contributed. Bounded: at most `MAX_TARGETS` targets times
/// `PauseScope::ACTIONS` stretches.
fn waive_removed_everywhere(
    deps: &mut DepsMut,
    now: u64,
    is_removed: &dyn Fn(&dyn Storage, &Addr) -> StdResult<bool>,
) -> StdResult<stretch::Waived> {
    let policy = CONFIG.load(deps.storage)?.policy;
    let targets: Vec<Addr> = TARGETS
        .keys(deps.storage, None, None, Order::Ascending)
        .take(MAX_TARGETS as usize)
        .collect::<StdResult<_>>()?;
    let mut total = stretch::Waived::default();
    for target in &targets {
        let w = stretch::waive_removed(deps.storage, target, now, &policy, is_removed)?;
        total.stretches = total.stretches.saturating_add(w.stretches);
        total.cooldowns = total.cooldowns.saturating_add(w.cooldowns);
    }
    Ok(total)
}

/// Governance adds and removes guardians. Every stretch a removed guardian contributed to
/// stops imposing its cooldown once ended (row P6: a rotation always allows a pause).
pub fn update_guardians(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let add = validate_set(&deps, &add)?;
    let remove = validate_set(&deps, &remove)?;
    if let Some(address) = add.intersection(&remove).next() {
        return Err(ContractError::ConflictingGuardianUpdate {
            address: address.clone(),
        });
    }
    for address in &remove {
        if !GUARDIANS.has(deps.storage, address) {
            return Err(ContractError::GuardianNotFound {
                address: address.clone(),
            });
        }
        GUARDIANS.remove(deps.storage, address);
    }
    for address in &add {
        GUARDIANS.save(deps.storage, address, &Empty {})?;
    }
    let count = guardian_count(&deps)?;
    if count > MAX_GUARDIANS {
        return Err(ContractError::TooManyGuardians {
            count,
            max: MAX_GUARDIANS,
        });
    }
    let waived = if remove.is_empty() {
        stretch::Waived::default()
    } else {
        let now = env.block.time.seconds();
        waive_removed_everywhere(&mut deps, now, &|_, a| Ok(remove.contains(a)))?
    };
    Ok(Response::new()
        .add_attribute(ACTION, "update_guardians")
        .add_attribute("added", add.len().to_string())
        .add_attribute("removed", remove.len().to_string())
        .add_attribute("guardians", count.to_string())
        .add_attribute("stretches_waived", waived.stretches.to_string())
        .add_attribute("cooldowns_cleared", waived.cooldowns.to_string()))
}

/// Governance registers a target or changes whether its exits may be paused. A target
/// registered again keeps its stretches, but a guardian removed while it was unregistered
/// waives their cooldowns now (row P6).
pub fn set_target(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    target: String,
    exits_pausable: bool,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&target)?;
    let mut waived = stretch::Waived::default();
    if !TARGETS.has(deps.storage, &target) {
        let count = TARGETS
            .keys(deps.storage, None, None, Order::Ascending)
            .count() as u64;
        if count >= MAX_TARGETS {
            return Err(ContractError::TooManyTargets { max: MAX_TARGETS });
        }
        let policy = CONFIG.load(deps.storage)?.policy;
        let now = env.block.time.seconds();
        waived = stretch::waive_removed(deps.storage, &target, now, &policy, &|s, a| {
            Ok(!GUARDIANS.has(s, a))
        })?;
    }
    TARGETS.save(deps.storage, &target, &exits_pausable)?;
    Ok(Response::new()
        .add_attribute(ACTION, "set_target")
        .add_attribute("target", target)
        .add_attribute("exits_pausable", exits_pausable.to_string())
        .add_attribute("cooldowns_cleared", waived.cooldowns.to_string()))
}

pub fn remove_target(
    deps: DepsMut,
    info: MessageInfo,
    target: String,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&target)?;
    if !TARGETS.has(deps.storage, &target) {
        return Err(ContractError::TargetNotRegistered { target });
    }
    TARGETS.remove(deps.storage, &target);
    Ok(Response::new()
        .add_attribute(ACTION, "remove_target")
        .add_attribute("target", target))
}

pub fn update_policy(
    deps: DepsMut,
    info: MessageInfo,
    policy: PausePolicy,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    validate_policy(&policy)?;
    CONFIG.update(deps.storage, |mut c| -> StdResult<_> {
        c.policy = policy.clone();
        Ok(c)
    })?;
    Ok(Response::new()
        .add_attribute(ACTION, "update_policy")
        .add_attribute("max_pause_seconds", policy.max_pause_seconds.to_string())
        .add_attribute("cooldown_seconds", policy.cooldown_seconds.to_string())
        .add_attribute("budget_seconds", policy.budget_seconds.to_string())
        .add_attribute(
            "budget_window_seconds",
            policy.budget_window_seconds.to_string(),
        )
        .add_attribute("min_charge_seconds", policy.min_charge_seconds.to_string()))
}

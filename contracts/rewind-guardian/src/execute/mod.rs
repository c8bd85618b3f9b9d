//! One file per execute action, and the checks and helpers several of them share: roles,
//! the exit policy, the target registry, running pauses and the messages pushed to targets.

pub mod clear_restoration_lock;
pub mod end_pause;
pub mod extend_pause;
pub mod hold_history;
pub mod lift_pause;
pub mod pause;
pub mod remove_target;
pub mod set_restoration_lock;
pub mod set_target;
pub mod update_guardians;
pub mod update_policy;

use std::collections::BTreeSet;

use cosmwasm_std::{
    to_json_binary, Addr, Api, Deps, Env, Order, Response, StdResult, Storage, Timestamp, WasmMsg,
};
use rewind_types::guardian::PauseRecord;
use rewind_types::{
    wiring, DeclaredScopes, GateMsg, ModuleAddresses, PauseScope, RestorableExecuteMsg, ScopeInfo,
    ACTION,
};

use crate::error::ContractError;
use crate::policy::{add_seconds, MAX_LOCK_TARGETS, MAX_TARGETS};
use crate::state::{
    ACTIVE, GUARDIANS, LOCKS, MODULES, PAUSES, POLICY, STRETCHES, TARGETS, TARGET_SCOPES,
};
use crate::stretch;

/// Refuses anyone but governance. Governance is never subject to a pause (row P4).
pub fn ensure_governance(deps: Deps, sender: &Addr) -> Result<ModuleAddresses, ContractError> {
    let modules = MODULES.load(deps.storage)?;
    wiring::ensure_governance(&modules, sender)?;
    Ok(modules)
}

/// Refuses anyone but a current guardian.
pub fn ensure_guardian(deps: Deps, sender: &Addr) -> Result<(), ContractError> {
    if !GUARDIANS.has(deps.storage, sender) {
        return Err(ContractError::Unauthorized {
            sender: sender.clone(),
            required: "a guardian".to_string(),
        });
    }
    Ok(())
}

/// Refuses anyone but the timelock and the executor.
pub fn ensure_lock_sender(deps: Deps, sender: &Addr) -> Result<(), ContractError> {
    let modules = MODULES.load(deps.storage)?;
    if *sender != modules.timelock && *sender != modules.executor {
        return Err(ContractError::Unauthorized {
            sender: sender.clone(),
            required: "the timelock or the executor".to_string(),
        });
    }
    Ok(())
}

/// The scopes `target` declared at its last registration, if it was ever registered.
pub fn declared_scopes(
    storage: &dyn Storage,
    target: &Addr,
) -> Result<Option<DeclaredScopes>, ContractError> {
    TARGET_SCOPES
        .may_load(storage, target)?
        .map(|scopes| validate_scopes(target, scopes))
        .transpose()
}

/// A registration's declared scopes, validated: 1 to `MAX_SCOPES`, names unique, `all`
/// excluded.
pub fn validate_scopes(
    target: &Addr,
    scopes: Vec<ScopeInfo>,
) -> Result<DeclaredScopes, ContractError> {
    DeclaredScopes::new(scopes).map_err(|error| ContractError::InvalidScopes {
        target: target.clone(),
        error,
    })
}

/// The actions a pause of `scope` stops on a target with these declared scopes (none when
/// the target has no record of scopes).
pub fn actions_of(declared: Option<&DeclaredScopes>, scope: &PauseScope) -> Vec<PauseScope> {
    declared.map_or_else(Vec::new, |d| {
        d.actions_of(scope).into_iter().cloned().collect()
    })
}

/// The exit policy and the declared scopes, checked on every path that makes a scope paused
/// or keeps it paused longer (a guardian's pause, governance's extension): the target must
/// be registered, `scope` must be `all` or a scope it declared, and a scope that stops
/// exits (a declared exit, or `all`) needs the target's `exits_pausable`. The registry is
/// the one record of that policy and of the scopes. Returns the declared scopes.
pub fn ensure_pausable(
    storage: &dyn Storage,
    target: &Addr,
    scope: &PauseScope,
) -> Result<DeclaredScopes, ContractError> {
    let exits_pausable =
        TARGETS
            .may_load(storage, target)?
            .ok_or_else(|| ContractError::TargetNotRegistered {
                target: target.clone(),
            })?;
    let declared =
        declared_scopes(storage, target)?.ok_or_else(|| ContractError::TargetNotRegistered {
            target: target.clone(),
        })?;
    if !declared.knows(scope) {
        return Err(ContractError::ScopeNotDeclared {
            target: target.clone(),
            scope: scope.clone(),
        });
    }
    if !declared.pausable(scope, exits_pausable) {
        return Err(ContractError::ExitsNotPausable {
            target: target.clone(),
            scope: scope.clone(),
        });
    }
    Ok(declared)
}

/// Validates and dedupes a list of addresses (row B1).
pub fn validate_set(api: &dyn Api, list: &[String]) -> Result<BTreeSet<Addr>, ContractError> {
    list.iter().map(|a| Ok(api.addr_validate(a)?)).collect()
}

/// The number of guardians.
pub fn guardian_count(storage: &dyn Storage) -> u64 {
    GUARDIANS
        .keys(storage, None, None, Order::Ascending)
        .count() as u64
}

/// Validates, dedupes and caps a list of targets for a lock or a hold (row D3); refuses an
/// empty one.
pub fn validate_targets(api: &dyn Api, targets: &[String]) -> Result<Vec<Addr>, ContractError> {
    if targets.is_empty() {
        return Err(ContractError::NoTargets {});
    }
    let set = validate_set(api, targets)?;
    if set.len() > MAX_LOCK_TARGETS {
        return Err(ContractError::TooManyTargets {
            max: MAX_LOCK_TARGETS as u64,
        });
    }
    Ok(set.into_iter().collect())
}

/// Refuses a target that is not registered.
pub fn ensure_registered(storage: &dyn Storage, target: &Addr) -> Result<(), ContractError> {
    if !TARGETS.has(storage, target) {
        return Err(ContractError::TargetNotRegistered {
            target: target.clone(),
        });
    }
    Ok(())
}

/// Refuses when another operation holds an unexpired lock on the target.
pub fn ensure_not_held_by_other(
    storage: &dyn Storage,
    now: Timestamp,
    target: &Addr,
    operation_id: u64,
) -> Result<(), ContractError> {
    if let Some(lock) = LOCKS.may_load(storage, target)? {
        if lock.operation_id != operation_id && lock.until > now {
            return Err(ContractError::LockHeldByOther {
                target: target.clone(),
                holder: lock.operation_id,
                operation_id,
            });
        }
    }
    Ok(())
}

/// Registers `target` with the exit policy `exits_pausable` and its declared `scopes`, or
/// changes the policy or the scopes of a registered one: the one path of instantiate and
/// `SetTarget`. A new registration counts against `MAX_TARGETS` (row D3) and waives the
/// cooldowns of guardians removed while the target was unregistered (row P6). The scopes
/// may change only while no pause of the target runs (the stretches of the scopes it drops
/// are deleted: those actions no longer exist), and exits may not be made unpausable under
/// a running pause that stops them. Returns the cooldowns cleared.
pub fn register_target(
    storage: &mut dyn Storage,
    now: Timestamp,
    target: &Addr,
    exits_pausable: bool,
    scopes: DeclaredScopes,
) -> Result<u64, ContractError> {
    let previous = declared_scopes(storage, target)?;
    if let Some(previous) = previous.as_ref().filter(|p| **p != scopes) {
        for scope in previous.all_scopes() {
            if let Some((_, running)) = running_pause(storage, now, target, &scope)? {
                return Err(ContractError::ScopesChangeWhilePaused {
                    target: target.clone(),
                    scope,
                    until: running.end,
                });
            }
        }
        for dropped in previous.actions().filter(|a| scopes.get(a).is_none()) {
            STRETCHES.remove(storage, (target, dropped.as_str()));
        }
    }
    if !exits_pausable {
        for scope in scopes
            .all_scopes()
            .into_iter()
            .filter(|s| scopes.stops_exits(s))
        {
            if let Some((_, running)) = running_pause(storage, now, target, &scope)? {
                return Err(ContractError::ExitsPaused {
                    target: target.clone(),
                    scope,
                    until: running.end,
                });
            }
        }
    }
    let mut cooldowns = 0;
    if !TARGETS.has(storage, target) {
        let count = TARGETS.keys(storage, None, None, Order::Ascending).count() as u64;
        if count >= MAX_TARGETS {
            return Err(ContractError::TooManyTargets { max: MAX_TARGETS });
        }
        let policy = POLICY.load(storage)?;
        let actions: Vec<PauseScope> = scopes.actions().cloned().collect();
        cooldowns = stretch::waive_removed(
            storage,
            target,
            &actions,
            now.seconds(),
            &policy,
            &|s, a| Ok(!GUARDIANS.has(s, a)),
        )?
        .cooldowns;
    }
    TARGETS.save(storage, target, &exits_pausable)?;
    TARGET_SCOPES.save(storage, target, &scopes.into_inner())?;
    Ok(cooldowns)
}

/// The pause of `scope` running on `target` at `now`, with its id.
pub fn running_pause(
    storage: &dyn Storage,
    now: Timestamp,
    target: &Addr,
    scope: &PauseScope,
) -> StdResult<Option<(u64, PauseRecord)>> {
    let Some(id) = ACTIVE.may_load(storage, (target, scope.as_str()))? else {
        return Ok(None);
    };
    let record = PAUSES.load(storage, (target, id))?;
    Ok((record.end > now).then_some((id, record)))
}

/// The running pause of a scope, or `NotPaused`.
pub fn active_pause(
    storage: &dyn Storage,
    env: &Env,
    target: &Addr,
    scope: &PauseScope,
) -> Result<(u64, PauseRecord), ContractError> {
    running_pause(storage, env.block.time, target, scope)?.ok_or_else(|| ContractError::NotPaused {
        target: target.clone(),
        scope: scope.clone(),
    })
}

/// Ends the running pause `id` of `scope` now, and pushes the new end to the target. The
/// charged part shrinks with it (never below the minimum charge), the stretches of the
/// actions it stopped end with it unless another running pause still stops them, and
/// their cooldown starts from their end. Shared by `EndPause` and `LiftPause`.
pub fn end_pause_now(
    storage: &mut dyn Storage,
    env: &Env,
    target: Addr,
    scope: PauseScope,
    (id, mut record): (u64, PauseRecord),
    action: &str,
) -> Result<Response, ContractError> {
    let now = env.block.time;
    let min_charge = POLICY.load(storage)?.min_charge_seconds;
    let charged_floor = Timestamp::from_seconds(add_seconds(record.start.seconds(), min_charge)?);
    record.end = now;
    record.charged_until = record.charged_until.min(now.max(charged_floor));
    PAUSES.save(storage, (&target, id), &record)?;
    let declared = declared_scopes(storage, &target)?;
    let actions = actions_of(declared.as_ref(), &scope);
    stretch::on_early_end(storage, &target, &scope, &actions, now.seconds())?;
    Ok(Response::new()
        .add_message(push_pause(&target, &scope, now)?)
        .add_attribute(ACTION, action)
        .add_attribute("pause_id", id.to_string())
        .add_attribute("target", target)
        .add_attribute("scope", scope.as_str()))
}

/// The gate update pushed to a target.
pub fn push_pause(
    target: &Addr,
    scope: &PauseScope,
    until: Timestamp,
) -> Result<WasmMsg, ContractError> {
    Ok(WasmMsg::Execute {
        contract_addr: target.to_string(),
        msg: to_json_binary(&RestorableExecuteMsg::Gate(GateMsg::SetPause {
            scope: scope.clone(),
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

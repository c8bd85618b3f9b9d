//! `UpdateGuardians`: governance adds and removes guardians (rows P2, P6, D3).

use cosmwasm_std::{Addr, DepsMut, Empty, Env, MessageInfo, Order, Response, StdResult, Storage};
use rewind_types::ACTION;

use super::{ensure_governance, guardian_count, validate_set};
use crate::error::ContractError;
use crate::policy::{MAX_GUARDIANS, MAX_TARGETS};
use crate::state::{GUARDIANS, POLICY, TARGETS, TARGET_SCOPES};
use crate::stretch;

/// Row P6: waives the cooldown of every stretch of every registered target to which a
/// guardian `is_removed` names contributed. Bounded: at most `MAX_TARGETS` targets times
/// `MAX_SCOPES` declared actions.
fn waive_removed_everywhere(
    storage: &mut dyn Storage,
    now: u64,
    is_removed: &dyn Fn(&dyn Storage, &Addr) -> StdResult<bool>,
) -> StdResult<stretch::Waived> {
    let policy = POLICY.load(storage)?;
    let targets: Vec<Addr> = TARGETS
        .keys(storage, None, None, Order::Ascending)
        .take(MAX_TARGETS as usize)
        .collect::<StdResult<_>>()?;
    let mut total = stretch::Waived::default();
    for target in &targets {
        let actions: Vec<_> = TARGET_SCOPES
            .may_load(storage, target)?
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.scope)
            .collect();
        let w = stretch::waive_removed(storage, target, &actions, now, &policy, is_removed)?;
        total.stretches = total.stretches.saturating_add(w.stretches);
        total.cooldowns = total.cooldowns.saturating_add(w.cooldowns);
    }
    Ok(total)
}

/// Governance adds and removes guardians. Every stretch a removed guardian contributed to
/// stops imposing its cooldown once ended (row P6: a rotation always allows a pause).
pub fn update_guardians(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let add = validate_set(deps.api, &add)?;
    let remove = validate_set(deps.api, &remove)?;
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
    let count = guardian_count(deps.storage);
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
        waive_removed_everywhere(deps.storage, now, &|_, a| Ok(remove.contains(a)))?
    };
    Ok(Response::new()
        .add_attribute(ACTION, "update_guardians")
        .add_attribute("added", add.len().to_string())
        .add_attribute("removed", remove.len().to_string())
        .add_attribute("guardians", count.to_string())
        .add_attribute("stretches_waived", waived.stretches.to_string())
        .add_attribute("cooldowns_cleared", waived.cooldowns.to_string()))
}

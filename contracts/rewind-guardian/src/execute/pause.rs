//! A guardian pauses a scope of a target, and ends its own pause early.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Timestamp};
use rewind_types::guardian::PauseRecord;
use rewind_types::{PauseScope, ACTION};

use super::{ensure_guardian, push_pause};
use crate::error::ContractError;
use crate::policy::{add_seconds, peak_usage_after, MAX_WINDOW_PAUSES};
use crate::state::{ACTIVE, CONFIG, NEXT_PAUSE_ID, PAUSES, TARGETS, WINDOW};
use crate::stretch;
use crate::window::{charged_intervals, prune};

pub fn pause(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    target: String,
    scope: PauseScope,
    duration_seconds: u64,
    reason: String,
) -> Result<Response, ContractError> {
    ensure_guardian(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&target)?;
    let exits_pausable = TARGETS.may_load(deps.storage, &target)?.ok_or_else(|| {
        ContractError::TargetNotRegistered {
            target: target.clone(),
        }
    })?;
    let policy = CONFIG.load(deps.storage)?.policy;
    if duration_seconds == 0 {
        return Err(ContractError::ZeroDuration {});
    }
    if duration_seconds > policy.max_pause_seconds {
        return Err(ContractError::PauseTooLong {
            requested: duration_seconds,
            max: policy.max_pause_seconds,
        });
    }
    if scope.stops_exits() && !exits_pausable {
        return Err(ContractError::ExitsNotPausable { target, scope });
    }
    let now = env.block.time.seconds();
    // A guardian may not renew a running pause (row P1).
    if let Some(id) = ACTIVE.may_load(deps.storage, (&target, scope.as_str()))? {
        let current = PAUSES.load(deps.storage, (&target, id))?;
        if current.end.seconds() > now {
            return Err(ContractError::AlreadyPaused {
                target,
                scope,
                until: current.end,
            });
        }
    }
    let end = add_seconds(now, duration_seconds)?;
    // Per action, whatever the scopes (row P5): the stretch cap and the cooldown.
    let guardian = info.sender.clone();
    let plan = stretch::plan_pause(deps.storage, &target, scope, &guardian, now, end, &policy)?;
    // Per guardian (row P6): its own record cap and its own budget.
    let mut records = prune(deps.storage, &guardian, &target, now, &policy)?;
    if records.len() as u64 >= MAX_WINDOW_PAUSES {
        return Err(ContractError::TooManyPauses {
            target,
            guardian,
            max: MAX_WINDOW_PAUSES,
        });
    }
    let charged_until = add_seconds(now, duration_seconds.max(policy.min_charge_seconds))?;
    let id = NEXT_PAUSE_ID.load(deps.storage)?;
    let record = PauseRecord {
        id,
        target: target.clone(),
        scope,
        paused_by: guardian.clone(),
        reason: reason.clone(),
        start: env.block.time,
        end: Timestamp::from_seconds(end),
        extended_by_governance: false,
        charged_until: Timestamp::from_seconds(charged_until),
    };
    records.push(record.clone());
    // Budget: the guardian's charged time in every window ending after now (policy.rs).
    let needed = peak_usage_after(
        &charged_intervals(&records),
        now,
        policy.budget_window_seconds,
    );
    if needed > policy.budget_seconds {
        return Err(ContractError::BudgetExceeded {
            guardian,
            needed,
            budget: policy.budget_seconds,
        });
    }
    NEXT_PAUSE_ID.save(deps.storage, &add_seconds(id, 1)?)?;
    PAUSES.save(deps.storage, (&target, id), &record)?;
    ACTIVE.save(deps.storage, (&target, scope.as_str()), &id)?;
    WINDOW.save(
        deps.storage,
        (&guardian, &target),
        &records.iter().map(|r| r.id).collect(),
    )?;
    stretch::save_plan(deps.storage, &target, &plan)?;
    Ok(Response::new()
        .add_message(push_pause(&target, scope, record.end)?)
        .add_attribute(ACTION, "pause")
        .add_attribute("pause_id", id.to_string())
        .add_attribute("target", target)
        .add_attribute("scope", scope.as_str())
        .add_attribute("guardian", info.sender)
        .add_attribute("until", record.end.seconds().to_string())
        .add_attribute("reason", reason))
}

pub fn end_pause(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    target: String,
    scope: PauseScope,
) -> Result<Response, ContractError> {
    ensure_guardian(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&target)?;
    let (id, record) = active_pause(&deps, &env, &target, scope)?;
    if record.paused_by != info.sender {
        return Err(ContractError::NotPauser {
            sender: info.sender,
            scope,
            paused_by: record.paused_by,
        });
    }
    if record.extended_by_governance {
        return Err(ContractError::ExtendedByGovernance { scope });
    }
    Ok(
        end_pause_now(deps, &env, target, scope, id, record, "end_pause")?
            .add_attribute("guardian", info.sender),
    )
}

/// The running pause of a scope, or `NotPaused`.
pub fn active_pause(
    deps: &DepsMut,
    env: &Env,
    target: &Addr,
    scope: PauseScope,
) -> Result<(u64, PauseRecord), ContractError> {
    let not_paused = || ContractError::NotPaused {
        target: target.clone(),
        scope,
    };
    let id = ACTIVE
        .may_load(deps.storage, (target, scope.as_str()))?
        .ok_or_else(not_paused)?;
    let record = PAUSES.load(deps.storage, (target, id))?;
    if record.end <= env.block.time {
        return Err(not_paused());
    }
    Ok((id, record))
}

/// Ends the running pause `id` of `scope` now, and pushes the new end to the target. The
/// charged part shrinks with it (never below the minimum charge), the stretches of the
/// actions it stopped end with it unless another running pause still stops them, and
/// their cooldown starts from their end.
pub fn end_pause_now(
    deps: DepsMut,
    env: &Env,
    target: Addr,
    scope: PauseScope,
    id: u64,
    mut record: PauseRecord,
    action: &str,
) -> Result<Response, ContractError> {
    let now = env.block.time;
    let min_charge = CONFIG.load(deps.storage)?.policy.min_charge_seconds;
    let charged_floor = Timestamp::from_seconds(add_seconds(record.start.seconds(), min_charge)?);
    record.end = now;
    record.charged_until = record.charged_until.min(now.max(charged_floor));
    PAUSES.save(deps.storage, (&target, id), &record)?;
    stretch::on_early_end(deps.storage, &target, scope, now.seconds())?;
    Ok(Response::new()
        .add_message(push_pause(&target, scope, now)?)
        .add_attribute(ACTION, action)
        .add_attribute("pause_id", id.to_string())
        .add_attribute("target", target)
        .add_attribute("scope", scope.as_str()))
}

//! `Pause`: a guardian pauses a scope of a registered target, within the caps.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Timestamp};
use rewind_types::guardian::PauseRecord;
use rewind_types::{PauseScope, ACTION};

use super::{actions_of, ensure_guardian, ensure_pausable, push_pause, running_pause};
use crate::error::ContractError;
use crate::policy::{add_seconds, peak_usage_after, MAX_WINDOW_PAUSES};
use crate::state::{ACTIVE, NEXT_PAUSE_ID, PAUSES, POLICY, WINDOW};
use crate::stretch;
use crate::window::{charged_intervals, prune};

/// A guardian pauses `scope` of `target` for `duration_seconds`: the target must be
/// registered, declare the scope (or it is `all`) and allow it (exit policy), the pause fits the cap, the per-action
/// stretch and cooldown (rows P1, P5) and the guardian's own budget and record cap (row
/// P6). The end is pushed to the target.
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
    let declared = ensure_pausable(deps.storage, &target, &scope)?;
    let policy = POLICY.load(deps.storage)?;
    if duration_seconds == 0 {
        return Err(ContractError::ZeroDuration {});
    }
    if duration_seconds > policy.max_pause_seconds {
        return Err(ContractError::PauseTooLong {
            requested: duration_seconds,
            max: policy.max_pause_seconds,
        });
    }
    let now = env.block.time.seconds();
    // A guardian may not renew a running pause (row P1).
    if let Some((_, current)) = running_pause(deps.storage, env.block.time, &target, &scope)? {
        return Err(ContractError::AlreadyPaused {
            target,
            scope,
            until: current.end,
        });
    }
    let end = add_seconds(now, duration_seconds)?;
    // Per action, whatever the scopes (row P5): the stretch cap and the cooldown.
    let guardian = info.sender.clone();
    let actions = actions_of(Some(&declared), &scope);
    let plan = stretch::plan_pause(
        deps.storage,
        &target,
        &actions,
        &guardian,
        now,
        end,
        &policy,
    )?;
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
        scope: scope.clone(),
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
        .add_message(push_pause(&target, &scope, record.end)?)
        .add_attribute(ACTION, "pause")
        .add_attribute("pause_id", id.to_string())
        .add_attribute("target", target)
        .add_attribute("scope", scope.as_str())
        .add_attribute("guardian", info.sender)
        .add_attribute("until", record.end.seconds().to_string())
        .add_attribute("reason", reason))
}

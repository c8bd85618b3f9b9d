//! The guardian time charged on a target, each action's stretch and cooldown, and one
//! guardian's remaining budget (rows P1, P5, P6).

use cosmwasm_std::{Addr, Deps, Env, Order, StdResult};
use rewind_types::guardian::{ActionStatus, BudgetResponse, GuardianBudgetResponse, PausePolicy};

use crate::policy::{peak_usage_after, union_length_in, MAX_WINDOW_PAUSES};
use crate::state::{GUARDIANS, POLICY, TARGET_SCOPES};
use crate::stretch;
use crate::window::{charged_intervals, is_stale, window_records};

/// The charged seconds of one guardian's kept records in the window ending `now`, and how
/// many of them still count against its record cap.
fn guardian_usage(
    deps: Deps,
    guardian: &Addr,
    target: &Addr,
    now: u64,
    policy: &PausePolicy,
) -> StdResult<(u64, u64)> {
    let records = window_records(deps.storage, guardian, target)?;
    let used = union_length_in(
        &charged_intervals(&records),
        now.saturating_sub(policy.budget_window_seconds),
        now,
    );
    let kept = records.iter().filter(|r| !is_stale(r, now, policy)).count() as u64;
    Ok((used, kept))
}

/// The current guardians' charged time on `target` and the latest stretch of each action
/// (each scope it declares).
pub fn budget(deps: Deps, env: &Env, target: String) -> StdResult<BudgetResponse> {
    let target = deps.api.addr_validate(&target)?;
    let policy = POLICY.load(deps.storage)?;
    let now = env.block.time.seconds();
    // Bounded: at most MAX_GUARDIANS guardians, each with at most MAX_WINDOW_PAUSES + 1 ids.
    let mut used_seconds = 0u64;
    for guardian in GUARDIANS.keys(deps.storage, None, None, Order::Ascending) {
        let (used, _) = guardian_usage(deps, &guardian?, &target, now, &policy)?;
        used_seconds = used_seconds.saturating_add(used);
    }
    let declared = TARGET_SCOPES
        .may_load(deps.storage, &target)?
        .unwrap_or_default();
    let mut actions = Vec::with_capacity(declared.len());
    for action in declared.into_iter().map(|s| s.scope) {
        let (stretch, cooldown_until) =
            stretch::status(deps.storage, &target, &action, now, &policy)?;
        actions.push(ActionStatus {
            action,
            stretch_start: stretch.as_ref().map(|s| s.start),
            stretch_end: stretch.as_ref().map(|s| s.end),
            cooldown_until,
            cooldown_waived: stretch.as_ref().is_some_and(|s| s.cooldown_waived),
            stretch_guardians: stretch.map(|s| s.contributors).unwrap_or_default(),
        });
    }
    Ok(BudgetResponse {
        target,
        used_seconds,
        actions,
    })
}

/// One guardian's used, committed and remaining budget on `target`, and its record room.
pub fn guardian_budget(
    deps: Deps,
    env: &Env,
    target: String,
    guardian: String,
) -> StdResult<GuardianBudgetResponse> {
    let target = deps.api.addr_validate(&target)?;
    let guardian = deps.api.addr_validate(&guardian)?;
    let policy = POLICY.load(deps.storage)?;
    let now = env.block.time.seconds();
    let (used_seconds, window_pauses) = guardian_usage(deps, &guardian, &target, now, &policy)?;
    let records = window_records(deps.storage, &guardian, &target)?;
    let committed_seconds = peak_usage_after(
        &charged_intervals(&records),
        now,
        policy.budget_window_seconds,
    );
    Ok(GuardianBudgetResponse {
        target,
        guardian,
        remaining_seconds: policy.budget_seconds.saturating_sub(committed_seconds),
        used_seconds,
        committed_seconds,
        window_pauses,
        max_window_pauses: MAX_WINDOW_PAUSES,
    })
}

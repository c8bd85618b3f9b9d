//! Read-only views: config, guardians, targets, pause status, history and budget.

use cosmwasm_std::{to_json_binary, Addr, Binary, Deps, Env, Order, StdResult};
use cw_storage_plus::Bound;
use rewind_types::clamp_limit;
use rewind_types::guardian::{
    ActionStatus, BudgetResponse, ConfigResponse, GuardianBudgetResponse, GuardiansResponse,
    PauseHistoryResponse, PauseRecord, PauseStatusResponse, QueryMsg, ScopeStatus, TargetResponse,
    TargetsResponse,
};
use rewind_types::PauseScope;

use crate::error::ContractError;
use crate::policy::{peak_usage_after, union_length_in, MAX_WINDOW_PAUSES};
use crate::state::{ACTIVE, CONFIG, GUARDIANS, LOCKS, MODULES, PAUSES, TARGETS};
use crate::stretch;
use crate::window::{charged_intervals, is_stale, window_records};

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&ConfigResponse {
            policy: CONFIG.load(deps.storage)?.policy,
            modules: MODULES.may_load(deps.storage)?,
        })?,
        QueryMsg::IsGuardian { address } => {
            let address = deps.api.addr_validate(&address)?;
            to_json_binary(&GUARDIANS.has(deps.storage, &address))?
        }
        QueryMsg::Guardians { start_after, limit } => {
            to_json_binary(&guardians(deps, start_after, limit)?)?
        }
        QueryMsg::PauseStatus { target } => to_json_binary(&pause_status(deps, &env, target)?)?,
        QueryMsg::PauseHistory {
            target,
            start_before,
            limit,
        } => to_json_binary(&history(deps, target, start_before, limit)?)?,
        QueryMsg::Budget { target } => to_json_binary(&budget(deps, &env, target)?)?,
        QueryMsg::GuardianBudget { target, guardian } => {
            to_json_binary(&guardian_budget(deps, &env, target, guardian)?)?
        }
        QueryMsg::Targets { start_after, limit } => {
            to_json_binary(&targets(deps, start_after, limit)?)?
        }
    })
}

fn start_bound(deps: Deps, start_after: Option<String>) -> StdResult<Option<Addr>> {
    start_after.map(|a| deps.api.addr_validate(&a)).transpose()
}

fn guardians(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<GuardiansResponse> {
    let start = start_bound(deps, start_after)?;
    let guardians = GUARDIANS
        .keys(
            deps.storage,
            start.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .collect::<StdResult<_>>()?;
    Ok(GuardiansResponse { guardians })
}

fn targets(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<TargetsResponse> {
    let start = start_bound(deps, start_after)?;
    let targets = TARGETS
        .range(
            deps.storage,
            start.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|item| {
            item.map(|(target, exits_pausable)| TargetResponse {
                target,
                exits_pausable,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(TargetsResponse { targets })
}

fn pause_status(deps: Deps, env: &Env, target: String) -> StdResult<PauseStatusResponse> {
    let target = deps.api.addr_validate(&target)?;
    let now = env.block.time;
    let mut scopes = Vec::with_capacity(PauseScope::ALL_SCOPES.len());
    for scope in PauseScope::ALL_SCOPES {
        let running = match ACTIVE.may_load(deps.storage, (&target, scope.as_str()))? {
            Some(id) => Some(PAUSES.load(deps.storage, (&target, id))?).filter(|r| r.end > now),
            None => None,
        };
        scopes.push(match running {
            Some(r) => ScopeStatus {
                scope,
                paused: true,
                until: Some(r.end),
                seconds_left: r.end.seconds().saturating_sub(now.seconds()),
                paused_by: Some(r.paused_by),
            },
            None => ScopeStatus {
                scope,
                paused: false,
                until: None,
                seconds_left: 0,
                paused_by: None,
            },
        });
    }
    let restoration_lock_until = LOCKS
        .may_load(deps.storage, &target)?
        .map(|l| l.until)
        .filter(|until| *until > now);
    Ok(PauseStatusResponse {
        target,
        scopes,
        restoration_lock_until,
    })
}

fn history(
    deps: Deps,
    target: String,
    start_before: Option<u64>,
    limit: Option<u32>,
) -> StdResult<PauseHistoryResponse> {
    let target = deps.api.addr_validate(&target)?;
    let pauses = PAUSES
        .prefix(&target)
        .range(
            deps.storage,
            None,
            start_before.map(Bound::exclusive),
            Order::Descending,
        )
        .take(clamp_limit(limit))
        .map(|item| item.map(|(_, r)| r))
        .collect::<StdResult<Vec<PauseRecord>>>()?;
    Ok(PauseHistoryResponse { pauses })
}

/// The charged seconds of one guardian's kept records in the window ending `now`, and how
/// many of them still count against its record cap.
fn guardian_usage(
    deps: Deps,
    guardian: &Addr,
    target: &Addr,
    now: u64,
    policy: &rewind_types::guardian::PausePolicy,
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

fn budget(deps: Deps, env: &Env, target: String) -> StdResult<BudgetResponse> {
    let target = deps.api.addr_validate(&target)?;
    let policy = CONFIG.load(deps.storage)?.policy;
    let now = env.block.time.seconds();
    // Bounded: at most MAX_GUARDIANS guardians, each with at most MAX_WINDOW_PAUSES + 1 ids.
    let mut used_seconds = 0u64;
    for guardian in GUARDIANS.keys(deps.storage, None, None, Order::Ascending) {
        let (used, _) = guardian_usage(deps, &guardian?, &target, now, &policy)?;
        used_seconds = used_seconds.saturating_add(used);
    }
    let mut actions = Vec::with_capacity(PauseScope::ACTIONS.len());
    for action in PauseScope::ACTIONS {
        let (stretch, cooldown_until) =
            stretch::status(deps.storage, &target, action, now, &policy)?;
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

fn guardian_budget(
    deps: Deps,
    env: &Env,
    target: String,
    guardian: String,
) -> StdResult<GuardianBudgetResponse> {
    let target = deps.api.addr_validate(&target)?;
    let guardian = deps.api.addr_validate(&guardian)?;
    let policy = CONFIG.load(deps.storage)?.policy;
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

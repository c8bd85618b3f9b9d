//! `Crank { limit }`: continue the running restoration by at most `limit` units of work.
//! Anyone may call it; the work is deterministic, so any sequence of limits gives the same
//! result (row R1: the vault stays locked until the last unit).

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_journal::{ensure_crank_allowed, rollback_step, Journal};
use rewind_types::vault::RestorationStep;

use super::{settle, steps, DEFAULT_CRANK_LIMIT, MAX_CRANK_LIMIT};
use crate::error::ContractError;
use crate::state::{Restoration, CONFIG, RESTORATION};

/// The limit a crank uses: the default when none is given, clamped to `1..=MAX_CRANK_LIMIT`.
pub fn effective_limit(limit: Option<u32>) -> u32 {
    limit
        .unwrap_or(DEFAULT_CRANK_LIMIT)
        .clamp(1, MAX_CRANK_LIMIT)
}

fn step_name(step: RestorationStep) -> &'static str {
    match step {
        RestorationStep::RollingBack => "rolling_back",
        RestorationStep::Unwinding => "unwinding",
        RestorationStep::Replaying => "replaying",
        RestorationStep::Freezing => "freezing",
        RestorationStep::Reconciling => "reconciling",
        RestorationStep::Settling => "settling",
        RestorationStep::Complete => "complete",
        RestorationStep::Abandoned => "abandoned",
    }
}

fn roll_back(
    deps: &mut DepsMut,
    env: &Env,
    r: &mut Restoration,
    budget: u64,
) -> Result<u64, ContractError> {
    let limit = u32::try_from(budget).unwrap_or(u32::MAX);
    let step = rollback_step(deps.storage, env, limit)?;
    r.undone_entries = r.undone_entries.saturating_add(u64::from(step.undone));
    if step.done {
        r.digest_verified = true;
        r.step = RestorationStep::Unwinding;
        r.cursor_key = None;
    }
    // The journal spends the budget on undo entries and stale digest records; the crank in
    // which the rollback runs does nothing else, so a batch never exceeds `limit`.
    Ok(budget)
}

/// Runs steps until the budget is spent or the restoration completes.
pub fn crank(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    limit: Option<u32>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let mut r = RESTORATION
        .may_load(deps.storage)?
        .filter(|r| {
            !matches!(
                r.step,
                RestorationStep::Complete | RestorationStep::Abandoned
            )
        })
        .ok_or(ContractError::NoRestorationRunning {})?;
    // Row R13: past its restoration lock the vault is exit-only; no step may interleave
    // with exits.
    ensure_crank_allowed(deps.storage, &env)?;
    let config = CONFIG.load(deps.storage)?;
    let limit = effective_limit(limit);
    let mut budget = u64::from(limit);
    let mut j = Journal::new(&env);
    let start_step = r.step;

    while budget > 0 && r.step != RestorationStep::Complete {
        let before = r.step;
        let used = match r.step {
            RestorationStep::RollingBack => roll_back(&mut deps, &env, &mut r, budget)?,
            RestorationStep::Unwinding => steps::unwind(deps.storage, &mut j, &mut r, budget)?,
            RestorationStep::Replaying => steps::replay(deps.storage, &mut j, &mut r, budget)?,
            RestorationStep::Freezing => {
                steps::freeze(deps.storage, &mut j, &mut r, &config, budget)?
            }
            RestorationStep::Reconciling => {
                settle::reconcile(deps.as_ref(), &env, &mut r, &config)?
            }
            RestorationStep::Settling => {
                settle::settle(&mut deps, &env, &mut j, &mut r, &config, budget)?
            }
            RestorationStep::Complete | RestorationStep::Abandoned => 0,
        };
        if used == 0 && before == r.step {
            // No progress is possible in this step now; never spin.
            break;
        }
        budget = budget.saturating_sub(used);
    }
    j.flush(deps.storage)?;
    RESTORATION.save(deps.storage, &r)?;

    Ok(Response::new()
        .add_attribute("action", "crank")
        .add_attribute("restoration_id", r.id.to_string())
        .add_attribute("limit", limit.to_string())
        .add_attribute("work_done", (u64::from(limit) - budget).to_string())
        .add_attribute("from_step", step_name(start_step))
        .add_attribute("step", step_name(r.step))
        .add_attribute("undone_entries", r.undone_entries.to_string())
        .add_attribute("replayed_flows", r.replayed_flows.to_string())
        .add_attribute(
            "complete",
            (r.step == RestorationStep::Complete).to_string(),
        ))
}

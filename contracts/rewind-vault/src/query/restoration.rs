//! The vault's restoration queries: progress, reports and claims (rewind-target answers the
//! pre-vote check and the status).

use cosmwasm_std::{Deps, Env, Order, StdResult};
use rewind_types::page_prefix;
use rewind_types::restorable::RestorationPhase;
use rewind_types::vault::{
    AccountClaim, ClaimsResponse, RestorationProgressResponse, RestorationReport, RestorationStep,
};

use crate::error::ContractError;
use crate::state::{CLAIMS, REPORTS, RESTORATION};

/// `RestorationProgress {}`: the running or last restoration, as rewind-target's status
/// (its phase, undo entries, replayed and skipped executions) and the vault's own record
/// (its exclusions and settlement) tell it.
pub fn restoration_progress(
    deps: Deps,
    env: &Env,
) -> Result<RestorationProgressResponse, ContractError> {
    let status = rewind_target::state::load_status(deps.storage)?;
    let r = RESTORATION.may_load(deps.storage)?;
    // The vault's record, if it belongs to the status's restoration (it is created by the
    // first hook, so a restoration still rolling back has none yet).
    let ours = match status.phase {
        RestorationPhase::Idle => r.as_ref(),
        phase => r.as_ref().filter(|r| {
            status.height == Some(r.height)
                && (r.step != RestorationStep::Complete || phase == RestorationPhase::Complete)
        }),
    };
    // Idle after a restoration ran means it was abandoned (a released one stays Complete
    // until the next `Restore`); one abandoned before any hook left the vault no record, but
    // the vault is exit-only then.
    let abandoned =
        r.is_some() || rewind_journal::gate_state(deps.storage)?.exit_only(env.block.time);
    let step = match status.phase {
        RestorationPhase::Idle => abandoned.then_some(RestorationStep::Abandoned),
        RestorationPhase::RollingBack => Some(RestorationStep::RollingBack),
        // Replaying, or (its replay done) settling over several cranks: the vault's step.
        RestorationPhase::Replaying => Some(
            ours.map(|r| r.step)
                .filter(|step| {
                    matches!(
                        step,
                        RestorationStep::Reconciling | RestorationStep::Settling
                    )
                })
                .unwrap_or(RestorationStep::Replaying),
        ),
        RestorationPhase::Complete => Some(RestorationStep::Complete),
        RestorationPhase::Failed => Some(RestorationStep::Failed),
    };
    let restoration_id = match (ours, status.phase) {
        (Some(r), _) => Some(r.id),
        (None, RestorationPhase::Idle) => None,
        (None, _) => Some(r.as_ref().map_or(1, |r| r.id.saturating_add(1))),
    };
    Ok(RestorationProgressResponse {
        restoration_id,
        height: status.height.or(r.as_ref().map(|r| r.height)),
        step,
        undone_entries: status.undone_entries,
        unwound_positions: ours.map_or(0, |r| r.unwound_positions),
        replayed_flows: status.replayed_executions,
        skipped_flows: status.skipped_executions,
        frozen_accounts: ours.map_or(0, |r| r.exclusions.len() as u64),
        settled_balances: ours.map_or(0, |r| r.settled_balances),
    })
}

/// `id`, or the newest restoration with a report when `None`.
pub fn last_id(deps: Deps, id: Option<u64>) -> StdResult<Option<u64>> {
    match id {
        Some(id) => Ok(Some(id)),
        None => Ok(REPORTS
            .keys(deps.storage, None, None, Order::Descending)
            .next()
            .transpose()?),
    }
}

/// `RestorationReport { restoration_id }` (the newest when `None`).
pub fn report(deps: Deps, id: Option<u64>) -> StdResult<Option<RestorationReport>> {
    match last_id(deps, id)? {
        Some(id) => REPORTS.may_load(deps.storage, id),
        None => Ok(None),
    }
}

/// `RestorationClaims { .. }`: a page of claims fixed by a restoration.
pub fn claims(
    deps: Deps,
    id: Option<u64>,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<ClaimsResponse, ContractError> {
    let Some(id) = last_id(deps, id)? else {
        return Ok(ClaimsResponse {
            restoration_id: None,
            claims: vec![],
        });
    };
    let start = start_after
        .map(|a| deps.api.addr_validate(&a))
        .transpose()?;
    let claims = page_prefix(
        &CLAIMS.prefix(id),
        deps.storage,
        start.as_ref(),
        limit,
        |account, c| AccountClaim {
            account,
            frozen: c.frozen,
            before: c.before,
            after: c.after,
        },
    )?;
    Ok(ClaimsResponse {
        restoration_id: Some(id),
        claims,
    })
}

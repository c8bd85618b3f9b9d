//! Restoration queries: the pre-vote check, status, progress, reports and claims.

use cosmwasm_std::{Deps, Env, Order, StdResult, Uint128};
use rewind_journal::{account_activity, digest_at, journal_info};
use rewind_types::page_prefix;
use rewind_types::restorable::{
    RestorationCheckResponse, RestorationPhase, RestorationStatusResponse,
};
use rewind_types::vault::{
    AccountClaim, ClaimsResponse, RestorationProgressResponse, RestorationReport, RestorationStep,
};

use crate::error::ContractError;
use crate::state::{CLAIMS, REPORTS, RESTORATION};

/// `JournalInfo` plus one `DigestAt` outcome per height (a refused height carries the exact
/// text the `DigestAt` query fails with) and the last activity of each asked account
/// (validated, capped: row G14).
pub fn restoration_check(
    deps: Deps,
    env: &Env,
    heights: &[u64],
    accounts: &[String],
) -> Result<RestorationCheckResponse, ContractError> {
    let journal = journal_info(deps.storage, env)?;
    let mut response = RestorationCheckResponse::build(journal, heights, |height| {
        digest_at(deps.storage, env, height).map_err(ContractError::from)
    })?;
    response.activity = account_activity(deps.storage, deps.api, accounts)?;
    Ok(response)
}

/// `RestorationStatus {}`: the shared restorable-target status.
pub fn restoration_status(deps: Deps) -> StdResult<RestorationStatusResponse> {
    let Some(r) = RESTORATION.may_load(deps.storage)? else {
        return Ok(RestorationStatusResponse {
            phase: RestorationPhase::Idle,
            height: None,
            undone_entries: 0,
            replayed_flows: 0,
            digest_verified: false,
            total_claims: Uint128::zero(),
            replayed_executions: 0,
            skipped_executions: 0,
            next_replay: None,
        });
    };
    let complete = r.step == RestorationStep::Complete;
    Ok(RestorationStatusResponse {
        phase: match r.step {
            RestorationStep::RollingBack => RestorationPhase::RollingBack,
            RestorationStep::Complete => RestorationPhase::Complete,
            // No restoration runs any more (row R13).
            RestorationStep::Abandoned => RestorationPhase::Idle,
            _ => RestorationPhase::Replaying,
        },
        height: Some(r.height),
        undone_entries: r.undone_entries,
        replayed_flows: r.replayed_flows,
        digest_verified: r.digest_verified,
        // Summed over denoms (one number in the shared interface); per denom in the report.
        total_claims: if complete {
            r.denoms
                .iter()
                .fold(Uint128::zero(), |acc, d| acc.saturating_add(d.claims_after))
        } else {
            Uint128::zero()
        },
        // The vault replays flows, not recorded executions.
        replayed_executions: 0,
        skipped_executions: 0,
        next_replay: None,
    })
}

/// `RestorationProgress {}`: the running or last restoration's counters.
pub fn restoration_progress(deps: Deps) -> StdResult<RestorationProgressResponse> {
    let r = RESTORATION.may_load(deps.storage)?;
    Ok(RestorationProgressResponse {
        restoration_id: r.as_ref().map(|r| r.id),
        height: r.as_ref().map(|r| r.height),
        step: r.as_ref().map(|r| r.step),
        undone_entries: r.as_ref().map_or(0, |r| r.undone_entries),
        unwound_positions: r.as_ref().map_or(0, |r| r.unwound_positions),
        replayed_flows: r.as_ref().map_or(0, |r| r.replayed_flows),
        skipped_flows: r.as_ref().map_or(0, |r| r.skipped_flows),
        frozen_accounts: r.as_ref().map_or(0, |r| r.frozen_accounts),
        settled_balances: r.as_ref().map_or(0, |r| r.settled_balances),
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

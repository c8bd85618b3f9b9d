//! The pause state of a target, and its pause history.

use cosmwasm_std::{Deps, Env, StdResult};
use rewind_types::guardian::{PauseHistoryResponse, PauseRecord, PauseStatusResponse, ScopeStatus};
use rewind_types::page_newest_first;
use rewind_types::PauseScope;

use crate::execute::running_pause;
use crate::state::{LOCKS, PAUSES, TARGET_SCOPES};

/// `all` and every scope `target` declares, paused or not, with time left, and its
/// restoration lock.
pub fn pause_status(deps: Deps, env: &Env, target: String) -> StdResult<PauseStatusResponse> {
    let target = deps.api.addr_validate(&target)?;
    let now = env.block.time;
    let declared = TARGET_SCOPES
        .may_load(deps.storage, &target)?
        .unwrap_or_default();
    let mut scopes = Vec::with_capacity(declared.len() + 1);
    for scope in std::iter::once(PauseScope::ALL).chain(declared.into_iter().map(|s| s.scope)) {
        scopes.push(match running_pause(deps.storage, now, &target, &scope)? {
            Some((_, r)) => ScopeStatus {
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

/// A page of the pauses of `target`, newest first, before `start_before`.
///
/// The one list read not through `rewind_types::page`: it goes back in time inside one
/// target's prefix, and `page` reads whole maps in ascending order. Same limit policy
/// (`clamp_limit`, row D2).
pub fn history(
    deps: Deps,
    target: String,
    start_before: Option<u64>,
    limit: Option<u32>,
) -> StdResult<PauseHistoryResponse> {
    let target = deps.api.addr_validate(&target)?;
    let pauses = page_newest_first(
        &PAUSES.prefix(&target),
        deps.storage,
        start_before,
        limit,
        |_, record: PauseRecord| record,
    )?;
    Ok(PauseHistoryResponse { pauses })
}

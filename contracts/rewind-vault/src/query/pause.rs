//! `PauseStatus {}`: every scope's gate as a user sees it.

use cosmwasm_std::{Deps, Env};
use rewind_journal::gate_state;
use rewind_types::vault::{PauseStatusResponse, ScopePause, SCOPES};
use rewind_types::{PauseScope, ScopeInfo};

use crate::error::ContractError;

/// `PauseStatus {}`: for `all` and each scope of [`SCOPES`], whether it is blocked now and
/// by which pause.
pub fn pause_status(deps: Deps, env: &Env) -> Result<PauseStatusResponse, ContractError> {
    let gate = gate_state(deps.storage)?;
    let now = env.block.time;
    let locked = gate.restoration_pending(now) && !gate.stuck(now);
    let exit_only = gate.exit_only(now);
    let scopes = std::iter::once(ScopeInfo::action(PauseScope::ALL))
        .chain(SCOPES)
        .map(|ScopeInfo { scope, exit }| {
            let own = gate.own_pause(&scope, now);
            // Exits are paused like any scope: the guardian's registry refuses an exit
            // pause on a target whose exits are not pausable (one source of truth).
            let stopped_by_pause = gate.active_pause(&scope, now).is_some();
            let closed = if exit_only { !exit } else { locked };
            ScopePause {
                scope,
                blocked: closed || stopped_by_pause,
                paused_until: own,
                seconds_left: own.map_or(0, |u| u.seconds().saturating_sub(now.seconds())),
            }
        })
        .collect();
    Ok(PauseStatusResponse {
        scopes,
        restoration_lock_until: gate.active_lock(now),
        restoring: gate.restoring,
        exit_only: gate.exit_only(now),
    })
}

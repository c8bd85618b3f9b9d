//! The pause gate: every scope's `paused_until`, the restoration lock and the `restoring`
//! flag in ONE small item, so a check is exactly one storage read. Pauses and locks end by
//! themselves when the block time passes them; no transaction is needed.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Env, StdResult, Storage, Timestamp};
use cw_storage_plus::Item;
use rewind_types::PauseScope;

use crate::error::JournalError;
use crate::keys::NS_GATE;

pub(crate) const GATE: Item<GateState> = Item::new(NS_GATE);

/// A pause of one scope.
#[cw_serde]
#[derive(Copy)]
pub struct ScopePause {
    /// The paused family of actions.
    pub scope: PauseScope,
    /// The pause is in force while the block time is before this.
    pub until: Timestamp,
}

/// The whole gate, stored as one item.
#[cw_serde]
#[derive(Default)]
pub struct GateState {
    /// The last pause set for each scope (expired ones included; at most one per scope).
    pub paused_until: Vec<ScopePause>,
    /// The guardian's restoration lock: in force while the block time is before it.
    pub restoration_lock_until: Option<Timestamp>,
    /// A restoration is running (set by `start_rollback`, cleared by `finish_restoration`).
    pub restoring: bool,
}

impl GateState {
    /// The restoration lock's end, if it is in force at `now`.
    pub fn active_lock(&self, now: Timestamp) -> Option<Timestamp> {
        self.restoration_lock_until.filter(|until| now < *until)
    }

    /// Whether a restoration is pending: running, or queued behind an unexpired lock.
    pub fn restoration_pending(&self, now: Timestamp) -> bool {
        self.restoring || self.active_lock(now).is_some()
    }

    /// The pause in force at `now` that stops `scope` (its own or `All`), the later-ending one
    /// if both are.
    pub fn active_pause(&self, scope: PauseScope, now: Timestamp) -> Option<ScopePause> {
        self.paused_until
            .iter()
            .filter(|p| (p.scope == scope || p.scope == PauseScope::All) && now < p.until)
            .max_by_key(|p| p.until)
            .copied()
    }

    fn check_not_locked(&self, now: Timestamp) -> Result<(), JournalError> {
        if self.restoring {
            return Err(JournalError::Restoring);
        }
        if let Some(until) = self.active_lock(now) {
            return Err(JournalError::RestorationLocked { until });
        }
        Ok(())
    }
}

/// The gate (all open when never set).
pub fn gate_state(store: &dyn Storage) -> StdResult<GateState> {
    Ok(GATE.may_load(store)?.unwrap_or_default())
}

/// Ok if `scope` may run now: not restoring, no restoration lock in force, and neither
/// `scope` nor `All` paused past the block time. Exactly one storage read.
pub fn ensure_open(store: &dyn Storage, env: &Env, scope: PauseScope) -> Result<(), JournalError> {
    let gate = gate_state(store)?;
    let now = env.block.time;
    gate.check_not_locked(now)?;
    match gate.active_pause(scope, now) {
        Some(p) => Err(JournalError::Paused {
            scope: p.scope,
            until: p.until,
        }),
        None => Ok(()),
    }
}

/// Ok unless restoring or restoration-locked: for actions outside every pause scope (e.g.
/// price pushes) that must still stop during a restoration. One storage read.
pub fn ensure_not_locked(store: &dyn Storage, env: &Env) -> Result<(), JournalError> {
    gate_state(store)?.check_not_locked(env.block.time)
}

/// Pauses `scope` until `until` (a time at or before the block time lifts it). The
/// EMBEDDING CONTRACT checks the sender (the guardian contract) before calling this.
pub fn set_pause(store: &mut dyn Storage, scope: PauseScope, until: Timestamp) -> StdResult<()> {
    let mut gate = gate_state(store)?;
    match gate.paused_until.iter_mut().find(|p| p.scope == scope) {
        Some(p) => p.until = until,
        None => gate.paused_until.push(ScopePause { scope, until }),
    }
    gate.paused_until.sort_by_key(|p| p.scope);
    GATE.save(store, &gate)
}

/// Holds the restoration lock until `until`, or releases it with `None`. The EMBEDDING
/// CONTRACT checks the sender (the guardian contract) before calling this.
pub fn set_restoration_lock(store: &mut dyn Storage, until: Option<Timestamp>) -> StdResult<()> {
    let mut gate = gate_state(store)?;
    gate.restoration_lock_until = until;
    GATE.save(store, &gate)
}

pub(crate) fn set_restoring(store: &mut dyn Storage, restoring: bool) -> StdResult<()> {
    let mut gate = gate_state(store)?;
    // The guardian's restoration lock is left alone: when several targets restore together,
    // the executor releases it for all of them at once, after the last one completes.
    gate.restoring = restoring;
    GATE.save(store, &gate)
}

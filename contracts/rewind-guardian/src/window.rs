//! One guardian's pauses of a target that still matter for its budget (row P6).

use cosmwasm_std::{Addr, StdResult, Storage};
use rewind_types::guardian::{PausePolicy, PauseRecord};

use crate::state::{PAUSES, WINDOW};

/// The records of `guardian`'s pauses of `target` still kept for its budget, oldest first.
pub fn window_records(
    storage: &dyn Storage,
    guardian: &Addr,
    target: &Addr,
) -> StdResult<Vec<PauseRecord>> {
    WINDOW
        .may_load(storage, (guardian, target))?
        .unwrap_or_default()
        .into_iter()
        .map(|id| PAUSES.load(storage, (target, id)))
        .collect()
}

/// Whether a record can no longer affect any budget window from `now` on. Future windows
/// `[t − W, t]` have `t >= now`, so a charged part ending at or before `now − W` is outside
/// all of them. (The cooldown and the stretch cap do not read these records: they keep
/// their own per-action state.)
pub fn is_stale(record: &PauseRecord, now: u64, policy: &PausePolicy) -> bool {
    record
        .charged_until
        .seconds()
        .saturating_add(policy.budget_window_seconds)
        <= now
}

/// Drops the guardian's stale ids on `target` and returns the records that remain. Bounded:
/// the list never holds more than the record cap plus one.
pub fn prune(
    storage: &mut dyn Storage,
    guardian: &Addr,
    target: &Addr,
    now: u64,
    policy: &PausePolicy,
) -> StdResult<Vec<PauseRecord>> {
    let kept: Vec<PauseRecord> = window_records(storage, guardian, target)?
        .into_iter()
        .filter(|r| !is_stale(r, now, policy))
        .collect();
    WINDOW.save(
        storage,
        (guardian, target),
        &kept.iter().map(|r| r.id).collect(),
    )?;
    Ok(kept)
}

/// The charged intervals `[start, charged_until)` in seconds.
pub fn charged_intervals(records: &[PauseRecord]) -> Vec<(u64, u64)> {
    records
        .iter()
        .map(|r| (r.start.seconds(), r.charged_until.seconds()))
        .collect()
}

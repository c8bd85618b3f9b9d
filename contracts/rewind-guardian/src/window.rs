//! The guardian pauses of a target that still matter: for its budget window or its cooldown.

use cosmwasm_std::{Addr, StdResult, Storage};
use rewind_types::guardian::{PausePolicy, PauseRecord};

use crate::state::{PAUSES, WINDOW};

/// The records of the target's pauses still inside the window or cooldown, oldest first.
pub fn window_records(storage: &dyn Storage, target: &Addr) -> StdResult<Vec<PauseRecord>> {
    WINDOW
        .may_load(storage, target)?
        .unwrap_or_default()
        .into_iter()
        .map(|id| PAUSES.load(storage, (target, id)))
        .collect()
}

/// Whether a record can no longer affect any budget window or cooldown from `now` on.
/// Future windows `[t − W, t]` have `t >= now`, so a charged part ending at or before
/// `now − W` is outside all of them.
fn is_stale(record: &PauseRecord, now: u64, policy: &PausePolicy) -> bool {
    let charged_end = record.charged_until.seconds();
    let end = record.end.seconds();
    end <= now
        && charged_end.saturating_add(policy.budget_window_seconds) <= now
        && end.saturating_add(policy.cooldown_seconds) <= now
}

/// Drops stale ids and returns the records that remain.
pub fn prune(
    storage: &mut dyn Storage,
    target: &Addr,
    now: u64,
    policy: &PausePolicy,
) -> StdResult<Vec<PauseRecord>> {
    let kept: Vec<PauseRecord> = window_records(storage, target)?
        .into_iter()
        .filter(|r| !is_stale(r, now, policy))
        .collect();
    WINDOW.save(storage, target, &kept.iter().map(|r| r.id).collect())?;
    Ok(kept)
}

/// The charged intervals `[start, charged_until)` in seconds.
pub fn charged_intervals(records: &[PauseRecord]) -> Vec<(u64, u64)> {
    records
        .iter()
        .map(|r| (r.start.seconds(), r.charged_until.seconds()))
        .collect()
}

/// Until when guardians may not pause the target: `cooldown` after the latest end of a
/// guardian pause that has ended (early ends included). `None` when not in cooldown.
pub fn cooldown_until(records: &[PauseRecord], now: u64, cooldown: u64) -> Option<u64> {
    records
        .iter()
        .map(|r| r.end.seconds())
        .filter(|&end| end <= now)
        .map(|end| end.saturating_add(cooldown))
        .filter(|&until| until > now)
        .max()
}

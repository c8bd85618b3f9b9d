//! The pause policy as pure functions: bounds, the guardian-time budget and the cooldown.
//!
//! Budget definition (row P1). For one target, let U be the UNION of the guardian-charged
//! intervals `[start, charged_until)` of all its guardian pauses: concurrent pauses of
//! different scopes count once. For a window end `t`, `f(t) = |U ∩ [t − W, t]|`. The policy
//! is `f(t) <= budget` for every `t`.
//!
//! Why checking a few points is enough: `f'(t) = 1_U(t) − 1_U(t − W)`, so `f` never
//! decreases while `t ∈ U` and never increases while `t ∉ U`. Its local maxima are
//! therefore at the right ends of the connected pieces of U, and every such end is the end
//! of some interval. A new pause `[now, end)` changes `f(t)` only for `t > now`, so after
//! adding it we evaluate `f` at every interval end after `now` (its own end and the ends of
//! concurrent pauses). Ending a pause early only shrinks U, and governance extensions are
//! not charged, so no other action can break the property.

use rewind_types::guardian::PausePolicy;

use crate::error::ContractError;

/// The longest guardian pause any policy may allow.
pub const HARD_MAX_PAUSE_SECONDS: u64 = 30 * 24 * 3600;
/// The shortest cooldown any policy may set: re-pausing right after an end is never free.
pub const HARD_MIN_COOLDOWN_SECONDS: u64 = 3600;
/// The longest cooldown any policy may set.
pub const HARD_MAX_COOLDOWN_SECONDS: u64 = 30 * 24 * 3600;
/// The longest budget window any policy may set.
pub const HARD_MAX_WINDOW_SECONDS: u64 = 365 * 24 * 3600;
/// The furthest governance may extend a pause, counted from the block time: every pause ends.
pub const MAX_GOVERNANCE_PAUSE_SECONDS: u64 = 90 * 24 * 3600;
/// The longest restoration lock, counted from the block time: the timelock's longest delay
/// (30 days) plus its longest grace window (30 days). Every lock ends.
pub const MAX_LOCK_SECONDS: u64 = 60 * 24 * 3600;
/// The most guardians (row D3).
pub const MAX_GUARDIANS: u64 = 20;
/// The most registered targets (row D3).
pub const MAX_TARGETS: u64 = rewind_types::MAX_REGISTERED_TARGETS as u64;
/// The most targets one restoration lock names (row D3).
pub const MAX_LOCK_TARGETS: usize = 20;
/// The most guardian pauses of one target kept inside the budget window (row D3).
pub const MAX_WINDOW_PAUSES: u64 = 100;

/// The defaults from the design: 72 h cap, 24 h cooldown, 7 days per 30 days.
pub fn default_policy() -> PausePolicy {
    PausePolicy {
        max_pause_seconds: 72 * 3600,
        cooldown_seconds: 24 * 3600,
        budget_seconds: 7 * 24 * 3600,
        budget_window_seconds: 30 * 24 * 3600,
    }
}

fn invalid(reason: impl Into<String>) -> ContractError {
    ContractError::InvalidPolicy {
        reason: reason.into(),
    }
}

/// Checks a policy against the bounds in code (rows P1, B4).
pub fn validate_policy(p: &PausePolicy) -> Result<(), ContractError> {
    if p.max_pause_seconds == 0 || p.max_pause_seconds > HARD_MAX_PAUSE_SECONDS {
        return Err(invalid(format!(
            "max_pause_seconds must be in [1, {HARD_MAX_PAUSE_SECONDS}]"
        )));
    }
    if p.cooldown_seconds < HARD_MIN_COOLDOWN_SECONDS
        || p.cooldown_seconds > HARD_MAX_COOLDOWN_SECONDS
    {
        return Err(invalid(format!(
            "cooldown_seconds must be in [{HARD_MIN_COOLDOWN_SECONDS}, {HARD_MAX_COOLDOWN_SECONDS}]"
        )));
    }
    if p.budget_window_seconds == 0 || p.budget_window_seconds > HARD_MAX_WINDOW_SECONDS {
        return Err(invalid(format!(
            "budget_window_seconds must be in [1, {HARD_MAX_WINDOW_SECONDS}]"
        )));
    }
    if p.budget_seconds == 0 || p.budget_seconds >= p.budget_window_seconds {
        return Err(invalid(
            "budget_seconds must be positive and shorter than the window",
        ));
    }
    Ok(())
}

/// Length of the union of half-open intervals `[start, end)` clipped to `[from, to)`.
pub fn union_length_in(intervals: &[(u64, u64)], from: u64, to: u64) -> u64 {
    let mut clipped: Vec<(u64, u64)> = intervals
        .iter()
        .map(|&(s, e)| (s.max(from), e.min(to)))
        .filter(|&(s, e)| s < e)
        .collect();
    clipped.sort_unstable();
    let mut total = 0u64;
    let mut current: Option<(u64, u64)> = None;
    for (s, e) in clipped {
        current = match current {
            Some((cs, ce)) if s <= ce => Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total = total.saturating_add(ce - cs);
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    if let Some((cs, ce)) = current {
        total = total.saturating_add(ce - cs);
    }
    total
}

/// The highest guardian time in any window `[t − window, t]` with `t > after`: by the
/// argument in the module docs, the maximum over interval ends after `after`.
pub fn peak_usage_after(intervals: &[(u64, u64)], after: u64, window: u64) -> u64 {
    intervals
        .iter()
        .map(|&(_, e)| e)
        .filter(|&e| e > after)
        .map(|e| union_length_in(intervals, e.saturating_sub(window), e))
        .max()
        .unwrap_or(0)
}

/// `a + b` in seconds, refusing overflow (row B3).
pub fn add_seconds(a: u64, b: u64) -> Result<u64, ContractError> {
    a.checked_add(b).ok_or(ContractError::TimeOverflow {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_counts_overlaps_once() {
        assert_eq!(union_length_in(&[(0, 10), (5, 15)], 0, 100), 15);
        assert_eq!(union_length_in(&[(0, 10), (20, 30)], 5, 25), 10);
        assert_eq!(union_length_in(&[(0, 10), (10, 20)], 0, 100), 20);
        assert_eq!(union_length_in(&[], 0, 100), 0);
    }

    #[test]
    fn b4_default_policy_is_valid_and_degenerate_ones_are_not() {
        validate_policy(&default_policy()).unwrap();
        let mut p = default_policy();
        p.max_pause_seconds = 0;
        assert!(validate_policy(&p).is_err());
        let mut p = default_policy();
        p.cooldown_seconds = 0;
        assert!(validate_policy(&p).is_err());
        let mut p = default_policy();
        p.budget_seconds = p.budget_window_seconds;
        assert!(validate_policy(&p).is_err());
        let mut p = default_policy();
        p.budget_window_seconds = 0;
        assert!(validate_policy(&p).is_err());
    }
}

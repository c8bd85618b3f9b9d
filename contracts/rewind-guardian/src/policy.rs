//! The pause policy as pure functions: bounds, the per-guardian budget and the per-action
//! stretch cap and cooldown.
//!
//! Budget definition (rows P1, P6). Each guardian has its own budget on each target. For
//! guardian `g` and target `x`, let U be the UNION of the charged intervals
//! `[start, charged_until)` of g's pauses of x: g's concurrent pauses of different scopes
//! count once. A pause is charged at least `min_charge_seconds` from its start, however
//! short it was or however early it ended, so pauses apart in time each cost the minimum.
//! For a window end `t`, `f(t) = |U ∩ [t − W, t]|`. The policy is `f(t) <= budget` for
//! every `t`.
//!
//! Why checking a few points is enough: `f'(t) = 1_U(t) − 1_U(t − W)`, so `f` never
//! decreases while `t ∈ U` and never increases while `t ∉ U`. Its local maxima are
//! therefore at the right ends of the connected pieces of U, and every such end is the end
//! of some interval. A new pause `[now, end)` changes `f(t)` only for `t > now`, so after
//! adding it we evaluate `f` at every interval end after `now` (its own end and the ends of
//! concurrent pauses), and at `now` itself. Ending a pause early only shrinks U (never
//! below the minimum charge), and governance extensions are not charged, so no other
//! action can break the property.
//!
//! Stretch definition (row P5): see `crate::stretch`.

use rewind_types::guardian::PausePolicy;

use crate::error::ContractError;

/// The longest guardian pause any policy may allow.
pub const HARD_MAX_PAUSE_SECONDS: u64 = 30 * 24 * 3600;
/// The shortest cooldown any policy may set: re-pausing right after an end is never free.
pub const HARD_MIN_COOLDOWN_SECONDS: u64 = 3600;
/// The longest cooldown any policy may set.
pub const HARD_MAX_COOLDOWN_SECONDS: u64 = 30 * 24 * 3600;
/// The least minimum charge any policy may set: a pause is never (nearly) free (row P6).
pub const HARD_MIN_CHARGE_SECONDS: u64 = 600;
/// The greatest minimum charge any policy may set.
pub const HARD_MAX_CHARGE_SECONDS: u64 = 24 * 3600;
/// The longest history hold governance may ask, counted from the block time: every hold
/// ends, and a year is far beyond any voting period plus timelock delay plus grace.
pub const MAX_HOLD_SECONDS: u64 = 365 * 24 * 3600;
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
/// The most pauses of one target ONE guardian may have inside the budget window (rows D3,
/// P6). Per guardian: one key's spam fills only its own room, and a new guardian always
/// has all of it. A pause reads at most this many records; the `Budget` query at most
/// `MAX_GUARDIANS` times as many.
pub const MAX_WINDOW_PAUSES: u64 = 50;

/// The defaults from the design: 72 h cap, 24 h cooldown, 7 days per 30 days per guardian,
/// each pause charged at least 1 h.
pub fn default_policy() -> PausePolicy {
    PausePolicy {
        max_pause_seconds: 72 * 3600,
        cooldown_seconds: 24 * 3600,
        budget_seconds: 7 * 24 * 3600,
        budget_window_seconds: 30 * 24 * 3600,
        min_charge_seconds: rewind_types::guardian::default_min_charge_seconds(),
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
    if p.min_charge_seconds < HARD_MIN_CHARGE_SECONDS
        || p.min_charge_seconds > HARD_MAX_CHARGE_SECONDS
    {
        return Err(invalid(format!(
            "min_charge_seconds must be in [{HARD_MIN_CHARGE_SECONDS}, {HARD_MAX_CHARGE_SECONDS}]"
        )));
    }
    // A pause of the minimum charge always fits a fresh guardian's budget, and the charge
    // of one pause never exceeds the cap of one pause.
    if p.min_charge_seconds > p.max_pause_seconds || p.min_charge_seconds > p.budget_seconds {
        return Err(invalid(
            "min_charge_seconds must not exceed max_pause_seconds or budget_seconds",
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

/// The highest guardian time in any window `[t − window, t]` with `t >= after`: by the
/// argument in the module docs, the maximum over `after` and the interval ends after it.
pub fn peak_usage_after(intervals: &[(u64, u64)], after: u64, window: u64) -> u64 {
    std::iter::once(after)
        .chain(intervals.iter().map(|&(_, e)| e).filter(|&e| e > after))
        .map(|t| union_length_in(intervals, t.saturating_sub(window), t))
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
    fn p6_peak_is_found_between_interval_ends() {
        // Overlapping and separate pauses in a 100 s window, checked against a brute force
        // over every integer window end from `after` on.
        let intervals = [(0, 10), (5, 30), (95, 105), (150, 160), (240, 250)];
        for after in [0u64, 50, 100, 149, 200, 245] {
            let brute = (after..400)
                .map(|t| union_length_in(&intervals, t.saturating_sub(100), t))
                .max()
                .unwrap();
            assert_eq!(
                peak_usage_after(&intervals, after, 100),
                brute,
                "after {after}"
            );
        }
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

    #[test]
    fn p6_min_charge_is_bounded_in_code() {
        for (min_charge, max_pause, budget, ok) in [
            (3600, 72 * 3600, 7 * 24 * 3600, true),
            (HARD_MIN_CHARGE_SECONDS, 72 * 3600, 7 * 24 * 3600, true),
            (HARD_MIN_CHARGE_SECONDS - 1, 72 * 3600, 7 * 24 * 3600, false),
            (0, 72 * 3600, 7 * 24 * 3600, false),
            (HARD_MAX_CHARGE_SECONDS, 72 * 3600, 7 * 24 * 3600, true),
            (HARD_MAX_CHARGE_SECONDS + 1, 72 * 3600, 7 * 24 * 3600, false),
            (7200, 3600, 7 * 24 * 3600, false),
            (7200, 72 * 3600, 3600, false),
        ] {
            let p = PausePolicy {
                min_charge_seconds: min_charge,
                max_pause_seconds: max_pause,
                budget_seconds: budget,
                ..default_policy()
            };
            match validate_policy(&p) {
                Ok(()) => assert!(ok, "{p:?} accepted"),
                Err(ContractError::InvalidPolicy { reason }) => {
                    assert!(!ok, "{p:?} refused: {reason}");
                    assert!(reason.contains("min_charge_seconds"), "{reason}");
                }
                Err(e) => panic!("unexpected {e}"),
            }
        }
    }

    #[test]
    fn p6_a_policy_without_min_charge_gets_the_default() {
        let json = br#"{"max_pause_seconds":259200,"cooldown_seconds":86400,"budget_seconds":604800,"budget_window_seconds":2592000}"#;
        let p: PausePolicy = cosmwasm_std::from_json(json).unwrap();
        assert_eq!(p, default_policy());
    }
}

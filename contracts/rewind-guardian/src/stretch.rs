//! The per-action stretch cap and cooldown (row P5).
//!
//! The actions of a target are the scopes it declares (its registration's scopes); a pause
//! of `all` stops every one of them, a pause of a declared scope only that one. Callers pass
//! the actions a pause stops (`DeclaredScopes::actions_of`), so the rules below hold for any
//! set of scopes. For each
//! action of a target the contract keeps its latest guardian STRETCH: the union of the
//! guardian pauses of any scopes stopping it that overlap or touch, as `[start, end]`,
//! `end` being the latest end of its pauses (an early end moves it back, a governance
//! extension forward). A new guardian pause `[now, e)` of a scope, for each action the
//! scope stops:
//! - if the action's stretch has not ended (`end >= now`), the pause joins it: the joined
//!   stretch `[start, max(end, e)]` may last at most `max_pause_seconds`;
//! - else it starts a new stretch, which may not start before `end + cooldown_seconds`.
//!
//! Row P6 (a rotation always allows a pause): each stretch remembers the guardians who
//! contributed pauses to it. When governance removes guardians, every stretch to which one
//! of them contributed is marked `cooldown_waived` and loses them from its contributors: a
//! running one keeps its cap, but once ended it imposes no cooldown. So one compromised
//! key cannot lock every other guardian out with a one-second pause ended at once: the
//! rotation that removes it frees the next pause. A cooldown left only by guardians who
//! stay still applies.
//!
//! Only two pauses can be running for one action at a time (the running pause of its own
//! scope and that of `all`, one per scope), so when one ends early the stretch's new end is
//! the block time or the other one's end, whichever is later.

use cosmwasm_std::{Addr, StdResult, Storage, Timestamp};
use rewind_types::guardian::PausePolicy;
use rewind_types::PauseScope;

use crate::error::ContractError;
use crate::state::{Stretch, ACTIVE, PAUSES, STRETCHES};

/// Why a new pause may not stop an action.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The action's previous stretch ended less than a cooldown ago.
    Cooldown {
        /// When the cooldown ends.
        until: u64,
    },
    /// Joining the running stretch would make it longer than the cap.
    TooLong {
        /// The stretch's start.
        since: u64,
        /// The joined stretch's end.
        until: u64,
    },
}

/// The action's stretch after a pause `[now, end)` that stops it, or why not (pure).
pub fn next_stretch(
    current: Option<(u64, u64)>,
    now: u64,
    end: u64,
    policy: &PausePolicy,
) -> Result<(u64, u64), Refusal> {
    match current {
        Some((start, current_end)) if current_end >= now => {
            let until = current_end.max(end);
            if until.saturating_sub(start) > policy.max_pause_seconds {
                return Err(Refusal::TooLong {
                    since: start,
                    until,
                });
            }
            Ok((start, until))
        }
        Some((_, current_end)) => {
            let until = current_end.saturating_add(policy.cooldown_seconds);
            if until > now {
                return Err(Refusal::Cooldown { until });
            }
            Ok((now, end))
        }
        None => Ok((now, end)),
    }
}

fn load(storage: &dyn Storage, target: &Addr, action: &PauseScope) -> StdResult<Option<Stretch>> {
    STRETCHES.may_load(storage, (target, action.as_str()))
}

/// The stretch a new pause at `now` must respect, as `(start, end)`: none if the stored
/// one has ended and its cooldown was waived (row P6).
fn binding(stretch: &Stretch, now: u64) -> Option<(u64, u64)> {
    let end = stretch.end.seconds();
    (!(stretch.cooldown_waived && end < now)).then_some((stretch.start.seconds(), end))
}

/// `contributors` (ascending, no duplicates) with `guardian` added.
fn with_contributor(mut contributors: Vec<Addr>, guardian: &Addr) -> Vec<Addr> {
    if let Err(i) = contributors.binary_search(guardian) {
        contributors.insert(i, guardian.clone());
    }
    contributors
}

/// The new stretch of each of `actions` (those a pause over `[now, end)` by `guardian`
/// stops), or the typed refusal naming the first action (in the given order, the target's
/// declaration order) it would break.
pub fn plan_pause(
    storage: &dyn Storage,
    target: &Addr,
    actions: &[PauseScope],
    guardian: &Addr,
    now: u64,
    end: u64,
    policy: &PausePolicy,
) -> Result<Vec<(PauseScope, Stretch)>, ContractError> {
    let mut plan = Vec::with_capacity(actions.len());
    for action in actions {
        let stored = load(storage, target, action)?;
        let current = stored.as_ref().and_then(|s| binding(s, now));
        let (start, until) = next_stretch(current, now, end, policy).map_err(|r| match r {
            Refusal::Cooldown { until } => ContractError::InCooldown {
                target: target.clone(),
                action: action.clone(),
                until: Timestamp::from_seconds(until),
            },
            Refusal::TooLong { since, until } => ContractError::StretchTooLong {
                target: target.clone(),
                action: action.clone(),
                since: Timestamp::from_seconds(since),
                until: Timestamp::from_seconds(until),
                max: policy.max_pause_seconds,
            },
        })?;
        // Joining the running stretch keeps its contributors and its waiver; a new stretch
        // starts with this guardian alone. Contributors are current guardians, so at most
        // `MAX_GUARDIANS`.
        let (contributors, cooldown_waived) = match stored {
            Some(s) if s.end.seconds() >= now => (s.contributors, s.cooldown_waived),
            _ => (vec![], false),
        };
        plan.push((
            action.clone(),
            Stretch {
                start: Timestamp::from_seconds(start),
                end: Timestamp::from_seconds(until),
                contributors: with_contributor(contributors, guardian),
                cooldown_waived,
            },
        ));
    }
    Ok(plan)
}

/// What `waive_removed` changed on one target.
#[derive(Debug, Default, PartialEq, Eq, Clone, Copy)]
pub struct Waived {
    /// Stretches newly marked `cooldown_waived`.
    pub stretches: u64,
    /// Of those, the ones that had ended and were imposing a cooldown at `now`.
    pub cooldowns: u64,
}

/// Row P6: drops the guardians `is_removed` names from the contributors of the stretch of
/// each of `actions` (the target's declared scopes) of `target`, and waives the cooldown of
/// each stretch one of them contributed to (an ended one frees the next pause at once; a
/// running one keeps its cap and imposes no cooldown once ended). Bounded: at most
/// `MAX_SCOPES` stretches, each with at most `MAX_GUARDIANS` contributors.
pub fn waive_removed(
    storage: &mut dyn Storage,
    target: &Addr,
    actions: &[PauseScope],
    now: u64,
    policy: &PausePolicy,
    is_removed: &dyn Fn(&dyn Storage, &Addr) -> StdResult<bool>,
) -> StdResult<Waived> {
    let mut waived = Waived::default();
    for action in actions {
        let Some(mut stretch) = load(storage, target, action)? else {
            continue;
        };
        let mut kept = Vec::with_capacity(stretch.contributors.len());
        for c in &stretch.contributors {
            if !is_removed(storage, c)? {
                kept.push(c.clone());
            }
        }
        if kept.len() == stretch.contributors.len() {
            continue;
        }
        stretch.contributors = kept;
        if !stretch.cooldown_waived {
            stretch.cooldown_waived = true;
            waived.stretches = waived.stretches.saturating_add(1);
            let end = stretch.end.seconds();
            if end < now && end.saturating_add(policy.cooldown_seconds) > now {
                waived.cooldowns = waived.cooldowns.saturating_add(1);
            }
        }
        STRETCHES.save(storage, (target, action.as_str()), &stretch)?;
    }
    Ok(waived)
}

/// Stores the stretches `plan_pause` computed.
pub fn save_plan(
    storage: &mut dyn Storage,
    target: &Addr,
    plan: &[(PauseScope, Stretch)],
) -> StdResult<()> {
    for (action, stretch) in plan {
        STRETCHES.save(storage, (target, action.as_str()), stretch)?;
    }
    Ok(())
}

/// The end of the running pause of `scope`, if one runs after `now`.
fn running_end(
    storage: &dyn Storage,
    target: &Addr,
    scope: &PauseScope,
    now: u64,
) -> StdResult<Option<u64>> {
    let Some(id) = ACTIVE.may_load(storage, (target, scope.as_str()))? else {
        return Ok(None);
    };
    let end = PAUSES.load(storage, (target, id))?.end.seconds();
    Ok(Some(end).filter(|&e| e > now))
}

/// The running pause of `scope` ends now: each of `actions` (those it stops) stays stopped
/// only as long as the other running pause stopping it (`all` for an action, the action for
/// `all`).
pub fn on_early_end(
    storage: &mut dyn Storage,
    target: &Addr,
    scope: &PauseScope,
    actions: &[PauseScope],
    now: u64,
) -> StdResult<()> {
    for action in actions {
        let Some(mut stretch) = load(storage, target, action)? else {
            continue;
        };
        let other = if scope.is_all() {
            action
        } else {
            &PauseScope::ALL
        };
        let end = running_end(storage, target, other, now)?
            .unwrap_or(now)
            .max(now);
        stretch.end = Timestamp::from_seconds(end);
        STRETCHES.save(storage, (target, action.as_str()), &stretch)?;
    }
    Ok(())
}

/// Governance moved the end of a running pause to `until`: the stretches of `actions` (those
/// it stops) last at least that long (and guardians may not join them beyond the cap).
pub fn on_extend(
    storage: &mut dyn Storage,
    target: &Addr,
    actions: &[PauseScope],
    until: Timestamp,
) -> StdResult<()> {
    for action in actions {
        if let Some(mut stretch) = load(storage, target, action)? {
            stretch.end = stretch.end.max(until);
            STRETCHES.save(storage, (target, action.as_str()), &stretch)?;
        }
    }
    Ok(())
}

/// The stretch of `action` and until when it is in cooldown, for queries.
pub fn status(
    storage: &dyn Storage,
    target: &Addr,
    action: &PauseScope,
    now: u64,
    policy: &PausePolicy,
) -> StdResult<(Option<Stretch>, Option<Timestamp>)> {
    let stretch = load(storage, target, action)?;
    let cooldown = stretch
        .as_ref()
        .filter(|s| !s.cooldown_waived)
        .and_then(|s| {
            let end = s.end.seconds();
            let until = end.saturating_add(policy.cooldown_seconds);
            (end < now && until > now).then(|| Timestamp::from_seconds(until))
        });
    Ok((stretch, cooldown))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::default_policy;

    const H: u64 = 3600;

    #[test]
    fn p5_next_stretch_table() {
        let p = default_policy(); // 72 h cap, 24 h cooldown
        type Case = (Option<(u64, u64)>, u64, u64, Result<(u64, u64), Refusal>);
        let table: [Case; 8] = [
            (None, 10 * H, 82 * H, Ok((10 * H, 82 * H))),
            // Joins a running stretch within the cap.
            (Some((0, 10 * H)), 5 * H, 72 * H, Ok((0, 72 * H))),
            // Joins a running stretch beyond the cap.
            (
                Some((0, 10 * H)),
                5 * H,
                72 * H + 1,
                Err(Refusal::TooLong {
                    since: 0,
                    until: 72 * H + 1,
                }),
            ),
            // Touching the end joins too (no fresh cap by starting exactly at the end).
            (
                Some((0, 72 * H)),
                72 * H,
                73 * H,
                Err(Refusal::TooLong {
                    since: 0,
                    until: 73 * H,
                }),
            ),
            // A pause inside a stretch that ends later changes nothing.
            (Some((0, 72 * H)), 10 * H, 11 * H, Ok((0, 72 * H))),
            // After the end: the cooldown.
            (
                Some((0, 10 * H)),
                10 * H + 1,
                11 * H,
                Err(Refusal::Cooldown { until: 34 * H }),
            ),
            (
                Some((0, 10 * H)),
                34 * H - 1,
                35 * H,
                Err(Refusal::Cooldown { until: 34 * H }),
            ),
            (Some((0, 10 * H)), 34 * H, 35 * H, Ok((34 * H, 35 * H))),
        ];
        for (current, now, end, expected) in table {
            assert_eq!(
                next_stretch(current, now, end, &p),
                expected,
                "{current:?} {now} {end}"
            );
        }
    }
}

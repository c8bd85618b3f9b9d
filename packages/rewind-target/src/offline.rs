//! The offline clock (issue 15): how long the target has been stopped, cumulatively, since
//! its last reopening, and the exit-only mode it enters by itself past `max_offline`.
//!
//! A target is *stopped* while a pause of any scope is in force (the guardian's or the
//! contract's own breaker), while the restoration lock is in force, and while a restoration
//! runs or awaits its release. Every one of those starts or changes through the library (the
//! guardian's `Gate`, `Restore`, the crank, `Release`, `Abandon`; a contract's breaker calls
//! [`observe`] after its own pause), and each one ends either through the library too or by
//! itself when the block time passes its end. So the clock is one bounded record (raw key
//! `rj/w`, never rolled back, not in the digest), updated only at those transitions:
//!
//! ```text
//! max_offline (seconds) | closed (nanos of stopped time in closed intervals)
//! | start, end (nanos: the stop in force at the last transition, end u64::MAX = open-ended)
//! | restoring (flag) | lock (the restoration lock's end, nanos; 0 = never set)
//! ```
//!
//! and read at any block time without a transaction: stopped = closed + (min(now, end) -
//! start). Pausing and unpausing only closes an interval into `closed`; only a reopening
//! (a restoration released, or governance's `{"rewind": {"reopen": true}}`) sets it back to
//! zero. Exit-only mode by the clock: stopped > `max_offline`, and no restoration running
//! inside its lock (a restoration holds the clock's verdict until it completes or is stuck:
//! exits never interleave with rollback steps). In that mode, the messages of the contract's
//! exit scopes and those it marks `offline:` in `gated!` run whatever pause is in force;
//! every other message is refused.

use cosmwasm_std::{Env, StdResult, Storage, Timestamp};
use rewind_journal::gate_state;
use rewind_types::codec::{Reader, Record, RecordItem, Writer};
use rewind_types::successor::{OfflineStatusResponse, DEFAULT_MAX_OFFLINE};

/// The clock's raw key (a `rj/` name: reserved for the library, never journaled).
pub use rewind_journal::keys::NS_OFFLINE;

const CLOCK: RecordItem<OfflineClock> = RecordItem::new(NS_OFFLINE);

const NANOS: u64 = 1_000_000_000;

/// See the module doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfflineClock {
    /// Seconds of cumulative stop after which the target is exit-only.
    pub max_offline: u64,
    /// Nanoseconds stopped in intervals that ended, since the last reopening.
    pub closed: u64,
    /// The start of the stop in force at the last transition (nanos; 0: none).
    pub start: u64,
    /// Its end as known then (nanos; `u64::MAX`: until a transition ends it).
    pub end: u64,
    /// A restoration was running or awaiting its release at the last transition.
    pub restoring: bool,
    /// The restoration lock's end at the last transition (nanos; 0: never set).
    pub lock: u64,
    /// A restoration failed its digest check: exit-only until the next reopening.
    pub failed: bool,
}

impl Default for OfflineClock {
    fn default() -> Self {
        OfflineClock {
            max_offline: DEFAULT_MAX_OFFLINE,
            closed: 0,
            start: 0,
            end: 0,
            restoring: false,
            lock: 0,
            failed: false,
        }
    }
}

impl Record for OfflineClock {
    fn encode(&self, w: &mut Writer) -> StdResult<()> {
        w.u64(self.max_offline);
        w.u64(self.closed);
        w.u64(self.start);
        w.u64(self.end);
        w.bool(self.restoring);
        w.u64(self.lock);
        w.bool(self.failed);
        Ok(())
    }

    fn decode(r: &mut Reader) -> StdResult<Self> {
        Ok(OfflineClock {
            max_offline: r.u64()?,
            closed: r.u64()?,
            start: r.u64()?,
            end: r.u64()?,
            restoring: r.bool()?,
            lock: r.u64()?,
            failed: r.bool()?,
        })
    }
}

impl OfflineClock {
    /// Nanoseconds stopped at `now` since the last reopening.
    pub fn stopped_nanos(&self, now: Timestamp) -> u64 {
        let open = match self.start {
            0 => 0,
            start => now.nanos().min(self.end).saturating_sub(start),
        };
        self.closed.saturating_add(open)
    }

    /// A restoration runs inside its lock (or without one yet): it holds the verdict.
    pub fn restoration_running(&self, now: Timestamp) -> bool {
        self.restoring && (self.lock == 0 || now.nanos() < self.lock)
    }

    /// A stop is in force at `now`.
    pub fn stopped(&self, now: Timestamp) -> bool {
        self.start != 0 && now.nanos() < self.end
    }

    /// Exit-only mode by the clock at `now`.
    pub fn exit_only(&self, now: Timestamp) -> bool {
        self.failed
            || (self.stopped_nanos(now) > self.max_offline.saturating_mul(NANOS)
                && !self.restoration_running(now))
    }

    /// The stop in force from `now` is planned to end at `end` (nanos; at or before `now`:
    /// none): an interval that ended closes into `closed`, a continuing one keeps its start.
    pub fn fold(&mut self, now: Timestamp, end: u64) {
        let now = now.nanos();
        if self.start != 0 {
            if self.end <= now || end <= now {
                let closed_at = now.min(self.end);
                self.closed = self
                    .closed
                    .saturating_add(closed_at.saturating_sub(self.start));
                (self.start, self.end) = (0, 0);
            } else {
                self.end = end;
            }
        }
        if self.start == 0 && end > now {
            (self.start, self.end) = (now.max(1), end);
        }
    }

    /// A reopening: the clock restarts at zero (a stop still in force restarts at `now`).
    pub fn reset(&mut self, now: Timestamp) {
        self.closed = 0;
        self.failed = false;
        if self.stopped(now) {
            self.start = now.nanos().max(1);
        } else {
            (self.start, self.end) = (0, 0);
        }
    }
}

/// The clock (the default one of a target that never stopped).
pub fn load(store: &dyn Storage) -> StdResult<OfflineClock> {
    Ok(CLOCK.may_load(store)?.unwrap_or_default())
}

/// Stores a target's `max_offline` (instantiate and a voted `{"rewind": {"max_offline"}}`).
pub fn set_max_offline(store: &mut dyn Storage, seconds: u64) -> StdResult<()> {
    let mut clock = load(store)?;
    clock.max_offline = seconds;
    CLOCK.save(store, &clock)
}

/// Records a transition: reads the gate and folds the stop it holds now into the clock.
/// Called by the library after every change of a pause, the lock or a restoration, and by
/// a contract after its own breaker's pause (one read of the gate, one of the clock, one
/// write).
pub fn observe(store: &mut dyn Storage, env: &Env) -> StdResult<()> {
    let mut clock = load(store)?;
    fold_gate(store, env, &mut clock)?;
    CLOCK.save(store, &clock)
}

/// A restoration failed its digest check: the target is exit-only from now until the next
/// reopening, whatever the clock counted (issue 15: "or after a failed restoration").
pub fn fail(store: &mut dyn Storage, env: &Env) -> StdResult<()> {
    let mut clock = load(store)?;
    fold_gate(store, env, &mut clock)?;
    clock.failed = true;
    CLOCK.save(store, &clock)
}

/// A voted abort of the restoration: its failure, if any, no longer holds the target
/// exit-only (the abort's own exit-only window does); the stopped time keeps counting.
pub fn abandon(store: &mut dyn Storage, env: &Env) -> StdResult<()> {
    let mut clock = load(store)?;
    fold_gate(store, env, &mut clock)?;
    clock.failed = false;
    CLOCK.save(store, &clock)
}

/// A reopening (a restoration completed or released, governance's `reopen`): the clock
/// restarts at zero, then the stop in force now (if any) is folded in from `now`.
pub fn reopen(store: &mut dyn Storage, env: &Env) -> StdResult<()> {
    let mut clock = load(store)?;
    clock.reset(env.block.time);
    fold_gate(store, env, &mut clock)?;
    CLOCK.save(store, &clock)
}

fn fold_gate(store: &dyn Storage, env: &Env, clock: &mut OfflineClock) -> StdResult<()> {
    let now = env.block.time;
    let gate = gate_state(store)?;
    let end = if gate.restoring {
        u64::MAX
    } else {
        gate.paused_until
            .iter()
            .map(|p| p.until.nanos())
            .chain(gate.active_lock(now).map(|t| t.nanos()))
            .filter(|until| *until > now.nanos())
            .max()
            .unwrap_or(0)
    };
    clock.fold(now, end);
    clock.restoring = gate.restoring;
    clock.lock = match (gate.restoration_lock_until, gate.lock_was_set) {
        (Some(until), _) => until.nanos(),
        (None, true) => 1,
        (None, false) => 0,
    };
    Ok(())
}

/// Whether the target is exit-only by its clock now (one read). The check the gate makes
/// before a contract message; a contract's handler asks it to apply its fallback (its
/// `plain:` list must then name `rj/w`).
pub fn exit_only_by_clock(store: &dyn Storage, env: &Env) -> StdResult<bool> {
    Ok(load(store)?.exit_only(env.block.time))
}

/// The whole answer: exit-only by the clock or after a failed (stuck or abandoned)
/// restoration, the stopped seconds, `max_offline`, and whether a stop is in force now.
pub fn status(store: &dyn Storage, env: &Env) -> StdResult<OfflineStatusResponse> {
    let now = env.block.time;
    let clock = load(store)?;
    let gate = gate_state(store)?;
    let paused = gate.paused_until.iter().any(|p| now < p.until);
    Ok(OfflineStatusResponse {
        exit_only: clock.exit_only(now) || gate.exit_only(now),
        stopped_seconds: clock.stopped_nanos(now) / NANOS,
        max_offline: clock.max_offline,
        stopped: clock.stopped(now) || paused || gate.restoration_pending(now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: u64) -> Timestamp {
        Timestamp::from_seconds(s)
    }

    fn clock(max: u64) -> OfflineClock {
        OfflineClock {
            max_offline: max,
            ..Default::default()
        }
    }

    #[test]
    fn one_long_stop_counts_to_its_end() {
        let mut c = clock(100);
        c.fold(t(10), t(200).nanos());
        assert_eq!(c.stopped_nanos(t(60)), 50 * NANOS);
        assert!(!c.exit_only(t(110)));
        assert!(c.exit_only(t(111)));
        // It ended by itself at 200: 190 s, and it stays counted.
        assert_eq!(c.stopped_nanos(t(500)), 190 * NANOS);
        assert!(c.exit_only(t(500)));
    }

    #[test]
    fn pause_unpause_cycles_accumulate() {
        let mut c = clock(100);
        for i in 0..5 {
            let at = 1000 * (i + 1);
            c.fold(t(at), t(at + 1000).nanos()); // pause
            c.fold(t(at + 30), 0); // lifted after 30 s
        }
        assert_eq!(c.stopped_nanos(t(10_000)), 150 * NANOS);
        assert!(c.exit_only(t(10_000)));
        c.reset(t(10_000));
        assert!(!c.exit_only(t(10_000)));
        assert_eq!(c.stopped_nanos(t(10_000)), 0);
    }

    #[test]
    fn a_running_restoration_holds_the_verdict() {
        let mut c = clock(100);
        c.fold(t(10), u64::MAX);
        c.restoring = true;
        c.lock = t(500).nanos();
        assert!(!c.exit_only(t(400)));
        // Stuck past its lock: exit-only.
        assert!(c.exit_only(t(500)));
    }

    #[test]
    fn extending_a_stop_keeps_its_start() {
        let mut c = clock(100);
        c.fold(t(10), t(50).nanos());
        c.fold(t(40), t(90).nanos());
        assert_eq!(c.start, t(10).nanos());
        assert_eq!(c.stopped_nanos(t(100)), 80 * NANOS);
        let bytes = rewind_types::codec::encode_all(&c).unwrap();
        let back: OfflineClock = rewind_types::codec::decode_all(&bytes, NS_OFFLINE).unwrap();
        assert_eq!(back, c);
    }
}

//! The pause gate: every scope's pauses (one slot per source: the guardian and the vault's
//! own circuit breaker), the restoration lock, the exit-only end and the `restoring` flag in
//! ONE small record, so a check is exactly one storage read. Pauses, locks and exit-only
//! mode end by themselves when the block time passes them; no transaction is needed.
//!
//! The record (raw key `"rj/g"`) is a fixed-size binary layout, 98 bytes (version 2):
//!
//! ```text
//! version (1 byte, 02)
//! ‖ u64be(guardian until nanos) for each scope of PauseScope::ALL_SCOPES, in order (0 = never set)
//! ‖ u64be(breaker until nanos) for each scope, in the same order (0 = never set)
//! ‖ u64be(restoration lock nanos) (0 = never set, 1 = released)
//! ‖ u64be(exit-only until nanos) (0 = none)
//! ‖ restoring (1 byte: 00 or 01)
//! ```
//!
//! Per scope, the pause in force is the LATEST end of the two sources: a guardian
//! `SetPause` (even an early end) never shortens a breaker pause, and a breaker trip never
//! shortens a guardian pause (row P7).
//!
//! A version-1 record (50 bytes: version 01, the five guardian ends, the lock, the flag) is
//! still read, as guardian pauses with no breaker pause and no exit-only mode; the next
//! write stores version 2. A missing record is the default gate (all open); any other length
//! or version is a corrupt record, and the gate reports an error rather than opening.
//!
//! Exit-only mode (row R13): the exit scope (`Withdraw`) stays open, subject to its own
//! pauses, and every other gated action is refused with `ExitOnly`. It is in force
//! - until `exit_only_until`, after an abandoned restoration, and
//! - while `restoring` is set and the restoration lock that covered it has expired (a lock
//!   was set, and the block time is at or past its end): no flag outlives every lock. In that
//!   state `ensure_crank_allowed` refuses, so exits never interleave with rollback steps.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Env, StdError, StdResult, Storage, Timestamp};
use rewind_types::PauseScope;

use crate::error::JournalError;
use crate::keys::NS_GATE;

/// Version byte of the current gate record layout.
pub(crate) const GATE_VERSION: u8 = 2;
/// Number of scopes in the record (`PauseScope::ALL_SCOPES`).
const SCOPES: usize = PauseScope::ALL_SCOPES.len();
/// Length of the gate record: version, two `until`s per scope, the lock, the exit-only
/// end, the flag.
pub(crate) const GATE_RECORD_LEN: usize = 1 + 16 * SCOPES + 8 + 8 + 1;
/// Length of a version-1 record (still read).
const GATE_V1_LEN: usize = 1 + 8 * SCOPES + 8 + 1;
/// The stored lock value of a released lock: set once, ended long ago.
const LOCK_RELEASED: u64 = 1;

/// Who set a pause. Each source has its own slot per scope; the latest end wins.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum PauseSource {
    /// The guardian contract (`GateMsg::SetPause`).
    Guardian,
    /// The embedding contract's own circuit breaker.
    Breaker,
}

/// A pause of one scope.
#[cw_serde]
#[derive(Copy)]
pub struct ScopePause {
    /// The paused family of actions.
    pub scope: PauseScope,
    /// The pause is in force while the block time is before this.
    pub until: Timestamp,
}

/// The whole gate, stored as one record.
#[cw_serde]
#[derive(Default)]
pub struct GateState {
    /// Per scope, the latest end of the guardian's and the breaker's pauses (expired ones
    /// included; at most one per scope), in `PauseScope::ALL_SCOPES` order. A scope never
    /// paused is not listed.
    pub paused_until: Vec<ScopePause>,
    /// The breaker's own pauses (its slot only), same rules.
    #[serde(default)]
    pub breaker_paused_until: Vec<ScopePause>,
    /// The guardian's restoration lock: in force while the block time is before it.
    pub restoration_lock_until: Option<Timestamp>,
    /// Whether a restoration lock was ever set (it may have ended or been released).
    #[serde(default)]
    pub lock_was_set: bool,
    /// A restoration is running or awaits its release (set by `start_rollback`, cleared by
    /// `release_restoration` or `abandon_rollback`).
    pub restoring: bool,
    /// Exit-only mode after an abandoned restoration ends at this time.
    #[serde(default)]
    pub exit_only_until: Option<Timestamp>,
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

    /// Whether `restoring` is set and every lock that covered it has expired.
    pub fn stuck(&self, now: Timestamp) -> bool {
        self.restoring && self.lock_was_set && self.active_lock(now).is_none()
    }

    /// Whether exit-only mode is in force at `now` (abandoned, or stuck past its lock).
    pub fn exit_only(&self, now: Timestamp) -> bool {
        self.stuck(now)
            || (!self.restoring && self.exit_only_until.is_some_and(|until| now < until))
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
}

/// The decoded record: what the checks work on, without building a [`GateState`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct GateRecord {
    /// The guardian's `until` in nanoseconds per scope, in `ALL_SCOPES` order (0 = never set).
    guardian: [u64; SCOPES],
    /// The breaker's `until` in nanoseconds per scope (0 = never set).
    breaker: [u64; SCOPES],
    /// The restoration lock in nanoseconds (0 = never set, 1 = released).
    lock: u64,
    /// Exit-only mode ends at this time in nanoseconds (0 = none).
    exit_only: u64,
    restoring: bool,
}

/// The position of `scope` in `ALL_SCOPES` (and in the record).
fn index(scope: PauseScope) -> usize {
    match scope {
        PauseScope::All => 0,
        PauseScope::Deposit => 1,
        PauseScope::Withdraw => 2,
        PauseScope::Trade => 3,
        PauseScope::Liquidate => 4,
    }
}

fn read_u64(raw: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&raw[at..at + 8]);
    u64::from_be_bytes(b)
}

fn to_pauses(until: &[u64; SCOPES]) -> Vec<ScopePause> {
    PauseScope::ALL_SCOPES
        .iter()
        .zip(until)
        .filter(|(_, u)| **u != 0)
        .map(|(&scope, &u)| ScopePause {
            scope,
            until: Timestamp::from_nanos(u),
        })
        .collect()
}

/// Whether `scope` is an exit, the one family exit-only mode keeps open.
fn is_exit(scope: PauseScope) -> bool {
    scope.stops_exits() && scope != PauseScope::All
}

impl GateRecord {
    fn decode(raw: &[u8]) -> StdResult<GateRecord> {
        let (v1, len) = match raw.first() {
            Some(1) => (true, GATE_V1_LEN),
            Some(&GATE_VERSION) => (false, GATE_RECORD_LEN),
            _ => (false, usize::MAX),
        };
        if raw.len() != len {
            return Err(StdError::msg(format!(
                "corrupt gate record: {} bytes, version {:?} (expected {GATE_RECORD_LEN} bytes, version {GATE_VERSION})",
                raw.len(),
                raw.first()
            )));
        }
        let mut rec = GateRecord::default();
        for i in 0..SCOPES {
            rec.guardian[i] = read_u64(raw, 1 + 8 * i);
            if !v1 {
                rec.breaker[i] = read_u64(raw, 1 + 8 * (SCOPES + i));
            }
        }
        let slots = if v1 { SCOPES } else { 2 * SCOPES };
        rec.lock = read_u64(raw, 1 + 8 * slots);
        if !v1 {
            rec.exit_only = read_u64(raw, 9 + 8 * slots);
        }
        rec.restoring = match raw[len - 1] {
            0 => false,
            1 => true,
            other => {
                return Err(StdError::msg(format!(
                    "corrupt gate record: restoring flag {other}"
                )))
            }
        };
        Ok(rec)
    }

    fn encode(&self) -> [u8; GATE_RECORD_LEN] {
        let mut raw = [0u8; GATE_RECORD_LEN];
        raw[0] = GATE_VERSION;
        for i in 0..SCOPES {
            raw[1 + 8 * i..9 + 8 * i].copy_from_slice(&self.guardian[i].to_be_bytes());
            let b = 1 + 8 * (SCOPES + i);
            raw[b..b + 8].copy_from_slice(&self.breaker[i].to_be_bytes());
        }
        let at = 1 + 16 * SCOPES;
        raw[at..at + 8].copy_from_slice(&self.lock.to_be_bytes());
        raw[at + 8..at + 16].copy_from_slice(&self.exit_only.to_be_bytes());
        raw[GATE_RECORD_LEN - 1] = u8::from(self.restoring);
        raw
    }

    /// Per scope, the latest end of both sources.
    fn combined(&self) -> [u64; SCOPES] {
        let mut out = [0u64; SCOPES];
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.guardian[i].max(self.breaker[i]);
        }
        out
    }

    fn to_state(self) -> GateState {
        GateState {
            paused_until: to_pauses(&self.combined()),
            breaker_paused_until: to_pauses(&self.breaker),
            restoration_lock_until: (self.lock > LOCK_RELEASED)
                .then(|| Timestamp::from_nanos(self.lock)),
            lock_was_set: self.lock != 0,
            restoring: self.restoring,
            exit_only_until: (self.exit_only != 0).then(|| Timestamp::from_nanos(self.exit_only)),
        }
    }

    fn load(store: &dyn Storage) -> StdResult<GateRecord> {
        match store.get(NS_GATE.as_bytes()) {
            Some(raw) => GateRecord::decode(&raw),
            None => Ok(GateRecord::default()),
        }
    }

    fn save(&self, store: &mut dyn Storage) {
        store.set(NS_GATE.as_bytes(), &self.encode());
    }

    /// `restoring` is set and the lock that covered it has expired (or was released).
    fn stuck(&self, now: Timestamp) -> bool {
        self.restoring && self.lock != 0 && now.nanos() >= self.lock
    }

    /// The locks: `restoring` (exit-only once stuck past its lock), exit-only mode, then the
    /// restoration lock. `exit` says whether the action is an exit.
    fn check_not_locked(&self, now: Timestamp, exit: bool) -> Result<(), JournalError> {
        if self.restoring {
            if self.stuck(now) {
                return if exit {
                    Ok(())
                } else {
                    Err(JournalError::ExitOnly { until: None })
                };
            }
            return Err(JournalError::Restoring);
        }
        if now.nanos() < self.exit_only {
            return if exit {
                Ok(())
            } else {
                Err(JournalError::ExitOnly {
                    until: Some(Timestamp::from_nanos(self.exit_only)),
                })
            };
        }
        if now.nanos() < self.lock {
            return Err(JournalError::RestorationLocked {
                until: Timestamp::from_nanos(self.lock),
            });
        }
        Ok(())
    }

    /// Same rule as [`GateState::active_pause`]: the later-ending of `All` and the scope's
    /// own pause (each the latest of its two sources), the scope's own on a tie.
    fn active_pause(&self, scope: PauseScope, now: Timestamp) -> Option<(PauseScope, u64)> {
        let now = now.nanos();
        let all_i = index(PauseScope::All);
        let own_i = index(scope);
        let all = self.guardian[all_i].max(self.breaker[all_i]);
        let own = self.guardian[own_i].max(self.breaker[own_i]);
        let own = (now < own).then_some((scope, own));
        let all = (now < all).then_some((PauseScope::All, all));
        match (own, all) {
            (Some(o), Some(a)) => Some(if o.1 >= a.1 { o } else { a }),
            (o, a) => o.or(a),
        }
    }
}

/// The gate (all open when never set). One storage read.
pub fn gate_state(store: &dyn Storage) -> StdResult<GateState> {
    GateRecord::load(store).map(GateRecord::to_state)
}

/// Ok if `scope` may run now: not restoring, not in exit-only mode (unless `scope` is the
/// exit scope `Withdraw`), no restoration lock in force, and neither `scope` nor `All`
/// paused past the block time by either source. Exactly one storage read.
pub fn ensure_open(store: &dyn Storage, env: &Env, scope: PauseScope) -> Result<(), JournalError> {
    let gate = GateRecord::load(store)?;
    let now = env.block.time;
    gate.check_not_locked(now, is_exit(scope))?;
    match gate.active_pause(scope, now) {
        Some((scope, until)) => Err(JournalError::Paused {
            scope,
            until: Timestamp::from_nanos(until),
        }),
        None => Ok(()),
    }
}

/// Ok unless restoring, in exit-only mode or restoration-locked: for actions outside every
/// pause scope (e.g. price pushes) that must still stop during a restoration. One storage
/// read.
pub fn ensure_not_locked(store: &dyn Storage, env: &Env) -> Result<(), JournalError> {
    GateRecord::load(store)?.check_not_locked(env.block.time, false)
}

/// For exits that no pause may stop: refused while restoring or restoration-locked, but
/// open in exit-only mode. One storage read.
pub fn ensure_exit_not_locked(store: &dyn Storage, env: &Env) -> Result<(), JournalError> {
    GateRecord::load(store)?.check_not_locked(env.block.time, true)
}

/// Ok unless the restoration is stuck past its lock (then the target is exit-only and no
/// rollback or replay step may run: `RestorationLockExpired`). One storage read.
pub fn ensure_crank_allowed(store: &dyn Storage, env: &Env) -> Result<(), JournalError> {
    let gate = GateRecord::load(store)?;
    if gate.stuck(env.block.time) {
        return Err(JournalError::RestorationLockExpired {
            until: Timestamp::from_nanos(gate.lock),
        });
    }
    Ok(())
}

/// The guardian pauses `scope` until `until` (a time at or before the block time lifts the
/// guardian's pause; time 0 clears its slot). It never shortens a breaker pause. A pause
/// that ends in the future also freezes pruning (row G12, see `prune`). The EMBEDDING
/// CONTRACT checks the sender (the guardian contract) before calling this.
pub fn set_pause(
    store: &mut dyn Storage,
    env: &Env,
    scope: PauseScope,
    until: Timestamp,
) -> StdResult<()> {
    set_pause_from(store, env, PauseSource::Guardian, scope, until)
}

/// Sets `source`'s pause of `scope` to end at `until` (only that source's slot; the other
/// source's pause is untouched and the latest end of both is in force). A pause that ends
/// in the future freezes pruning of everything retained now until its end plus the
/// retention in seconds.
pub fn set_pause_from(
    store: &mut dyn Storage,
    env: &Env,
    source: PauseSource,
    scope: PauseScope,
    until: Timestamp,
) -> StdResult<()> {
    let mut gate = GateRecord::load(store)?;
    match source {
        PauseSource::Guardian => gate.guardian[index(scope)] = until.nanos(),
        PauseSource::Breaker => gate.breaker[index(scope)] = until.nanos(),
    }
    gate.save(store);
    if env.block.time < until {
        crate::history::freeze_history(store, env, until)?;
    }
    Ok(())
}

/// Holds the restoration lock until `until`, or releases it with `None`. The EMBEDDING
/// CONTRACT checks the sender (the guardian contract) before calling this.
pub fn set_restoration_lock(store: &mut dyn Storage, until: Option<Timestamp>) -> StdResult<()> {
    let mut gate = GateRecord::load(store)?;
    // A released lock stays "set and ended", so a `restoring` flag never outlives it.
    gate.lock = until.map_or(LOCK_RELEASED, |t| t.nanos().max(LOCK_RELEASED));
    gate.save(store);
    Ok(())
}

pub(crate) fn set_restoring(store: &mut dyn Storage, restoring: bool) -> StdResult<()> {
    let mut gate = GateRecord::load(store)?;
    // The guardian's restoration lock is left alone: when several targets restore together,
    // the executor releases it for all of them at once, after the last one completes.
    gate.restoring = restoring;
    if restoring {
        // A new restoration ends any exit-only mode left by an abandoned one.
        gate.exit_only = 0;
    }
    gate.save(store);
    Ok(())
}

/// Clears `restoring` and enters exit-only mode until `until`.
pub(crate) fn set_exit_only(store: &mut dyn Storage, until: Timestamp) -> StdResult<()> {
    let mut gate = GateRecord::load(store)?;
    gate.restoring = false;
    gate.exit_only = until.nanos();
    gate.save(store);
    Ok(())
}

/// Whether the gate's `restoring` flag is set. One storage read.
pub(crate) fn is_restoring(store: &dyn Storage) -> StdResult<bool> {
    GateRecord::load(store).map(|g| g.restoring)
}

/// Whether a restoration is pending at `now` (see [`GateState::restoration_pending`]).
/// One storage read.
pub(crate) fn restoration_pending(store: &dyn Storage, now: Timestamp) -> StdResult<bool> {
    GateRecord::load(store).map(|g| g.restoring || now.nanos() < g.lock)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(n: u64) -> Timestamp {
        Timestamp::from_nanos(n)
    }

    #[test]
    fn record_round_trips_and_is_ninety_eight_bytes() {
        let mut rec = GateRecord::default();
        rec.guardian[index(PauseScope::All)] = 7;
        rec.breaker[index(PauseScope::Liquidate)] = u64::MAX;
        rec.lock = 0x0102_0304_0506_0708;
        rec.exit_only = 9;
        rec.restoring = true;
        let raw = rec.encode();
        assert_eq!(raw.len(), 98);
        assert_eq!(raw[0], GATE_VERSION);
        assert_eq!(&raw[1..9], &7u64.to_be_bytes());
        assert_eq!(&raw[73..81], &u64::MAX.to_be_bytes());
        assert_eq!(&raw[81..89], &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(&raw[89..97], &9u64.to_be_bytes());
        assert_eq!(raw[97], 1);
        assert_eq!(GateRecord::decode(&raw).unwrap(), rec);
        let state = rec.to_state();
        assert_eq!(
            state.paused_until,
            vec![
                ScopePause {
                    scope: PauseScope::All,
                    until: t(7)
                },
                ScopePause {
                    scope: PauseScope::Liquidate,
                    until: t(u64::MAX)
                },
            ]
        );
        assert_eq!(state.exit_only_until, Some(t(9)));
        assert_eq!(GateRecord::default().to_state(), GateState::default());
    }

    #[test]
    fn version_one_records_are_read_as_guardian_pauses() {
        let mut raw = [0u8; GATE_V1_LEN];
        raw[0] = 1;
        raw[25..33].copy_from_slice(&11u64.to_be_bytes()); // trade
        raw[41..49].copy_from_slice(&5u64.to_be_bytes()); // lock
        raw[49] = 1;
        let rec = GateRecord::decode(&raw).unwrap();
        assert_eq!(rec.guardian[index(PauseScope::Trade)], 11);
        assert_eq!(rec.breaker, [0; SCOPES]);
        assert_eq!(rec.lock, 5);
        assert_eq!(rec.exit_only, 0);
        assert!(rec.restoring);
    }

    #[test]
    fn corrupt_records_are_errors() {
        let good = GateRecord::default().encode();
        assert!(GateRecord::decode(&good[..97]).is_err());
        assert!(GateRecord::decode(&good[..50]).is_err());
        let mut bad_version = good;
        bad_version[0] = 3;
        assert!(GateRecord::decode(&bad_version).is_err());
        let mut bad_flag = good;
        bad_flag[97] = 2;
        assert!(GateRecord::decode(&bad_flag).is_err());
        assert!(GateRecord::decode(&[]).is_err());
    }

    /// Row P7: per scope the latest end of the two sources is in force, for every
    /// combination of guardian and breaker ends of the scope and of `All`.
    #[test]
    fn p7_active_pause_is_the_latest_of_both_sources_and_matches_the_state_rule() {
        let values = [0u64, 5, 10, 15];
        for scope in PauseScope::ALL_SCOPES {
            for g_own in values {
                for b_own in values {
                    for g_all in values {
                        for b_all in [0u64, 12] {
                            let mut rec = GateRecord::default();
                            rec.guardian[index(PauseScope::All)] = g_all;
                            rec.breaker[index(PauseScope::All)] = b_all;
                            rec.guardian[index(scope)] = g_own;
                            rec.breaker[index(scope)] = b_own;
                            let state = rec.to_state();
                            for now in [0u64, 5, 9, 10, 12, 14, 20] {
                                let expected = state
                                    .active_pause(scope, t(now))
                                    .map(|p| (p.scope, p.until.nanos()));
                                assert_eq!(rec.active_pause(scope, t(now)), expected);
                                let (a, o) = (index(PauseScope::All), index(scope));
                                let latest = rec.guardian[a]
                                    .max(rec.breaker[a])
                                    .max(rec.guardian[o])
                                    .max(rec.breaker[o]);
                                assert_eq!(
                                    rec.active_pause(scope, t(now)).map(|p| p.1),
                                    (now < latest).then_some(latest)
                                );
                            }
                        }
                    }
                }
            }
        }
        for (i, s) in PauseScope::ALL_SCOPES.iter().enumerate() {
            assert_eq!(index(*s), i);
        }
    }

    /// Row R13: exit-only mode, abandoned or stuck past the lock, opens only the exit scope.
    #[test]
    fn r13_exit_only_opens_only_the_exit_scope() {
        let mut stuck = GateRecord {
            restoring: true,
            lock: 10,
            ..GateRecord::default()
        };
        assert_eq!(
            stuck.check_not_locked(t(9), true),
            Err(JournalError::Restoring)
        );
        assert_eq!(stuck.check_not_locked(t(10), true), Ok(()));
        assert_eq!(
            stuck.check_not_locked(t(10), false),
            Err(JournalError::ExitOnly { until: None })
        );
        stuck.lock = 0; // never locked: a plain running restoration
        assert_eq!(
            stuck.check_not_locked(t(10), true),
            Err(JournalError::Restoring)
        );
        let abandoned = GateRecord {
            exit_only: 20,
            lock: 30,
            ..GateRecord::default()
        };
        assert_eq!(abandoned.check_not_locked(t(19), true), Ok(()));
        assert_eq!(
            abandoned.check_not_locked(t(19), false),
            Err(JournalError::ExitOnly { until: Some(t(20)) })
        );
        assert_eq!(
            abandoned.check_not_locked(t(20), false),
            Err(JournalError::RestorationLocked { until: t(30) })
        );
        for scope in PauseScope::ALL_SCOPES {
            assert_eq!(is_exit(scope), scope == PauseScope::Withdraw);
        }
    }
}

//! The pause gate: every scope's `paused_until`, the restoration lock and the `restoring`
//! flag in ONE small record, so a check is exactly one storage read. Pauses and locks end by
//! themselves when the block time passes them; no transaction is needed.
//!
//! The record (raw key `"rj/g"`) is a fixed-size binary layout, 50 bytes, so the check reads
//! and decodes as few bytes as possible:
//!
//! ```text
//! version (1 byte, 01)
//! ‖ u64be(until nanos) for each scope of PauseScope::ALL_SCOPES, in that order (0 = never set)
//! ‖ u64be(restoration lock nanos) (0 = none)
//! ‖ restoring (1 byte: 00 or 01)
//! ```
//!
//! A missing record is the default gate (all open); any other length or version is a
//! corrupt record, and the gate reports an error rather than opening.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Env, StdError, StdResult, Storage, Timestamp};
use rewind_types::PauseScope;

use crate::error::JournalError;
use crate::keys::NS_GATE;

/// Version byte of the current gate record layout.
pub(crate) const GATE_VERSION: u8 = 1;
/// Number of scopes in the record (`PauseScope::ALL_SCOPES`).
const SCOPES: usize = PauseScope::ALL_SCOPES.len();
/// Length of the gate record: version, one `until` per scope, the lock, the flag.
pub(crate) const GATE_RECORD_LEN: usize = 1 + 8 * SCOPES + 8 + 1;

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
    /// The last pause set for each scope (expired ones included; at most one per scope), in
    /// `PauseScope::ALL_SCOPES` order. A pause set to end at time 0 is not listed.
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
}

/// The decoded record: what the checks work on, without building a [`GateState`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct GateRecord {
    /// `until` in nanoseconds per scope, in `ALL_SCOPES` order (0 = never set).
    until: [u64; SCOPES],
    /// The restoration lock in nanoseconds (0 = none).
    lock: u64,
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

impl GateRecord {
    fn decode(raw: &[u8]) -> StdResult<GateRecord> {
        if raw.len() != GATE_RECORD_LEN || raw[0] != GATE_VERSION {
            return Err(StdError::msg(format!(
                "corrupt gate record: {} bytes, version {:?} (expected {GATE_RECORD_LEN} bytes, version {GATE_VERSION})",
                raw.len(),
                raw.first()
            )));
        }
        let mut until = [0u64; SCOPES];
        for (i, u) in until.iter_mut().enumerate() {
            *u = read_u64(raw, 1 + 8 * i);
        }
        let lock = read_u64(raw, 1 + 8 * SCOPES);
        let restoring = match raw[GATE_RECORD_LEN - 1] {
            0 => false,
            1 => true,
            other => {
                return Err(StdError::msg(format!(
                    "corrupt gate record: restoring flag {other}"
                )))
            }
        };
        Ok(GateRecord {
            until,
            lock,
            restoring,
        })
    }

    fn encode(&self) -> [u8; GATE_RECORD_LEN] {
        let mut raw = [0u8; GATE_RECORD_LEN];
        raw[0] = GATE_VERSION;
        for (i, u) in self.until.iter().enumerate() {
            raw[1 + 8 * i..9 + 8 * i].copy_from_slice(&u.to_be_bytes());
        }
        raw[1 + 8 * SCOPES..9 + 8 * SCOPES].copy_from_slice(&self.lock.to_be_bytes());
        raw[GATE_RECORD_LEN - 1] = u8::from(self.restoring);
        raw
    }

    #[cfg(test)]
    fn from_state(state: &GateState) -> GateRecord {
        let mut until = [0u64; SCOPES];
        for p in &state.paused_until {
            until[index(p.scope)] = p.until.nanos();
        }
        GateRecord {
            until,
            lock: state.restoration_lock_until.map_or(0, |t| t.nanos()),
            restoring: state.restoring,
        }
    }

    fn to_state(self) -> GateState {
        GateState {
            paused_until: PauseScope::ALL_SCOPES
                .iter()
                .zip(self.until)
                .filter(|(_, u)| *u != 0)
                .map(|(&scope, u)| ScopePause {
                    scope,
                    until: Timestamp::from_nanos(u),
                })
                .collect(),
            restoration_lock_until: (self.lock != 0).then(|| Timestamp::from_nanos(self.lock)),
            restoring: self.restoring,
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

    fn check_not_locked(&self, now: Timestamp) -> Result<(), JournalError> {
        if self.restoring {
            return Err(JournalError::Restoring);
        }
        if now.nanos() < self.lock {
            return Err(JournalError::RestorationLocked {
                until: Timestamp::from_nanos(self.lock),
            });
        }
        Ok(())
    }

    /// Same rule as [`GateState::active_pause`]: the later-ending of `All` and the scope's
    /// own pause, the scope's own on a tie.
    fn active_pause(&self, scope: PauseScope, now: Timestamp) -> Option<(PauseScope, u64)> {
        let now = now.nanos();
        let all = self.until[index(PauseScope::All)];
        let own = self.until[index(scope)];
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

/// Ok if `scope` may run now: not restoring, no restoration lock in force, and neither
/// `scope` nor `All` paused past the block time. Exactly one storage read.
pub fn ensure_open(store: &dyn Storage, env: &Env, scope: PauseScope) -> Result<(), JournalError> {
    let gate = GateRecord::load(store)?;
    let now = env.block.time;
    gate.check_not_locked(now)?;
    match gate.active_pause(scope, now) {
        Some((scope, until)) => Err(JournalError::Paused {
            scope,
            until: Timestamp::from_nanos(until),
        }),
        None => Ok(()),
    }
}

/// Ok unless restoring or restoration-locked: for actions outside every pause scope (e.g.
/// price pushes) that must still stop during a restoration. One storage read.
pub fn ensure_not_locked(store: &dyn Storage, env: &Env) -> Result<(), JournalError> {
    GateRecord::load(store)?.check_not_locked(env.block.time)
}

/// Pauses `scope` until `until` (a time at or before the block time lifts it; time 0 clears
/// the scope's entry). The EMBEDDING CONTRACT checks the sender (the guardian contract)
/// before calling this.
pub fn set_pause(store: &mut dyn Storage, scope: PauseScope, until: Timestamp) -> StdResult<()> {
    let mut gate = GateRecord::load(store)?;
    gate.until[index(scope)] = until.nanos();
    gate.save(store);
    Ok(())
}

/// Holds the restoration lock until `until`, or releases it with `None`. The EMBEDDING
/// CONTRACT checks the sender (the guardian contract) before calling this.
pub fn set_restoration_lock(store: &mut dyn Storage, until: Option<Timestamp>) -> StdResult<()> {
    let mut gate = GateRecord::load(store)?;
    gate.lock = until.map_or(0, |t| t.nanos());
    gate.save(store);
    Ok(())
}

pub(crate) fn set_restoring(store: &mut dyn Storage, restoring: bool) -> StdResult<()> {
    let mut gate = GateRecord::load(store)?;
    // The guardian's restoration lock is left alone: when several targets restore together,
    // the executor releases it for all of them at once, after the last one completes.
    gate.restoring = restoring;
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
    fn record_round_trips_and_is_fifty_bytes() {
        let state = GateState {
            paused_until: vec![
                ScopePause {
                    scope: PauseScope::All,
                    until: t(7),
                },
                ScopePause {
                    scope: PauseScope::Liquidate,
                    until: t(u64::MAX),
                },
            ],
            restoration_lock_until: Some(t(0x0102_0304_0506_0708)),
            restoring: true,
        };
        let rec = GateRecord::from_state(&state);
        let raw = rec.encode();
        assert_eq!(raw.len(), 50);
        assert_eq!(raw[0], GATE_VERSION);
        assert_eq!(&raw[1..9], &7u64.to_be_bytes());
        assert_eq!(&raw[33..41], &u64::MAX.to_be_bytes());
        assert_eq!(&raw[41..49], &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(raw[49], 1);
        assert_eq!(GateRecord::decode(&raw).unwrap(), rec);
        assert_eq!(rec.to_state(), state);
        assert_eq!(GateRecord::default().to_state(), GateState::default());
    }

    #[test]
    fn corrupt_records_are_errors() {
        let good = GateRecord::default().encode();
        assert!(GateRecord::decode(&good[..49]).is_err());
        let mut bad_version = good;
        bad_version[0] = 2;
        assert!(GateRecord::decode(&bad_version).is_err());
        let mut bad_flag = good;
        bad_flag[49] = 2;
        assert!(GateRecord::decode(&bad_flag).is_err());
        assert!(GateRecord::decode(&[]).is_err());
    }

    #[test]
    fn active_pause_matches_the_gate_state_rule() {
        let scopes = PauseScope::ALL_SCOPES;
        let values = [0u64, 5, 10, 15];
        for scope in scopes {
            for own in values {
                for all in values {
                    let mut rec = GateRecord::default();
                    rec.until[index(PauseScope::All)] = all;
                    rec.until[index(scope)] = own;
                    let state = rec.to_state();
                    for now in [0u64, 5, 9, 10, 14, 20] {
                        let expected = state
                            .active_pause(scope, t(now))
                            .map(|p| (p.scope, p.until.nanos()));
                        assert_eq!(rec.active_pause(scope, t(now)), expected);
                    }
                }
            }
        }
        for (i, s) in scopes.iter().enumerate() {
            assert_eq!(index(*s), i);
        }
    }
}

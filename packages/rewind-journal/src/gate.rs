//! The pause gate: every scope's pauses (one slot per source: the guardian and the embedding
//! contract's own circuit breaker), the restoration lock, the exit-only end and the
//! `restoring` flag in ONE small record, so a check is exactly one storage read. Pauses,
//! locks and exit-only mode end by themselves when the block time passes them; no
//! transaction is needed.
//!
//! Scopes are names the embedding contract declares (`rewind_types::ScopeInfo`); the journal
//! stores whichever scopes were paused, so the record holds a variable list. The record (raw
//! key `"rj/g"`) is a binary layout, version 3:
//!
//! ```text
//! version (1 byte, 03)
//! ‖ u64be(restoration lock nanos) (0 = never set, 1 = released)
//! ‖ u64be(exit-only until nanos) (0 = none)
//! ‖ restoring (1 byte: 00 or 01)
//! ‖ count (1 byte: the scopes ever paused and not cleared, at most MAX_GATE_SCOPES)
//! ‖ per scope, in the order they were first paused:
//!     len (1 byte, 1..=32) ‖ name (len bytes of [a-z0-9_])
//!     ‖ u64be(guardian until nanos) ‖ u64be(breaker until nanos) (0 = never set)
//! ```
//!
//! 19 bytes with no scope, 17 + `len` more per scope. Per scope, the pause in force is the
//! LATEST end of the two sources: a guardian `SetPause` (even an early end) never shortens a
//! breaker pause, and a breaker trip never shortens a guardian pause (row P7). A scope whose
//! two slots are both 0 (a pause "until time 0") is dropped from the list. The list holds at
//! most [`MAX_GATE_SCOPES`] scopes (`all` and `rewind_types::MAX_SCOPES` declared ones): a new
//! scope beyond that first drops the scopes whose pauses have all ended, then is refused.
//!
//! Older layouts are still READ, and the next write stores version 3:
//! - version 2 (98 bytes): version 02, the guardian ends of the five scopes of the first,
//!   closed scope list (`all`, `deposit`, `withdraw`, `trade`, `liquidate`, in that order),
//!   the breaker ends of the same five, the lock, the exit-only end, the flag;
//! - version 1 (50 bytes): version 01, the five guardian ends, the lock, the flag (no
//!   breaker pause, no exit-only mode).
//!
//! A slot of 0 is a scope never paused. A missing record is the default gate (all open);
//! any other length or version, a malformed name or a scope listed twice is a corrupt
//! record, and the gate reports an error rather than opening.
//!
//! Exit-only mode (row R13): the scopes the embedding contract declares as exits
//! (`ScopeInfo::exit`) stay open, subject to their own pauses, and every other gated action
//! is refused with `ExitOnly`. It is in force
//! - until `exit_only_until`, after an abandoned restoration, and
//! - while `restoring` is set and the restoration lock that covered it has expired (a lock
//!   was set, and the block time is at or past its end): no flag outlives every lock. In that
//!   state `ensure_crank_allowed` refuses, so exits never interleave with rollback steps.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Env, StdError, StdResult, Storage, Timestamp};
use rewind_types::{PauseScope, ScopeInfo, MAX_SCOPES};

use crate::error::JournalError;
use crate::keys::NS_GATE;

/// Version byte of the current gate record layout.
pub(crate) const GATE_VERSION: u8 = 3;
/// The most scopes the gate record lists: `all` and every scope a target may declare.
pub const MAX_GATE_SCOPES: usize = MAX_SCOPES + 1;
/// Length of the version-3 header: version, lock, exit-only end, flag, count.
const V3_HEADER_LEN: usize = 1 + 8 + 8 + 1 + 1;
/// The scopes of the first, closed scope list, in the order of the version-1 and version-2
/// slots.
const LEGACY_SCOPES: [&str; 5] = ["all", "deposit", "withdraw", "trade", "liquidate"];
/// Length of a version-2 record (still read).
const GATE_V2_LEN: usize = 1 + 16 * LEGACY_SCOPES.len() + 8 + 8 + 1;
/// Length of a version-1 record (still read).
const GATE_V1_LEN: usize = 1 + 8 * LEGACY_SCOPES.len() + 8 + 1;
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
    /// included; at most one per scope), in the order the scopes were first paused. A scope
    /// never paused is not listed.
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

    /// The end of `scope`'s own pause (not `all`'s), if it is in force at `now`.
    pub fn own_pause(&self, scope: &PauseScope, now: Timestamp) -> Option<Timestamp> {
        self.paused_until
            .iter()
            .find(|p| p.scope == *scope && now < p.until)
            .map(|p| p.until)
    }

    /// The pause in force at `now` that stops `scope` (its own or `all`), the later-ending one
    /// if both are (the scope's own on a tie).
    pub fn active_pause(&self, scope: &PauseScope, now: Timestamp) -> Option<ScopePause> {
        let own = self.own_pause(scope, now);
        let all = self.own_pause(&PauseScope::ALL, now);
        match (own, all) {
            (Some(o), Some(a)) if a > o => Some((PauseScope::ALL, a)),
            (Some(o), _) => Some((scope.clone(), o)),
            (None, Some(a)) => Some((PauseScope::ALL, a)),
            (None, None) => None,
        }
        .map(|(scope, until)| ScopePause { scope, until })
    }
}

/// One listed scope of the record: its name and the two sources' ends in nanoseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot {
    scope: PauseScope,
    /// The guardian's `until` in nanoseconds (0 = never set).
    guardian: u64,
    /// The breaker's `until` in nanoseconds (0 = never set).
    breaker: u64,
}

impl Slot {
    /// The latest end of both sources.
    fn until(&self) -> u64 {
        self.guardian.max(self.breaker)
    }
}

/// The record's fixed fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Header {
    /// The restoration lock in nanoseconds (0 = never set, 1 = released).
    lock: u64,
    /// Exit-only mode ends at this time in nanoseconds (0 = none).
    exit_only: u64,
    restoring: bool,
}

/// The decoded record: what the writes work on, without building a [`GateState`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct GateRecord {
    header: Header,
    /// The listed scopes, in the order they were first paused.
    slots: Vec<Slot>,
}

fn read_u64(raw: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&raw[at..at + 8]);
    u64::from_be_bytes(b)
}

fn corrupt(what: impl std::fmt::Display) -> StdError {
    StdError::msg(format!("corrupt gate record: {what}"))
}

fn flag(byte: u8) -> StdResult<bool> {
    match byte {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(corrupt(format!("restoring flag {other}"))),
    }
}

/// Walks a stored record without allocating: its header, then each listed scope as
/// `(name, guardian until, breaker until)` (the fixed slots of versions 1 and 2 under their
/// legacy names, the unset ones skipped). Every check reads the record through this.
fn walk<'a>(
    raw: &'a [u8],
    mut each: impl FnMut(&'a str, u64, u64) -> StdResult<()>,
) -> StdResult<Header> {
    let n = LEGACY_SCOPES.len();
    match raw.first() {
        Some(1) | Some(2) => {
            let v1 = raw[0] == 1;
            let len = if v1 { GATE_V1_LEN } else { GATE_V2_LEN };
            if raw.len() != len {
                return Err(corrupt(format!(
                    "{} bytes for version {} (expected {len})",
                    raw.len(),
                    raw[0]
                )));
            }
            for (i, name) in LEGACY_SCOPES.iter().enumerate() {
                let guardian = read_u64(raw, 1 + 8 * i);
                let breaker = if v1 {
                    0
                } else {
                    read_u64(raw, 1 + 8 * (n + i))
                };
                if guardian != 0 || breaker != 0 {
                    each(name, guardian, breaker)?;
                }
            }
            let slots = if v1 { n } else { 2 * n };
            Ok(Header {
                lock: read_u64(raw, 1 + 8 * slots),
                exit_only: if v1 { 0 } else { read_u64(raw, 9 + 8 * slots) },
                restoring: flag(raw[len - 1])?,
            })
        }
        Some(&GATE_VERSION) => {
            if raw.len() < V3_HEADER_LEN {
                return Err(corrupt(format!("{} bytes for version 3", raw.len())));
            }
            let header = Header {
                lock: read_u64(raw, 1),
                exit_only: read_u64(raw, 9),
                restoring: flag(raw[17])?,
            };
            let count = usize::from(raw[18]);
            if count > MAX_GATE_SCOPES {
                return Err(corrupt(format!(
                    "{count} scopes, at most {MAX_GATE_SCOPES}"
                )));
            }
            let mut at = V3_HEADER_LEN;
            let mut seen: [&str; MAX_GATE_SCOPES] = [""; MAX_GATE_SCOPES];
            for i in 0..count {
                let len = usize::from(*raw.get(at).ok_or_else(|| corrupt("truncated"))?);
                let end = at + 1 + len + 16;
                if raw.len() < end {
                    return Err(corrupt("truncated"));
                }
                let name = std::str::from_utf8(&raw[at + 1..at + 1 + len])
                    .ok()
                    .filter(|name| rewind_types::scope::is_valid_name(name))
                    .ok_or_else(|| corrupt("invalid scope name"))?;
                if seen[..i].contains(&name) {
                    return Err(corrupt(format!("scope {name} listed twice")));
                }
                seen[i] = name;
                each(
                    name,
                    read_u64(raw, at + 1 + len),
                    read_u64(raw, at + 9 + len),
                )?;
                at = end;
            }
            if at != raw.len() {
                return Err(corrupt(format!("{} trailing bytes", raw.len() - at)));
            }
            Ok(header)
        }
        other => Err(corrupt(format!(
            "{} bytes, version {other:?} (expected version {GATE_VERSION})",
            raw.len()
        ))),
    }
}

/// The scope named `name` (already validated by [`walk`]), without allocating for a legacy
/// name.
fn scope_of(name: &str) -> PauseScope {
    match LEGACY_SCOPES.iter().position(|n| *n == name) {
        Some(0) => PauseScope::ALL,
        Some(1) => PauseScope::named("deposit"),
        Some(2) => PauseScope::named("withdraw"),
        Some(3) => PauseScope::named("trade"),
        Some(4) => PauseScope::named("liquidate"),
        _ => PauseScope::new(name).expect("validated by walk"),
    }
}

fn to_pauses(slots: &[Slot], until: impl Fn(&Slot) -> u64) -> Vec<ScopePause> {
    slots
        .iter()
        .filter(|s| until(s) != 0)
        .map(|s| ScopePause {
            scope: s.scope.clone(),
            until: Timestamp::from_nanos(until(s)),
        })
        .collect()
}

impl Header {
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
}

impl GateRecord {
    fn decode(raw: &[u8]) -> StdResult<GateRecord> {
        let mut slots = Vec::new();
        let header = walk(raw, |name, guardian, breaker| {
            slots.push(Slot {
                scope: scope_of(name),
                guardian,
                breaker,
            });
            Ok(())
        })?;
        Ok(GateRecord { header, slots })
    }

    fn encode(&self) -> Vec<u8> {
        let names: usize = self.slots.iter().map(|s| s.scope.as_str().len()).sum();
        let mut raw = Vec::with_capacity(V3_HEADER_LEN + 17 * self.slots.len() + names);
        raw.push(GATE_VERSION);
        raw.extend_from_slice(&self.header.lock.to_be_bytes());
        raw.extend_from_slice(&self.header.exit_only.to_be_bytes());
        raw.push(u8::from(self.header.restoring));
        // At most MAX_GATE_SCOPES (17) slots, each name at most 32 bytes: both fit a byte.
        raw.push(self.slots.len() as u8);
        for slot in &self.slots {
            let name = slot.scope.as_str().as_bytes();
            raw.push(name.len() as u8);
            raw.extend_from_slice(name);
            raw.extend_from_slice(&slot.guardian.to_be_bytes());
            raw.extend_from_slice(&slot.breaker.to_be_bytes());
        }
        raw
    }

    fn to_state(&self) -> GateState {
        let h = self.header;
        GateState {
            paused_until: to_pauses(&self.slots, Slot::until),
            breaker_paused_until: to_pauses(&self.slots, |s| s.breaker),
            restoration_lock_until: (h.lock > LOCK_RELEASED).then(|| Timestamp::from_nanos(h.lock)),
            lock_was_set: h.lock != 0,
            restoring: h.restoring,
            exit_only_until: (h.exit_only != 0).then(|| Timestamp::from_nanos(h.exit_only)),
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

    /// Sets `source`'s end of `scope` to `until` nanoseconds: a new scope is appended (the
    /// scopes whose pauses all ended at `now` are dropped first when the list is full), and
    /// a scope whose two ends are both 0 leaves the list.
    fn set(
        &mut self,
        now: Timestamp,
        source: PauseSource,
        scope: &PauseScope,
        until: u64,
    ) -> StdResult<()> {
        let i = match self.slots.iter().position(|s| s.scope == *scope) {
            Some(i) => i,
            None if until == 0 => return Ok(()),
            None => {
                if self.slots.len() >= MAX_GATE_SCOPES {
                    self.slots.retain(|s| s.until() > now.nanos());
                }
                if self.slots.len() >= MAX_GATE_SCOPES {
                    return Err(StdError::msg(format!(
                        "gate record full: {MAX_GATE_SCOPES} scopes paused, cannot add {scope}"
                    )));
                }
                self.slots.push(Slot {
                    scope: scope.clone(),
                    guardian: 0,
                    breaker: 0,
                });
                self.slots.len() - 1
            }
        };
        match source {
            PauseSource::Guardian => self.slots[i].guardian = until,
            PauseSource::Breaker => self.slots[i].breaker = until,
        }
        if self.slots[i].until() == 0 {
            self.slots.remove(i);
        }
        Ok(())
    }
}

/// The pause in force at `now` that stops `scope`, from the raw record in one pass: the
/// later-ending of `all`'s and the scope's own (each the latest of its two sources), the
/// scope's own on a tie; the header for the lock checks. Same rule as
/// [`GateState::active_pause`].
fn check_raw(
    raw: &[u8],
    scope: &PauseScope,
    now: Timestamp,
) -> StdResult<(Header, Option<(bool, u64)>)> {
    let (mut own, mut all) = (0u64, 0u64);
    let header = walk(raw, |name, guardian, breaker| {
        if name == scope.as_str() {
            own = guardian.max(breaker);
        } else if name == PauseScope::ALL.as_str() {
            all = guardian.max(breaker);
        }
        Ok(())
    })?;
    let now = now.nanos();
    let own = (now < own).then_some(own);
    let all = (now < all).then_some(all);
    let active = match (own, all) {
        (Some(o), Some(a)) if a > o => Some((true, a)),
        (Some(o), _) => Some((false, o)),
        (None, Some(a)) => Some((true, a)),
        (None, None) => None,
    };
    Ok((header, active))
}

/// The record's header only (the lock checks). One storage read.
fn load_header(store: &dyn Storage) -> StdResult<Header> {
    match store.get(NS_GATE.as_bytes()) {
        Some(raw) => walk(&raw, |_, _, _| Ok(())),
        None => Ok(Header::default()),
    }
}

/// The gate (all open when never set). One storage read.
pub fn gate_state(store: &dyn Storage) -> StdResult<GateState> {
    GateRecord::load(store).map(|r| r.to_state())
}

/// Ok if the action of `scope` may run now: not restoring, not in exit-only mode (unless
/// `scope` is declared an exit, `ScopeInfo::exit`), no restoration lock in force, and neither
/// `scope.scope` nor `all` paused past the block time by either source. The embedding
/// contract passes the scope as it declares it, so the exit flag comes from its one
/// declaration. Exactly one storage read.
pub fn ensure_open(store: &dyn Storage, env: &Env, scope: &ScopeInfo) -> Result<(), JournalError> {
    check_gate(store, env, scope).1
}

/// [`ensure_open`], and whether the gate was ever written. A target without a gate record
/// was never paused, locked or restored, so it has no stopped time for an offline clock to
/// count (rewind-target then skips reading its clock). One storage read.
pub fn check_gate(
    store: &dyn Storage,
    env: &Env,
    scope: &ScopeInfo,
) -> (bool, Result<(), JournalError>) {
    match store.get(NS_GATE.as_bytes()) {
        None => (false, Ok(())),
        Some(raw) => (true, check_gate_raw(&raw, env, scope)),
    }
}

fn check_gate_raw(raw: &[u8], env: &Env, scope: &ScopeInfo) -> Result<(), JournalError> {
    let now = env.block.time;
    let (header, active) = check_raw(raw, &scope.scope, now)?;
    header.check_not_locked(now, scope.exit && !scope.scope.is_all())?;
    match active {
        Some((is_all, until)) => Err(JournalError::Paused {
            scope: if is_all {
                PauseScope::ALL
            } else {
                scope.scope.clone()
            },
            until: Timestamp::from_nanos(until),
        }),
        None => Ok(()),
    }
}

/// Ok unless restoring, in exit-only mode or restoration-locked: for actions outside every
/// pause scope (e.g. price pushes) that must still stop during a restoration. One storage
/// read.
pub fn ensure_not_locked(store: &dyn Storage, env: &Env) -> Result<(), JournalError> {
    load_header(store)?.check_not_locked(env.block.time, false)
}

/// For exits that no pause may stop: refused while restoring or restoration-locked, but
/// open in exit-only mode. One storage read.
pub fn ensure_exit_not_locked(store: &dyn Storage, env: &Env) -> Result<(), JournalError> {
    load_header(store)?.check_not_locked(env.block.time, true)
}

/// Ok unless the restoration is stuck past its lock (then the target is exit-only and no
/// rollback or replay step may run: `RestorationLockExpired`). One storage read.
pub fn ensure_crank_allowed(store: &dyn Storage, env: &Env) -> Result<(), JournalError> {
    let header = load_header(store)?;
    if header.stuck(env.block.time) {
        return Err(JournalError::RestorationLockExpired {
            until: Timestamp::from_nanos(header.lock),
        });
    }
    Ok(())
}

/// The guardian pauses `scope` until `until` (a time at or before the block time lifts the
/// guardian's pause; time 0 clears its slot). It never shortens a breaker pause. A pause
/// that ends in the future also freezes pruning (row G12, see `prune`). The EMBEDDING
/// CONTRACT checks the sender (the guardian contract), and that it declares `scope` (or that
/// it is `all`), before calling this.
pub fn set_pause(
    store: &mut dyn Storage,
    env: &Env,
    scope: &PauseScope,
    until: Timestamp,
) -> StdResult<()> {
    set_pause_from(store, env, PauseSource::Guardian, scope, until)
}

/// Sets `source`'s pause of `scope` to end at `until` (only that source's slot; the other
/// source's pause is untouched and the latest end of both is in force). A pause that ends
/// in the future freezes pruning of everything retained now until its end plus the
/// retention in seconds. Refused when [`MAX_GATE_SCOPES`] scopes with a pause in force are
/// already listed and `scope` is not one of them.
pub fn set_pause_from(
    store: &mut dyn Storage,
    env: &Env,
    source: PauseSource,
    scope: &PauseScope,
    until: Timestamp,
) -> StdResult<()> {
    let mut gate = GateRecord::load(store)?;
    gate.set(env.block.time, source, scope, until.nanos())?;
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
    gate.header.lock = until.map_or(LOCK_RELEASED, |t| t.nanos().max(LOCK_RELEASED));
    gate.save(store);
    Ok(())
}

pub(crate) fn set_restoring(store: &mut dyn Storage, restoring: bool) -> StdResult<()> {
    let mut gate = GateRecord::load(store)?;
    // The guardian's restoration lock is left alone: when several targets restore together,
    // the executor releases it for all of them at once, after the last one completes.
    gate.header.restoring = restoring;
    if restoring {
        // A new restoration ends any exit-only mode left by an abandoned one.
        gate.header.exit_only = 0;
    }
    gate.save(store);
    Ok(())
}

/// Clears `restoring` and enters exit-only mode until `until`.
pub(crate) fn set_exit_only(store: &mut dyn Storage, until: Timestamp) -> StdResult<()> {
    let mut gate = GateRecord::load(store)?;
    gate.header.restoring = false;
    gate.header.exit_only = until.nanos();
    gate.save(store);
    Ok(())
}

/// Whether the gate's `restoring` flag is set. One storage read.
pub(crate) fn is_restoring(store: &dyn Storage) -> StdResult<bool> {
    load_header(store).map(|h| h.restoring)
}

/// Whether a restoration is pending at `now` (see [`GateState::restoration_pending`]).
/// One storage read.
pub(crate) fn restoration_pending(store: &dyn Storage, now: Timestamp) -> StdResult<bool> {
    load_header(store).map(|h| h.restoring || now.nanos() < h.lock)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(n: u64) -> Timestamp {
        Timestamp::from_nanos(n)
    }

    fn sc(name: &'static str) -> PauseScope {
        PauseScope::named(name)
    }

    fn slot(name: &'static str, guardian: u64, breaker: u64) -> Slot {
        Slot {
            scope: sc(name),
            guardian,
            breaker,
        }
    }

    /// A version-2 record as the previous journal wrote it: five guardian ends, five
    /// breaker ends (legacy order), the lock, the exit-only end, the flag.
    fn legacy_v2_record(
        guardian: [u64; 5],
        breaker: [u64; 5],
        lock: u64,
        exit_only: u64,
    ) -> Vec<u8> {
        let mut raw = vec![2u8];
        for u in guardian.iter().chain(&breaker) {
            raw.extend_from_slice(&u.to_be_bytes());
        }
        raw.extend_from_slice(&lock.to_be_bytes());
        raw.extend_from_slice(&exit_only.to_be_bytes());
        raw.push(1);
        raw
    }

    #[test]
    fn record_round_trips_in_the_documented_version_three_layout() {
        let rec = GateRecord {
            header: Header {
                lock: 0x0102_0304_0506_0708,
                exit_only: 9,
                restoring: true,
            },
            slots: vec![slot("all", 7, 0), slot("swap", 0, u64::MAX)],
        };
        let raw = rec.encode();
        let mut expected = vec![3u8];
        expected.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        expected.extend_from_slice(&9u64.to_be_bytes());
        expected.push(1); // restoring
        expected.push(2); // count
        expected.push(3);
        expected.extend_from_slice(b"all");
        expected.extend_from_slice(&7u64.to_be_bytes());
        expected.extend_from_slice(&0u64.to_be_bytes());
        expected.push(4);
        expected.extend_from_slice(b"swap");
        expected.extend_from_slice(&0u64.to_be_bytes());
        expected.extend_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(raw, expected);
        assert_eq!(raw.len(), V3_HEADER_LEN + (17 + 3) + (17 + 4));
        assert_eq!(GateRecord::decode(&raw).unwrap(), rec);
        let state = rec.to_state();
        assert_eq!(
            state.paused_until,
            vec![
                ScopePause {
                    scope: PauseScope::ALL,
                    until: t(7)
                },
                ScopePause {
                    scope: sc("swap"),
                    until: t(u64::MAX)
                },
            ]
        );
        assert_eq!(state.exit_only_until, Some(t(9)));
        assert_eq!(GateRecord::default().to_state(), GateState::default());
        assert_eq!(GateRecord::default().encode().len(), V3_HEADER_LEN);
    }

    #[test]
    fn version_one_records_are_read_as_guardian_pauses() {
        let mut raw = [0u8; GATE_V1_LEN];
        raw[0] = 1;
        raw[25..33].copy_from_slice(&11u64.to_be_bytes()); // trade
        raw[41..49].copy_from_slice(&5u64.to_be_bytes()); // lock
        raw[49] = 1;
        let rec = GateRecord::decode(&raw).unwrap();
        assert_eq!(rec.slots, vec![slot("trade", 11, 0)]);
        assert_eq!(rec.header.lock, 5);
        assert_eq!(rec.header.exit_only, 0);
        assert!(rec.header.restoring);
    }

    #[test]
    fn version_two_records_are_read_under_the_legacy_names() {
        let raw = legacy_v2_record([3, 0, 7, 0, 0], [0, 0, 5, 0, 8], 9, 11);
        assert_eq!(raw.len(), GATE_V2_LEN);
        let rec = GateRecord::decode(&raw).unwrap();
        assert_eq!(
            rec.slots,
            vec![
                slot("all", 3, 0),
                slot("withdraw", 7, 5),
                slot("liquidate", 0, 8)
            ]
        );
        assert_eq!(
            rec.header,
            Header {
                lock: 9,
                exit_only: 11,
                restoring: true
            }
        );
        // The one-pass check reads it the same way.
        let (header, active) = check_raw(&raw, &sc("withdraw"), t(4)).unwrap();
        assert_eq!(header, rec.header);
        assert_eq!(active, Some((false, 7)));
        assert_eq!(
            check_raw(&raw, &sc("deposit"), t(2)).unwrap().1,
            Some((true, 3))
        );
        // Re-encoded, it is a version-3 record with the same content.
        let v3 = rec.encode();
        assert_eq!(v3[0], GATE_VERSION);
        assert_eq!(GateRecord::decode(&v3).unwrap(), rec);
    }

    #[test]
    fn corrupt_records_are_errors() {
        let good = GateRecord {
            header: Header::default(),
            slots: vec![slot("swap", 1, 0)],
        }
        .encode();
        assert!(GateRecord::decode(&good).is_ok());
        assert!(GateRecord::decode(&good[..good.len() - 1]).is_err());
        let mut trailing = good.clone();
        trailing.push(0);
        assert!(GateRecord::decode(&trailing).is_err());
        let mut bad_version = good.clone();
        bad_version[0] = 4;
        assert!(GateRecord::decode(&bad_version).is_err());
        let mut bad_flag = good.clone();
        bad_flag[17] = 2;
        assert!(GateRecord::decode(&bad_flag).is_err());
        let mut bad_name = good.clone();
        bad_name[20] = b'S';
        assert!(GateRecord::decode(&bad_name).is_err());
        let mut empty_name = GateRecord::default().encode();
        empty_name[18] = 1;
        empty_name.push(0);
        empty_name.extend_from_slice(&[0; 16]);
        assert!(GateRecord::decode(&empty_name).is_err());
        let twice = GateRecord {
            header: Header::default(),
            slots: vec![slot("swap", 1, 0), slot("swap", 2, 0)],
        }
        .encode();
        assert!(GateRecord::decode(&twice).is_err());
        let mut too_many = GateRecord::default().encode();
        too_many[18] = (MAX_GATE_SCOPES + 1) as u8;
        assert!(GateRecord::decode(&too_many).is_err());
        assert!(GateRecord::decode(&legacy_v2_record([0; 5], [0; 5], 0, 0)[..97]).is_err());
        assert!(GateRecord::decode(&[1u8; 49]).is_err());
        assert!(GateRecord::decode(&[]).is_err());
    }

    #[test]
    fn the_list_is_bounded_and_drops_only_ended_scopes_to_make_room() {
        let mut rec = GateRecord::default();
        for i in 0..MAX_GATE_SCOPES {
            let scope = PauseScope::new(format!("s{i}")).unwrap();
            rec.set(t(0), PauseSource::Guardian, &scope, 10 + i as u64)
                .unwrap();
        }
        let extra = sc("extra");
        // Every listed pause is still in force at 5: no room.
        assert!(rec.set(t(5), PauseSource::Guardian, &extra, 100).is_err());
        assert_eq!(rec.slots.len(), MAX_GATE_SCOPES);
        // At 12, the pauses of s0, s1 and s2 have ended: they make room.
        rec.set(t(12), PauseSource::Guardian, &extra, 100).unwrap();
        assert_eq!(rec.slots.len(), MAX_GATE_SCOPES - 2);
        assert_eq!(
            rec.slots.last().unwrap(),
            &Slot {
                scope: extra.clone(),
                guardian: 100,
                breaker: 0
            }
        );
        assert!(!rec.slots.iter().any(|s| s.scope.as_str() == "s0"));
        // Time 0 in both slots clears a scope; time 0 for an unlisted scope adds nothing.
        rec.set(t(12), PauseSource::Guardian, &extra, 0).unwrap();
        assert!(!rec.slots.iter().any(|s| s.scope == extra));
        rec.set(t(12), PauseSource::Breaker, &extra, 0).unwrap();
        assert_eq!(rec.slots.len(), MAX_GATE_SCOPES - 3);
        // The longest record decodes.
        let mut full = GateRecord::default();
        for i in 0..MAX_GATE_SCOPES {
            let name = format!("{i:0>32}");
            full.set(
                t(0),
                PauseSource::Breaker,
                &PauseScope::new(name).unwrap(),
                1,
            )
            .unwrap();
        }
        assert_eq!(GateRecord::decode(&full.encode()).unwrap(), full);
    }

    /// Row P7: per scope the latest end of the two sources is in force, for every
    /// combination of guardian and breaker ends of the scope and of `all`, for the legacy
    /// names and a declared one.
    #[test]
    fn p7_active_pause_is_the_latest_of_both_sources_and_matches_the_state_rule() {
        let values = [0u64, 5, 10, 15];
        for name in ["all", "deposit", "withdraw", "trade", "liquidate", "swap"] {
            let scope = sc(name);
            for g_own in values {
                for b_own in values {
                    for g_all in values {
                        for b_all in [0u64, 12] {
                            let mut rec = GateRecord::default();
                            let all = PauseScope::ALL;
                            rec.set(t(0), PauseSource::Guardian, &all, g_all).unwrap();
                            rec.set(t(0), PauseSource::Breaker, &all, b_all).unwrap();
                            rec.set(t(0), PauseSource::Guardian, &scope, g_own).unwrap();
                            rec.set(t(0), PauseSource::Breaker, &scope, b_own).unwrap();
                            let state = rec.to_state();
                            let raw = rec.encode();
                            let latest = if scope.is_all() {
                                g_own.max(b_own)
                            } else {
                                g_all.max(b_all).max(g_own).max(b_own)
                            };
                            for now in [0u64, 5, 9, 10, 12, 14, 20] {
                                let expected = state
                                    .active_pause(&scope, t(now))
                                    .map(|p| (p.scope.is_all(), p.until.nanos()));
                                let (_, got) = check_raw(&raw, &scope, t(now)).unwrap();
                                let got = got.map(|(is_all, u)| (is_all || scope.is_all(), u));
                                assert_eq!(got, expected, "{name} at {now}");
                                assert_eq!(got.map(|p| p.1), (now < latest).then_some(latest));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Row R13: exit-only mode, abandoned or stuck past the lock, opens only exit scopes.
    #[test]
    fn r13_exit_only_opens_only_the_exit_scope() {
        let mut stuck = Header {
            restoring: true,
            lock: 10,
            ..Header::default()
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
        let abandoned = Header {
            exit_only: 20,
            lock: 30,
            ..Header::default()
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
        // Through `ensure_open`: the declared exit flag decides; `all` is never an exit.
        let mut store = cosmwasm_std::testing::MockStorage::new();
        GateRecord {
            header: abandoned,
            slots: vec![],
        }
        .save(&mut store);
        let mut env = cosmwasm_std::testing::mock_env();
        env.block.time = t(19);
        let exit = ScopeInfo::exit(sc("remove_liquidity"));
        let swap = ScopeInfo::action(sc("swap"));
        assert_eq!(ensure_open(&store, &env, &exit), Ok(()));
        assert_eq!(
            ensure_open(&store, &env, &swap),
            Err(JournalError::ExitOnly { until: Some(t(20)) })
        );
        assert_eq!(
            ensure_open(&store, &env, &ScopeInfo::exit(PauseScope::ALL)),
            Err(JournalError::ExitOnly { until: Some(t(20)) })
        );
    }
}

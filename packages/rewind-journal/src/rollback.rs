//! Rollback to the end of a past block: start, then bounded steps until done.
//!
//! Undo entries above the target are applied newest-first and deleted as they are applied, so
//! the cursor is implicit: whatever remains above the target is the work left, and any
//! sequence of batch sizes reaches the same state. The rollback's own writes are raw restores
//! and never journal themselves.
//!
//! While the undo entries are applied, the newest digest record still describes the state
//! before the rollback, so the running digest of the state reached so far lives in the
//! rollback state item (which each step writes anyway). When done, the records above the
//! target are gone and the newest record, the one at or below the target, is the live
//! digest again.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    Binary, Env, HexBinary, Order, StdError, StdResult, Storage, Timestamp, Uint256,
};
use cw_storage_plus::Item;
use serde::{Deserialize, Serialize};

use crate::digest::{entry_hash, last_digest, record_at_or_below, save_record, to_array};
use crate::error::JournalError;
use crate::gate::{is_restoring, set_exit_only, set_restoring};
use crate::history::{record_gap, record_inconsistent, validate_target};
use crate::keys::{
    prefix_end, record_key, records_root, split_undo_key, undo_key, undo_root, Stored,
    ABSENT_MARKER, NS_ROLLBACK,
};

pub(crate) const ROLLBACK: Item<RollbackState> = Item::new(NS_ROLLBACK);

/// The stored rollback: the public status plus the running digest.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub(crate) struct RollbackState {
    height: u64,
    pub(crate) started_at_height: u64,
    undone_entries: u64,
    rolled_back: bool,
    completed_at_height: Option<u64>,
    /// The digest of the state reached so far (32 bytes).
    digest: Option<Binary>,
    /// The block `finish_restoration` ran in: the restoration is complete and awaits
    /// `release_restoration` (row R12).
    #[serde(default)]
    pub(crate) finished_at_height: Option<u64>,
    /// The verify pass, before any entry is undone: the digest the rollback would reach,
    /// from the undo entries scanned so far (32 bytes).
    #[serde(default)]
    check: Option<Binary>,
    /// The last undo key the verify pass scanned (it scans newest first).
    #[serde(default)]
    check_cursor: Option<Binary>,
    /// The verify pass found the digest the rollback reaches equal to the recorded one.
    #[serde(default)]
    verified: bool,
    /// The verify pass found it different: the rollback failed before it changed anything.
    #[serde(default)]
    failed: Option<String>,
}

impl RollbackState {
    fn status(&self) -> RollbackStatus {
        RollbackStatus {
            height: self.height,
            started_at_height: self.started_at_height,
            undone_entries: self.undone_entries,
            rolled_back: self.rolled_back,
            completed_at_height: self.completed_at_height,
            finished_at_height: self.finished_at_height,
        }
    }

    /// The running digest: the state reached so far.
    fn running(&self, store: &dyn Storage) -> StdResult<Uint256> {
        match &self.digest {
            Some(d) => to_array(d).map(Uint256::from_be_bytes),
            None => last_digest(store),
        }
    }
}

/// The running digest of a rollback that has not verified yet (the live digest while it
/// runs), `None` when no rollback is running or it has verified.
pub(crate) fn running_digest(store: &dyn Storage) -> StdResult<Option<Uint256>> {
    match ROLLBACK.may_load(store)? {
        Some(state) if !state.rolled_back => state.running(store).map(Some),
        _ => Ok(None),
    }
}

/// The running rollback.
#[cw_serde]
pub struct RollbackStatus {
    /// The target: the state at the end of this block.
    pub height: u64,
    /// The block `start_rollback` ran in.
    pub started_at_height: u64,
    /// Undo entries applied so far.
    pub undone_entries: u64,
    /// True once no entry above `height` remains and the digest matched the recorded one.
    pub rolled_back: bool,
    /// The block the last step (the one that verified the digest) ran in.
    pub completed_at_height: Option<u64>,
    /// The block the embedding contract finished the restoration in; it stays locked until
    /// `release_restoration`.
    #[serde(default)]
    pub finished_at_height: Option<u64>,
}

/// What one `rollback_step` did.
#[cw_serde]
pub struct RollbackStep {
    /// Undo entries applied by this step (none while verifying).
    pub undone: u32,
    /// The rollback reached its height and verified the digest.
    pub done: bool,
    /// The verify pass found that the rollback would not reach the digest recorded at the
    /// height (why, as `DigestMismatch` says it): nothing was undone, and the rollback is
    /// over. Later steps refuse with `RollbackFailed`.
    pub failed: Option<String>,
}

fn hex(d: &[u8]) -> HexBinary {
    HexBinary::from(d.to_vec())
}

/// Starts rolling back to the END of block `height` and sets the gate's `restoring` flag,
/// which locks every gated action until `release_restoration` (or an abandon). From now on
/// every height from this block up is refused as a target (`HeightInconsistent`, row R10).
///
/// Errors: `RollbackAlreadyRunning`, `HeightNotInPast`, `BeforeRetainedHistory`,
/// `HeightRolledBack`, `NoDigestRecorded`, `DigestMismatch` (`expected_digest` differs from
/// the digest recorded at `height`).
pub fn start_rollback(
    store: &mut dyn Storage,
    env: &Env,
    height: u64,
    expected_digest: &[u8],
) -> Result<RollbackStatus, JournalError> {
    if is_restoring(store)? {
        let running_height = ROLLBACK.may_load(store)?.map_or(height, |s| s.height);
        return Err(JournalError::RollbackAlreadyRunning { running_height });
    }
    let (_, recorded) = validate_target(store, env, height)?;
    if expected_digest != recorded {
        return Err(JournalError::DigestMismatch {
            height,
            expected: hex(expected_digest),
            actual: hex(&recorded),
        });
    }
    let state = RollbackState {
        height,
        started_at_height: env.block.height,
        undone_entries: 0,
        rolled_back: false,
        completed_at_height: None,
        digest: Some(Binary::from(last_digest(store)?.to_be_bytes())),
        finished_at_height: None,
        check: None,
        check_cursor: None,
        verified: false,
        failed: None,
    };
    ROLLBACK.save(store, &state)?;
    set_restoring(store, true)?;
    Ok(state.status())
}

/// Undoes at most `limit` units of work (undo entries, then digest records above the height),
/// newest first. When nothing above the height remains it compares the running digest of the
/// state reached with the one recorded at the height: equal -> `done = true`; different ->
/// `DigestMismatch` (the transaction reverts and the contract stays locked). Calling it after `done` is a no-op
/// that returns `done = true`. It does NOT unlock: see [`finish_restoration`].
pub fn rollback_step(
    store: &mut dyn Storage,
    env: &Env,
    limit: u32,
) -> Result<RollbackStep, JournalError> {
    let mut state = ROLLBACK
        .may_load(store)?
        .ok_or(JournalError::NoRollbackRunning)?;
    if state.rolled_back {
        return Ok(RollbackStep {
            undone: 0,
            done: true,
            failed: None,
        });
    }
    if let Some(why) = &state.failed {
        return Err(JournalError::RollbackFailed {
            height: state.height,
            why: why.clone(),
        });
    }
    // The verify pass first, with the same budget; what it leaves undoes entries. (A
    // rollback started before the pass existed has undone entries already.)
    let mut limit = limit;
    if !state.verified && state.undone_entries == 0 {
        let (read, failed) = verify_step(store, &mut state, limit)?;
        if failed.is_some() || !state.verified || read >= limit {
            ROLLBACK.save(store, &state)?;
            return Ok(RollbackStep {
                undone: 0,
                done: false,
                failed,
            });
        }
        limit -= read;
    }
    let height = state.height;
    let above = height
        .checked_add(1)
        .ok_or_else(|| StdError::msg("rollback height overflow"))?;
    let budget = limit as usize;

    // 1. Undo entries above the height, newest first. Collected first (at most budget + 1)
    //    because the storage cannot be written while an iterator borrows it.
    let root = undo_root();
    let start = undo_key(above, &[]);
    let batch: Vec<(Vec<u8>, Vec<u8>)> = store
        .range(Some(&start), Some(&prefix_end(&root)), Order::Descending)
        .take(budget.saturating_add(1))
        .collect();
    let more_undo = batch.len() > budget;
    let mut live = state.running(store)?;
    let mut undone: u32 = 0;
    for (undo_raw_key, old) in batch.into_iter().take(budget) {
        let (_, raw_key) = split_undo_key(&undo_raw_key[root.len()..])?;
        if let Some(current) = store.get(raw_key) {
            if let Some(json) = Stored::decode(&current)?.json() {
                live = live.wrapping_sub(entry_hash(raw_key, json));
            }
        }
        if old == ABSENT_MARKER {
            store.remove(raw_key);
        } else {
            if let Some(json) = Stored::decode(&old)?.json() {
                live = live.wrapping_add(entry_hash(raw_key, json));
            }
            store.set(raw_key, &old);
        }
        store.remove(&undo_raw_key);
        undone += 1;
    }

    // 2. Digest records above the height, with what is left of the budget.
    let mut more_records = false;
    if !more_undo {
        let left = budget - undone as usize;
        let rec_root = records_root();
        let stale: Vec<Vec<u8>> = store
            .range_keys(
                Some(&record_key(above)),
                Some(&prefix_end(&rec_root)),
                Order::Ascending,
            )
            .take(left.saturating_add(1))
            .collect();
        more_records = stale.len() > left;
        for k in stale.into_iter().take(left) {
            store.remove(&k);
        }
    }
    let actual = live.to_be_bytes();
    state.digest = Some(Binary::from(actual));
    state.undone_entries = state.undone_entries.saturating_add(u64::from(undone));

    let done = !more_undo && !more_records;
    if done {
        // The records above the height are gone: the newest one is the record at or below
        // it, which becomes the live digest again once this matches it.
        let (_, recorded) =
            record_at_or_below(store, height)?.ok_or(JournalError::NoDigestRecorded { height })?;
        if actual != recorded {
            // Saved although the transaction reverts, like every other write of this step.
            ROLLBACK.save(store, &state)?;
            return Err(JournalError::DigestMismatch {
                height,
                expected: hex(&recorded),
                actual: hex(&actual),
            });
        }
        state.rolled_back = true;
        state.completed_at_height = Some(env.block.height);
        record_gap(store, above, env.block.height)?;
    }
    ROLLBACK.save(store, &state)?;
    Ok(RollbackStep {
        undone,
        done,
        failed: None,
    })
}

/// One batch of the verify pass: reads at most `limit` undo entries above the height, newest
/// first, and folds them into the digest the rollback would reach, changing nothing else.
/// Undoing every entry of a key in turn removes the key's live value from the digest and adds
/// its value at the height, so only two entries of each key count: its newest (the block its
/// live value was last journaled in) takes the live value out, and its oldest above the
/// height (whose old value is from the height or before, or absent) puts the old value in.
/// When the last entry is read the result is compared with the digest recorded at the
/// height: equal, the rollback may start undoing; different, `Some(why)` and it failed.
fn verify_step(
    store: &dyn Storage,
    state: &mut RollbackState,
    limit: u32,
) -> Result<(u32, Option<String>), JournalError> {
    let height = state.height;
    let budget = limit as usize;
    let root = undo_root();
    let start = undo_key(height.saturating_add(1), &[]);
    let end = match &state.check_cursor {
        Some(last) => last.to_vec(),
        None => prefix_end(&root),
    };
    let batch: Vec<(Vec<u8>, Vec<u8>)> = store
        .range(Some(&start), Some(&end), Order::Descending)
        .take(budget.saturating_add(1))
        .collect();
    let more = batch.len() > budget;
    let mut reached = match &state.check {
        Some(d) => Uint256::from_be_bytes(to_array(d)?),
        None => last_digest(store)?,
    };
    let mut corrupt = None;
    let mut read = 0;
    for (undo_raw_key, old) in batch.into_iter().take(budget) {
        read += 1;
        let (entry_height, raw_key) = split_undo_key(&undo_raw_key[root.len()..])?;
        if let Some(current) = store.get(raw_key) {
            match Stored::decode(&current) {
                Ok(live) if live.height() == entry_height => {
                    if let Some(json) = live.json() {
                        reached = reached.wrapping_sub(entry_hash(raw_key, json));
                    }
                }
                Ok(_) => {}
                Err(e) => corrupt = Some(e.to_string()),
            }
        }
        if old != ABSENT_MARKER {
            match Stored::decode(&old) {
                Ok(before) if before.height() <= height => {
                    if let Some(json) = before.json() {
                        reached = reached.wrapping_add(entry_hash(raw_key, json));
                    }
                }
                Ok(_) => {}
                Err(e) => corrupt = Some(e.to_string()),
            }
        }
        state.check_cursor = Some(Binary::from(undo_raw_key));
    }
    state.check = Some(Binary::from(reached.to_be_bytes()));
    if let Some(why) = corrupt {
        state.failed = Some(format!(
            "the journal's history above {height} is corrupt: {why}"
        ));
        return Ok((read, state.failed.clone()));
    }
    if more {
        return Ok((read, None));
    }
    let (_, recorded) =
        record_at_or_below(store, height)?.ok_or(JournalError::NoDigestRecorded { height })?;
    let actual = reached.to_be_bytes();
    if actual == recorded {
        state.verified = true;
        return Ok((read, None));
    }
    let mismatch = JournalError::DigestMismatch {
        height,
        expected: hex(&recorded),
        actual: hex(&actual),
    };
    state.failed = Some(mismatch.to_string());
    Ok((read, state.failed.clone()))
}

/// The running (or verified, not yet finished) rollback, if any.
pub fn rollback_status(store: &dyn Storage) -> StdResult<Option<RollbackStatus>> {
    Ok(ROLLBACK.may_load(store)?.map(|s| s.status()))
}

/// Completes the restoration once the rollback verified its digest (and the embedding
/// contract replayed its flows and settled): records that the ledger was not consistent
/// from the block the rollback started through the block before this one (row R10). It does
/// NOT unlock: the `restoring` flag stays set (the target stays locked, row R12) until
/// [`release_restoration`], which the executor triggers once every target of the
/// restoration is complete. A second call is a no-op.
/// Errors: `NoRollbackRunning`, `RollbackNotVerified`.
pub fn finish_restoration(store: &mut dyn Storage, env: &Env) -> Result<(), JournalError> {
    let mut state = ROLLBACK
        .may_load(store)?
        .ok_or(JournalError::NoRollbackRunning)?;
    if !state.rolled_back {
        return Err(JournalError::RollbackNotVerified {
            height: state.height,
        });
    }
    if state.finished_at_height.is_some() {
        return Ok(());
    }
    record_inconsistent(store, state.started_at_height, env.block.height)?;
    state.finished_at_height = Some(env.block.height);
    ROLLBACK.save(store, &state)?;
    Ok(())
}

/// Ends a completed restoration: clears the `restoring` flag and deletes the rollback
/// state, so the target reopens. The guardian's restoration lock stays until the executor
/// releases it. Errors: `NoRollbackRunning`, `RestorationNotComplete` (the restoration has
/// not finished).
pub fn release_restoration(store: &mut dyn Storage) -> Result<(), JournalError> {
    let state = ROLLBACK
        .may_load(store)?
        .ok_or(JournalError::NoRollbackRunning)?;
    if state.finished_at_height.is_none() {
        return Err(JournalError::RestorationNotComplete {
            height: state.height,
        });
    }
    ROLLBACK.remove(store);
    set_restoring(store, false)?;
    Ok(())
}

/// Abandons the restoration (row R13: holders voted to abort it) in any phase, running,
/// stuck on a failed digest, or complete awaiting release, exactly as [`abandon_rollback`]
/// does, then enters exit-only mode until `exit_only_until`: the exit scope opens, every
/// other gated action is refused with `ExitOnly`, and the mode ends by itself.
/// Errors: `NoRollbackRunning`.
pub fn abandon_restoration(
    store: &mut dyn Storage,
    env: &Env,
    exit_only_until: Timestamp,
) -> Result<Option<RollbackStatus>, JournalError> {
    let status = abandon_rollback(store, env)?;
    set_exit_only(store, exit_only_until)?;
    Ok(status)
}

/// Abandons a rollback that cannot finish (e.g. it failed its digest check: tampered state
/// or a bug) and unlocks the journal. Returns the abandoned rollback's status, if there was
/// one.
///
/// **Only for a governance-voted decision sent by the wasm admin** (the executor): the
/// migration of a voted code upgrade (`ParameterChange::UpgradeTarget`), or the
/// `RestorableMigrateMsg::Abandon` migration of a voted abort (through
/// [`abandon_restoration`]). A digest mismatch must leave the contract locked (safe
/// failure), and nothing but a vote may decide to unlock it. Never call it from an execute
/// message, nor from the `Restore` migration.
///
/// The journal stays consistent, so later writes, pruning and rollbacks work (and the
/// heights from the rollback's start up to the current one, unless the restoration had
/// already finished, are recorded as inconsistent, row R10):
/// - If the rollback had not verified, the state is partly rolled back: every undo entry
///   applied so far is gone. The running digest (the digest of the state reached) becomes
///   the live digest, recorded at the current height, and the heights above the rollback's
///   target up to the current one are recorded as erased, so no later rollback may target
///   them (their undo entries are partly consumed). Heights at or below the target stay
///   restorable: the undo entries left above it still lead back to them.
/// - If it had verified (the embedding contract's own steps got stuck after it), only the
///   rollback state and the flag are cleared: the rollback already recorded its gap.
///
/// Repairing the embedding contract's own records (e.g. a restoration step marker) and any
/// state the bug or tampering left behind is the new code's job.
/// Errors: `NoRollbackRunning` when neither a rollback nor the `restoring` flag is set.
pub fn abandon_rollback(
    store: &mut dyn Storage,
    env: &Env,
) -> Result<Option<RollbackStatus>, JournalError> {
    let state = ROLLBACK.may_load(store)?;
    if state.is_none() && !is_restoring(store)? {
        return Err(JournalError::NoRollbackRunning);
    }
    if let Some(state) = &state {
        if !state.rolled_back {
            let running = state.running(store)?;
            save_record(store, env.block.height, running, env.block.time);
            let above = state
                .height
                .checked_add(1)
                .ok_or_else(|| StdError::msg("rollback height overflow"))?;
            record_gap(store, above, env.block.height)?;
        }
        if state.finished_at_height.is_none() {
            // The ledger was between states from the start of the rollback to now.
            record_inconsistent(store, state.started_at_height, env.block.height)?;
        }
        ROLLBACK.remove(store);
    }
    set_restoring(store, false)?;
    Ok(state.map(|s| s.status()))
}

//! Retained history: setup, the retention window, which heights a rollback may target, and
//! the digest at a height.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Env, HexBinary, Order, StdResult, Storage, Timestamp};
use cw_storage_plus::{Bound, Item, Map};
use rewind_types::restorable::{DigestAtResponse, JournalInfoResponse};

use crate::digest::{latest_record_height, record_at_or_below};
use crate::error::JournalError;
use crate::gate::gate_state;
use crate::keys::{NS_GAPS, NS_INCONSISTENT, NS_META};
use crate::rollback::ROLLBACK;

pub(crate) const META: Item<JournalMeta> = Item::new(NS_META);
/// A height range erased by a completed rollback: end (exclusive, the completion height) ->
/// start (the first height above the rollback target).
pub(crate) const GAPS: Map<u64, u64> = Map::new(NS_GAPS);
/// A height range in which the ledger was not consistent (row R10): end (exclusive, the
/// block the restoration completed or was abandoned in) -> start (the block its rollback
/// started in).
pub(crate) const INCONSISTENT: Map<u64, u64> = Map::new(NS_INCONSISTENT);

/// The most history holds kept at once. A new hold is never refused: when full it is merged
/// into the nearest one (lowest `from_height`, latest `until`).
pub const MAX_HISTORY_HOLDS: usize = 8;

/// Keeps every height from `from_height` up restorable while the block time is before
/// `until` (row G12).
#[cw_serde]
#[derive(Copy, Eq)]
pub struct HistoryHold {
    /// The lowest height kept restorable.
    pub from_height: u64,
    /// When the hold ends by itself.
    pub until: Timestamp,
}

/// The journal's configuration and pruning watermark.
#[cw_serde]
pub struct JournalMeta {
    /// The height `initialize` ran at: no rollback may target a lower height.
    pub start_height: u64,
    /// Heights kept restorable behind the current one.
    pub retention_blocks: u64,
    /// The highest height whose undo entries pruning has (started to) delete: no rollback
    /// may target a lower height.
    pub pruned_through: u64,
    /// Seconds kept restorable behind the current block time (0 in a journal written before
    /// retention in time existed: then only blocks count).
    #[serde(default)]
    pub retention_seconds: u64,
    /// History holds and incident freezes (at most [`MAX_HISTORY_HOLDS`]; expired ones are
    /// ignored and cleaned by `prune`).
    #[serde(default)]
    pub holds: Vec<HistoryHold>,
}

impl JournalMeta {
    fn floor(&self) -> u64 {
        self.start_height.max(self.pruned_through)
    }

    /// The lowest `from_height` of the holds in force at `now`.
    pub(crate) fn held_from(&self, now: Timestamp) -> Option<u64> {
        self.holds
            .iter()
            .filter(|h| now < h.until)
            .map(|h| h.from_height)
            .min()
    }

    /// Drops the expired holds; returns whether any was dropped.
    pub(crate) fn clean_holds(&mut self, now: Timestamp) -> bool {
        let before = self.holds.len();
        self.holds.retain(|h| now < h.until);
        self.holds.len() != before
    }

    /// Adds a hold (a no-op if it already ended). Never refused: when the list is full, the
    /// hold is merged into the one with the nearest `from_height`, which then covers both.
    fn add_hold(&mut self, now: Timestamp, hold: HistoryHold) {
        self.clean_holds(now);
        if hold.until <= now {
            return;
        }
        if let Some(same) = self
            .holds
            .iter_mut()
            .find(|h| h.from_height == hold.from_height)
        {
            same.until = same.until.max(hold.until);
            return;
        }
        if self.holds.len() < MAX_HISTORY_HOLDS {
            self.holds.push(hold);
            return;
        }
        if let Some(nearest) = self
            .holds
            .iter_mut()
            .min_by_key(|h| h.from_height.abs_diff(hold.from_height))
        {
            nearest.from_height = nearest.from_height.min(hold.from_height);
            nearest.until = nearest.until.max(hold.until);
        }
    }
}

/// At instantiate: the retention window in blocks and in seconds (each > 0); the journal
/// starts at this height. A height is pruned only once it is older than both.
pub fn initialize(
    store: &mut dyn Storage,
    env: &Env,
    retention_blocks: u64,
    retention_seconds: u64,
) -> Result<(), JournalError> {
    if let Some(meta) = META.may_load(store)? {
        return Err(JournalError::AlreadyInitialized {
            start_height: meta.start_height,
        });
    }
    check_retention(retention_blocks, retention_seconds)?;
    META.save(
        store,
        &JournalMeta {
            start_height: env.block.height,
            retention_blocks,
            pruned_through: 0,
            retention_seconds,
            holds: Vec::new(),
        },
    )?;
    Ok(())
}

/// Changes the retention window (each > 0). A shorter window lets pruning go further; a
/// longer one cannot bring back what was already pruned.
pub fn set_retention(
    store: &mut dyn Storage,
    retention_blocks: u64,
    retention_seconds: u64,
) -> Result<(), JournalError> {
    check_retention(retention_blocks, retention_seconds)?;
    let mut meta = load_meta(store)?;
    meta.retention_blocks = retention_blocks;
    meta.retention_seconds = retention_seconds;
    META.save(store, &meta)?;
    Ok(())
}

fn check_retention(retention_blocks: u64, retention_seconds: u64) -> Result<(), JournalError> {
    if retention_blocks == 0 || retention_seconds == 0 {
        return Err(JournalError::InvalidRetention {
            retention_blocks,
            retention_seconds,
        });
    }
    Ok(())
}

/// `GateMsg::HoldHistory`: while the block time is before `until`, pruning never deletes
/// what a rollback to `from_height` or above needs. Never refused (see
/// [`MAX_HISTORY_HOLDS`]); a hold that already ended is a no-op. The EMBEDDING CONTRACT
/// checks the sender (the guardian contract) before calling this.
pub fn hold_history(
    store: &mut dyn Storage,
    env: &Env,
    from_height: u64,
    until: Timestamp,
) -> Result<(), JournalError> {
    let mut meta = load_meta(store)?;
    meta.add_hold(env.block.time, HistoryHold { from_height, until });
    META.save(store, &meta)?;
    Ok(())
}

/// The incident freeze: a pause set through the gate that ends at `pause_end` (in the
/// future) keeps everything retained now restorable until `pause_end + retention_seconds`.
/// A no-op before `initialize`.
pub(crate) fn freeze_history(
    store: &mut dyn Storage,
    env: &Env,
    pause_end: Timestamp,
) -> StdResult<()> {
    let Some(mut meta) = META.may_load(store)? else {
        return Ok(());
    };
    let from_height = retained_from(store, &meta)?;
    let until = Timestamp::from_nanos(
        pause_end
            .nanos()
            .saturating_add(meta.retention_seconds.saturating_mul(1_000_000_000)),
    );
    meta.add_hold(env.block.time, HistoryHold { from_height, until });
    META.save(store, &meta)
}

pub(crate) fn load_meta(store: &dyn Storage) -> Result<JournalMeta, JournalError> {
    META.may_load(store)?.ok_or(JournalError::NotInitialized)
}

/// The erased range containing `height`, as `(start, end_exclusive)`.
pub(crate) fn gap_containing(store: &dyn Storage, height: u64) -> StdResult<Option<(u64, u64)>> {
    range_containing(store, &GAPS, height)
}

/// The range of `map` (end exclusive -> start) containing `height`, as `(start, end)`.
fn range_containing(
    store: &dyn Storage,
    map: &Map<u64, u64>,
    height: u64,
) -> StdResult<Option<(u64, u64)>> {
    let next = map
        .range(
            store,
            Some(Bound::exclusive(height)),
            None,
            Order::Ascending,
        )
        .next()
        .transpose()?;
    Ok(next.and_then(|(end, start)| (start <= height).then_some((start, end))))
}

/// The lowest height a rollback may target now.
pub(crate) fn retained_from(store: &dyn Storage, meta: &JournalMeta) -> StdResult<u64> {
    let floor = meta.floor();
    Ok(match gap_containing(store, floor)? {
        Some((_, end)) => end,
        None => floor,
    })
}

/// Checks that the end of `height` is restorable and returns `(recorded_at, digest)`.
pub(crate) fn validate_target(
    store: &dyn Storage,
    env: &Env,
    height: u64,
) -> Result<(u64, [u8; 32]), JournalError> {
    let current_height = env.block.height;
    if height >= current_height {
        return Err(JournalError::HeightNotInPast {
            height,
            current_height,
        });
    }
    let meta = load_meta(store)?;
    if height < meta.floor() {
        return Err(JournalError::BeforeRetainedHistory {
            height,
            retained_from: retained_from(store, &meta)?,
        });
    }
    if let Some(running) = ROLLBACK.may_load(store)? {
        if running.finished_at_height.is_none() && height >= running.started_at_height {
            return Err(JournalError::HeightInconsistent {
                height,
                from: running.started_at_height,
                until: None,
            });
        }
    }
    if let Some((from, until)) = range_containing(store, &INCONSISTENT, height)? {
        return Err(JournalError::HeightInconsistent {
            height,
            from,
            until: Some(until),
        });
    }
    if let Some((start, end)) = gap_containing(store, height)? {
        return Err(JournalError::HeightRolledBack {
            height,
            rolled_back_to: start.saturating_sub(1),
            restored_at: end,
        });
    }
    record_at_or_below(store, height)?.ok_or(JournalError::NoDigestRecorded { height })
}

/// Digest of the state at the END of `height` (the last digest recorded at or below it).
/// Errors like `start_rollback` for a height that cannot be restored.
pub fn digest_at(
    store: &dyn Storage,
    env: &Env,
    height: u64,
) -> Result<DigestAtResponse, JournalError> {
    let (recorded_at, digest) = validate_target(store, env, height)?;
    Ok(DigestAtResponse {
        height,
        recorded_at,
        digest: HexBinary::from(digest.to_vec()),
    })
}

/// The retained range, the window and the lock state.
pub fn journal_info(store: &dyn Storage, env: &Env) -> StdResult<JournalInfoResponse> {
    let meta = META.load(store)?;
    let gate = gate_state(store)?;
    let now = env.block.time;
    let retained = retained_from(store, &meta)?;
    Ok(JournalInfoResponse {
        retained_from: retained,
        latest_height: latest_record_height(store)?.unwrap_or(meta.start_height),
        retention_blocks: meta.retention_blocks,
        restoring: gate.restoring,
        restoration_lock_until: gate.active_lock(env.block.time),
        retention_seconds: meta.retention_seconds,
        history_held_from: meta.held_from(now).map(|h| h.max(retained)),
        exit_only_until: gate
            .exit_only_until
            .filter(|until| !gate.restoring && now < *until),
    })
}

/// Records that heights `start..end` were erased by a rollback completed at `end`. Earlier
/// erased ranges inside it are merged into it.
pub(crate) fn record_gap(store: &mut dyn Storage, start: u64, end: u64) -> StdResult<()> {
    if start >= end {
        return Ok(());
    }
    // Every earlier gap ending above `start` lies inside [start, end): the rollback target
    // `start - 1` was valid, so no gap covers it, and every gap ends at or before `end`.
    let inner: Vec<u64> = GAPS
        .keys(store, Some(Bound::exclusive(start)), None, Order::Ascending)
        .collect::<StdResult<_>>()?;
    for e in inner {
        GAPS.remove(store, e);
    }
    // Inconsistent ranges of earlier restorations inside it are erased too: their heights
    // are now refused as rolled back.
    let inner: Vec<(u64, u64)> = INCONSISTENT
        .range(store, Some(Bound::exclusive(start)), None, Order::Ascending)
        .collect::<StdResult<_>>()?;
    for (e, s) in inner {
        if s >= start && e <= end {
            INCONSISTENT.remove(store, e);
        }
    }
    GAPS.save(store, end, &start)
}

/// Records that the ledger was not consistent at the end of heights `start..end` (a
/// restoration ran from `start` and completed or was abandoned at `end`).
pub(crate) fn record_inconsistent(store: &mut dyn Storage, start: u64, end: u64) -> StdResult<()> {
    if start >= end {
        return Ok(());
    }
    INCONSISTENT.save(store, end, &start)
}

//! Retained history: setup, the retention window, which heights a rollback may target, and
//! the digest at a height.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Env, HexBinary, Order, StdResult, Storage};
use cw_storage_plus::{Bound, Item, Map};
use rewind_types::restorable::{DigestAtResponse, JournalInfoResponse};

use crate::digest::{latest_record_height, record_at_or_below};
use crate::error::JournalError;
use crate::gate::gate_state;
use crate::keys::{NS_GAPS, NS_META};

pub(crate) const META: Item<JournalMeta> = Item::new(NS_META);
/// A height range erased by a completed rollback: end (exclusive, the completion height) ->
/// start (the first height above the rollback target).
pub(crate) const GAPS: Map<u64, u64> = Map::new(NS_GAPS);

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
}

impl JournalMeta {
    fn floor(&self) -> u64 {
        self.start_height.max(self.pruned_through)
    }
}

/// At instantiate: the retention window in blocks (> 0); the journal starts at this height.
pub fn initialize(
    store: &mut dyn Storage,
    env: &Env,
    retention_blocks: u64,
) -> Result<(), JournalError> {
    if let Some(meta) = META.may_load(store)? {
        return Err(JournalError::AlreadyInitialized {
            start_height: meta.start_height,
        });
    }
    check_retention(retention_blocks)?;
    META.save(
        store,
        &JournalMeta {
            start_height: env.block.height,
            retention_blocks,
            pruned_through: 0,
        },
    )?;
    Ok(())
}

/// Changes the retention window (> 0). A shorter window lets pruning go further; a longer
/// one cannot bring back what was already pruned.
pub fn set_retention(store: &mut dyn Storage, retention_blocks: u64) -> Result<(), JournalError> {
    check_retention(retention_blocks)?;
    let mut meta = load_meta(store)?;
    meta.retention_blocks = retention_blocks;
    META.save(store, &meta)?;
    Ok(())
}

fn check_retention(retention_blocks: u64) -> Result<(), JournalError> {
    if retention_blocks == 0 {
        return Err(JournalError::InvalidRetention { retention_blocks });
    }
    Ok(())
}

pub(crate) fn load_meta(store: &dyn Storage) -> Result<JournalMeta, JournalError> {
    META.may_load(store)?.ok_or(JournalError::NotInitialized)
}

/// The erased range containing `height`, as `(start, end_exclusive)`.
pub(crate) fn gap_containing(store: &dyn Storage, height: u64) -> StdResult<Option<(u64, u64)>> {
    let next = GAPS
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
    Ok(JournalInfoResponse {
        retained_from: retained_from(store, &meta)?,
        latest_height: latest_record_height(store)?.unwrap_or(meta.start_height),
        retention_blocks: meta.retention_blocks,
        restoring: gate.restoring,
        restoration_lock_until: gate.active_lock(env.block.time),
        retention_seconds: 0,
        history_held_from: None,
        exit_only_until: None,
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
    GAPS.save(store, end, &start)
}

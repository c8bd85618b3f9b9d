//! Retention: bounded, incremental pruning of what no retained height needs (row G12: the
//! window in blocks and in seconds, history holds and incident freezes).

use cosmwasm_std::{Env, Order, StdResult, Storage};
use cw_storage_plus::{Bound, Map};

use crate::digest::{record_at_or_below, record_time_at_or_above};
use crate::flows::Flow;
use crate::flows::{ACCOUNT_FLOWS, FLOWS, FLOW_HEIGHTS};
use crate::gate::restoration_pending;
use crate::history::{GAPS, INCONSISTENT, META};
use crate::keys::{
    prefix_end, record_key, records_root, split_undo_key, undo_key, undo_root, Stored,
};

/// Deletes at most `limit` items that no retained height needs, oldest first: undo entries
/// (cleaning the tombstone each one leaves behind once its block is over), then digest
/// records older than the one the watermark needs, flows and redo records at or below the
/// watermark, and
/// erased and inconsistent ranges below it.
///
/// A height `h` stays restorable (nothing it needs is deleted) while ANY of these holds:
/// - `h > current height - retention_blocks` (the window in blocks);
/// - the block time of `h` is after `now - retention_seconds` (the window in seconds). The
///   time of `h` is bounded by the time of the first digest record at or above it (block
///   times never decrease), so fast blocks never shorten the window in time;
/// - a history hold or incident freeze with `from_height <= h` is in force.
///
/// Callers run it alongside normal writes (e.g. `prune(store, &env, 10)` at the end of an
/// execute). It does nothing while a restoration is pending (restoration lock in force or
/// restoring). Returns how many items it deleted.
pub fn prune(store: &mut dyn Storage, env: &Env, limit: u32) -> StdResult<u32> {
    if restoration_pending(store, env.block.time)? {
        return Ok(0);
    }
    let Some(mut meta) = META.may_load(store)? else {
        return Ok(0);
    };
    let now = env.block.time;
    let holds_changed = meta.clean_holds(now);
    let watermark_before = meta.pruned_through;
    let window_start = env.block.height.checked_sub(meta.retention_blocks);
    let cutoff = now
        .nanos()
        .checked_sub(meta.retention_seconds.saturating_mul(1_000_000_000));
    let (Some(window_start), Some(cutoff)) = (window_start, cutoff) else {
        if holds_changed {
            META.save(store, &meta)?;
        }
        return Ok(0);
    };
    // Rolling back to any height >= `bound` only needs the undo entries above it.
    let bound = match meta.held_from(now) {
        Some(held) => window_start.min(held),
        None => window_start,
    };
    let mut left = limit as usize;

    // 1. Undo entries at heights <= bound whose deletion only makes heights older than the
    //    window in seconds unrestorable: deleting the entries at `u` loses every target
    //    below `u`, so it needs the block time of `u - 1` to be at or before the cutoff.
    let root = undo_root();
    let end = match bound.checked_add(1) {
        Some(h) => undo_key(h, &[]),
        None => prefix_end(&root),
    };
    let batch: Vec<Vec<u8>> = store
        .range_keys(Some(&root), Some(&end), Order::Ascending)
        .take(left.saturating_add(1))
        .collect();
    let mut undo_exhausted = batch.len() <= left;
    let mut checked: Option<u64> = None;
    for undo in batch.into_iter().take(left) {
        let (height, raw_key) = split_undo_key(&undo[root.len()..])?;
        if checked != Some(height) {
            if !old_before(store, height, cutoff)? {
                undo_exhausted = false;
                break;
            }
            checked = Some(height);
        }
        if let Some(current) = store.get(raw_key) {
            // A tombstone only matters within its own block (it stops a later save in the
            // block from journaling again); once the block is over it equals "absent".
            if let Stored::Tombstone { height: t } = Stored::decode(&current)? {
                if t < env.block.height {
                    store.remove(raw_key);
                }
            }
        }
        store.remove(&undo);
        meta.pruned_through = meta.pruned_through.max(height);
        left -= 1;
    }
    if undo_exhausted && old_before(store, bound, cutoff)? {
        meta.pruned_through = meta.pruned_through.max(bound);
    }
    let watermark = meta.pruned_through;

    // 2. Digest records below the last one at or below the watermark (which digest_at of
    //    the lowest retained height still needs).
    if left > 0 {
        if let Some((keep, _)) = record_at_or_below(store, watermark)? {
            let stale: Vec<Vec<u8>> = store
                .range_keys(
                    Some(&records_root()),
                    Some(&record_key(keep)),
                    Order::Ascending,
                )
                .take(left)
                .collect();
            for k in stale {
                store.remove(&k);
                left -= 1;
            }
        }
    }

    // 3. Flows at heights <= watermark: a rollback to H >= watermark replays flows above H.
    if left > 0 {
        let old: Vec<(u64, Flow)> = FLOWS
            .range(store, None, None, Order::Ascending)
            .take(left)
            .take_while(|r| r.as_ref().map_or(true, |(_, f)| f.height <= watermark))
            .collect::<StdResult<_>>()?;
        for (seq, flow) in old {
            FLOWS.remove(store, seq);
            ACCOUNT_FLOWS.remove(store, (&flow.account, seq));
            left -= 1;
        }
    }
    left -= remove_keys_through(store, &FLOW_HEIGHTS, watermark, left)?;
    // ... and the redo log: a rollback to H >= watermark replays executions above H.
    left -= crate::redo::prune_executions(store, watermark, left)?;

    // 4. Erased and inconsistent ranges wholly below the watermark.
    left -= remove_keys_through(store, &GAPS, watermark, left)?;
    left -= remove_keys_through(store, &INCONSISTENT, watermark, left)?;

    if meta.pruned_through != watermark_before || holds_changed {
        META.save(store, &meta)?;
    }
    Ok(u32::try_from(limit as usize - left).unwrap_or(u32::MAX))
}

/// Whether every height below `height` ended at or before `cutoff` (nanoseconds): the
/// block time of `height - 1` is bounded by the first digest record at or above it. With no
/// such record the time is unknown, and the answer is no.
fn old_before(store: &dyn Storage, height: u64, cutoff: u64) -> StdResult<bool> {
    Ok(record_time_at_or_above(store, height.saturating_sub(1))?
        .is_some_and(|(_, time)| time <= cutoff))
}

/// Removes at most `limit` entries of a height-keyed map whose key is at or below
/// `watermark`, oldest first; returns how many it removed.
fn remove_keys_through(
    store: &mut dyn Storage,
    map: &Map<u64, u64>,
    watermark: u64,
    limit: usize,
) -> StdResult<usize> {
    if limit == 0 {
        // Not even an iterator: opening one costs a seek on chain.
        return Ok(0);
    }
    let keys: Vec<u64> = map
        .keys(
            store,
            None,
            Some(Bound::inclusive(watermark)),
            Order::Ascending,
        )
        .take(limit)
        .collect::<StdResult<_>>()?;
    for key in &keys {
        map.remove(store, *key);
    }
    Ok(keys.len())
}

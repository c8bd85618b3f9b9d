//! Retention: bounded, incremental pruning of what no height inside the window needs.

use cosmwasm_std::{Env, Order, StdResult, Storage};
use cw_storage_plus::{Bound, Map};

use crate::digest::record_at_or_below;
use crate::flows::Flow;
use crate::flows::{ACCOUNT_FLOWS, FLOWS, FLOW_HEIGHTS};
use crate::gate::restoration_pending;
use crate::history::{GAPS, META};
use crate::keys::{
    prefix_end, record_key, records_root, split_undo_key, undo_key, undo_root, Stored,
};

/// Deletes at most `limit` items that no height inside the retention window needs, oldest
/// first: undo entries at heights `<= current - retention` (cleaning the tombstone each one
/// leaves behind once its block is over), then digest records older than the one the
/// watermark needs, flows at or below the watermark, and erased ranges below it.
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
    let Some(window_start) = env.block.height.checked_sub(meta.retention_blocks) else {
        return Ok(0);
    };
    let mut left = limit as usize;
    let watermark_before = meta.pruned_through;

    // 1. Undo entries at heights <= window_start: rolling back to any height >= window_start
    //    only needs the entries above it.
    let root = undo_root();
    let end = match window_start.checked_add(1) {
        Some(h) => undo_key(h, &[]),
        None => prefix_end(&root),
    };
    let batch: Vec<Vec<u8>> = store
        .range_keys(Some(&root), Some(&end), Order::Ascending)
        .take(left.saturating_add(1))
        .collect();
    let undo_exhausted = batch.len() <= left;
    for undo in batch.into_iter().take(left) {
        let (height, raw_key) = split_undo_key(&undo[root.len()..])?;
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
    if undo_exhausted {
        meta.pruned_through = meta.pruned_through.max(window_start);
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

    // 4. Erased ranges wholly below the watermark.
    left -= remove_keys_through(store, &GAPS, watermark, left)?;

    if meta.pruned_through != watermark_before {
        META.save(store, &meta)?;
    }
    Ok(u32::try_from(limit as usize - left).unwrap_or(u32::MAX))
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

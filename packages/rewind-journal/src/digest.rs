//! The state digest: an additive multiset hash over every live journaled entry.
//!
//! `digest = Σ SHA-256(u32be(len raw_key) ‖ raw_key ‖ json) mod 2^256`, summed over every
//! raw storage entry whose key starts with [`state_root`] and whose header flag is
//! [`FLAG_PRESENT`](crate::keys::FLAG_PRESENT); tombstones count nothing. The key length in
//! front makes `(key, value)` → hash input injective (without it `key "a1", value 5` and
//! `key "a", value 15` would hash the same bytes). Each term is read as a big-endian 256-bit
//! integer. See `docs/JOURNAL.md` for the off-chain recipe.
//!
//! There is no separate "live digest" value: each flush adds its delta to the newest digest
//! record and writes the result as the record of its height, so the newest record IS the
//! live digest (one iterator seek to read, one write to update).

use cosmwasm_std::{Order, StdError, StdResult, Storage, Timestamp, Uint256};
use sha2::{Digest, Sha256};

use crate::keys::{be_u64, prefix_end, record_key, records_root, state_root, Stored};
use crate::rollback::running_digest;

/// The digest term of one live entry.
pub fn entry_hash(raw_key: &[u8], json: &[u8]) -> Uint256 {
    let len = u32::try_from(raw_key.len()).unwrap_or(u32::MAX);
    let mut h = Sha256::new();
    h.update(len.to_be_bytes());
    h.update(raw_key);
    h.update(json);
    Uint256::from_be_bytes(h.finalize().into())
}

/// Recomputes the digest from raw `(key, value)` pairs, e.g. an archive node's dump of the
/// contract's state. Entries outside the journaled prefix and tombstones are skipped.
///
/// Over a dump taken at the end of a block, the result equals the live digest, which is the
/// first 32 bytes of the newest digest record in the same dump (`00 04 "rj/d" ‖
/// u64be(height)`, the last key of that prefix; the 8 bytes after the digest are the block
/// time): a check needs no other stored value. The one exception is a dump taken in
/// the middle of a rollback, where the newest record still describes the state before it.
pub fn recompute_digest<'a, I>(entries: I) -> StdResult<[u8; 32]>
where
    I: IntoIterator<Item = (&'a [u8], &'a [u8])>,
{
    let root = state_root();
    let mut sum = Uint256::zero();
    for (key, value) in entries {
        if !key.starts_with(&root) {
            continue;
        }
        if let Stored::Present { json, .. } = Stored::decode(value)? {
            sum = sum.wrapping_add(entry_hash(key, json));
        }
    }
    Ok(sum.to_be_bytes())
}

pub(crate) fn to_array(bytes: &[u8]) -> StdResult<[u8; 32]> {
    bytes
        .try_into()
        .map_err(|_| StdError::msg(format!("corrupt digest: {} bytes", bytes.len())))
}

/// The live digest of the journaled state: the newest digest record (zero before the first
/// write). Every flush writes the record of its height, and a completed rollback deletes the
/// records above its target, so the newest record always describes the current state.
/// While a rollback runs (before it verified), the state is between heights and the digest
/// of what it has undone so far is kept with the rollback instead; this returns that one.
pub fn live_digest(store: &dyn Storage) -> StdResult<[u8; 32]> {
    if let Some(running) = running_digest(store)? {
        return Ok(running.to_be_bytes());
    }
    last_digest(store).map(Uint256::to_be_bytes)
}

/// The newest digest record (zero if there is none): one iterator seek.
pub(crate) fn last_digest(store: &dyn Storage) -> StdResult<Uint256> {
    Ok(record_at_or_below(store, u64::MAX)?
        .map_or(Uint256::zero(), |(_, d)| Uint256::from_be_bytes(d)))
}

/// Writes the digest record of `height`: the 32-byte digest followed by the block time in
/// nanoseconds (`u64be`), which retention in seconds reads (no extra write: the flush
/// writes this record anyway).
pub(crate) fn save_record(store: &mut dyn Storage, height: u64, digest: Uint256, time: Timestamp) {
    let mut value = [0u8; RECORD_LEN];
    value[..32].copy_from_slice(&digest.to_be_bytes());
    value[32..].copy_from_slice(&time.nanos().to_be_bytes());
    store.set(&record_key(height), &value);
}

/// Length of a digest record: digest (32) ‖ u64be(block time nanos) (8).
pub(crate) const RECORD_LEN: usize = 40;

/// A record value as `(digest, block time nanos)`. A record written before times were
/// recorded is exactly the 32-byte digest; its time reads as 0, so it counts as old.
fn decode_record(value: &[u8]) -> StdResult<([u8; 32], u64)> {
    let time = match value.len() {
        32 => 0,
        RECORD_LEN => be_u64(&value[32..])?,
        n => return Err(StdError::msg(format!("corrupt digest record: {n} bytes"))),
    };
    Ok((to_array(&value[..32])?, time))
}

/// The lowest digest record at or above `height`: `(recorded_at, block time nanos)`. Block
/// times never decrease, so its time bounds the time of every height from `height` to it.
pub(crate) fn record_time_at_or_above(
    store: &dyn Storage,
    height: u64,
) -> StdResult<Option<(u64, u64)>> {
    let root = records_root();
    store
        .range(
            Some(&record_key(height)),
            Some(&prefix_end(&root)),
            Order::Ascending,
        )
        .next()
        .map(|(k, v)| Ok((be_u64(&k[root.len()..])?, decode_record(&v)?.1)))
        .transpose()
}

/// The last digest record at or below `height`: `(recorded_at, digest)`.
pub(crate) fn record_at_or_below(
    store: &dyn Storage,
    height: u64,
) -> StdResult<Option<(u64, [u8; 32])>> {
    let root = records_root();
    let end = match height.checked_add(1) {
        Some(h) => record_key(h),
        None => prefix_end(&root),
    };
    store
        .range(Some(&root), Some(&end), Order::Descending)
        .next()
        .map(|(k, v)| Ok((be_u64(&k[root.len()..])?, decode_record(&v)?.0)))
        .transpose()
}

/// The height of the newest digest record, if any.
pub(crate) fn latest_record_height(store: &dyn Storage) -> StdResult<Option<u64>> {
    record_at_or_below(store, u64::MAX).map(|r| r.map(|(h, _)| h))
}

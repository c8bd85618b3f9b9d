//! The per-execution context and the one write path every journaled type goes through.

use cosmwasm_std::{Env, StdResult, Storage, Timestamp, Uint256};

use crate::digest::{entry_hash, last_digest, save_record};
use crate::keys::{encode_present, encode_tombstone, undo_key, Stored, ABSENT_MARKER};

/// Created at the top of an execute that writes journaled state. It carries the block height
/// (which decides whether a write is the first of its key in this block) and the in-memory
/// digest delta of the execution's writes.
///
/// Call [`Journal::flush`] once at the end of every execute that wrote journaled state: it
/// costs one iterator seek and one write, whatever the number of writes before it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a Journal must be flushed at the end of the execution"]
pub struct Journal {
    height: u64,
    time: Timestamp,
    delta: Uint256,
    dirty: bool,
}

impl Journal {
    /// A journal for the current block.
    pub fn new(env: &Env) -> Journal {
        Journal {
            height: env.block.height,
            time: env.block.time,
            delta: Uint256::zero(),
            dirty: false,
        }
    }

    /// The block height writes are journaled at.
    pub fn height(&self) -> u64 {
        self.height
    }

    /// The block time of the execution.
    pub fn time(&self) -> Timestamp {
        self.time
    }

    /// Whether any journaled write happened (and `flush` will write).
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Writes the digest once: the live digest (the newest digest record, found with one
    /// reverse iterator seek) plus this execution's delta, as the record for this height. That
    /// record is then the newest one, so it is the live digest; the last flush of a block
    /// leaves the digest at the end of the block. A no-op if nothing was written.
    pub fn flush(self, storage: &mut dyn Storage) -> StdResult<()> {
        if !self.dirty {
            return Ok(());
        }
        let live = last_digest(storage)?.wrapping_add(self.delta);
        save_record(storage, self.height, live, self.time);
        Ok(())
    }

    /// Like [`Journal::flush`], but writes the digest record of this height even when
    /// nothing was written, so the height becomes a restoration point (a contract that
    /// journals nothing at instantiation still has a digest to roll back to).
    pub fn flush_and_record(self, storage: &mut dyn Storage) -> StdResult<()> {
        let live = last_digest(storage)?.wrapping_add(self.delta);
        save_record(storage, self.height, live, self.time);
        Ok(())
    }

    /// Writes `new_json` (or removes, with `None`) at `raw_key`, whose current raw value the
    /// caller already read as `old_raw`. The first write of the key in this block records the
    /// undo entry; later ones don't. Updates the digest delta.
    pub(crate) fn write(
        &mut self,
        store: &mut dyn Storage,
        raw_key: &[u8],
        old_raw: Option<&[u8]>,
        new_json: Option<&[u8]>,
    ) -> StdResult<()> {
        let old = old_raw.map(Stored::decode).transpose()?;
        let old_json = old.and_then(|s| s.json());
        if new_json.is_none() && old_json.is_none() {
            // Removing what is already absent: nothing changes, nothing to journal.
            return Ok(());
        }
        let journaled_this_block = old.is_some_and(|s| s.height() >= self.height);
        if !journaled_this_block {
            store.set(
                &undo_key(self.height, raw_key),
                old_raw.unwrap_or(ABSENT_MARKER),
            );
        }
        if let Some(json) = old_json {
            self.delta = self.delta.wrapping_sub(entry_hash(raw_key, json));
        }
        match new_json {
            Some(json) => {
                self.delta = self.delta.wrapping_add(entry_hash(raw_key, json));
                store.set(raw_key, &encode_present(self.height, json));
            }
            // A tombstone, not a delete: it keeps "already journaled in this block", so a
            // later save in the same block cannot overwrite the undo entry.
            None => store.set(raw_key, &encode_tombstone(self.height)),
        }
        self.dirty = true;
        Ok(())
    }
}

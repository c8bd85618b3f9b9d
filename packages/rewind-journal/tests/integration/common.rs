//! Shared test helpers: envs at a height, a storage that counts its operations, raw-storage
//! snapshots and an INDEPENDENT digest recomputation (no crate code involved).

use std::cell::Cell;

use cosmwasm_std::testing::{mock_env, MockStorage};
use cosmwasm_std::{Env, Order, Record, Storage, Timestamp};
use rewind_journal::JournalError;
use sha2::{Digest, Sha256};

/// Seconds per block in tests.
pub const BLOCK_SECONDS: u64 = 6;
pub const GENESIS_SECONDS: u64 = 1_700_000_000;

/// An env at `height`, with a block time that grows with the height.
pub fn env_at(height: u64) -> Env {
    let mut env = mock_env();
    env.block.height = height;
    env.block.time = Timestamp::from_seconds(GENESIS_SECONDS + height * BLOCK_SECONDS);
    env
}

/// Completes the restoration at `env` and releases it (what the executor's `Release` does).
pub fn finish_and_release(store: &mut dyn Storage, env: &Env) -> Result<(), JournalError> {
    rewind_journal::finish_restoration(store, env)?;
    rewind_journal::release_restoration(store)
}

/// Every raw entry of a storage, in key order.
pub fn dump(store: &dyn Storage) -> Vec<Record> {
    store.range(None, None, Order::Ascending).collect()
}

/// A copy of a storage (MockStorage has no Clone).
pub fn copy_storage(store: &dyn Storage) -> MockStorage {
    let mut out = MockStorage::new();
    for (k, v) in dump(store) {
        out.set(&k, &v);
    }
    out
}

/// Adds two 256-bit big-endian numbers modulo 2^256, byte by byte.
pub fn add_be(acc: &mut [u8; 32], x: &[u8; 32]) {
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let s = u16::from(acc[i]) + u16::from(x[i]) + carry;
        acc[i] = (s & 0xff) as u8;
        carry = s >> 8;
    }
}

/// The off-chain recipe of docs/JOURNAL.md, written from the doc alone: every raw key that
/// starts with `00 04 "rj/s"`, skip values whose byte 8 is 00 (tombstones), add
/// SHA-256(u32be(len key) ‖ key ‖ value[9..]) as a big-endian integer mod 2^256.
pub fn independent_digest(entries: &[Record]) -> [u8; 32] {
    let prefix: [u8; 6] = [0x00, 0x04, b'r', b'j', b'/', b's'];
    let mut sum = [0u8; 32];
    for (key, value) in entries {
        if !key.starts_with(&prefix) {
            continue;
        }
        assert!(value.len() >= 9, "journaled value shorter than its header");
        if value[8] == 0 {
            continue;
        }
        let mut h = Sha256::new();
        h.update((key.len() as u32).to_be_bytes());
        h.update(key);
        h.update(&value[9..]);
        let term: [u8; 32] = h.finalize().into();
        add_be(&mut sum, &term);
    }
    sum
}

/// Operation counts of a [`CountingStorage`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub reads: u64,
    pub writes: u64,
    pub deletes: u64,
    pub range_steps: u64,
}

impl std::ops::Sub for Counts {
    type Output = Counts;
    fn sub(self, o: Counts) -> Counts {
        Counts {
            reads: self.reads - o.reads,
            writes: self.writes - o.writes,
            deletes: self.deletes - o.deletes,
            range_steps: self.range_steps - o.range_steps,
        }
    }
}

/// A `Storage` over `MockStorage` that counts gets, sets, removes and iterator steps.
#[derive(Default)]
pub struct CountingStorage {
    pub inner: MockStorage,
    reads: Cell<u64>,
    writes: u64,
    deletes: u64,
    range_steps: Cell<u64>,
}

impl CountingStorage {
    pub fn counts(&self) -> Counts {
        Counts {
            reads: self.reads.get(),
            writes: self.writes,
            deletes: self.deletes,
            range_steps: self.range_steps.get(),
        }
    }
}

impl Storage for CountingStorage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.reads.set(self.reads.get() + 1);
        self.inner.get(key)
    }

    fn range<'a>(
        &'a self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'a> {
        let steps = &self.range_steps;
        Box::new(
            self.inner
                .range(start, end, order)
                .inspect(move |_| steps.set(steps.get() + 1)),
        )
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.writes += 1;
        self.inner.set(key, value);
    }

    fn remove(&mut self, key: &[u8]) {
        self.deletes += 1;
        self.inner.remove(key);
    }
}

/// The scopes the tests gate with, declared as an embedding contract would (the names of the
/// first, closed scope list; `withdraw` is the exit).
pub mod scopes {
    use rewind_types::{PauseScope, ScopeInfo};

    /// `all`, as a gated action would name it (never an exit).
    pub const ALL: ScopeInfo = ScopeInfo::action(PauseScope::ALL);
    /// A plain scope.
    pub const DEPOSIT: ScopeInfo = ScopeInfo::action(PauseScope::named("deposit"));
    /// The exit scope.
    pub const WITHDRAW: ScopeInfo = ScopeInfo::exit(PauseScope::named("withdraw"));
    /// A plain scope.
    pub const TRADE: ScopeInfo = ScopeInfo::action(PauseScope::named("trade"));
    /// A plain scope.
    pub const LIQUIDATE: ScopeInfo = ScopeInfo::action(PauseScope::named("liquidate"));
    /// Every scope, `all` first.
    pub const ALL_SCOPES: [ScopeInfo; 5] = [ALL, DEPOSIT, WITHDRAW, TRADE, LIQUIDATE];
}

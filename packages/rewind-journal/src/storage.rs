//! `JournaledStorage`: a `cosmwasm_std::Storage` that journals every write it is given.
//!
//! A contract's own code keeps using plain cw-storage-plus (`Item`, `Map`, `IndexedMap`,
//! `SnapshotMap`, ...) on the `deps.storage` it is handed; the entry point hands it this
//! wrapper instead of the chain's storage. Every key the contract writes is stored under the
//! journal's state root, exactly where a [`JournaledMap`](crate::JournaledMap) of the same
//! namespace would put it:
//!
//! ```text
//! contract key k   ->   00 04 "rj/s" ‖ k          value: header(9) ‖ the bytes the contract wrote
//! ```
//!
//! so the undo log, the digest, rollback and pruning work on it unchanged, and nothing the
//! contract writes can bypass the journal: the contract never sees the raw storage.
//!
//! Two kinds of key are passed through to the raw storage, unjournaled (never rolled back,
//! not in the digest): cw2's `contract_info` (the chain and governance read it raw), and the
//! namespaces the contract declares plain (see [`PlainNamespaces`]).
//!
//! `Storage::set` cannot fail, so a write the journal must refuse (a key of a frozen
//! account) is remembered; [`finish`] returns the first refusal, and the entry point fails
//! the whole execution with it, which reverts every write. A corrupt stored value (one
//! written around the journal) aborts the execution at once.
//!
//! [`finish`]: JournaledStorage::finish

use std::cell::RefCell;

use cosmwasm_std::{Addr, Env, Order, Record, StdError, Storage};

use crate::error::JournalError;
use crate::journal::Journal;
use crate::keys::{concat, prefix_end, state_root, Stored};

/// A raw key and the raw stored value read at it (`None`: absent).
type CachedRead = (Vec<u8>, Option<Vec<u8>>);

/// How many recent reads [`JournaledStorage`] remembers.
const READ_CACHE: usize = 8;

/// cw2's raw key: read raw by the chain's `ContractInfo` tooling and by governance.
const CW2_KEY: &[u8] = b"contract_info";

/// The namespaces a contract keeps out of the journal: configuration that a rollback must
/// never rewind. A name covers the cw-storage-plus `Item` of that name and every entry of the
/// `Map` of that name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlainNamespaces(pub &'static [&'static str]);

impl PlainNamespaces {
    /// Whether `key` (a contract's raw key) is plain: cw2's record, or a declared namespace.
    pub fn contains(&self, key: &[u8]) -> bool {
        key == CW2_KEY || self.0.iter().any(|ns| in_namespace(key, ns.as_bytes()))
    }
}

/// Whether `key` is the `Item` `ns` or an entry of the `Map` `ns` (`u16be(len) ‖ ns ‖ ...`).
fn in_namespace(key: &[u8], ns: &[u8]) -> bool {
    if key == ns {
        return true;
    }
    let Ok(len) = u16::try_from(ns.len()) else {
        return false;
    };
    key.len() >= 2 + ns.len() && key[..2] == len.to_be_bytes() && &key[2..2 + ns.len()] == ns
}

/// Reads a contract key through the journal's layout: the live value, without its header.
fn read(inner: &dyn Storage, root: &[u8], plain: PlainNamespaces, key: &[u8]) -> Option<Vec<u8>> {
    if plain.contains(key) {
        return inner.get(key);
    }
    live(inner.get(&concat(root, key)).as_deref())
}

/// The live value of a stored journaled value (header stripped; `None` for a tombstone).
fn live(raw: Option<&[u8]>) -> Option<Vec<u8>> {
    match Stored::decode(raw?) {
        Ok(stored) => stored.json().map(<[u8]>::to_vec),
        // A stored value without a header was written around the journal: fail loudly.
        Err(e) => panic!("rewind: corrupt journaled value: {e}"),
    }
}

/// Ranges over contract keys: the journaled ones (tombstones skipped, headers stripped), or
/// the raw ones when the range starts inside a plain namespace. Only the start decides: the
/// end is exclusive, so an end at a plain namespace's first key (the `prefix_end` of the
/// namespace just before it, e.g. Map `a` before plain Map `b`) holds none of its keys.
fn range<'b>(
    inner: &'b dyn Storage,
    root: &'b [u8],
    plain: PlainNamespaces,
    start: Option<&[u8]>,
    end: Option<&[u8]>,
    order: Order,
) -> Box<dyn Iterator<Item = Record> + 'b> {
    if start.is_some_and(|s| plain.contains(s)) {
        return inner.range(start, end, order);
    }
    let from = concat(root, start.unwrap_or_default());
    let to = end.map_or_else(|| prefix_end(root), |e| concat(root, e));
    let cut = root.len();
    Box::new(
        inner
            .range(Some(&from), Some(&to), order)
            .filter_map(move |(k, v)| match Stored::decode(&v) {
                Ok(stored) => stored.json().map(|json| (k[cut..].to_vec(), json.to_vec())),
                Err(e) => panic!("rewind: corrupt journaled value: {e}"),
            }),
    )
}

/// The storage an execution of a restorable contract writes through. See the module doc.
pub struct JournaledStorage<'a> {
    inner: &'a mut dyn Storage,
    journal: Journal,
    root: Vec<u8>,
    plain: PlainNamespaces,
    frozen: Vec<Addr>,
    refused: Option<JournalError>,
    /// The last raw stored values read, by raw key: the usual read-then-write of a key
    /// (`Map::update`) reads the chain once, not twice. A write drops its entry. Bounded
    /// ([`READ_CACHE`] entries), so a handler that reads many keys stays linear.
    read_cache: RefCell<Vec<CachedRead>>,
}

impl<'a> JournaledStorage<'a> {
    /// Wraps the chain's storage for one execution at the current block. Writes to a key that
    /// contains the address of a `frozen` account are refused.
    pub fn new(
        inner: &'a mut dyn Storage,
        env: &Env,
        plain: PlainNamespaces,
        frozen: Vec<Addr>,
    ) -> Self {
        JournaledStorage {
            inner,
            journal: Journal::new(env),
            root: state_root(),
            plain,
            frozen,
            refused: None,
            read_cache: RefCell::new(Vec::with_capacity(READ_CACHE)),
        }
    }

    /// The raw stored value at `raw_key`, through the read cache.
    fn raw_get(&self, raw_key: &[u8]) -> Option<Vec<u8>> {
        if let Some((_, cached)) = self.read_cache.borrow().iter().find(|(k, _)| k == raw_key) {
            return cached.clone();
        }
        let value = self.inner.get(raw_key);
        let mut cache = self.read_cache.borrow_mut();
        if cache.len() == READ_CACHE {
            cache.remove(0); // the oldest
        }
        cache.push((raw_key.to_vec(), value.clone()));
        value
    }

    fn forget(&self, raw_key: &[u8]) {
        self.read_cache.borrow_mut().retain(|(k, _)| k != raw_key);
    }

    /// Ends an execution that failed anyway: the first refused write, if any, which is the
    /// reason to report. Nothing is flushed; the chain reverts the execution.
    pub fn into_refusal(self) -> Option<JournalError> {
        self.refused
    }

    /// Ends the execution: the first refused write, if any, else one digest flush.
    pub fn finish(self) -> Result<(), JournalError> {
        if let Some(refused) = self.refused {
            return Err(refused);
        }
        self.journal.flush(self.inner)?;
        Ok(())
    }

    /// Ends the first execution of a contract (its instantiation): like [`finish`], but
    /// records the digest even if nothing was journaled, so the instantiation height is a
    /// restoration point.
    ///
    /// [`finish`]: JournaledStorage::finish
    pub fn finish_and_record(self) -> Result<(), JournalError> {
        if let Some(refused) = self.refused {
            return Err(refused);
        }
        self.journal.flush_and_record(self.inner)?;
        Ok(())
    }

    /// The chain's storage, for the library's own records (not journaled).
    pub fn raw(&mut self) -> &mut dyn Storage {
        self.inner
    }

    fn write(&mut self, key: &[u8], value: Option<&[u8]>) {
        if self.plain.contains(key) {
            match value {
                Some(v) => self.inner.set(key, v),
                None => self.inner.remove(key),
            }
            return;
        }
        if self.refused.is_none() {
            if let Some(account) = self.frozen.iter().find(|a| contains(key, a.as_bytes())) {
                self.refused = Some(JournalError::FrozenAccount {
                    account: account.clone(),
                });
            }
        }
        // A refused write is still performed: `finish` fails the execution with the first
        // refusal, which reverts everything, and a handler that loops until its own writes
        // show (`Map::clear`) must see them to end.
        let raw = concat(&self.root, key);
        let old = self.raw_get(&raw);
        self.forget(&raw);
        if let Err(e) = self.journal.write(self.inner, &raw, old.as_deref(), value) {
            // Only a corrupt stored value fails here; reading it would have aborted too.
            panic!("rewind: {e}");
        }
    }
}

/// Whether `needle` occurs in `key`. An account's keys in cw-storage-plus contain its address
/// bytes verbatim (`Map<&Addr, _>`, tuple keys, index keys), so this finds them whatever the
/// contract's key layout.
fn contains(key: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && key.windows(needle.len()).any(|w| w == needle)
}

impl Storage for JournaledStorage<'_> {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        if self.plain.contains(key) {
            return self.inner.get(key);
        }
        live(self.raw_get(&concat(&self.root, key)).as_deref())
    }

    fn range<'b>(
        &'b self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'b> {
        range(self.inner, &self.root, self.plain, start, end, order)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.write(key, Some(value));
    }

    fn remove(&mut self, key: &[u8]) {
        self.write(key, None);
    }
}

/// The read-only view a query of a restorable contract reads through: the same layout as
/// [`JournaledStorage`], for `Deps`.
pub struct JournaledView<'a> {
    inner: &'a dyn Storage,
    root: Vec<u8>,
    plain: PlainNamespaces,
}

impl<'a> JournaledView<'a> {
    /// Wraps the chain's storage for one query.
    pub fn new(inner: &'a dyn Storage, plain: PlainNamespaces) -> Self {
        JournaledView {
            inner,
            root: state_root(),
            plain,
        }
    }
}

impl Storage for JournaledView<'_> {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        read(self.inner, &self.root, self.plain, key)
    }

    fn range<'b>(
        &'b self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'b> {
        range(self.inner, &self.root, self.plain, start, end, order)
    }

    // A view is only ever handed out as `Deps.storage` (`&dyn Storage`), through which these
    // cannot be called; reaching one is a bug in the caller.
    fn set(&mut self, _key: &[u8], _value: &[u8]) {
        panic!(
            "{}",
            StdError::msg("rewind: a query's storage is read-only")
        );
    }

    fn remove(&mut self, _key: &[u8]) {
        panic!(
            "{}",
            StdError::msg("rewind: a query's storage is read-only")
        );
    }
}

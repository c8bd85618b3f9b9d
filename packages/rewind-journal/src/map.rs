//! `JournaledMap` and `JournaledPrefix`: journaled key-value maps, like cw-storage-plus `Map`.

use std::marker::PhantomData;

use cosmwasm_std::storage_keys::to_length_prefixed_nested;
use cosmwasm_std::{from_json, to_json_vec, Order, Record, StdError, StdResult, Storage};
use cw_storage_plus::{range_with_prefix, Bound, KeyDeserialize, Prefixer, PrimaryKey};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::item::{decode_value, is_present, not_found};
use crate::journal::Journal;
use crate::keys::{concat, state_prefix, Stored, NS_STATE};

/// A journaled map. Keys are any cw-storage-plus `PrimaryKey` (`&Addr`, `(&Addr, &str)`,
/// `u64`, `&str`, ...) and encode exactly as in a cw-storage-plus `Map`, under the journal's
/// state prefix.
///
/// ```
/// # use cosmwasm_std::{Addr, Uint128};
/// # use rewind_journal::JournaledMap;
/// const BALANCES: JournaledMap<&Addr, Uint128> = JournaledMap::new("balances");
/// const POSITIONS: JournaledMap<(&Addr, u64), String> = JournaledMap::new("positions");
/// ```
pub struct JournaledMap<K, T> {
    namespace: &'static str,
    _kv: PhantomData<fn() -> (K, T)>,
}

impl<K, T> JournaledMap<K, T> {
    /// A journaled map stored under `namespace` (distinct from every other journaled
    /// namespace of the contract).
    pub const fn new(namespace: &'static str) -> Self {
        JournaledMap {
            namespace,
            _kv: PhantomData,
        }
    }

    /// The namespace given to `new`.
    pub const fn namespace(&self) -> &'static str {
        self.namespace
    }
}

impl<'a, K: PrimaryKey<'a>, T: Serialize + DeserializeOwned> JournaledMap<K, T> {
    /// The full raw storage key of `k`.
    pub fn storage_key(&self, k: &K) -> Vec<u8> {
        concat(&state_prefix(self.namespace), &k.joined_key())
    }

    /// The value at `k`; an error if it is absent.
    pub fn load(&self, store: &dyn Storage, k: K) -> StdResult<T> {
        let key = self.storage_key(&k);
        decode_value(store.get(&key).as_deref())?.ok_or_else(|| not_found::<T>(&key))
    }

    /// The value at `k`, or `None` if absent.
    pub fn may_load(&self, store: &dyn Storage, k: K) -> StdResult<Option<T>> {
        decode_value(store.get(&self.storage_key(&k)).as_deref())
    }

    /// Whether a value is present at `k` (one read, no deserialisation).
    pub fn has(&self, store: &dyn Storage, k: K) -> bool {
        is_present(store.get(&self.storage_key(&k)).as_deref())
    }

    /// Saves `value` at `k`, journaling the old value on the first write of `k` in this block.
    pub fn save(&self, store: &mut dyn Storage, j: &mut Journal, k: K, value: &T) -> StdResult<()> {
        let key = self.storage_key(&k);
        let old = store.get(&key);
        let json = to_json_vec(value)?;
        j.write(store, &key, old.as_deref(), Some(&json))
    }

    /// Loads `k` (one read), applies `action` and saves the result. Returns the new value.
    pub fn update<A, E>(
        &self,
        store: &mut dyn Storage,
        j: &mut Journal,
        k: K,
        action: A,
    ) -> Result<T, E>
    where
        A: FnOnce(Option<T>) -> Result<T, E>,
        E: From<StdError>,
    {
        let key = self.storage_key(&k);
        let old = store.get(&key);
        let input = decode_value(old.as_deref())?;
        let output = action(input)?;
        let json = to_json_vec(&output)?;
        j.write(store, &key, old.as_deref(), Some(&json))?;
        Ok(output)
    }

    /// Removes the value at `k` (leaving a tombstone that pruning cleans later).
    pub fn remove(&self, store: &mut dyn Storage, j: &mut Journal, k: K) -> StdResult<()> {
        let key = self.storage_key(&k);
        let old = store.get(&key);
        j.write(store, &key, old.as_deref(), None)
    }

    /// The entries sharing the first key component(s) `p`, like cw-storage-plus
    /// `Map::prefix(p)`.
    pub fn prefix(&self, p: K::Prefix) -> JournaledPrefix<K::Suffix, T> {
        let parts = p.prefix();
        let mut names: Vec<&[u8]> = Vec::with_capacity(parts.len() + 2);
        names.push(NS_STATE.as_bytes());
        names.push(self.namespace.as_bytes());
        names.extend(parts.iter().map(|k| k.as_ref()));
        JournaledPrefix {
            prefix: to_length_prefixed_nested(&names),
            _kv: PhantomData,
        }
    }
}

impl<'a, K, T> JournaledMap<K, T>
where
    K: PrimaryKey<'a> + KeyDeserialize,
    T: Serialize + DeserializeOwned,
{
    /// Like cw-storage-plus `Map::range`: live entries within the bounds, removed ones skipped.
    pub fn range<'c>(
        &self,
        store: &'c dyn Storage,
        min: Option<Bound<'a, K>>,
        max: Option<Bound<'a, K>>,
        order: Order,
    ) -> Box<dyn Iterator<Item = StdResult<(K::Output, T)>> + 'c>
    where
        T: 'c,
        K::Output: 'static,
    {
        range_live::<K, T>(store, &state_prefix(self.namespace), min, max, order)
    }

    /// Like cw-storage-plus `Map::keys`: keys of live entries within the bounds.
    pub fn keys<'c>(
        &self,
        store: &'c dyn Storage,
        min: Option<Bound<'a, K>>,
        max: Option<Bound<'a, K>>,
        order: Order,
    ) -> Box<dyn Iterator<Item = StdResult<K::Output>> + 'c>
    where
        T: 'c,
        K::Output: 'static,
    {
        Box::new(
            self.range(store, min, max, order)
                .map(|r| r.map(|(k, _)| k)),
        )
    }
}

/// The entries of a [`JournaledMap`] under one key prefix, from [`JournaledMap::prefix`].
pub struct JournaledPrefix<K, T> {
    prefix: Vec<u8>,
    _kv: PhantomData<fn() -> (K, T)>,
}

impl<K, T> JournaledPrefix<K, T>
where
    K: KeyDeserialize,
    T: Serialize + DeserializeOwned,
{
    /// Like cw-storage-plus `Prefix::range`: live entries within the bounds.
    pub fn range<'a, 'c>(
        &self,
        store: &'c dyn Storage,
        min: Option<Bound<'a, K>>,
        max: Option<Bound<'a, K>>,
        order: Order,
    ) -> Box<dyn Iterator<Item = StdResult<(K::Output, T)>> + 'c>
    where
        K: PrimaryKey<'a>,
        T: 'c,
        K::Output: 'static,
    {
        range_live::<K, T>(store, &self.prefix, min, max, order)
    }
}

fn range_live<'a, 'c, K, T>(
    store: &'c dyn Storage,
    prefix: &[u8],
    min: Option<Bound<'a, K>>,
    max: Option<Bound<'a, K>>,
    order: Order,
) -> Box<dyn Iterator<Item = StdResult<(K::Output, T)>> + 'c>
where
    K: PrimaryKey<'a> + KeyDeserialize,
    K::Output: 'static,
    T: DeserializeOwned + 'c,
{
    let raw = range_with_prefix(
        store,
        prefix,
        min.map(|b| b.to_raw_bound()),
        max.map(|b| b.to_raw_bound()),
        order,
    );
    Box::new(raw.filter_map(|kv| decode_record::<K, T>(kv)))
}

fn decode_record<K: KeyDeserialize, T: DeserializeOwned>(
    (k, v): Record,
) -> Option<StdResult<(K::Output, T)>> {
    match Stored::decode(&v) {
        Err(e) => Some(Err(e)),
        Ok(Stored::Tombstone { .. }) => None,
        Ok(Stored::Present { json, .. }) => {
            Some(K::from_vec(k).and_then(|key| from_json(json).map(|value| (key, value))))
        }
    }
}

//! `JournaledItem`: a single journaled value, like cw-storage-plus `Item`.

use std::any::type_name;
use std::marker::PhantomData;

use cosmwasm_std::{from_json, to_json_vec, StdError, StdResult, Storage};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::journal::Journal;
use crate::keys::{state_prefix, Stored};

/// Decodes a raw journaled value into `T` (`None` when absent or a tombstone).
pub(crate) fn decode_value<T: DeserializeOwned>(raw: Option<&[u8]>) -> StdResult<Option<T>> {
    match raw.map(Stored::decode).transpose()? {
        Some(Stored::Present { json, .. }) => from_json(json).map(Some),
        _ => Ok(None),
    }
}

/// Whether a raw journaled value is live (not absent, not a tombstone).
pub(crate) fn is_present(raw: Option<&[u8]>) -> bool {
    matches!(raw.map(Stored::decode), Some(Ok(Stored::Present { .. })))
}

pub(crate) fn not_found<T>(raw_key: &[u8]) -> StdError {
    StdError::msg(format!(
        "type: {}; key: {:02X?} not found",
        type_name::<T>(),
        raw_key
    ))
}

/// A journaled single value. Reads cost one storage read; writes go through a [`Journal`].
///
/// ```
/// # use rewind_journal::JournaledItem;
/// const CONFIG: JournaledItem<u64> = JournaledItem::new("config");
/// ```
pub struct JournaledItem<T> {
    namespace: &'static str,
    _value: PhantomData<fn() -> T>,
}

impl<T> JournaledItem<T> {
    /// A journaled item stored under `namespace` (distinct from every other journaled
    /// namespace of the contract).
    pub const fn new(namespace: &'static str) -> Self {
        JournaledItem {
            namespace,
            _value: PhantomData,
        }
    }

    /// The namespace given to `new`.
    pub const fn namespace(&self) -> &'static str {
        self.namespace
    }

    /// The full raw storage key of the value.
    pub fn storage_key(&self) -> Vec<u8> {
        state_prefix(self.namespace)
    }
}

impl<T: Serialize + DeserializeOwned> JournaledItem<T> {
    /// The value; an error if it is absent.
    pub fn load(&self, store: &dyn Storage) -> StdResult<T> {
        let key = self.storage_key();
        self.may_load(store)?.ok_or_else(|| not_found::<T>(&key))
    }

    /// The value, or `None` if absent.
    pub fn may_load(&self, store: &dyn Storage) -> StdResult<Option<T>> {
        decode_value(store.get(&self.storage_key()).as_deref())
    }

    /// Whether a value is present (one read, no deserialisation).
    pub fn exists(&self, store: &dyn Storage) -> bool {
        is_present(store.get(&self.storage_key()).as_deref())
    }

    /// Saves `value`, journaling the old one on the first write of this block.
    pub fn save(&self, store: &mut dyn Storage, j: &mut Journal, value: &T) -> StdResult<()> {
        let key = self.storage_key();
        let old = store.get(&key);
        let json = to_json_vec(value)?;
        j.write(store, &key, old.as_deref(), Some(&json))
    }

    /// Loads (one read), applies `action` and saves the result. Returns the new value.
    pub fn update<A, E>(&self, store: &mut dyn Storage, j: &mut Journal, action: A) -> Result<T, E>
    where
        A: FnOnce(Option<T>) -> Result<T, E>,
        E: From<StdError>,
    {
        let key = self.storage_key();
        let old = store.get(&key);
        let input = decode_value(old.as_deref())?;
        let output = action(input)?;
        let json = to_json_vec(&output)?;
        j.write(store, &key, old.as_deref(), Some(&json))?;
        Ok(output)
    }

    /// Removes the value (leaving a tombstone that pruning cleans later).
    pub fn remove(&self, store: &mut dyn Storage, j: &mut Journal) -> StdResult<()> {
        let key = self.storage_key();
        let old = store.get(&key);
        j.write(store, &key, old.as_deref(), None)
    }
}

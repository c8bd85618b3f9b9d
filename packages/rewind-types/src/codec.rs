//! One compact binary encoding for records that only their own contract reads (governance's
//! proposals and ballots, the journal's redo log): fixed-width big-endian numbers and
//! length-prefixed bytes, written by [`Writer`] and read back by [`Reader`]. A stored type in
//! JSON costs a serde_json deserialiser of its own in the wasm; these records share one
//! reader. A record that does not parse is an error, never a panic.

use std::marker::PhantomData;

use cosmwasm_std::{
    from_json, to_json_vec, Addr, Coin, StdError, StdResult, Storage, Timestamp, Uint128, Uint256,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Writes a record.
#[derive(Default)]
pub struct Writer(pub Vec<u8>);

impl Writer {
    /// One byte.
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    /// A boolean, as one byte.
    pub fn bool(&mut self, v: bool) {
        self.u8(v as u8);
    }
    /// Four bytes, big-endian.
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    /// Eight bytes, big-endian.
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    /// Sixteen bytes, big-endian.
    pub fn u128(&mut self, v: Uint128) {
        self.0.extend_from_slice(&v.u128().to_be_bytes());
    }
    /// Length-prefixed bytes.
    pub fn bytes(&mut self, v: &[u8]) {
        self.u32(v.len() as u32);
        self.0.extend_from_slice(v);
    }
    /// A string, as length-prefixed bytes.
    pub fn str(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }
    /// An optional `u64`.
    pub fn opt_u64(&mut self, v: Option<u64>) {
        self.bool(v.is_some());
        self.u64(v.unwrap_or_default());
    }
    /// A value's message JSON, length-prefixed.
    pub fn json<T: Serialize>(&mut self, v: &T) -> StdResult<()> {
        self.bytes(&to_json_vec(v)?);
        Ok(())
    }
    /// A count, then each item.
    pub fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        self.u32(items.len() as u32);
        for item in items {
            each(self, item);
        }
    }
    /// A coin: its denom, then its amount in 32 bytes.
    pub fn coin(&mut self, c: &Coin) {
        self.str(&c.denom);
        self.0.extend_from_slice(&c.amount.to_be_bytes());
    }
    /// The rest of the record, unprefixed (only as the last field).
    pub fn tail(&mut self, v: &[u8]) {
        self.0.extend_from_slice(v);
    }
}

/// Reads a record written by [`Writer`]; `what` names it in the error of a corrupt one.
pub struct Reader<'a> {
    /// What is left to read.
    pub rest: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    /// A reader of `bytes`, a `what` ("governance record", "redo record", ...).
    pub fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Reader { rest: bytes, what }
    }

    /// The error of a record that does not parse.
    pub fn corrupt(&self) -> StdError {
        StdError::msg(format!("corrupt {}", self.what))
    }

    fn take(&mut self, n: usize) -> StdResult<&'a [u8]> {
        if self.rest.len() < n {
            return Err(self.corrupt());
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> StdResult<[u8; N]> {
        let bytes = self.take(N)?;
        bytes.try_into().map_err(|_| self.corrupt())
    }

    /// One byte.
    pub fn u8(&mut self) -> StdResult<u8> {
        Ok(self.take(1)?[0])
    }
    /// A boolean.
    pub fn bool(&mut self) -> StdResult<bool> {
        Ok(self.u8()? != 0)
    }
    /// Four bytes, big-endian.
    pub fn u32(&mut self) -> StdResult<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }
    /// Eight bytes, big-endian.
    pub fn u64(&mut self) -> StdResult<u64> {
        Ok(u64::from_be_bytes(self.array()?))
    }
    /// Sixteen bytes, big-endian.
    pub fn u128(&mut self) -> StdResult<Uint128> {
        Ok(Uint128::new(u128::from_be_bytes(self.array()?)))
    }
    /// Length-prefixed bytes.
    pub fn bytes(&mut self) -> StdResult<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    /// A string.
    pub fn string(&mut self) -> StdResult<String> {
        let bytes = self.bytes()?;
        String::from_utf8(bytes.to_vec()).map_err(|_| self.corrupt())
    }
    /// An address (as written: it was validated before it was stored).
    pub fn addr(&mut self) -> StdResult<Addr> {
        Ok(Addr::unchecked(self.string()?))
    }
    /// A time.
    pub fn time(&mut self) -> StdResult<Timestamp> {
        Ok(Timestamp::from_nanos(self.u64()?))
    }
    /// An optional `u64`.
    pub fn opt_u64(&mut self) -> StdResult<Option<u64>> {
        let some = self.bool()?;
        let v = self.u64()?;
        Ok(some.then_some(v))
    }
    /// A value from its message JSON.
    pub fn json<T: DeserializeOwned>(&mut self) -> StdResult<T> {
        from_json(self.bytes()?)
    }
    /// A count, then each item.
    pub fn list<T>(
        &mut self,
        mut each: impl FnMut(&mut Self) -> StdResult<T>,
    ) -> StdResult<Vec<T>> {
        let n = self.u32()? as usize;
        // Each item takes at least one byte: a corrupt count cannot allocate past the record.
        if n > self.rest.len() {
            return Err(self.corrupt());
        }
        (0..n).map(|_| each(self)).collect()
    }
    /// Thirty-two bytes, big-endian.
    pub fn u256(&mut self) -> StdResult<Uint256> {
        Ok(Uint256::from_be_bytes(self.array()?))
    }
    /// A coin.
    pub fn coin(&mut self) -> StdResult<Coin> {
        let denom = self.string()?;
        let amount = self.u256()?;
        Ok(Coin { denom, amount })
    }
    /// Everything left (the last field).
    pub fn tail(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.rest)
    }
    /// Refuses bytes left over after the last field.
    pub fn finish(&self) -> StdResult<()> {
        match self.rest.is_empty() {
            true => Ok(()),
            false => Err(self.corrupt()),
        }
    }
}

/// A type stored in this encoding.
pub trait Record: Sized {
    /// Writes it.
    fn encode(&self, w: &mut Writer) -> StdResult<()>;
    /// Reads it.
    fn decode(r: &mut Reader) -> StdResult<Self>;
}

/// Reads a whole record: trailing bytes are refused. `what` names it in errors.
pub fn decode_all<T: Record>(bytes: &[u8], what: &'static str) -> StdResult<T> {
    let mut r = Reader::new(bytes, what);
    let v = T::decode(&mut r)?;
    r.finish()?;
    Ok(v)
}

/// Writes a whole record.
pub fn encode_all<T: Record>(value: &T) -> StdResult<Vec<u8>> {
    let mut w = Writer::default();
    value.encode(&mut w)?;
    Ok(w.0)
}

/// An `Item` of a [`Record`], stored as its raw bytes at its key (the bytes of `key`, as
/// a cw-storage-plus `Item` keys itself).
pub struct RecordItem<T> {
    key: &'static str,
    record: PhantomData<T>,
}

impl<T: Record> RecordItem<T> {
    /// The item stored at `key`.
    pub const fn new(key: &'static str) -> Self {
        RecordItem {
            key,
            record: PhantomData,
        }
    }

    /// Loads it, or fails as `Item::load` does when it is missing.
    pub fn load(&self, storage: &dyn Storage) -> StdResult<T> {
        self.may_load(storage)?
            .ok_or_else(|| StdError::msg(format!("{} not found", self.key)))
    }

    /// Loads it, if it is there.
    pub fn may_load(&self, storage: &dyn Storage) -> StdResult<Option<T>> {
        storage
            .get(self.key.as_bytes())
            .map(|bytes| decode_all(&bytes, self.key))
            .transpose()
    }

    /// Saves it.
    pub fn save(&self, storage: &mut dyn Storage, value: &T) -> StdResult<()> {
        storage.set(self.key.as_bytes(), &encode_all(value)?);
        Ok(())
    }

    /// Removes it.
    pub fn remove(&self, storage: &mut dyn Storage) {
        storage.remove(self.key.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_reads_back_as_written_and_a_short_record_is_an_error() {
        let mut w = Writer::default();
        w.u8(7);
        w.bool(true);
        w.u32(9);
        w.u64(u64::MAX);
        w.u128(Uint128::new(5));
        w.str("denom");
        w.opt_u64(None);
        w.list(&[1u64, 2], |w, v| w.u64(*v));
        w.coin(&Coin::new(3u128, "uatom"));
        w.tail(b"{}");
        let mut r = Reader::new(&w.0, "test record");
        assert_eq!(r.u8().unwrap(), 7);
        assert!(r.bool().unwrap());
        assert_eq!(r.u32().unwrap(), 9);
        assert_eq!(r.u64().unwrap(), u64::MAX);
        assert_eq!(r.u128().unwrap(), Uint128::new(5));
        assert_eq!(r.string().unwrap(), "denom");
        assert_eq!(r.opt_u64().unwrap(), None);
        assert_eq!(r.list(|r| r.u64()).unwrap(), vec![1, 2]);
        assert_eq!(r.coin().unwrap(), Coin::new(3u128, "uatom"));
        assert_eq!(r.tail(), b"{}");
        r.finish().unwrap();

        let mut short = Reader::new(&w.0[..3], "test record");
        short.u8().unwrap();
        short.bool().unwrap();
        let err = short.u32().unwrap_err().to_string();
        assert!(err.contains("corrupt test record"), "{err}");
        let mut huge = Writer::default();
        huge.u32(u32::MAX); // a count no record can hold
        assert!(Reader::new(&huge.0, "x").list(|r| r.u8()).is_err());
    }
}

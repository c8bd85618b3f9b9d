//! A compact binary encoding of governance's own stored records (proposal bodies, ballots,
//! votes, targets). Each stored type otherwise costs its own serde_json deserialiser in the
//! wasm; these records are written as a base64 JSON string of fixed-width big-endian fields
//! and length-prefixed bytes, read by one reader. Message types nested in a proposal
//! (targets, candidates, parameter changes, an upgrade) are kept as their message JSON,
//! whose deserialisers the contract has anyway.
//!
//! Nothing outside governance reads this storage raw; a deployed v0.1 (JSON records) needs
//! a conversion (see `crate::migrations`).

use cosmwasm_std::{
    from_json, to_json_vec, Addr, Binary, Coin, Decimal, StdError, StdResult, Storage, Timestamp,
    Uint128, Uint256,
};
use std::any::type_name;
use std::marker::PhantomData;

use rewind_types::governance::{GovernanceConfig, ProposalStatus, VoteOption, VotingRules};
use rewind_types::ModuleAddresses;
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
        self.0.extend_from_slice(&(v.len() as u32).to_be_bytes());
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
        self.0
            .extend_from_slice(&(items.len() as u32).to_be_bytes());
        for item in items {
            each(self, item);
        }
    }
    /// A proposal's status.
    pub fn status(&mut self, s: ProposalStatus) {
        self.u8(STATUSES.iter().position(|x| *x == s).unwrap_or_default() as u8);
    }
    /// A track's rules.
    pub fn rules(&mut self, r: &VotingRules) {
        self.u64(r.voting_period_seconds);
        self.u128(r.quorum.atomics());
        self.u128(r.threshold.atomics());
        self.u128(r.veto_threshold.atomics());
    }
    /// A coin.
    pub fn coin(&mut self, c: &Coin) {
        self.str(&c.denom);
        self.0.extend_from_slice(&c.amount.to_be_bytes());
    }
    /// A vote option.
    pub fn vote(&mut self, v: VoteOption) {
        let (tag, height) = match v {
            VoteOption::Candidate { height } => (0, height),
            VoteOption::Yes => (1, 0),
            VoteOption::Reject => (2, 0),
            VoteOption::Abstain => (3, 0),
            VoteOption::Veto => (4, 0),
        };
        self.u8(tag);
        self.u64(height);
    }
}

/// Every status, by its stored code.
const STATUSES: [ProposalStatus; 8] = [
    ProposalStatus::Open,
    ProposalStatus::Passed,
    ProposalStatus::Rejected,
    ProposalStatus::Vetoed,
    ProposalStatus::Expired,
    ProposalStatus::Executed,
    ProposalStatus::Closed,
    ProposalStatus::ExecutionFailed,
];

fn corrupt() -> StdError {
    StdError::msg("corrupt governance record")
}

/// Reads a record written by [`Writer`].
pub struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> StdResult<&'a [u8]> {
        if self.0.len() < n {
            return Err(corrupt());
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }
    /// One byte.
    pub fn u8(&mut self) -> StdResult<u8> {
        Ok(self.take(1)?[0])
    }
    /// A boolean.
    pub fn bool(&mut self) -> StdResult<bool> {
        Ok(self.u8()? != 0)
    }
    /// Eight bytes, big-endian.
    pub fn u64(&mut self) -> StdResult<u64> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_be_bytes(b))
    }
    /// Sixteen bytes, big-endian.
    pub fn u128(&mut self) -> StdResult<Uint128> {
        let mut b = [0u8; 16];
        b.copy_from_slice(self.take(16)?);
        Ok(Uint128::new(u128::from_be_bytes(b)))
    }
    fn len(&mut self) -> StdResult<usize> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        Ok(u32::from_be_bytes(b) as usize)
    }
    /// Length-prefixed bytes.
    pub fn bytes(&mut self) -> StdResult<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }
    /// A string.
    pub fn string(&mut self) -> StdResult<String> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| corrupt())
    }
    /// An address.
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
        let n = self.len()?;
        // Each item takes at least one byte: a corrupt count cannot allocate past the record.
        if n > self.0.len() {
            return Err(corrupt());
        }
        (0..n).map(|_| each(self)).collect()
    }
    /// A proposal's status.
    pub fn status(&mut self) -> StdResult<ProposalStatus> {
        STATUSES
            .get(self.u8()? as usize)
            .copied()
            .ok_or_else(corrupt)
    }
    /// A track's rules.
    pub fn rules(&mut self) -> StdResult<VotingRules> {
        Ok(VotingRules {
            voting_period_seconds: self.u64()?,
            quorum: Decimal::new(self.u128()?),
            threshold: Decimal::new(self.u128()?),
            veto_threshold: Decimal::new(self.u128()?),
        })
    }
    /// A coin.
    pub fn coin(&mut self) -> StdResult<Coin> {
        Ok(Coin {
            denom: self.string()?,
            amount: {
                let mut b = [0u8; 32];
                b.copy_from_slice(self.take(32)?);
                Uint256::from_be_bytes(b)
            },
        })
    }
    /// A vote option.
    pub fn vote(&mut self) -> StdResult<VoteOption> {
        let tag = self.u8()?;
        let height = self.u64()?;
        Ok(match tag {
            0 => VoteOption::Candidate { height },
            1 => VoteOption::Yes,
            2 => VoteOption::Reject,
            3 => VoteOption::Abstain,
            4 => VoteOption::Veto,
            _ => return Err(corrupt()),
        })
    }
}

/// A record stored in this encoding.
pub trait Record: Sized {
    /// Writes it.
    fn encode(&self, w: &mut Writer) -> StdResult<()>;
    /// Reads it.
    fn decode(r: &mut Reader) -> StdResult<Self>;
}

/// Serialises a record as the base64 JSON string of its bytes.
pub fn serialize<T: Record, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    let mut w = Writer::default();
    v.encode(&mut w).map_err(serde::ser::Error::custom)?;
    Binary::new(w.0).serialize(s)
}

/// Reads a record written by [`serialize`]; trailing bytes are refused.
pub fn deserialize<'de, T: Record, D: serde::Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let bytes = <Binary as serde::Deserialize>::deserialize(d)?;
    decode_all(&bytes).map_err(serde::de::Error::custom)
}

fn decode_all<T: Record>(bytes: &[u8]) -> StdResult<T> {
    let mut r = Reader(bytes);
    let v = T::decode(&mut r)?;
    if !r.0.is_empty() {
        return Err(corrupt());
    }
    Ok(v)
}

/// Implements `Serialize` and `Deserialize` of a [`Record`] through this encoding.
#[macro_export]
macro_rules! binary_record {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::codec::serialize(self, s)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::codec::deserialize(d)
            }
        }
    };
}

/// An `Item` of a [`Record`], stored as its raw bytes under the same key an `Item` uses.
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
        let key = self.key.as_bytes();
        match storage.get(key) {
            Some(bytes) => decode_all(&bytes),
            None => Err(StdError::msg(format!(
                "type: {}; key: {key:02X?} not found",
                type_name::<T>()
            ))),
        }
    }

    /// Saves it.
    pub fn save(&self, storage: &mut dyn Storage, value: &T) -> StdResult<()> {
        let mut w = Writer::default();
        value.encode(&mut w)?;
        storage.set(self.key.as_bytes(), &w.0);
        Ok(())
    }
}

impl Record for ModuleAddresses {
    fn encode(&self, w: &mut Writer) -> StdResult<()> {
        for a in [
            &self.governance,
            &self.timelock,
            &self.guardian,
            &self.executor,
        ] {
            w.str(a.as_str());
        }
        Ok(())
    }
    fn decode(r: &mut Reader) -> StdResult<Self> {
        Ok(ModuleAddresses {
            governance: r.addr()?,
            timelock: r.addr()?,
            guardian: r.addr()?,
            executor: r.addr()?,
        })
    }
}

impl Record for GovernanceConfig {
    fn encode(&self, w: &mut Writer) -> StdResult<()> {
        w.str(self.voting_module.as_str());
        w.rules(&self.normal);
        w.rules(&self.expedited);
        w.u64(self.min_voting_period_seconds);
        w.coin(&self.deposit);
        w.bool(self.refund_failed_quorum);
        w.bool(self.allow_revoting);
        w.u64(self.max_candidates.into());
        w.u64(self.max_targets.into());
        w.u64(self.max_exclusions.into());
        w.u128(self.min_proposer_power);
        w.u64(self.max_candidate_age_blocks);
        Ok(())
    }
    fn decode(r: &mut Reader) -> StdResult<Self> {
        let u32 = |r: &mut Reader| u32::try_from(r.u64()?).map_err(|_| corrupt());
        Ok(GovernanceConfig {
            voting_module: r.addr()?,
            normal: r.rules()?,
            expedited: r.rules()?,
            min_voting_period_seconds: r.u64()?,
            deposit: r.coin()?,
            refund_failed_quorum: r.bool()?,
            allow_revoting: r.bool()?,
            max_candidates: u32(r)?,
            max_targets: u32(r)?,
            max_exclusions: u32(r)?,
            min_proposer_power: r.u128()?,
            max_candidate_age_blocks: r.u64()?,
        })
    }
}

//! A compact binary encoding of governance's own stored records (proposal bodies, ballots,
//! votes, targets). Each stored type otherwise costs its own serde_json deserialiser in the
//! wasm; these records are written as a base64 JSON string of fixed-width big-endian fields
//! and length-prefixed bytes, read by one reader. Message types nested in a proposal
//! (targets, candidates, parameter changes, an upgrade) are kept as their message JSON,
//! whose deserialisers the contract has anyway.
//!
//! Nothing outside governance reads this storage raw; a deployed v0.1 (JSON records) needs
//! a conversion (see `crate::migrations`).

use cosmwasm_std::{Binary, Decimal, StdError, StdResult, Storage};
use std::any::type_name;
use std::marker::PhantomData;

use rewind_types::governance::{GovernanceConfig, ProposalStatus, VoteOption, VotingRules};
use rewind_types::ModuleAddresses;
use serde::Serialize;

pub use rewind_types::codec::{Reader, Writer};

/// What a corrupt record of governance is called in its error.
const WHAT: &str = "governance record";

/// Governance's own field types, in the shared encoding.
pub trait GovernanceFields {
    /// A proposal's status.
    fn status(&mut self, s: ProposalStatus);
    /// A track's rules.
    fn rules(&mut self, r: &VotingRules);
    /// A vote option.
    fn vote(&mut self, v: VoteOption);
}

impl GovernanceFields for Writer {
    fn status(&mut self, s: ProposalStatus) {
        self.u8(STATUSES.iter().position(|x| *x == s).unwrap_or_default() as u8);
    }
    fn rules(&mut self, r: &VotingRules) {
        self.u64(r.voting_period_seconds);
        self.u128(r.quorum.atomics());
        self.u128(r.threshold.atomics());
        self.u128(r.veto_threshold.atomics());
    }
    fn vote(&mut self, v: VoteOption) {
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

/// Reads governance's own field types.
pub trait ReadGovernanceFields {
    /// A proposal's status.
    fn status(&mut self) -> StdResult<ProposalStatus>;
    /// A track's rules.
    fn rules(&mut self) -> StdResult<VotingRules>;
    /// A vote option.
    fn vote(&mut self) -> StdResult<VoteOption>;
}

impl ReadGovernanceFields for Reader<'_> {
    fn status(&mut self) -> StdResult<ProposalStatus> {
        let code = self.u8()?;
        STATUSES
            .get(code as usize)
            .copied()
            .ok_or_else(|| self.corrupt())
    }
    fn rules(&mut self) -> StdResult<VotingRules> {
        Ok(VotingRules {
            voting_period_seconds: self.u64()?,
            quorum: Decimal::new(self.u128()?),
            threshold: Decimal::new(self.u128()?),
            veto_threshold: Decimal::new(self.u128()?),
        })
    }
    fn vote(&mut self) -> StdResult<VoteOption> {
        let tag = self.u8()?;
        let height = self.u64()?;
        Ok(match tag {
            0 => VoteOption::Candidate { height },
            1 => VoteOption::Yes,
            2 => VoteOption::Reject,
            3 => VoteOption::Abstain,
            4 => VoteOption::Veto,
            _ => return Err(self.corrupt()),
        })
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
    let mut r = Reader::new(bytes, WHAT);
    let v = T::decode(&mut r)?;
    r.finish()?;
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
        let u32 = |r: &mut Reader| u32::try_from(r.u64()?).map_err(|_| r.corrupt());
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

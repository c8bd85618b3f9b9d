//! A compact binary encoding of governance's own stored records (proposal bodies, ballots,
//! votes, targets). Each stored type otherwise costs its own serde_json deserialiser in the
//! wasm; these records are written as a base64 JSON string of fixed-width big-endian fields
//! and length-prefixed bytes, read by one reader. Message types nested in a proposal
//! (targets, candidates, parameter changes, an upgrade) are kept as their message JSON,
//! whose deserialisers the contract has anyway.
//!
//! Nothing outside governance reads this storage raw; a deployed v0.1 (JSON records) needs
//! a conversion (see `crate::migrations`).

use cosmwasm_std::{Binary, StdResult};

use rewind_types::governance::{ProposalStatus, VoteOption};
use serde::Serialize;

pub use rewind_types::codec::{Reader, Record, RecordItem, Writer};

/// What a corrupt record of governance is called in its error.
const WHAT: &str = "governance record";

/// Governance's own field types, in the shared encoding (its configuration, module
/// addresses and voting rules encode in rewind-types, beside their types).
pub trait GovernanceFields {
    /// A proposal's status.
    fn status(&mut self, s: ProposalStatus);
    /// A vote option.
    fn vote(&mut self, v: VoteOption);
}

impl GovernanceFields for Writer {
    fn status(&mut self, s: ProposalStatus) {
        self.u8(STATUSES.iter().position(|x| *x == s).unwrap_or_default() as u8);
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
    rewind_types::codec::decode_all(bytes, WHAT)
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

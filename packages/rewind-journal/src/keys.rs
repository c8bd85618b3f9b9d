//! Raw storage layout: the journal's internal namespaces and the stored-value header.
//!
//! Every journaled value lives under one internal prefix, so a journaled namespace can never
//! collide with the journal's own bookkeeping, whatever its name (row B5):
//!
//! ```text
//! journaled value   00 04 "rj/s" ‖ u16be(len ns) ‖ ns ‖ key        -> header(9) ‖ JSON
//! undo entry        00 04 "rj/u" ‖ u64be(height) ‖ raw value key   -> old raw value | 0x00 (absent)
//! digest record     00 04 "rj/d" ‖ u64be(height)                   -> 32-byte digest ‖ u64be(block time nanos)
//! pause gate        "rj/g"                                          -> 98-byte binary record
//! redo record       00 04 "rj/o" ‖ u64be(height) ‖ u32be(index)     -> binary execution record
//! ```
//! The newest digest record is the live digest (there is no separate live-digest value).
//! `key` is the cw-storage-plus encoding of the map key (every component but the last
//! length-prefixed); a [`JournaledItem`](crate::JournaledItem) has an empty key.

use cosmwasm_std::storage_keys::{to_length_prefixed, to_length_prefixed_nested};
use cosmwasm_std::{StdError, StdResult};

/// Top namespace of every journaled value.
pub const NS_STATE: &str = "rj/s";
/// Undo entries, keyed by (height, raw value key).
pub const NS_UNDO: &str = "rj/u";
/// Digest records, keyed by height.
pub const NS_DIGEST_RECORDS: &str = "rj/d";
/// Item: start height, retention window, pruning watermark.
pub const NS_META: &str = "rj/m";
/// Raw key of the pause gate (all scopes, restoration lock, restoring flag): a fixed-size
/// binary record, see `gate.rs`.
pub const NS_GATE: &str = "rj/g";
/// Item: the running rollback (its status and running digest).
pub const NS_ROLLBACK: &str = "rj/r";
/// Map seq -> flow.
pub const NS_FLOWS: &str = "rj/f";
/// Map (account, seq) -> flow.
pub const NS_ACCOUNT_FLOWS: &str = "rj/a";
/// Map height -> first flow seq at that height.
pub const NS_FLOW_HEIGHTS: &str = "rj/h";
/// Item: the next flow seq and the height of the last flow.
pub const NS_FLOW_COUNTER: &str = "rj/c";
/// Map end height -> start height of a range erased by a completed rollback.
pub const NS_GAPS: &str = "rj/x";
/// Map end height (exclusive) -> start height of a range in which the ledger was not
/// consistent (a restoration was running).
pub const NS_INCONSISTENT: &str = "rj/i";
/// Map account -> the newest height it acted at (not journaled, not in the digest).
pub const NS_ACTIVITY: &str = "rj/l";
/// Item: a restorable contract's Rewind settings (rewind-target; not journaled).
pub const NS_TARGET_SETTINGS: &str = "rj/t";
/// Item: a restorable contract's restoration status (rewind-target; not journaled).
pub const NS_TARGET_STATUS: &str = "rj/q";
/// Item: the accounts restorations excluded, frozen for good (rewind-target; not journaled).
pub const NS_FROZEN: &str = "rj/z";
/// Item: the exclusions of the running restoration, frozen when it completes (rewind-target).
pub const NS_EXCLUSIONS: &str = "rj/e";

/// Redo log: the executions of a restorable contract, keyed by (height, index in block).
pub const NS_EXECUTIONS: &str = "rj/o";

/// Item: the running restoration's replay cursor (rewind-target; not journaled).
pub const NS_REPLAY: &str = "rj/p";
/// Map: the last restoration's replay report (rewind-target; not journaled).
pub const NS_REPLAY_REPORT: &str = "rj/k";

/// Item: the last settlement of a target's holdings (rewind-target; not journaled).
pub const NS_SETTLEMENT: &str = "rj/v";
/// rewind-target's proven incidents (issue 16).
pub const NS_INCIDENTS: &str = "rj/ni";
/// rewind-target's open incident of each invariant (issue 16).
pub const NS_OPEN_INCIDENTS: &str = "rj/no";
/// rewind-target's report scans in progress (issue 16).
pub const NS_REPORT_SCANS: &str = "rj/ns";
/// rewind-target's reporters' bounty budget (issue 16).
pub const NS_BOUNTY: &str = "rj/nb";

/// Item: a target's offline clock (rewind-target; not journaled, never rolled back).
pub const NS_OFFLINE: &str = "rj/w";

/// Item: a target's registered successor and what moved to it (rewind-target; not journaled).
pub const NS_SUCCESSOR: &str = "rj/y";

/// Every namespace the journal writes. An embedding contract must not use any of these (nor
/// any other name starting with `rj/`) for its own plain `Item`s and `Map`s.
pub const INTERNAL_NAMESPACES: [&str; 27] = [
    NS_STATE,
    NS_UNDO,
    NS_DIGEST_RECORDS,
    NS_META,
    NS_GATE,
    NS_ROLLBACK,
    NS_FLOWS,
    NS_ACCOUNT_FLOWS,
    NS_FLOW_HEIGHTS,
    NS_FLOW_COUNTER,
    NS_GAPS,
    NS_INCONSISTENT,
    NS_ACTIVITY,
    NS_TARGET_SETTINGS,
    NS_TARGET_STATUS,
    NS_FROZEN,
    NS_EXCLUSIONS,
    NS_EXECUTIONS,
    NS_REPLAY,
    NS_REPLAY_REPORT,
    NS_SETTLEMENT,
    NS_OFFLINE,
    NS_SUCCESSOR,
    NS_INCIDENTS,
    NS_OPEN_INCIDENTS,
    NS_REPORT_SCANS,
    NS_BOUNTY,
];

/// Length of the header in front of every stored journaled value.
pub const HEADER_LEN: usize = 9;
/// Header flag byte of a live value.
pub const FLAG_PRESENT: u8 = 1;
/// Header flag byte of a tombstone (a removed value that remembers its journaled height).
pub const FLAG_TOMBSTONE: u8 = 0;
/// Undo-entry value meaning "the key did not exist before this height". Stored values are
/// never shorter than [`HEADER_LEN`], so one byte cannot be mistaken for one.
pub const ABSENT_MARKER: &[u8] = &[0u8];

/// The raw prefix of all journaled values: `00 04 "rj/s"`.
pub fn state_root() -> Vec<u8> {
    to_length_prefixed(NS_STATE.as_bytes())
}

/// The raw prefix of one journaled namespace.
pub fn state_prefix(namespace: &str) -> Vec<u8> {
    to_length_prefixed_nested(&[NS_STATE.as_bytes(), namespace.as_bytes()])
}

/// The raw prefix of the undo log.
pub fn undo_root() -> Vec<u8> {
    to_length_prefixed(NS_UNDO.as_bytes())
}

/// The raw key of the undo entry of `raw_key` at `height`.
pub fn undo_key(height: u64, raw_key: &[u8]) -> Vec<u8> {
    let mut k = undo_root();
    k.extend_from_slice(&height.to_be_bytes());
    k.extend_from_slice(raw_key);
    k
}

/// Splits an undo key (with its root prefix already trimmed) into height and raw value key.
pub fn split_undo_key(trimmed: &[u8]) -> StdResult<(u64, &[u8])> {
    if trimmed.len() < 8 {
        return Err(StdError::msg(format!(
            "corrupt undo key: {} bytes",
            trimmed.len()
        )));
    }
    let (h, rest) = trimmed.split_at(8);
    Ok((be_u64(h)?, rest))
}

/// The raw prefix of the digest records.
pub fn records_root() -> Vec<u8> {
    to_length_prefixed(NS_DIGEST_RECORDS.as_bytes())
}

/// The raw key of the digest record at `height`.
pub fn record_key(height: u64) -> Vec<u8> {
    let mut k = records_root();
    k.extend_from_slice(&height.to_be_bytes());
    k
}

/// The raw prefix of the redo log.
pub fn executions_root() -> Vec<u8> {
    to_length_prefixed(NS_EXECUTIONS.as_bytes())
}

/// The raw key of the redo record `index` of `height`.
pub fn execution_key(height: u64, index: u32) -> Vec<u8> {
    let mut k = executions_root();
    k.extend_from_slice(&height.to_be_bytes());
    k.extend_from_slice(&index.to_be_bytes());
    k
}

/// Reads a big-endian u64 from exactly 8 bytes.
pub fn be_u64(bytes: &[u8]) -> StdResult<u64> {
    let arr: [u8; 8] = bytes
        .try_into()
        .map_err(|_| StdError::msg(format!("expected 8 bytes, found {}", bytes.len())))?;
    Ok(u64::from_be_bytes(arr))
}

/// A stored journaled value, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored<'a> {
    /// A live value: its last-journaled height and its JSON.
    Present {
        /// The last height that journaled this key.
        height: u64,
        /// The JSON of the value (header stripped).
        json: &'a [u8],
    },
    /// A removed value that keeps its last-journaled height.
    Tombstone {
        /// The last height that journaled this key.
        height: u64,
    },
}

impl<'a> Stored<'a> {
    /// Decodes `header ‖ JSON`.
    pub fn decode(raw: &'a [u8]) -> StdResult<Stored<'a>> {
        if raw.len() < HEADER_LEN {
            return Err(StdError::msg(format!(
                "corrupt journaled value: {} bytes, header needs {HEADER_LEN}",
                raw.len()
            )));
        }
        let height = be_u64(&raw[..8])?;
        match raw[8] {
            FLAG_PRESENT => Ok(Stored::Present {
                height,
                json: &raw[HEADER_LEN..],
            }),
            FLAG_TOMBSTONE => Ok(Stored::Tombstone { height }),
            other => Err(StdError::msg(format!(
                "corrupt journaled value: unknown flag {other}"
            ))),
        }
    }

    /// The last-journaled height.
    pub fn height(&self) -> u64 {
        match self {
            Stored::Present { height, .. } | Stored::Tombstone { height } => *height,
        }
    }

    /// The JSON of a live value, `None` for a tombstone.
    pub fn json(&self) -> Option<&'a [u8]> {
        match self {
            Stored::Present { json, .. } => Some(json),
            Stored::Tombstone { .. } => None,
        }
    }
}

/// Encodes a live value: `u64be(height) ‖ 0x01 ‖ JSON`.
pub fn encode_present(height: u64, json: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(HEADER_LEN + json.len());
    v.extend_from_slice(&height.to_be_bytes());
    v.push(FLAG_PRESENT);
    v.extend_from_slice(json);
    v
}

/// Encodes a tombstone: `u64be(height) ‖ 0x00`.
pub fn encode_tombstone(height: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(HEADER_LEN);
    v.extend_from_slice(&height.to_be_bytes());
    v.push(FLAG_TOMBSTONE);
    v
}

/// The first key after every key that starts with `prefix` (exclusive range end).
pub fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return end;
        }
    }
    // Only reachable for an all-0xFF prefix, which no journal prefix is.
    vec![u8::MAX; prefix.len() + 1]
}

/// `prefix ‖ suffix`.
pub fn concat(prefix: &[u8], suffix: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(prefix.len() + suffix.len());
    v.extend_from_slice(prefix);
    v.extend_from_slice(suffix);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips() {
        let raw = encode_present(42, b"\"x\"");
        assert_eq!(
            Stored::decode(&raw).unwrap(),
            Stored::Present {
                height: 42,
                json: b"\"x\""
            }
        );
        let t = encode_tombstone(7);
        assert_eq!(t.len(), HEADER_LEN);
        assert_eq!(Stored::decode(&t).unwrap(), Stored::Tombstone { height: 7 });
        assert!(Stored::decode(&[1, 2, 3]).is_err());
        let mut bad = encode_tombstone(1);
        bad[8] = 9;
        assert!(Stored::decode(&bad).is_err());
        // The absent marker can never be a stored value.
        assert!(ABSENT_MARKER.len() < HEADER_LEN);
    }

    #[test]
    fn undo_keys_sort_by_height_then_key() {
        let a = undo_key(5, b"zzz");
        let b = undo_key(6, b"aaa");
        assert!(a < b);
        let root = undo_root();
        assert_eq!(split_undo_key(&b[root.len()..]).unwrap(), (6, &b"aaa"[..]));
        assert!(split_undo_key(&[1, 2]).is_err());
    }

    #[test]
    fn prefix_end_carries_over_0xff() {
        assert_eq!(prefix_end(&[1, 2]), vec![1, 3]);
        assert_eq!(prefix_end(&[1, 0xff]), vec![2]);
        assert_eq!(prefix_end(&[0xff]), vec![0xff, 0xff]);
    }
}

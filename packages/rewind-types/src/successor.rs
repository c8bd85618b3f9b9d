//! Self-sovereign exits (issue 15): the offline clock's settings, the successor a target's
//! users may move their claims to, the claim record they move with, and the message a
//! successor accepts.
//!
//! A target's library configuration travels on the normal track like the contract's own:
//! governance's `ConfigureTarget { config }` whose JSON is `{"rewind": RewindConfig}` is
//! answered by the library itself (`CheckConfig`, then `Configure` through the timelock and
//! the executor), never by the contract's hook.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Coin, HexBinary, StdResult, Timestamp};
use sha2::{Digest, Sha256};

use crate::codec::Writer;

/// The default `max_offline` of a target that declares none: 14 days.
pub const DEFAULT_MAX_OFFLINE: u64 = 14 * 24 * 3600;
/// The shortest `max_offline` a target takes: one hour.
pub const MIN_MAX_OFFLINE: u64 = 3600;
/// The domain tag hashed before every claim record.
pub const CLAIM_RECORD_TAG: &[u8] = b"rewind/claim-record/v1";

/// The library's own voted configuration, under the top-level key `rewind` of a
/// `ConfigureTarget` config. Every field is optional; at least one must be set.
#[cw_serde]
#[derive(Default)]
pub struct RewindConfig {
    /// A new `max_offline` (seconds, at least [`MIN_MAX_OFFLINE`]).
    #[serde(default)]
    pub max_offline: Option<u64>,
    /// Register (or replace) the successor users may move their claims to.
    #[serde(default)]
    pub successor: Option<SuccessorPin>,
    /// Governance reopens the target: the offline clock restarts at zero, which ends
    /// exit-only mode (a pause still in force starts a new stop).
    #[serde(default)]
    pub reopen: bool,
}

/// `{"rewind": RewindConfig}`: the JSON a `ConfigureTarget` carries for the library.
#[cw_serde]
pub struct RewindConfigMsg {
    /// The library's configuration.
    pub rewind: RewindConfig,
}

/// A successor contract, pinned by its code checksum.
#[cw_serde]
pub struct SuccessorPin {
    /// The successor contract.
    pub address: String,
    /// The sha256 checksum of the code it must run (checked at registration and at every
    /// move: ContractInfo -> code_id -> CodeInfo checksum).
    pub checksum: HexBinary,
}

/// One account's settled claim, moved from a source target to its successor. The successor
/// re-hashes it ([`ClaimRecord::digest`]) and compares with the digest sent beside it; the
/// same record and digest would travel in an IBC packet (docs/CROSS_CHAIN.md).
#[cw_serde]
pub struct ClaimRecord {
    /// The target the claim comes from (the sender of `ReceiveClaim`).
    pub source: Addr,
    /// The chain the source runs on.
    pub source_chain: String,
    /// The account that owns the claim (and moved it).
    pub account: Addr,
    /// The claim, as sent with the message (sorted by denom, no zero amounts).
    pub funds: Vec<Coin>,
    /// The source's move counter: 1 for its first move, then 2, ... (never reused).
    pub sequence: u64,
    /// The block the move ran in.
    pub height: u64,
    /// Its time.
    pub time: Timestamp,
}

impl ClaimRecord {
    /// The canonical bytes: the tag, then each field in order in the shared binary codec
    /// (strings and byte strings length-prefixed with u32be; numbers big-endian; a coin is
    /// its denom then its amount in 32 bytes; the funds as a u32be count then each coin).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.tail(CLAIM_RECORD_TAG);
        w.str(self.source.as_str());
        w.str(&self.source_chain);
        w.str(self.account.as_str());
        w.list(&self.funds, Writer::coin);
        w.u64(self.sequence);
        w.u64(self.height);
        w.u64(self.time.nanos());
        w.0
    }

    /// sha256 of [`ClaimRecord::canonical_bytes`].
    pub fn digest(&self) -> HexBinary {
        HexBinary::from(Sha256::digest(self.canonical_bytes()).to_vec())
    }
}

/// The execute message a successor must accept (its JSON is `{"receive_claim": {...}}`):
/// the funds of `record` come with it.
#[cw_serde]
pub enum SuccessorExecuteMsg {
    /// A migrated claim from a registered source.
    ReceiveClaim {
        /// The claim.
        record: ClaimRecord,
        /// `record.digest()`, as the source computed it.
        digest: HexBinary,
    },
}

/// The answer to `RemainingClaims {}`.
#[cw_serde]
pub struct RemainingClaimsResponse {
    /// What the target still owes its accounts, per denom (the ledger's total: the LP
    /// reserves of a pool, a vault's liabilities).
    pub remaining: Vec<Coin>,
    /// What every move so far took to the successor, per denom.
    pub moved: Vec<Coin>,
    /// Moves so far (the last sequence number).
    pub moves: u64,
    /// The registered successor, if any.
    pub successor: Option<SuccessorPin>,
}

/// The answer to `OfflineStatus {}` (also in `RestorationStatus`).
#[cw_serde]
#[derive(Default)]
pub struct OfflineStatusResponse {
    /// Exit-only mode is in force now: by the offline clock, or after a failed (stuck or
    /// abandoned) restoration.
    pub exit_only: bool,
    /// Cumulative stopped seconds since the last reopening.
    pub stopped_seconds: u64,
    /// The target's `max_offline`.
    pub max_offline: u64,
    /// A stop is in force now (a guardian or breaker pause, the restoration lock, a
    /// restoration).
    pub stopped: bool,
}

/// A successor's queries that the reference claims vault answers (not required of others).
#[cw_serde]
#[derive(QueryResponses)]
pub enum SuccessorQueryMsg {
    /// Claims credited, by account then denom, after `start_after`.
    #[returns(crate::successor::ClaimsPage)]
    Claims {
        /// The last (account, denom) of the previous page.
        start_after: Option<(String, String)>,
        /// At most this many (default 30, at most 100).
        limit: Option<u32>,
    },
}

/// One page of a successor's credited claims.
#[cw_serde]
pub struct ClaimsPage {
    /// (account, coin) in order.
    pub claims: Vec<(Addr, Coin)>,
}

/// Sorts `funds` by denom, merges duplicates and drops zero amounts.
pub fn normalize(funds: Vec<Coin>) -> StdResult<Vec<Coin>> {
    let mut out: Vec<Coin> = Vec::with_capacity(funds.len());
    for c in funds {
        if c.amount.is_zero() {
            continue;
        }
        match out.iter_mut().find(|o| o.denom == c.denom) {
            Some(o) => o.amount = o.amount.checked_add(c.amount)?,
            None => out.push(c),
        }
    }
    out.sort_by(|a, b| a.denom.cmp(&b.denom));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::coin;

    fn record() -> ClaimRecord {
        ClaimRecord {
            source: Addr::unchecked("src"),
            source_chain: "chain-1".into(),
            account: Addr::unchecked("alice"),
            funds: vec![coin(5, "a"), coin(7, "b")],
            sequence: 1,
            height: 10,
            time: Timestamp::from_seconds(100),
        }
    }

    #[test]
    fn digest_covers_every_field() {
        let base = record().digest();
        let mut r = record();
        r.funds[0].amount += cosmwasm_std::Uint256::one();
        assert_ne!(r.digest(), base);
        let mut r = record();
        r.sequence = 2;
        assert_ne!(r.digest(), base);
        let mut r = record();
        r.account = Addr::unchecked("bob");
        assert_ne!(r.digest(), base);
        assert_eq!(record().digest(), base);
        assert_eq!(base.len(), 32);
    }

    #[test]
    fn normalize_sorts_merges_and_drops_zero() {
        let n = normalize(vec![coin(2, "b"), coin(0, "c"), coin(1, "a"), coin(3, "b")]).unwrap();
        assert_eq!(n, vec![coin(1, "a"), coin(5, "b")]);
    }

    #[test]
    fn config_json_is_under_rewind() {
        let msg: RewindConfigMsg =
            cosmwasm_std::from_json(br#"{"rewind":{"max_offline":7200}}"#).unwrap();
        assert_eq!(msg.rewind.max_offline, Some(7200));
        assert!(!msg.rewind.reopen);
    }
}

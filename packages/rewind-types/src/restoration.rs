//! What token holders vote on, and what the timelock and executor carry.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{to_json_vec, Addr, HexBinary, StdResult};
use sha2::{Digest, Sha256};

/// How a restoration settles the gap between the restored ledger and the real bank balance.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum ShortfallPolicy {
    /// Every non-excluded claim is cut by the same ratio.
    ProRataHaircut,
    /// The insurance account covers the shortfall first; any remainder is spread pro rata.
    InsuranceFirst,
}

/// A code id pinned by the checksum the voters saw.
#[cw_serde]
pub struct PinnedCode {
    /// The stored code to migrate to.
    pub code_id: u64,
    /// Its sha256 checksum, compared with the chain's code info at proposal and at execution.
    pub checksum: HexBinary,
}

/// One target of a restoration, fully resolved when the proposal passes.
#[cw_serde]
pub struct RestorationTarget {
    /// The protected contract.
    pub contract: Addr,
    /// Its cw2 contract name, read at proposal time and re-checked at execution (row R8).
    pub contract_name: String,
    /// The code it is migrated to: its current code, or the pinned new code.
    pub code_id: u64,
    /// The checksum of `code_id`, re-checked through the code-info query (row G6).
    pub checksum: HexBinary,
    /// The state digest the target recorded at the restoration height.
    pub expected_digest: HexBinary,
}

/// Exactly what executes when a restoration proposal passes. Its [`content_hash`] is what
/// the timelock stores and the executor re-checks (row G6).
///
/// [`content_hash`]: RestorationSpec::content_hash
#[cw_serde]
pub struct RestorationSpec {
    /// The governance proposal that chose it.
    pub proposal_id: u64,
    /// The block whose end state every target returns to.
    pub height: u64,
    /// The targets, restored to one height and unlocked together.
    pub targets: Vec<RestorationTarget>,
    /// Accounts left out of the flow replay and restitution.
    pub exclusions: Vec<Addr>,
    /// How any shortfall is settled.
    pub shortfall_policy: ShortfallPolicy,
}

impl RestorationSpec {
    /// sha256 of the spec's canonical JSON: the one definition of "what was voted".
    pub fn content_hash(&self) -> StdResult<HexBinary> {
        json_sha256(self)
    }
}

/// sha256 of a value's JSON: the content hash of every voted operation.
pub fn json_sha256<T: serde::Serialize>(value: &T) -> StdResult<HexBinary> {
    Ok(HexBinary::from(
        Sha256::digest(to_json_vec(value)?).to_vec(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RestorationSpec {
        RestorationSpec {
            proposal_id: 1,
            height: 100,
            targets: vec![RestorationTarget {
                contract: Addr::unchecked("target"),
                contract_name: "crates.io:rewind-vault".into(),
                code_id: 7,
                checksum: HexBinary::from(vec![1u8; 32]),
                expected_digest: HexBinary::from(vec![2u8; 32]),
            }],
            exclusions: vec![Addr::unchecked("attacker")],
            shortfall_policy: ShortfallPolicy::ProRataHaircut,
        }
    }

    #[test]
    fn content_hash_changes_with_every_field() {
        let base = spec().content_hash().unwrap();
        assert_eq!(base.len(), 32);
        assert_eq!(base, spec().content_hash().unwrap());
        let mut s = spec();
        s.height = 99;
        assert_ne!(base, s.content_hash().unwrap());
        let mut s = spec();
        s.exclusions.clear();
        assert_ne!(base, s.content_hash().unwrap());
        let mut s = spec();
        s.shortfall_policy = ShortfallPolicy::InsuranceFirst;
        assert_ne!(base, s.content_hash().unwrap());
        let mut s = spec();
        s.targets[0].code_id = 8;
        assert_ne!(base, s.content_hash().unwrap());
        let mut s = spec();
        s.targets[0].checksum = HexBinary::from(vec![3u8; 32]);
        assert_ne!(base, s.content_hash().unwrap());
    }
}

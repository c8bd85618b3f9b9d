//! What token holders vote on, and what the timelock and executor carry.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{to_json_vec, Addr, Binary, HexBinary, StdResult};
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
    /// The voted post-restore configuration (the JSON of the target's own config-update
    /// type), sent with the target's `Release` at completion. Covered by the content hash;
    /// absent from the JSON when `None`, so a spec without one hashes as it always did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_restore_config: Option<Binary>,
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
                post_restore_config: None,
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
        // The post-restore configuration is part of what was voted.
        let mut with = spec();
        with.targets[0].post_restore_config = Some(Binary::from(br#"{"label":"a"}"#.to_vec()));
        let with_hash = with.content_hash().unwrap();
        assert_ne!(base, with_hash);
        let mut other = with.clone();
        other.targets[0].post_restore_config = Some(Binary::from(br#"{"label":"b"}"#.to_vec()));
        assert_ne!(with_hash, other.content_hash().unwrap());
    }

    /// A spec written before post-restore configurations existed parses, re-serialises to
    /// the same bytes and keeps its content hash: a queued operation's stored hash still
    /// matches after the upgrade.
    #[test]
    fn a_spec_without_config_keeps_its_json_and_hash() {
        let old = r#"{"proposal_id":1,"height":100,"targets":[{"contract":"target","contract_name":"crates.io:rewind-vault","code_id":7,"checksum":"0101010101010101010101010101010101010101010101010101010101010101","expected_digest":"0202020202020202020202020202020202020202020202020202020202020202"}],"exclusions":["attacker"],"shortfall_policy":"pro_rata_haircut"}"#;
        let parsed: RestorationSpec = cosmwasm_std::from_json(old).unwrap();
        assert_eq!(parsed, spec());
        assert_eq!(cosmwasm_std::to_json_string(&parsed).unwrap(), old);
        assert_eq!(
            parsed.content_hash().unwrap(),
            HexBinary::from(Sha256::digest(old.as_bytes()).to_vec())
        );
    }
}

//! The DAO DAO voting-module queries, with DAO DAO's exact JSON shapes.
//!
//! Governance reads power only through [`VotingModuleQueryMsg`], so it works with
//! rewind-stake or with any existing DAO DAO voting module. As in DAO DAO, the power
//! "at height h" is the power at the *start* of block h: what was staked during block h
//! counts from h + 1.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::Uint128;

/// cw2's `ContractVersion` (`contract`, `version`), as dao-interface's `InfoResponse` holds it.
pub use cw2::ContractVersion;

/// The subset of the DAO DAO voting-module interface that governance sends. A voting module
/// also answers `Dao {}` (the DAO's address) and `Info {}` ([`InfoResponse`]); rewind-stake
/// and the test module `rewind_testing::voting_weights` do.
#[cw_serde]
#[derive(QueryResponses)]
pub enum VotingModuleQueryMsg {
    /// The voting power of `address` at the start of block `height` (default: current).
    #[returns(VotingPowerAtHeightResponse)]
    VotingPowerAtHeight {
        /// The voter, as a bech32 string.
        address: String,
        /// The block height; `None` means the current height.
        height: Option<u64>,
    },
    /// The total voting power at the start of block `height` (default: current).
    #[returns(TotalPowerAtHeightResponse)]
    TotalPowerAtHeight {
        /// The block height; `None` means the current height.
        height: Option<u64>,
    },
}

/// DAO DAO's `VotingPowerAtHeightResponse`.
#[cw_serde]
pub struct VotingPowerAtHeightResponse {
    /// The voter's power.
    pub power: Uint128,
    /// The height the power was read at.
    pub height: u64,
}

/// DAO DAO's `TotalPowerAtHeightResponse`.
#[cw_serde]
pub struct TotalPowerAtHeightResponse {
    /// The total power.
    pub power: Uint128,
    /// The height the power was read at.
    pub height: u64,
}

/// DAO DAO's `InfoResponse`: the cw2 version of the voting module.
#[cw_serde]
pub struct InfoResponse {
    /// The cw2 contract name and version.
    pub info: ContractVersion,
}

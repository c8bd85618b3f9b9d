//! rewind-stake: voting power from staking one native denom.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Timestamp, Uint128};

pub use crate::voting::{InfoResponse, TotalPowerAtHeightResponse, VotingPowerAtHeightResponse};

/// Instantiates rewind-stake.
#[cw_serde]
pub struct InstantiateMsg {
    /// The native denom that is staked for voting power.
    pub denom: String,
    /// How long unstaked tokens wait before they can be claimed, in seconds. Must be > 0.
    pub unbonding_seconds: u64,
}

/// rewind-stake's execute messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Stake the attached funds: exactly one coin of the configured denom.
    Stake {},
    /// Start unbonding `amount`; the power drops at once, the tokens wait for the period.
    Unstake {
        /// How much to unstake. Must be > 0 and at most the staked amount.
        amount: Uint128,
    },
    /// Pay out every unbonding entry whose period has finished.
    Claim {},
}

/// rewind-stake's queries. The first three are the DAO DAO voting-module interface.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The power of `address` at the start of block `height` (default: current).
    #[returns(VotingPowerAtHeightResponse)]
    VotingPowerAtHeight {
        /// The voter, as a bech32 string.
        address: String,
        /// The block height; `None` means the current height.
        height: Option<u64>,
    },
    /// The total power at the start of block `height` (default: current).
    #[returns(TotalPowerAtHeightResponse)]
    TotalPowerAtHeight {
        /// The block height; `None` means the current height.
        height: Option<u64>,
    },
    /// The cw2 contract name and version.
    #[returns(InfoResponse)]
    Info {},
    /// The configuration.
    #[returns(ConfigResponse)]
    Config {},
    /// Current stakers in address order, paginated.
    #[returns(StakersResponse)]
    Stakers {
        /// Start after this address (exclusive).
        start_after: Option<String>,
        /// At most this many; capped at the shared maximum.
        limit: Option<u32>,
    },
    /// The unbonding entries of `address`.
    #[returns(ClaimsResponse)]
    Claims {
        /// The staker.
        address: String,
    },
}

/// rewind-stake's configuration.
#[cw_serde]
pub struct ConfigResponse {
    /// The staked denom.
    pub denom: String,
    /// The unbonding period, in seconds.
    pub unbonding_seconds: u64,
}

/// One staker and their current stake.
#[cw_serde]
pub struct StakerResponse {
    /// The staker.
    pub address: Addr,
    /// The staked amount, which is their current power.
    pub staked: Uint128,
}

/// A page of stakers.
#[cw_serde]
pub struct StakersResponse {
    /// The stakers, in address order.
    pub stakers: Vec<StakerResponse>,
}

/// An amount that becomes claimable at `release_at`.
#[cw_serde]
pub struct UnbondingClaim {
    /// How much.
    pub amount: Uint128,
    /// When it can be claimed.
    pub release_at: Timestamp,
}

/// The unbonding entries of one staker.
#[cw_serde]
pub struct ClaimsResponse {
    /// The entries, oldest first.
    pub claims: Vec<UnbondingClaim>,
}

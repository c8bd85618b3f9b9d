//! rewind-stake: voting power from staking one native denom, as a DAO DAO voting module.
//!
//! The queries and their responses follow DAO DAO's `dao-interface` voting queries and
//! `dao-voting-token-staked` v2 field for field (`get_config`, `denom`, `list_stakers`,
//! `claims` with cw-controllers' `ClaimsResponse`), so DAO DAO front ends and proposal
//! modules read it as they read their own. rewind-stake's tests compare every shape with
//! fixtures written by hand from the published schema.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::Uint128;

pub use crate::voting::{
    ContractVersion, InfoResponse, TotalPowerAtHeightResponse, VotingPowerAtHeightResponse,
};
pub use cw_controllers::{Claim, ClaimsResponse};
pub use cw_utils::{Duration, Expiration};

/// Instantiates rewind-stake.
#[cw_serde]
pub struct InstantiateMsg {
    /// The DAO this module serves, answered by `Dao {}`. When omitted, the instantiating
    /// sender, as when a DAO core instantiates its voting module. Rewind's deploy plan passes
    /// the governance address it predicts with instantiate2.
    pub dao: Option<String>,
    /// The native denom that is staked for voting power.
    pub denom: String,
    /// How long unstaked tokens wait before they can be claimed, in blocks or seconds.
    /// Must be greater than zero: tokens always wait (DAO DAO would return them at once).
    pub unstaking_duration: Duration,
}

/// rewind-stake's execute messages (DAO DAO's names).
#[cw_serde]
pub enum ExecuteMsg {
    /// Stake the attached funds: exactly one coin of the configured denom.
    Stake {},
    /// Start unstaking `amount`: the power drops at once, the tokens wait for the unstaking
    /// duration as a claim.
    Unstake {
        /// How much to unstake. Must be > 0 and at most the staked amount.
        amount: Uint128,
    },
    /// Pay out every claim whose release has come.
    Claim {},
}

/// rewind-stake's queries: the DAO DAO voting-module interface, then DAO DAO's staking
/// queries.
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
    /// The DAO this module serves.
    #[returns(cosmwasm_std::Addr)]
    Dao {},
    /// The cw2 contract name and version.
    #[returns(InfoResponse)]
    Info {},
    /// The configuration (DAO DAO's `Config` shape).
    #[returns(ConfigResponse)]
    GetConfig {},
    /// The staked denom.
    #[returns(DenomResponse)]
    Denom {},
    /// The open claims of `address`, oldest first.
    #[returns(ClaimsResponse)]
    Claims {
        /// The staker.
        address: String,
    },
    /// Current stakers in address order, paginated.
    #[returns(ListStakersResponse)]
    ListStakers {
        /// Start after this address (exclusive).
        start_after: Option<String>,
        /// At most this many; capped at the shared maximum.
        limit: Option<u32>,
    },
}

/// rewind-stake's configuration, in the shape of dao-voting-token-staked's `Config`.
#[cw_serde]
pub struct ConfigResponse {
    /// How long unstaked tokens wait. Always set by rewind-stake; optional in DAO DAO's
    /// shape, where `None` means tokens are returned at once.
    pub unstaking_duration: Option<Duration>,
}

/// The answer to `Denom {}`.
#[cw_serde]
pub struct DenomResponse {
    /// The staked native denom.
    pub denom: String,
}

/// One staker and their current stake.
#[cw_serde]
pub struct StakerBalanceResponse {
    /// The staker.
    pub address: String,
    /// The staked amount, which is their current power.
    pub balance: Uint128,
}

/// A page of stakers.
#[cw_serde]
pub struct ListStakersResponse {
    /// The stakers, in address order.
    pub stakers: Vec<StakerBalanceResponse>,
}

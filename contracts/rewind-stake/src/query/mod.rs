//! Queries, dispatched from [`crate::contract::query`]: [`voting`] is the DAO DAO
//! voting-module interface (`dao-interface`), [`staking`] holds dao-voting-token-staked's
//! staking queries.

pub mod staking;
pub mod voting;

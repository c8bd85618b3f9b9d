//! # rewind-stake
//!
//! Voting power for Rewind governance: holders stake one native denom, and their power is
//! kept by height so governance can read it at any past block in one lookup.
//!
//! - `Stake {}` adds the attached coins to the sender's stake; power counts from the next
//!   block (DAO DAO semantics: the power "at height h" is the power at the start of block h).
//! - `Unstake { amount }` removes power at once and starts an unbonding period.
//! - `Claim {}` pays out every unbonding entry whose period has finished.
//!
//! It answers the DAO DAO voting-module queries `voting_power_at_height` and
//! `total_power_at_height` with DAO DAO's JSON shapes, so rewind-governance can use it or any
//! existing DAO DAO voting module.

pub mod contract;
pub mod error;
pub mod msg;
pub mod query;
pub mod state;

mod claim;
mod stake;
mod unstake;

#[cfg(test)]
mod testing;

pub use crate::error::ContractError;

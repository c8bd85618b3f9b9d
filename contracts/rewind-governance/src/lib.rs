//! rewind-governance: restoration and parameter proposals, votes and the tally.
//!
//! Governance instantiates and wires the timelock, guardian and executor, reads voting
//! power from any DAO DAO voting module at each proposal's power height, and schedules a
//! passed restoration in the timelock with the content hash of exactly what was voted.

pub mod close;
pub mod config;
pub mod contract;
pub mod error;
pub mod instantiate;
pub mod migrate;
pub mod msg;
pub mod parameters;
pub mod power;
pub mod propose;
pub mod propose_restoration;
pub mod query;
pub mod reply;
pub mod state;
pub mod status;
pub mod tally;
pub mod target_changes;
pub mod vote;

#[cfg(test)]
mod testing;

pub use crate::error::ContractError;

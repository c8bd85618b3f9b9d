//! rewind-governance: restoration and parameter proposals, votes and the tally.
//!
//! Governance instantiates the timelock, guardian and executor at addresses it predicts
//! with instantiate2, is the wasm admin of them and of itself,, reads voting
//! power from any DAO DAO voting module at each proposal's power height, and schedules a
//! passed restoration in the timelock with the content hash of exactly what was voted.

pub mod answers;
pub mod codec;
pub mod config;
pub mod contract;
pub mod error;
pub mod execute;
pub mod instantiate;
pub mod migrations;
pub mod msg;
pub mod power;
pub mod query;
pub mod reply;
pub mod state;
pub mod status;
pub mod tally;

#[cfg(test)]
mod testing;

pub use crate::error::ContractError;

#![doc = include_str!("../README.md")]

pub mod contract;
pub mod error;
pub mod execute;
pub mod exits;
pub mod instantiate;
pub mod invariants;
pub mod math;
pub mod migrations;
pub mod msg;
pub mod query;
pub mod restore;
pub mod state;

#[cfg(test)]
mod testing;

pub use crate::error::ContractError;

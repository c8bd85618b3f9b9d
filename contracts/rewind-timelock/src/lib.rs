//! rewind-timelock: the delay between a passed vote and its execution.
//!
//! Governance queues a passed restoration; it becomes due once BOTH the delay has elapsed and
//! a minimum number of blocks has passed (row T3), stays executable by anyone for a grace
//! window, then expires. Governance may cancel it while it waits; a guardian may only delay
//! it, once (row T4), and governance may override that delay. Every state change follows one
//! state machine: Queued → Executed | Cancelled | Expired, each final (row T2).

pub mod contract;
pub mod error;
pub mod execute;
pub mod msg;
pub mod query;
pub mod settings;
pub mod state;

#[cfg(test)]
mod testing;

pub use crate::error::ContractError;

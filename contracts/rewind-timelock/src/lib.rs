//! rewind-timelock: the delay between a passed vote and its execution.
//!
//! Governance instantiates it with every module's address (predicted with instantiate2) and
//! is its wasm admin. Governance queues a passed restoration (`Queue`) or a passed upgrade
//! of a core contract (`QueueUpgrade`); the operation becomes due once BOTH the delay has
//! elapsed and a minimum number of blocks has passed (row T3), stays executable by anyone
//! for a grace window, then expires. When it executes, a restoration goes to the executor's
//! `Apply` with its spec (which the timelock then drops: the executor holds it from then
//! on), and an upgrade goes back to governance's `ApplyUpgrade`, which re-checks the pinned
//! checksum and migrates the module.
//!
//! Governance may cancel an operation while it waits; a guardian may only delay it, once
//! (row T4), and governance may override that delay. A queued restoration locks its targets
//! in the guardian; an upgrade locks nothing. Every state change follows one state machine:
//! Queued → Executed | Cancelled | Expired, each final (row T2).
//!
//! Layout: [`contract`] only dispatches to [`instantiate`], one [`execute`] module per
//! action, [`query`] and [`migrations`] (the migrate rule every core contract shares).

pub mod contract;
pub mod error;
pub mod execute;
pub mod instantiate;
pub mod migrations;
pub mod msg;
pub mod query;
pub mod settings;
pub mod state;

#[cfg(test)]
mod testing;

pub use crate::error::ContractError;

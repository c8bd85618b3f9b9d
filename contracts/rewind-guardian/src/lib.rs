//! rewind-guardian: the pause policy and the restoration lock.
//!
//! Guardians (typically multisigs) may pause a scope of a registered target, and end their
//! own pause early. Nothing else (row P2). Every guardian pause is bounded by a cap and a
//! cooldown per action, whatever the scopes (rows P1, P5), and by its guardian's own
//! rolling budget and record cap (rows P1, P6); only governance extends or lifts a pause, and even
//! an extended pause has an end. Pauses and restoration locks are pushed to the target,
//! which stores them and checks them with one read on its hot path.

pub mod contract;
pub mod error;
pub mod execute;
pub mod msg;
pub mod policy;
pub mod query;
pub mod state;
pub mod stretch;
pub mod window;

#[cfg(test)]
mod testing;

pub use crate::error::ContractError;

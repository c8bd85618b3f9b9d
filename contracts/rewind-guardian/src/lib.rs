//! rewind-guardian: the pause policy and the restoration lock.
//!
//! Guardians (typically multisigs) may pause a scope of a registered target, and end their
//! own pause early. Nothing else (row P2). Every guardian pause is bounded by a cap and a
//! cooldown per action, whatever the scopes (rows P1, P5), and by its guardian's own
//! rolling budget and record cap (rows P1, P6); only governance extends or lifts a pause,
//! and even an extended pause has an end. Pauses and restoration locks are pushed to the
//! target, which stores them and checks them with one read on its hot path.
//!
//! Governance instantiates the guardian with instantiate2, passing every module address
//! and the targets registered from genesis; there is no second step. Governance is also
//! its wasm admin and migrates it after a voted upgrade (`migrations`).
//!
//! The target registry is the one record of every target's exit policy
//! (`exits_pausable`): a pause of a scope that stops exits (`withdraw`, `all`) is refused
//! on a target whose exits are not pausable, whether a guardian pauses or governance
//! extends, and exits cannot be made unpausable under a running pause of them. The
//! `Target` and `Targets` queries expose the policy to governance and the dashboard.
//!
//! Layout: `contract` (entry points, dispatch only), `instantiate`, `execute` (one file per
//! action), `query`, `migrations`, and the pure policy in `policy`, `stretch`, `window`.

pub mod contract;
pub mod error;
pub mod execute;
pub mod instantiate;
pub mod migrations;
pub mod msg;
pub mod policy;
pub mod query;
pub mod state;
pub mod stretch;
pub mod window;

#[cfg(test)]
mod testing;

pub use crate::error::ContractError;

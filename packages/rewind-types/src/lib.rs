//! Messages, responses and events shared between the Rewind contracts.
//!
//! Every type that crosses a contract boundary is defined here, once. Each contract's
//! `msg` module re-exports its own messages from this crate, so the JSON a sender builds
//! and the JSON a receiver parses come from the same Rust type.
//!
//! - [`voting`]: the DAO DAO voting-module query shapes governance reads power with.
//! - [`restorable`]: the interface every protected target implements (gate, crank,
//!   restore migration, journal queries).
//! - [`restoration`]: what governance votes on and the timelock and executor carry.
//! - [`wiring`]: how the timelock, guardian and executor know each other (instantiate2).
//! - [`upgrade`]: the migrate message and version rule of every core contract.
//! - one module per contract for its own instantiate, execute and query messages.

pub mod codec;
pub mod executor;
pub mod governance;
pub mod guardian;
pub mod pagination;
pub mod restorable;
pub mod restoration;
pub mod scope;
pub mod stake;
pub mod successor;
pub mod timelock;
pub mod upgrade;
pub mod vault;
pub mod voting;
pub mod wiring;

pub use pagination::{
    clamp_limit, page, page_by_id, page_newest_first, page_prefix, DEFAULT_LIMIT, MAX_LIMIT,
};
pub use restorable::{GateMsg, RestorableExecuteMsg, RestorableMigrateMsg, RestorableQueryMsg};
pub use restoration::{PinnedCode, RestorationSpec, RestorationTarget, ShortfallPolicy};
pub use scope::{DeclaredScopes, PauseScope, ScopeError, ScopeInfo, ScopesResponse, MAX_SCOPES};
pub use wiring::ModuleAddresses;

/// The most targets governance and the guardian register (row D3). One number, so a
/// registration governance accepts is never refused by the guardian.
pub const MAX_REGISTERED_TARGETS: u32 = 50;

/// The attribute every Rewind response carries, naming what it did.
pub const ACTION: &str = "action";

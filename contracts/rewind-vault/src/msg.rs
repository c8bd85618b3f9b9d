//! The vault's messages, defined once in `rewind-types`, and [`VaultMsg`], the execute
//! message its handler takes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use rewind_types::vault::*;

/// The vault's own execute message ([`ExecuteMsg`], its JSON unchanged: the wrapper is
/// transparent), as this crate's type so that it can say how each message is gated
/// (`rewind_target::Gated`, in `contract.rs`). Rewind's `gate`, `crank` and `prune` are not
/// in it: rewind-target's entry point takes them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(transparent)]
pub struct VaultMsg(pub ExecuteMsg);

impl From<ExecuteMsg> for VaultMsg {
    fn from(msg: ExecuteMsg) -> Self {
        VaultMsg(msg)
    }
}

//! Migrate: the shared rule (`rewind_types::upgrade::ensure_upgrade`: same cw2 name, same or
//! newer version), then the state conversions of the stored version. No stored version needs
//! one yet: version 0.1.0 is the first whose layout this code reads, so there is no
//! `vX_Y_Z.rs` here. A future layout change adds one file per version it converts from and
//! calls it below. Migration never rewrites configuration, modules or proposals (row G7).
//!
//! Storage encoding: governance's own records (`config`, `modules`, `targets`, `votes`,
//! `ballots`, `proposals`) are in the compact binary encoding of [`crate::codec`] (for size:
//! each JSON record type cost its own deserialiser in the wasm). The v0.1.0 code before that
//! change stored them as JSON. A deployed v0.1 with that JSON layout therefore needs a
//! conversion before this code can read it: a `v0_1_0.rs` here that reads each record as
//! the old JSON types and re-saves it through `crate::codec`. None is written, as no such
//! governance is deployed yet; the storage keys and the index layout are unchanged.

use cosmwasm_std::{DepsMut, Env, Response};
use rewind_types::upgrade::{ensure_upgrade, migrated, MigrateMsg};

use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};
use crate::ContractError;

/// Migrate entry point logic.
pub fn migrate(deps: DepsMut, _env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    let MigrateMsg::Upgrade {} = msg;
    let from = ensure_upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(migrated(from, CONTRACT_VERSION))
}

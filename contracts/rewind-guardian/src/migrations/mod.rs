//! Migrations, in the style of Mars: `migrate` checks the cw2 name and version with the
//! one rule of every core contract (`rewind_types::upgrade::ensure_upgrade`: another
//! contract or a downgrade is refused, row G7), then runs the state change of the stored
//! version, if any, then records the new version.
//!
//! No stored version needs a state change yet: every version so far (from 0.0.1 on) keeps
//! the layout of `crate::state`. A version that changes it adds a file here
//! (`v0_1_0.rs`: converts state written by 0.1.0) and a match arm in [`migrate`].
//! Migration never rewrites the module addresses, the guardians, the policy or the
//! registry: governance changes them by their own messages.

use cosmwasm_std::{DepsMut, Env, Response};
use rewind_types::upgrade::{ensure_upgrade, migrated, MigrateMsg};

use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};

/// Migrates the stored state to this code (sent by governance, the wasm admin).
pub fn migrate(deps: DepsMut, _env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    let MigrateMsg::Upgrade {} = msg;
    let from_version = ensure_upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(migrated(from_version, CONTRACT_VERSION))
}

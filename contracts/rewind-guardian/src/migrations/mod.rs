//! Migrations, in the style of Mars: `migrate` checks the cw2 name and version with the
//! one rule of every core contract (`rewind_types::upgrade::ensure_upgrade`: another
//! contract or a downgrade is refused, row G7), then runs the state change of the stored
//! version, if any, then records the new version.
//!
//! One state change so far: targets registered before scopes were data have no declared
//! scopes ([`v0_1_0`] records the closed list they were paused by). It runs on every
//! migration and changes nothing where every target has its scopes, so state written by
//! this code is kept as it is. A later layout change adds a file here and a match arm in
//! [`migrate`]. Migration never rewrites the module addresses, the guardians, the policy or
//! the registry's exit policy: governance changes them by their own messages.

pub mod v0_1_0;

use cosmwasm_std::{DepsMut, Env, Response};
use rewind_types::upgrade::{ensure_upgrade, migrated, MigrateMsg};

use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};

/// Migrates the stored state to this code (sent by governance, the wasm admin).
pub fn migrate(deps: DepsMut, _env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    let MigrateMsg::Upgrade {} = msg;
    let from_version = ensure_upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let converted = v0_1_0::declare_closed_list_scopes(deps.storage)?;
    Ok(migrated(from_version, CONTRACT_VERSION)
        .add_attribute("targets_given_scopes", converted.to_string()))
}

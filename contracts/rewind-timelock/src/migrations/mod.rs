//! The migrate logic (issue 14, in the style of Mars: one file per stored version that needs
//! its state converted).
//!
//! [`migrate`] refuses another contract's state and any downgrade
//! ([`rewind_types::upgrade::ensure_upgrade`]), then converts the state of the stored
//! version, then records the new one. No conversion exists yet: the timelock gained its
//! `migrate` entry point together with its current storage layout, so every timelock that can
//! be migrated already stores it. A future change of layout adds `vX_Y_Z.rs` here, converting
//! from version X.Y.Z, which [`migrate`] runs when the stored version is X.Y.Z.

use cosmwasm_std::{DepsMut, Env, Response};
use rewind_types::upgrade::{ensure_upgrade, migrated, MigrateMsg};

use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};

/// `MigrateMsg::Upgrade {}`: same cw2 name, same or newer version; the configuration, the
/// module addresses and every operation are kept as they are (row G7).
pub fn migrate(deps: DepsMut, _env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    let MigrateMsg::Upgrade {} = msg;
    let from = ensure_upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(migrated(from, CONTRACT_VERSION))
}

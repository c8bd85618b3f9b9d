//! Migrate: the shared rule (`rewind_types::upgrade::ensure_upgrade`: same cw2 name, same or
//! newer version), then the state conversions of the stored version. No stored version needs
//! one yet: version 0.1.0 is the first whose layout this code reads, so there is no
//! `vX_Y_Z.rs` here. A future layout change adds one file per version it converts from and
//! calls it below. Migration never rewrites configuration, modules or proposals (row G7).

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

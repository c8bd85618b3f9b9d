//! Migrations, in the style of Mars: [`migrate`] checks the upgrade with the one Rewind rule
//! ([`rewind_types::upgrade::ensure_upgrade`]: same cw2 contract name, no downgrade), then
//! runs the state conversion of the stored version, if it has one, in a file of its own
//! (`v0_1_0.rs` for a conversion from 0.1.0, and so on).
//!
//! None is needed yet: 0.1.0 is the first layout deployed with an admin able to migrate, so
//! every stored version has the current layout. A future release that changes the layout
//! adds its file here and calls it from the match on the stored version.

use cosmwasm_std::{DepsMut, Env, Response};
use rewind_types::upgrade::{ensure_upgrade, migrated, MigrateMsg};

use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};

/// Refuses another contract's code and any downgrade, records [`CONTRACT_VERSION`], and
/// answers with the versions migrated between (event `action=migrate`). Stakes, their
/// history and open claims are kept as they are.
pub fn migrate(deps: DepsMut, _env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    match msg {
        MigrateMsg::Upgrade {} => {
            let from = ensure_upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
            // No stored version needs a state conversion yet (see the module docs).
            Ok(migrated(from, CONTRACT_VERSION))
        }
    }
}

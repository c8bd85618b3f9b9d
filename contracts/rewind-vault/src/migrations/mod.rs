//! Migrations: cw2 name and semver checks, then either an upgrade or a restoration.
//!
//! - `Upgrade {}`: same contract name, stored version strictly older than this code.
//! - `Restore { .. }`: same contract name, stored version not newer than this code (the one
//!   same-version migration; it may also ride on a pinned newer code).
//!
//! Version-specific state migrations go in `migrations/vX_Y_Z.rs`,  below where
//! marked, when the stored version is older than the version that introduced them. Version
//! 0.1.0 is the first release, so there is none yet.
//!
//! ## A stuck rollback and the voted upgrade
//! A rollback that fails its digest check (tampered state or a bug, row R4) leaves the vault
//! locked: the journal's `restoring` flag stays set and `Restore` is refused. That is the
//! safe failure, and no message of this version can undo it. The only way out is a
//! governance vote (`ParameterChange::UpgradeTarget`), which makes the executor migrate the
//! vault to new code with `Upgrade {}`:
//! - `Upgrade {}` is ALLOWED while a rollback is stuck (restoring and not verified): it must
//!   be, it is the way out. Its semantics do not change: a strictly newer version is still
//!   required, so the same code cannot be re-run to unlock.
//! - `Upgrade {}` never abandons the rollback by itself. The new version's state migration
//!   decides: it repairs whatever the bug or tampering broke, then calls
//!   `rewind_journal::abandon_rollback(storage, &env)` (which unlocks the journal and keeps
//!   its history consistent) and resets the vault's own `RESTORATION` record, whose step is
//!   still the stuck one. `tests/integration/tests/target_upgrade.rs` runs that story with a
//!   stand-in for the fixed code.

use cosmwasm_std::{DepsMut, Env, Response};
use rewind_types::vault::MigrateMsg;
use semver::Version;

use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};
use crate::restore::start::restore;

fn parse(version: &str) -> Result<Version, ContractError> {
    Version::parse(version).map_err(|e| ContractError::InvalidVersion {
        version: version.to_string(),
        reason: e.to_string(),
    })
}

/// The migrate entry point.
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    let stored = cw2::get_contract_version(deps.storage)?;
    if stored.contract != CONTRACT_NAME {
        return Err(ContractError::WrongContract {
            expected: CONTRACT_NAME.to_string(),
            found: stored.contract,
        });
    }
    let from = parse(&stored.version)?;
    let code = parse(CONTRACT_VERSION)?;
    match msg {
        MigrateMsg::Upgrade {} => {
            if from >= code {
                return Err(ContractError::NotAnUpgrade {
                    stored: stored.version,
                    code: CONTRACT_VERSION.to_string(),
                });
            }
            // State migrations from `from` go here (none since the first release). A stuck
            // rollback is left as it is: repairing it is the new version's decision (above).
            cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
            Ok(Response::new()
                .add_attribute("action", "upgrade")
                .add_attribute("from_version", stored.version)
                .add_attribute("to_version", CONTRACT_VERSION))
        }
        MigrateMsg::Restore {
            height,
            exclusions,
            shortfall_policy,
            expected_digest,
        } => {
            if from > code {
                return Err(ContractError::Downgrade {
                    stored: stored.version,
                    code: CONTRACT_VERSION.to_string(),
                });
            }
            if from < code {
                // A restore riding on a pinned newer code: same state migrations as above.
                cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
            }
            restore(
                deps,
                env,
                height,
                exclusions,
                shortfall_policy,
                expected_digest,
            )
        }
    }
}

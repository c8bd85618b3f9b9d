//! Migrations: cw2 name and semver checks, then either an upgrade or a restoration.
//!
//! - `Upgrade {}`: same contract name, stored version strictly older than this code.
//! - `Restore { .. }`: same contract name, stored version not newer than this code (the one
//!   same-version migration; it may also ride on a pinned newer code).
//!
//! Version-specific state migrations go in `migrations/vX_Y_Z.rs`,  below where
//! marked, when the stored version is older than the version that introduced them. Version
//! 0.1.0 is the first release, so there is none yet.

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
            // State migrations from `from` go here (none since the first release).
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

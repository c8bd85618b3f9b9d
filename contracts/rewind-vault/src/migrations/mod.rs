//! Migrations: cw2 name and semver checks, then either an upgrade or a restoration.
//!
//! - `Upgrade {}`: same contract name, stored version strictly older than this code.
//! - `Restore { .. }`: same contract name, stored version not newer than this code (the one
//!   same-version migration; it may also ride on a pinned newer code).
//!
//! Version-specific state migrations go in `migrations/vX_Y_Z.rs`,  below where
//! marked, when the stored version is older than the version that introduced them. Version
//! 0.1.0 is the first release, so there is none yet. The config's former `exits_pausable`
//! field (the exit policy now lives only in the guardian's registry) needs none either: a
//! config stored with it still loads, the field is ignored (`cw_serde` does not deny unknown
//! fields), and the next config save drops it.
//!
//! - `Release { config }` (same version): ends a complete restoration, the vault reopens
//!   (row R12), then applies the voted post-restore configuration if any (see [`configure`]):
//!   a refused configuration refuses the release.
//! - `Configure { config }` (same version): a voted configuration change (see [`configure`]);
//!   the vault's only way to change its configuration.
//! - `Abandon { exit_only_until }` (same version): a voted abort, in any phase; the vault
//!   is exit-only until the given time (row R13).
//! - `Sweep { to }` (same version): the voted, timelocked sweep of frozen claims and the
//!   surplus (rows G10, R5; see [`sweep`]).
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

use cosmwasm_std::{Binary, DepsMut, Env, Response};
use rewind_journal::{abandon_restoration, release_restoration};
use rewind_types::vault::{MigrateMsg, RestorationStep};
use semver::Version;

use crate::error::ContractError;
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};
use crate::restore::start::restore;
use crate::state::RESTORATION;

pub mod configure;
pub mod sweep;

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
        MigrateMsg::Release { config } => {
            same_version("release", &stored.version, &from, &code)?;
            release(deps, config)
        }
        MigrateMsg::Configure { config } => {
            same_version("configure", &stored.version, &from, &code)?;
            configure::configure(deps, &config)
        }
        MigrateMsg::Abandon { exit_only_until } => {
            same_version("abandon", &stored.version, &from, &code)?;
            abandon(deps, env, exit_only_until)
        }
        MigrateMsg::Sweep { to } => {
            same_version("sweep", &stored.version, &from, &code)?;
            sweep::sweep(deps, env, to)
        }
    }
}

fn same_version(
    action: &str,
    stored: &str,
    from: &Version,
    code: &Version,
) -> Result<(), ContractError> {
    if from != code {
        return Err(ContractError::NotSameVersion {
            action: action.to_string(),
            stored: stored.to_string(),
            code: CONTRACT_VERSION.to_string(),
        });
    }
    Ok(())
}

/// `Release { config }` (row R12): every target of the restoration is complete and
/// verified; the executor (the wasm admin, the only sender of a migration) reopens this one
/// and, in the same migration, applies its voted post-restore configuration.
fn release(mut deps: DepsMut, config: Option<Binary>) -> Result<Response, ContractError> {
    let r = RESTORATION
        .may_load(deps.storage)?
        .ok_or(ContractError::NoRestorationRunning {})?;
    if r.step != RestorationStep::Complete {
        return Err(ContractError::ReleaseBeforeComplete {
            restoration_id: r.id,
            step: format!("{:?}", r.step),
        });
    }
    release_restoration(deps.storage)?;
    let mut res = Response::new()
        .add_attribute("action", "release")
        .add_attribute("restoration_id", r.id.to_string())
        .add_attribute("height", r.height.to_string());
    if let Some(config) = config {
        let new = configure::apply(deps.branch(), &config)?;
        res = res
            .add_attribute("configured", "true")
            .add_attribute("feeder", new.feeder.as_str())
            .add_attribute("guardian", new.guardian.as_str());
    }
    Ok(res)
}

/// `Abandon { exit_only_until }` (row R13): holders voted to abort the restoration, in any
/// phase (running, stuck on a failed digest, or complete awaiting release). The journal
/// abandons the rollback consistently, the restoration is marked `Abandoned`, and the vault
/// is exit-only until `exit_only_until`.
fn abandon(
    deps: DepsMut,
    env: Env,
    exit_only_until: cosmwasm_std::Timestamp,
) -> Result<Response, ContractError> {
    let mut r = RESTORATION
        .may_load(deps.storage)?
        .filter(|r| r.step != RestorationStep::Abandoned)
        .ok_or(ContractError::NoRestorationRunning {})?;
    let status = abandon_restoration(deps.storage, &env, exit_only_until)?;
    let from_step = format!("{:?}", r.step);
    r.step = RestorationStep::Abandoned;
    r.cursor_key = None;
    r.cursor_seq = None;
    r.completed_at_height = Some(env.block.height);
    RESTORATION.save(deps.storage, &r)?;
    Ok(Response::new()
        .add_attribute("action", "abandon")
        .add_attribute("restoration_id", r.id.to_string())
        .add_attribute("from_step", from_step)
        .add_attribute(
            "rollback_verified",
            status.is_some_and(|s| s.rolled_back).to_string(),
        )
        .add_attribute("exit_only_until", exit_only_until.seconds().to_string()))
}

//! Migration: Rewind's (`Upgrade`, and the executor's `Restore`, `Release`, `Abandon`,
//! `Sweep`) or the contract's own migrate message.

mod restore;

use cosmwasm_std::{DepsMut, Env, Response, Storage};
use rewind_journal::{abandon_restoration, ensure_not_locked, release_restoration};
use rewind_types::restorable::{RestorableMigrateMsg, RestorationPhase};
use rewind_types::upgrade::{ensure_upgrade, migrated};

use crate::error::{ContractError, TargetError};
use crate::journaled::run_journaled;
use crate::msg::{MigrateMsg, Wrapped};
use crate::state::{status, EXCLUSIONS, REPLAY, STATUS};
use crate::target::Target;

pub(crate) use restore::restore;
pub use restore::MAX_EXCLUSIONS;

/// A contract's own migrate handler.
pub type MigrateHandler<M, E> = fn(DepsMut, Env, M) -> Result<Response, E>;

/// Dispatches a migrate message. The chain accepts a migration only from the contract's wasm
/// admin, which for a protected contract is the executor: that is the authority over every
/// restoration message. `handler` is the contract's own migrate, if it has one.
pub fn migrate<M, E>(
    mut deps: DepsMut,
    env: Env,
    msg: MigrateMsg<M>,
    target: &Target<E>,
    handler: Option<MigrateHandler<M, E>>,
) -> Result<Response, ContractError<E>> {
    let msg = match (msg, handler) {
        (Wrapped::Rewind(msg), _) => msg,
        (Wrapped::Contract(msg), Some(handler)) => {
            return run_journaled(deps.branch(), &env, target, vec![], |deps| {
                handler(deps, env.clone(), msg)
            });
        }
        (Wrapped::Contract(_), None) => {
            return Err(cosmwasm_std::StdError::msg(
                "this contract has no migrate message of its own; use {\"upgrade\":{}}",
            )
            .into())
        }
    };
    match msg {
        // Same cw2 name, strictly newer version (the interface's rule): cw2's
        // `ensure_from_older_version` refuses another name and a downgrade, and the same
        // version is refused here, so the same code is never re-run as an upgrade.
        RestorableMigrateMsg::Upgrade {} => {
            let stored = cw2::get_contract_version(deps.storage)?;
            if stored.contract == target.name && stored.version == target.version {
                return Err(TargetError::WrongCode {
                    action: "upgrade",
                    stored: format!("{} {}", stored.contract, stored.version),
                    name: target.name,
                    version: target.version,
                }
                .into());
            }
            let from = ensure_upgrade(deps.storage, target.name, target.version)?;
            Ok(migrated(from, target.version))
        }
        RestorableMigrateMsg::Restore {
            height,
            exclusions,
            expected_digest,
            shortfall_policy,
        } => {
            // The one migration that may also move to a pinned newer code.
            ensure_code(deps.storage, target, "restore", true)?;
            // The funds of a move to the successor have left: never roll back below one.
            let moved_at = crate::successor::load(deps.storage)?.last_move_height;
            if moved_at != 0 && height < moved_at {
                return Err(TargetError::BelowMove { height, moved_at }.into());
            }
            restore::restore(
                deps,
                env,
                height,
                exclusions,
                expected_digest,
                shortfall_policy,
            )
        }
        // Every target of the restoration is complete: reopen together, and apply the voted
        // post-restore configuration in the same step (or refuse both).
        RestorableMigrateMsg::Release { config } => {
            ensure_code(deps.storage, target, "release", false)?;
            release_restoration(deps.storage)?;
            // The target reopens: the offline clock restarts at zero (issue 15).
            crate::offline::reopen(deps.storage, &env)?;
            let response = Response::new().add_attribute("action", "release");
            match config {
                None => Ok(response),
                Some(config) if crate::successor::is_rewind_config(&config) => {
                    crate::successor::apply_rewind_config(deps, &env, &config)?;
                    Ok(response.add_attribute("configured", "true"))
                }
                Some(config) => {
                    apply_config(deps, &env, target, &config)?;
                    Ok(response.add_attribute("configured", "true"))
                }
            }
        }
        // A voted configuration change, sent by the executor.
        RestorableMigrateMsg::Configure { config } => {
            ensure_code(deps.storage, target, "configure", false)?;
            if crate::successor::is_rewind_config(&config) {
                return Ok(crate::successor::apply_rewind_config(deps, &env, &config)?);
            }
            apply_config(deps, &env, target, &config)?;
            Ok(Response::new().add_attribute("action", "configure"))
        }
        // A voted abort: the state as it stands, exit-only until `exit_only_until`.
        RestorableMigrateMsg::Abandon { exit_only_until } => {
            ensure_code(deps.storage, target, "abandon", false)?;
            abandon_restoration(deps.storage, &env, exit_only_until)?;
            crate::offline::abandon(deps.storage, &env)?;
            EXCLUSIONS.remove(deps.storage);
            REPLAY.remove(deps.storage);
            STATUS.save(deps.storage, &status(RestorationPhase::Idle, None))?;
            Ok(Response::new()
                .add_attribute("action", "abandon")
                .add_attribute("exit_only_until", exit_only_until.to_string()))
        }
        // A voted, timelocked sweep: the contract's hook moves what no account may move;
        // never while a restoration runs or holds its lock.
        RestorableMigrateMsg::Sweep { to } => {
            let sweep = target.sweep.ok_or(TargetError::NothingToSweep)?;
            ensure_code(deps.storage, target, "sweep", false)?;
            ensure_not_locked(deps.storage, &env)?;
            // Without the frozen accounts' refusal: taking their claims is the point.
            run_journaled(deps, &env, target, vec![], |deps| sweep(deps, &env, to))
        }
    }
}

/// Applies a voted configuration through the contract's hook, on journaled storage.
fn apply_config<E>(
    deps: DepsMut,
    env: &Env,
    target: &Target<E>,
    config: &cosmwasm_std::Binary,
) -> Result<(), ContractError<E>> {
    let (_, apply) = target.config.ok_or(TargetError::NotConfigurable)?;
    run_journaled(deps, env, target, vec![], |deps| apply(deps, env, config))
}

/// A restoration message runs on the code that wrote the state: the same cw2 name and
/// version, or (for `Restore`, which may pin a newer code) a newer version. Records the
/// code's version.
fn ensure_code<E>(
    store: &mut dyn Storage,
    target: &Target<E>,
    action: &'static str,
    newer_allowed: bool,
) -> Result<(), TargetError> {
    let stored = cw2::get_contract_version(store)?;
    let same = stored.version == target.version;
    let fits = stored.contract == target.name
        && (same || (newer_allowed && older(&stored.version, target.version)));
    if !fits {
        return Err(TargetError::WrongCode {
            action,
            stored: format!("{} {}", stored.contract, stored.version),
            name: target.name,
            version: target.version,
        });
    }
    cw2::set_contract_version(store, target.name, target.version)?;
    Ok(())
}

/// Whether version `a` is older than `b` (dotted numbers; a part that is not a number makes
/// the versions incomparable, hence not older).
fn older(a: &str, b: &str) -> bool {
    let parse = |v: &str| -> Option<Vec<u64>> { v.split('.').map(|p| p.parse().ok()).collect() };
    matches!((parse(a), parse(b)), (Some(a), Some(b)) if a < b)
}

#[cfg(test)]
mod tests {
    use super::older;

    #[test]
    fn versions_compare_by_number() {
        assert!(older("0.1.0", "0.2.0"));
        assert!(older("0.9.0", "0.10.0"));
        assert!(!older("0.2.0", "0.2.0"));
        assert!(!older("1.0.0", "0.9.9"));
        assert!(!older("1.0.0-rc1", "1.0.0"));
    }
}

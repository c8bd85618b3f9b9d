//! `Crank`: continue the rollback; when it reaches its height, freeze the exclusions.

use cosmwasm_std::{DepsMut, Env, Response};
use rewind_journal::{ensure_crank_allowed, finish_restoration, rollback_step};
use rewind_types::restorable::RestorationPhase;

use crate::error::{ContractError, TargetError};
use crate::journaled::run_journaled;
use crate::state::{frozen, load_status, EXCLUSIONS, FROZEN, STATUS};
use crate::target::Target;

/// The crank limit when the caller names none.
pub const DEFAULT_CRANK_LIMIT: u32 = 50;
/// The highest crank limit; larger ones are clamped to it (row D1).
pub const MAX_CRANK_LIMIT: u32 = 200;

/// Undoes at most `limit` journal entries. When none are left the journal has verified the
/// digest recorded at the height; the exclusions are then frozen (and handed to the freeze
/// hook, on the state at the height), and the restoration is complete but stays locked
/// until the executor's `Release {}`.
pub fn crank<E>(
    mut deps: DepsMut,
    env: Env,
    target: &Target<E>,
    limit: Option<u32>,
) -> Result<Response, ContractError<E>> {
    let mut status = load_status(deps.storage)?;
    if status.phase != RestorationPhase::RollingBack {
        return Err(TargetError::NoRestorationRunning.into());
    }
    ensure_crank_allowed(deps.storage, &env)?; // exit-only once stuck past its lock
    let limit = limit
        .unwrap_or(DEFAULT_CRANK_LIMIT)
        .clamp(1, MAX_CRANK_LIMIT);
    let step = rollback_step(deps.storage, &env, limit)?; // fails on a digest mismatch
    status.undone_entries = status.undone_entries.saturating_add(u64::from(step.undone));
    if step.done {
        let excluded = EXCLUSIONS.may_load(deps.storage)?.unwrap_or_default();
        if let Some(freeze) = target.freeze {
            for account in &excluded {
                run_journaled(deps.branch(), &env, target, vec![], |deps| {
                    freeze(deps, &env, account)
                })?;
            }
        }
        let mut all = frozen(deps.storage)?;
        all.extend(
            excluded
                .into_iter()
                .filter(|a| !all.contains(a))
                .collect::<Vec<_>>(),
        );
        FROZEN.save(deps.storage, &all)?;
        EXCLUSIONS.remove(deps.storage);
        finish_restoration(deps.storage, &env)?;
        status.phase = RestorationPhase::Complete;
        status.digest_verified = true;
    }
    STATUS.save(deps.storage, &status)?;
    Ok(Response::new()
        .add_attribute("action", "crank")
        .add_attribute("undone_entries", status.undone_entries.to_string())
        .add_attribute("done", step.done.to_string()))
}

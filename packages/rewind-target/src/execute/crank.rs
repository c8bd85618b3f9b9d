//! `Crank`: continue the rollback; when it reaches its height, freeze the exclusions, then
//! replay the recorded executions above the height and settle.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_journal::{ensure_crank_allowed, finish_restoration, rollback_step};
use rewind_types::restorable::RestorationPhase;
use serde::de::DeserializeOwned;

use super::replay::{next_record, replay_batch, Span};
use super::settle::{settle, Settlement};
use crate::error::{ContractError, TargetError};
use crate::journaled::run_journaled;
use crate::state::{frozen, load_status, EXCLUSIONS, FROZEN, REPLAY, STATUS};
use crate::target::{Settled, Target};

/// The crank limit when the caller names none.
pub const DEFAULT_CRANK_LIMIT: u32 = 50;
/// The highest crank limit; larger ones are clamped to it (row D1).
pub const MAX_CRANK_LIMIT: u32 = 200;
/// Units of the crank limit one replayed execution takes (an undo entry, or a skipped
/// record, takes one): a replay runs the contract's handler, so a crank replays at most
/// `MAX_CRANK_LIMIT / REPLAY_WEIGHT` executions, and skips at most
/// [`MAX_EXECUTION_PAGE`](rewind_journal::MAX_EXECUTION_PAGE) records.
pub const REPLAY_WEIGHT: u32 = 8;

/// Undoes at most `limit` journal entries (`before`: replay only records below that height,
/// see `CrankBefore`). When none are left the journal has verified the
/// digest recorded at the height; the exclusions are then frozen (and handed to the freeze
/// hook, on the state at the height). Later cranks replay the recorded executions above the
/// height of every account not frozen, [`REPLAY_WEIGHT`] units each (a skipped one, 1), and
/// at least one record per crank. When none is left, the settlement reconciles the funds by the voted
/// rule and the restoration is complete, still locked until the executor's `Release {}`.
pub fn crank<M: DeserializeOwned + crate::Gated, E: std::fmt::Display>(
    mut deps: DepsMut,
    env: Env,
    target: &Target<E>,
    limit: Option<u32>,
    before: Option<u64>,
    handler: fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>,
) -> Result<Response, ContractError<E>> {
    let mut status = load_status(deps.storage)?;
    if !matches!(
        status.phase,
        RestorationPhase::RollingBack | RestorationPhase::Replaying
    ) {
        return Err(TargetError::NoRestorationRunning.into());
    }
    ensure_crank_allowed(deps.storage, &env)?; // exit-only once stuck past its lock
    let budget = limit
        .unwrap_or(DEFAULT_CRANK_LIMIT)
        .clamp(1, MAX_CRANK_LIMIT);
    let mut replayed = 0;
    let mut skipped = 0;
    if status.phase == RestorationPhase::RollingBack {
        // The crank that reaches the height ends there, so the rolled-back state (the one
        // the digest verified) is observable before any replay.
        let step = rollback_step(deps.storage, &env, budget)?; // fails on a digest mismatch
        status.undone_entries = status.undone_entries.saturating_add(u64::from(step.undone));
        if step.done {
            freeze_exclusions(deps.branch(), &env, target)?;
            status.phase = RestorationPhase::Replaying;
            status.digest_verified = true;
            status.next_replay =
                next_record(deps.storage, status.height.unwrap_or_default(), None)?;
        }
    } else {
        let mut replay = REPLAY.load(deps.storage)?;
        let height = status.height.unwrap_or_default();
        let frozen = frozen(deps.storage)?;
        // The first settling crank: the one whose replay batch took the last record.
        let mut first = false;
        if !replay.settling {
            let batch = replay_batch(
                deps.branch(),
                &env,
                target,
                Span {
                    height,
                    after: replay.cursor,
                    units: budget,
                    before,
                },
                &frozen,
                handler,
            )?;
            (replayed, skipped) = (batch.replayed, batch.skipped);
            status.replayed_executions += batch.replayed;
            status.skipped_executions += batch.skipped;
            replay.cursor = batch.cursor;
            status.next_replay = batch.next;
            replay.settling = batch.next.is_none();
            first = replay.settling;
        }
        // The settlement: once, or over several cranks while the hook says there is more.
        let settled = match replay.settling {
            false => false,
            true => {
                // The hook reads the replay's final counters (for its own report).
                STATUS.save(deps.storage, &status)?;
                let settlement = Settlement {
                    height,
                    policy: replay.shortfall_policy,
                    first,
                    limit: budget,
                };
                settle(deps.branch(), &env, target, &settlement, frozen)? == Settled::Done
            }
        };
        if settled {
            finish_restoration(deps.storage, &env)?;
            // A completed restoration is a reopening: the offline clock restarts (issue 15).
            crate::offline::reopen(deps.storage, &env)?;
            REPLAY.remove(deps.storage);
            status.phase = RestorationPhase::Complete;
        } else {
            REPLAY.save(deps.storage, &replay)?;
        }
    }
    STATUS.save(deps.storage, &status)?;
    Ok(Response::new()
        .add_attribute("action", "crank")
        .add_attribute("undone_entries", status.undone_entries.to_string())
        .add_attribute("replayed", replayed.to_string())
        .add_attribute("skipped", skipped.to_string())
        .add_attribute(
            "done",
            (status.phase == RestorationPhase::Complete).to_string(),
        ))
}

/// The rollback reached the height: the freeze hook runs for each exclusion on the state at
/// the height, and the exclusions join the frozen accounts for good.
fn freeze_exclusions<E>(
    mut deps: DepsMut,
    env: &Env,
    target: &Target<E>,
) -> Result<(), ContractError<E>> {
    let excluded = EXCLUSIONS.may_load(deps.storage)?.unwrap_or_default();
    if let Some(freeze) = target.freeze {
        for account in &excluded {
            run_journaled(deps.branch(), env, target, vec![], |deps| {
                freeze(deps, env, account)
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
    Ok(())
}

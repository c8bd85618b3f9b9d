//! `Crank`: continue the rollback; when it reaches its height, freeze the exclusions, then
//! replay the recorded executions above the height and settle.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_journal::{ensure_crank_allowed, finish_restoration, rollback_step};
use rewind_types::restorable::{RestorationPhase, RestorationStatusResponse};
use serde::de::DeserializeOwned;

use super::replay::{next_record, replay_batch, Span};
use super::settle::{settle, Settlement};
use crate::error::{ContractError, TargetError};
use crate::journaled::run_journaled;
use crate::state::{frozen, load_status, ReplayState, EXCLUSIONS, FROZEN, REPLAY, STATUS};
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
    if let (RestorationPhase::Failed, Some(why)) = (&status.phase, &status.failure) {
        return Err(TargetError::RestorationFailed { why: why.clone() }.into());
    }
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
        let step = rollback_step(deps.storage, &env, budget)?;
        status.undone_entries = status.undone_entries.saturating_add(u64::from(step.undone));
        if let Some(why) = step.failed {
            // The verify pass refused the rollback before it undid anything: the live ledger
            // stays. The voted exclusions are frozen all the same, and from the next crank
            // the voted rule settles the live ledger, so every user exits with their share
            // of the bank, not first come first served (issue 15); then it is exit-only.
            freeze_exclusions(deps.branch(), &env, target)?;
            status.failure = Some(why);
            status.phase = RestorationPhase::Replaying;
            status.next_replay = None;
        } else if step.done {
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
        if status.failure.is_some() {
            // After a failed rollback nothing replays: the live ledger settles as it stands.
            first = !replay.settling;
            replay.settling = true;
        } else if !replay.settling {
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
        let settled = match replay.settling {
            false => false,
            true => settle_step(
                deps.branch(),
                &env,
                target,
                &mut status,
                &replay,
                first,
                budget,
            )?,
        };
        conclude(deps.branch(), &env, &mut status, replay, settled)?;
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
        )
        .add_attribute(
            "failed",
            (status.phase == RestorationPhase::Failed).to_string(),
        ))
}

/// One settling crank: the hook settles by the voted rule, on the replayed ledger, or on the
/// live one after a failed rollback. Whether it is done.
fn settle_step<E: std::fmt::Display>(
    mut deps: DepsMut,
    env: &Env,
    target: &Target<E>,
    status: &mut RestorationStatusResponse,
    replay: &ReplayState,
    first: bool,
    budget: u32,
) -> Result<bool, ContractError<E>> {
    // The hook reads the replay's final counters (for its own report).
    STATUS.save(deps.storage, status)?;
    let settlement = Settlement {
        height: status.height.unwrap_or_default(),
        policy: replay.shortfall_policy,
        first,
        limit: budget,
    };
    let frozen = frozen(deps.storage)?;
    Ok(settle(deps.branch(), env, target, &settlement, frozen)? == Settled::Done)
}

/// After a settling crank: once settled, a verified restoration is complete (and the offline
/// clock restarts: a reopening), a failed one is over and the target exit-only; until then
/// the replay state keeps the settlement going.
fn conclude<E>(
    deps: DepsMut,
    env: &Env,
    status: &mut RestorationStatusResponse,
    replay: ReplayState,
    settled: bool,
) -> Result<(), ContractError<E>> {
    if !settled {
        REPLAY.save(deps.storage, &replay)?;
        return Ok(());
    }
    REPLAY.remove(deps.storage);
    if status.failure.is_some() {
        crate::offline::fail(deps.storage, env)?;
        status.phase = RestorationPhase::Failed;
    } else {
        finish_restoration(deps.storage, env)?;
        crate::offline::reopen(deps.storage, env)?;
        status.phase = RestorationPhase::Complete;
    }
    Ok(())
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

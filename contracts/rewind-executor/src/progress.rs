//! Reading targets' progress, moving a restoration between states, and completing it.

use cosmwasm_std::{to_json_binary, Addr, Deps, Env, Storage, SubMsg, WasmMsg};
use rewind_types::executor::RestorationState;
use rewind_types::guardian::ExecuteMsg as GuardianMsg;
use rewind_types::restorable::{RestorationPhase, RestorationStatusResponse};
use rewind_types::{RestorableMigrateMsg, RestorableQueryMsg};

use crate::error::ContractError;
use crate::reply::UNLOCK_REPLY_ID;
use crate::state::{Restoration, ACTIVE_TARGETS, MODULES, RESTORATIONS, RUNNING};

/// A target's own status, or the query error as text (a target that cannot answer fails
/// the restoration instead of reverting the reply).
pub fn read_status(deps: Deps, target: &Addr) -> Result<RestorationStatusResponse, String> {
    deps.querier
        .query_wasm_smart(
            target.to_string(),
            &RestorableQueryMsg::RestorationStatus {},
        )
        .map_err(|e| format!("status query of {target} failed: {e}"))
}

/// Moves `r` to `state` and keeps the indexes in step:
/// Running is cranked; Failed keeps its targets reserved and locked for governance to
/// retry or abort; Complete and Aborted release the targets.
pub fn set_state(
    storage: &mut dyn Storage,
    env: &Env,
    r: &mut Restoration,
    state: RestorationState,
) -> Result<(), ContractError> {
    match state {
        RestorationState::Running => {
            RUNNING.save(storage, r.id, &cosmwasm_std::Empty {})?;
            r.finished_at = None;
        }
        RestorationState::Failed { .. } => {
            RUNNING.remove(storage, r.id);
            r.finished_at = Some(env.block.time);
        }
        RestorationState::Complete | RestorationState::Aborted => {
            RUNNING.remove(storage, r.id);
            for t in &r.targets {
                ACTIVE_TARGETS.remove(storage, &t.contract);
            }
            r.finished_at = Some(env.block.time);
        }
    }
    r.state = state;
    Ok(())
}

/// The guardian message that releases every target's lock together.
pub fn clear_lock_msg(deps: Deps, r: &Restoration) -> Result<WasmMsg, ContractError> {
    let modules = MODULES.load(deps.storage)?;
    Ok(WasmMsg::Execute {
        contract_addr: modules.guardian.to_string(),
        msg: to_json_binary(&GuardianMsg::ClearRestorationLock {
            operation_id: r.id,
            targets: r.targets.iter().map(|t| t.contract.to_string()).collect(),
        })?,
        funds: vec![],
    })
}

/// `RestorableMigrateMsg::Release { config }` to every target, each to its current code id
/// (the same-code migration, as `Restore` is sent) and with its own voted post-restore
/// configuration from the spec, marking each released. Plain messages: the targets reopen
/// (and take their configurations) together or, if one refuses its release or its
/// configuration, the whole completing step reverts and none reopens (row R12). Sent only
/// by [`settle`] on [`Verdict::Complete`], i.e. once every target is complete at the voted
/// height with its digest verified.
pub fn release_msgs(deps: Deps, r: &mut Restoration) -> Result<Vec<WasmMsg>, ContractError> {
    let mut msgs = Vec::with_capacity(r.targets.len());
    for (t, voted) in r.targets.iter_mut().zip(&r.spec.targets) {
        let code_id = deps
            .querier
            .query_wasm_contract_info(t.contract.to_string())?
            .code_id;
        msgs.push(WasmMsg::Migrate {
            contract_addr: t.contract.to_string(),
            new_code_id: code_id,
            msg: to_json_binary(&RestorableMigrateMsg::Release {
                config: voted.post_restore_config.clone(),
            })?,
        });
        t.released = true;
    }
    Ok(msgs)
}

/// What the latest statuses say about a Running restoration.
pub enum Verdict {
    /// Target `index` still has work.
    Continue {
        /// The target's index in the spec.
        index: usize,
        /// Replay only its records below this height (`CrankBefore`): another target's next
        /// record comes first from there.
        before: Option<u64>,
    },
    /// Every target completed at the voted height with its digest verified.
    Complete,
    /// A target finished wrongly, stopped, or could not answer.
    Fail {
        /// Why, as recorded in the restoration.
        error: String,
    },
}

/// Re-reads every migrated target's status into `r` and judges it. The next target to crank
/// is the first one not yet migrated or still rolling back; once every target is replaying,
/// the one whose next recorded execution is the earliest (row R17: the targets of one
/// restoration replay in one order, by height), bounded by the next record of the others.
/// A target that reports no next record (nothing left, or it replays flows) comes last.
pub fn refresh(deps: Deps, r: &mut Restoration) -> Verdict {
    let height = r.spec.height;
    let mut first = None;
    let mut replaying: Vec<(usize, Option<u64>)> = vec![];
    for (index, t) in r.targets.iter_mut().enumerate() {
        if !t.migrated {
            first = first.or(Some(index));
            continue;
        }
        match read_status(deps, &t.contract) {
            Ok(status) => t.status = status,
            Err(error) => return Verdict::Fail { error },
        }
        let s = &t.status;
        match s.phase {
            RestorationPhase::Complete => {
                if s.height != Some(height) || !s.digest_verified {
                    return Verdict::Fail {
                        error: format!(
                            "{} completed at height {:?} with digest_verified={}, expected height {height} verified",
                            t.contract, s.height, s.digest_verified
                        ),
                    };
                }
            }
            RestorationPhase::Idle => {
                return Verdict::Fail {
                    error: format!("{} reports no restoration after its migration", t.contract),
                }
            }
            // Its rollback failed the digest before it undid anything (the target is
            // exit-only, its exclusions frozen and its live ledger settled).
            RestorationPhase::Failed => {
                return Verdict::Fail {
                    error: format!(
                        "{} failed: {}",
                        t.contract,
                        s.failure.as_deref().unwrap_or("no reason given")
                    ),
                }
            }
            RestorationPhase::RollingBack | RestorationPhase::Replaying => {
                if s.height != Some(height) {
                    return Verdict::Fail {
                        error: format!(
                            "{} is restoring height {:?}, expected {height}",
                            t.contract, s.height
                        ),
                    };
                }
                if s.phase == RestorationPhase::RollingBack {
                    first = first.or(Some(index));
                } else {
                    replaying.push((index, s.next_replay.map(|id| id.height)));
                }
            }
        }
    }
    if let Some(index) = first {
        return Verdict::Continue {
            index,
            before: None,
        };
    }
    // The earliest next record first; a target with none, last (stable: spec order on ties).
    replaying.sort_by_key(|(_, next)| next.unwrap_or(u64::MAX));
    match replaying.as_slice() {
        [] => Verdict::Complete,
        [(index, next), rest @ ..] => {
            let others = rest.iter().filter_map(|(_, n)| *n).min();
            let before = match (next, others) {
                (Some(mine), Some(theirs)) => Some(theirs.max(mine.saturating_add(1))),
                _ => None,
            };
            Verdict::Continue {
                index: *index,
                before,
            }
        }
    }
}

/// Applies a verdict to a Running restoration: completes it (returning the unlock message
/// and every target's `Release`, row R12) or fails it (nothing is released: the completed
/// siblings of a failed target stay locked); leaves it running otherwise. Saves `r`.
///
/// The `Release`s are plain messages (all targets or none). The lock clearing replies on
/// error only: the guardian refuses it only when a newer operation holds a target's lock,
/// which it can take only once this restoration's lock (one end time for every target) has
/// expired; that lock stays, and the restoration still completes.
pub fn settle(
    deps: &mut cosmwasm_std::DepsMut,
    env: &Env,
    r: &mut Restoration,
    verdict: &Verdict,
) -> Result<Vec<SubMsg>, ContractError> {
    let msg = match verdict {
        Verdict::Continue { .. } => vec![],
        Verdict::Complete => {
            set_state(deps.storage, env, r, RestorationState::Complete)?;
            let mut msgs = vec![SubMsg::reply_on_error(
                clear_lock_msg(deps.as_ref(), r)?,
                UNLOCK_REPLY_ID,
            )];
            msgs.extend(release_msgs(deps.as_ref(), r)?.into_iter().map(SubMsg::new));
            msgs
        }
        Verdict::Fail { error } => {
            set_state(
                deps.storage,
                env,
                r,
                RestorationState::Failed {
                    error: error.clone(),
                },
            )?;
            vec![]
        }
    };
    RESTORATIONS.save(deps.storage, r.id, r)?;
    Ok(msg)
}

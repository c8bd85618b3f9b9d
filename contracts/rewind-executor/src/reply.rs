//! Submessage replies: a migration or crank that failed is recorded as Failed with its
//! error text instead of reverting the whole transaction (row R6). Unknown ids are refused.

use cosmwasm_std::{from_json, DepsMut, Env, Reply, Response, SubMsgResult};
use rewind_types::executor::RestorationState;
use rewind_types::ACTION;

use crate::error::ContractError;
use crate::execute::load_restoration;
use crate::progress::{read_status, refresh, set_state, settle, Verdict};
use crate::state::{ReplyContext, Restoration, CRANKING, RESTORATIONS};

/// The reply to a target's restore migration.
pub const MIGRATE_REPLY_ID: u64 = 1;
/// The reply to a target's crank.
pub const CRANK_REPLY_ID: u64 = 2;
/// The reply to a target's refusal of `Abandon` (sent on error only).
pub const ABANDON_REPLY_ID: u64 = 3;
/// The reply to the guardian's refusal to clear a completed or aborted restoration's lock
/// (on error only: a newer operation holds it after ours expired; that lock stays).
pub const UNLOCK_REPLY_ID: u64 = 4;

/// Dispatches a reply by id: a migration or crank step, a refused `Abandon`, or a refused
/// lock clearing; refuses an id the executor never used (row R6).
pub fn reply(deps: DepsMut, env: Env, msg: Reply) -> Result<Response, ContractError> {
    match msg.id {
        MIGRATE_REPLY_ID => on_step(deps, env, msg, "migrate"),
        CRANK_REPLY_ID => {
            CRANKING.remove(deps.storage);
            on_step(deps, env, msg, "crank")
        }
        ABANDON_REPLY_ID => on_abandon_error(deps, msg),
        UNLOCK_REPLY_ID => Ok(Response::new()
            .add_attribute(ACTION, "unlock_reply")
            .add_attribute("result", "failed")
            .add_attribute("error", reply_error(&msg.result))),
        id => Err(ContractError::UnknownReplyId { id }),
    }
}

fn reply_error(result: &SubMsgResult) -> String {
    match result {
        SubMsgResult::Err(error) => error.clone(),
        SubMsgResult::Ok(_) => String::new(),
    }
}

/// A target refused `Abandon`: the abort stands; the refusal is recorded on the target.
fn on_abandon_error(deps: DepsMut, msg: Reply) -> Result<Response, ContractError> {
    let ctx: ReplyContext = from_json(&msg.payload)?;
    let mut r = load_restoration(deps.as_ref(), ctx.restoration_id)?;
    let index = target_index(&r, &ctx)?;
    let error = reply_error(&msg.result);
    r.targets[index].abandon_error = Some(error.clone());
    let contract = r.targets[index].contract.clone();
    RESTORATIONS.save(deps.storage, r.id, &r)?;
    Ok(Response::new()
        .add_attribute(ACTION, "abandon_reply")
        .add_attribute("restoration_id", r.id.to_string())
        .add_attribute("target", contract)
        .add_attribute("result", "failed")
        .add_attribute("error", error))
}

fn target_index(r: &Restoration, ctx: &ReplyContext) -> Result<usize, ContractError> {
    let index = ctx.target_index as usize;
    if index >= r.targets.len() {
        return Err(ContractError::UnknownTargetIndex {
            restoration_id: r.id,
            index: ctx.target_index,
        });
    }
    Ok(index)
}

fn on_step(mut deps: DepsMut, env: Env, msg: Reply, step: &str) -> Result<Response, ContractError> {
    let ctx: ReplyContext = from_json(&msg.payload)?;
    let mut r = load_restoration(deps.as_ref(), ctx.restoration_id)?;
    let index = target_index(&r, &ctx)?;
    let contract = r.targets[index].contract.clone();
    let base = Response::new()
        .add_attribute(ACTION, format!("{step}_reply"))
        .add_attribute("restoration_id", r.id.to_string())
        .add_attribute("target", contract.to_string());
    match msg.result {
        SubMsgResult::Err(error) => {
            let error = format!("{step} of {contract} failed: {error}");
            if r.state == RestorationState::Running {
                set_state(
                    deps.storage,
                    &env,
                    &mut r,
                    RestorationState::Failed {
                        error: error.clone(),
                    },
                )?;
            }
            RESTORATIONS.save(deps.storage, r.id, &r)?;
            Ok(base
                .add_attribute("result", "failed")
                .add_attribute("error", error))
        }
        SubMsgResult::Ok(_) => {
            if step == "migrate" {
                r.targets[index].migrated = true;
            }
            if r.state != RestorationState::Running {
                // A sibling step already failed: record progress, keep the failure.
                if let Ok(status) = read_status(deps.as_ref(), &contract) {
                    r.targets[index].status = status;
                }
                RESTORATIONS.save(deps.storage, r.id, &r)?;
                return Ok(base.add_attribute("result", "ok"));
            }
            let verdict = refresh(deps.as_ref(), &mut r);
            let unlock = settle(&mut deps, &env, &mut r, &verdict)?;
            let state = match verdict {
                Verdict::Continue { .. } => "running",
                Verdict::Complete => "complete",
                Verdict::Fail { .. } => "failed",
            };
            Ok(base
                .add_submessages(unlock)
                .add_attribute("result", "ok")
                .add_attribute("state", state))
        }
    }
}

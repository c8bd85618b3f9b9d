//! Governance aborts a restoration that failed or outlived its lock (row R13).

use cosmwasm_std::{to_json_binary, DepsMut, Env, MessageInfo, Response, SubMsg, WasmMsg};
use rewind_types::executor::RestorationState;
use rewind_types::{RestorableMigrateMsg, ACTION};

use super::{ensure_governance, load_restoration, plus_seconds};
use crate::error::ContractError;
use crate::progress::{clear_lock_msg, set_state};
use crate::reply::{ABANDON_REPLY_ID, UNLOCK_REPLY_ID};
use crate::state::{ReplyContext, RESTORATIONS, SETTINGS};

/// `Abort`, from governance only: gives up on a restoration that Failed, or that is still Running past the end
/// of its lock (row R13: a target that never finishes cannot hold the others forever).
///
/// Every target of it (completed, failed and never migrated alike: the targets of one
/// restoration leave it together, row R12) is migrated to its current code with
/// `RestorableMigrateMsg::Abandon { exit_only_until: now + exit_only_seconds }`, the
/// restoration becomes Aborted (its targets are free again) and the guardian lock is
/// cleared. Each `Abandon` and the lock clearing are submessages that reply on error only:
/// a target that refuses is recorded (`abandon_error`) instead of making the abort
/// impossible, and, no longer held, can be repaired by a voted `Upgrade`.
pub fn abort(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    restoration_id: u64,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let mut r = load_restoration(deps.as_ref(), restoration_id)?;
    let settings = SETTINGS.load(deps.storage)?;
    let from = match &r.state {
        RestorationState::Failed { .. } => "failed",
        RestorationState::Running => {
            // A record from before the lock end was stored: its lock began at the start.
            let lock_until = match r.lock_until {
                Some(until) => until,
                None => plus_seconds(r.started_at, settings.lock_seconds)?,
            };
            if env.block.time < lock_until {
                return Err(ContractError::LockNotExpired {
                    restoration_id,
                    lock_until,
                });
            }
            "running"
        }
        RestorationState::Complete | RestorationState::Aborted => {
            return Err(ContractError::NotFailed { restoration_id })
        }
    };
    let exit_only_until = plus_seconds(env.block.time, settings.exit_only_seconds)?;
    r.exit_only_until = Some(exit_only_until);
    set_state(deps.storage, &env, &mut r, RestorationState::Aborted)?;
    let abandon = to_json_binary(&RestorableMigrateMsg::Abandon { exit_only_until })?;
    let mut res = Response::new().add_submessage(SubMsg::reply_on_error(
        clear_lock_msg(deps.as_ref(), &r)?,
        UNLOCK_REPLY_ID,
    ));
    for (index, t) in r.targets.iter_mut().enumerate() {
        let code_id = deps
            .querier
            .query_wasm_contract_info(t.contract.to_string())?
            .code_id;
        let ctx = ReplyContext {
            restoration_id,
            target_index: u32::try_from(index).map_err(|_| ContractError::Overflow {})?,
        };
        res = res.add_submessage(
            SubMsg::reply_on_error(
                WasmMsg::Migrate {
                    contract_addr: t.contract.to_string(),
                    new_code_id: code_id,
                    msg: abandon.clone(),
                },
                ABANDON_REPLY_ID,
            )
            .with_payload(to_json_binary(&ctx)?),
        );
        t.abandoned = true;
        t.abandon_error = None;
    }
    RESTORATIONS.save(deps.storage, restoration_id, &r)?;
    Ok(res
        .add_attribute(ACTION, "abort")
        .add_attribute("restoration_id", restoration_id.to_string())
        .add_attribute("from", from)
        .add_attribute("targets", r.targets.len().to_string())
        .add_attribute("exit_only_until", exit_only_until.seconds().to_string()))
}

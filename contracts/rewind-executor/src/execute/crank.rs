//! Anyone continues a running restoration by one bounded batch on one target.

use cosmwasm_std::{to_json_binary, DepsMut, Env, MessageInfo, Order, Response, SubMsg, WasmMsg};
use rewind_types::executor::RestorationState;
use rewind_types::{RestorableExecuteMsg, ACTION};

use super::load_restoration;
use crate::error::ContractError;
use crate::progress::{refresh, settle, Verdict};
use crate::reply::CRANK_REPLY_ID;
use crate::state::{ReplyContext, CRANKING, RUNNING, SETTINGS};

/// The limit a crank uses: the default when none is named; zero and above the maximum are
/// refused (row D1).
pub fn resolve_limit(limit: Option<u32>, default: u32, max: u32) -> Result<u32, ContractError> {
    match limit {
        None => Ok(default),
        Some(0) => Err(ContractError::ZeroCrankLimit {}),
        Some(limit) if limit > max => Err(ContractError::CrankLimitTooHigh { limit, max }),
        Some(limit) => Ok(limit),
    }
}

/// `Crank { restoration_id, limit }`, open to anyone: re-reads the targets, completes or
/// fails the restoration if their statuses say so, or sends one bounded batch (row D1) to
/// the next target with work, guarded against re-entry (row R7).
pub fn crank(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    restoration_id: Option<u64>,
    limit: Option<u32>,
) -> Result<Response, ContractError> {
    let settings = SETTINGS.load(deps.storage)?;
    let limit = resolve_limit(
        limit,
        settings.default_crank_limit,
        settings.max_crank_limit,
    )?;
    // Re-entrancy guard (row R7): set below before dispatch, cleared in the reply.
    if let Some(restoration_id) = CRANKING.may_load(deps.storage)? {
        return Err(ContractError::Reentrancy { restoration_id });
    }
    let restoration_id = match restoration_id {
        Some(id) => id,
        None => RUNNING
            .keys(deps.storage, None, None, Order::Ascending)
            .next()
            .transpose()?
            .ok_or(ContractError::NothingToCrank {})?,
    };
    let mut r = load_restoration(deps.as_ref(), restoration_id)?;
    if r.state != RestorationState::Running {
        return Err(ContractError::NotRunning { restoration_id });
    }
    let verdict = refresh(deps.as_ref(), &mut r);
    let unlock = settle(&mut deps, &env, &mut r, &verdict)?;
    let base = Response::new()
        .add_attribute(ACTION, "crank")
        .add_attribute("restoration_id", restoration_id.to_string())
        .add_attribute("cranked_by", info.sender);
    let (index, before) = match verdict {
        Verdict::Continue { index, before } => (index, before),
        Verdict::Complete => {
            return Ok(base
                .add_submessages(unlock)
                .add_attribute("state", "complete"))
        }
        Verdict::Fail { error } => {
            return Ok(base
                .add_attribute("state", "failed")
                .add_attribute("error", error))
        }
    };
    let target = r.targets[index].contract.clone();
    CRANKING.save(deps.storage, &restoration_id)?;
    let ctx = ReplyContext {
        restoration_id,
        target_index: u32::try_from(index).map_err(|_| ContractError::Overflow {})?,
    };
    let msg = SubMsg::reply_always(
        WasmMsg::Execute {
            contract_addr: target.to_string(),
            msg: to_json_binary(&match before {
                None => RestorableExecuteMsg::Crank { limit: Some(limit) },
                Some(height) => RestorableExecuteMsg::CrankBefore {
                    limit: Some(limit),
                    height,
                },
            })?,
            funds: vec![],
        },
        CRANK_REPLY_ID,
    )
    .with_payload(to_json_binary(&ctx)?);
    Ok(base
        .add_submessage(msg)
        .add_attribute("target", target)
        .add_attribute("limit", limit.to_string()))
}

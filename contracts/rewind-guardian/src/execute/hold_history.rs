//! `HoldHistory`: governance keeps the history of targets restorable while a restoration
//! proposal is decided (row G12): forwarded to each target as `Gate(HoldHistory)`. Never
//! subject to a pause or a lock (row P4).

use cosmwasm_std::{to_json_binary, DepsMut, Env, MessageInfo, Response, Timestamp, WasmMsg};
use rewind_types::{GateMsg, RestorableExecuteMsg, ACTION};

use super::{ensure_governance, ensure_registered, validate_targets};
use crate::error::ContractError;
use crate::policy::{add_seconds, MAX_HOLD_SECONDS};

/// Forwards `Gate(HoldHistory { from_height, until })` to every named target. Governance
/// only; the targets must be registered; `until` in the future and within
/// `MAX_HOLD_SECONDS`. Atomic: one refused target refuses the whole message.
pub fn hold_history(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    targets: Vec<String>,
    from_height: u64,
    until: Timestamp,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let targets = validate_targets(deps.api, &targets)?;
    let now = env.block.time;
    if until <= now {
        return Err(ContractError::HoldInPast { until });
    }
    let max = Timestamp::from_seconds(add_seconds(now.seconds(), MAX_HOLD_SECONDS)?);
    if until > max {
        return Err(ContractError::HoldTooLong { until, max });
    }
    let msg = to_json_binary(&RestorableExecuteMsg::Gate(GateMsg::HoldHistory {
        from_height,
        until,
    }))?;
    let mut res = Response::new();
    for target in &targets {
        ensure_registered(deps.storage, target)?;
        res = res.add_message(WasmMsg::Execute {
            contract_addr: target.to_string(),
            msg: msg.clone(),
            funds: vec![],
        });
    }
    Ok(res
        .add_attribute(ACTION, "hold_history")
        .add_attribute("targets", targets.len().to_string())
        .add_attribute("from_height", from_height.to_string())
        .add_attribute("until", until.seconds().to_string()))
}

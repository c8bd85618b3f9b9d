//! `ExtendPause`: governance moves the end of a running pause later. Never subject to a
//! pause itself (row P4), but bound by the exit policy like every pause path.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Timestamp};
use rewind_types::{PauseScope, ACTION};

use super::{actions_of, active_pause, ensure_governance, ensure_pausable, push_pause};
use crate::error::ContractError;
use crate::policy::{add_seconds, MAX_GOVERNANCE_PAUSE_SECONDS};
use crate::state::PAUSES;
use crate::stretch;

/// Moves the end of a running pause later. The target must still be registered, declare
/// the scope (or it is `all`) and allow it (a pause of exits on a target whose exits are not pausable, left by an older
/// version, is never extended). The added time is governance's, not charged to the
/// guardian budget, and still bounded: every pause ends. The stretches of the actions it
/// stops last as long, so guardians may not join them beyond their cap (row P5).
pub fn extend_pause(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    target: String,
    scope: PauseScope,
    until: Timestamp,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&target)?;
    let declared = ensure_pausable(deps.storage, &target, &scope)?;
    let (id, mut record) = active_pause(deps.storage, &env, &target, &scope)?;
    if until <= record.end {
        return Err(ContractError::ExtensionNotLater {
            until,
            current: record.end,
        });
    }
    let max = Timestamp::from_seconds(add_seconds(
        env.block.time.seconds(),
        MAX_GOVERNANCE_PAUSE_SECONDS,
    )?);
    if until > max {
        return Err(ContractError::ExtensionTooLong { until, max });
    }
    record.end = until;
    record.extended_by_governance = true;
    PAUSES.save(deps.storage, (&target, id), &record)?;
    stretch::on_extend(
        deps.storage,
        &target,
        &actions_of(Some(&declared), &scope),
        until,
    )?;
    Ok(Response::new()
        .add_message(push_pause(&target, &scope, until)?)
        .add_attribute(ACTION, "extend_pause")
        .add_attribute("pause_id", id.to_string())
        .add_attribute("target", target)
        .add_attribute("scope", scope.as_str())
        .add_attribute("until", until.seconds().to_string()))
}

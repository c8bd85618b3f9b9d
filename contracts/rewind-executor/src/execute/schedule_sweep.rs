//! The voted, timelocked sweep of a target's frozen claims and surplus (rows G10, T2).
//!
//! Governance schedules it (a passed `SweepFrozen` parameter proposal); it waits the
//! timelock's current delay (seconds and blocks), exactly as a restoration does; then anyone
//! executes it ([`execute_sweep`](super::execute_sweep)), once, before the timelock's grace
//! period ends: the executor, the target's wasm admin, sends the target
//! `RestorableMigrateMsg::Sweep { to }` at its current code id. Governance may cancel it
//! while pending ([`cancel_sweep`](super::cancel_sweep)). Nothing else moves frozen funds.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_types::executor::{SweepResponse, SweepStatus};
use rewind_types::{timelock, ACTION};

use super::{ensure_governance, ensure_not_restoring, plus_seconds};
use crate::error::ContractError;
use crate::state::{LAST_APPLIED, SWEEPS, SWEEP_COUNT};

/// `ScheduleSweep { target, to }`, from governance only.
pub fn schedule_sweep(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    target: String,
    to: Option<String>,
) -> Result<Response, ContractError> {
    let modules = ensure_governance(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&target)?;
    let to = to.map(|t| deps.api.addr_validate(&t)).transpose()?;
    ensure_not_restoring(deps.as_ref(), &target)?;
    let settings = deps
        .querier
        .query_wasm_smart::<timelock::ConfigResponse>(
            &modules.timelock,
            &timelock::QueryMsg::Config {},
        )?
        .settings;
    let eta = plus_seconds(env.block.time, settings.delay_seconds)?;
    let expires_at = plus_seconds(eta, settings.grace_period_seconds)?;
    let eta_height = env
        .block
        .height
        .checked_add(settings.min_delay_blocks)
        .ok_or(ContractError::Overflow {})?;
    let id = SWEEP_COUNT
        .may_load(deps.storage)?
        .unwrap_or_default()
        .checked_add(1)
        .ok_or(ContractError::Overflow {})?;
    SWEEP_COUNT.save(deps.storage, &id)?;
    let after_restoration = LAST_APPLIED.may_load(deps.storage, &target)?;
    let sweep = SweepResponse {
        id,
        target,
        to,
        scheduled_at: env.block.time,
        eta,
        eta_height,
        expires_at,
        after_restoration,
        status: SweepStatus::Pending,
        finished_at: None,
    };
    SWEEPS.save(deps.storage, id, &sweep)?;
    Ok(Response::new()
        .add_attribute(ACTION, "schedule_sweep")
        .add_attribute("sweep_id", id.to_string())
        .add_attribute("target", sweep.target.as_str())
        .add_attribute("to", sweep.to.as_ref().map_or("insurance", |a| a.as_str()))
        .add_attribute("eta", eta.seconds().to_string())
        .add_attribute("eta_height", eta_height.to_string()))
}

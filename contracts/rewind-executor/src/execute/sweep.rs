//! The voted, timelocked sweep of a target's frozen claims and surplus (rows G10, T2).
//!
//! Governance schedules it (a passed `SweepFrozen` parameter proposal); it waits the
//! timelock's current delay (seconds and blocks), exactly as a restoration does; then anyone
//! executes it, once, before the timelock's grace period ends: the executor, the target's wasm admin, sends the target
//! `RestorableMigrateMsg::Sweep { to }` at its current code id. Governance may cancel it
//! while pending. Nothing else moves frozen funds.

use cosmwasm_std::{to_json_binary, Addr, Deps, DepsMut, Env, MessageInfo, Response, WasmMsg};
use rewind_types::executor::{RestorationState, SweepResponse, SweepStatus};
use rewind_types::{timelock, RestorableMigrateMsg, ACTION};

use super::{ensure_governance, load_restoration, plus_seconds};
use crate::error::ContractError;
use crate::state::{ACTIVE_TARGETS, LAST_APPLIED, SWEEPS, SWEEP_COUNT};

/// Refuses while a Running restoration holds `target`.
fn ensure_not_restoring(deps: Deps, target: &Addr) -> Result<(), ContractError> {
    if let Some(restoration_id) = ACTIVE_TARGETS.may_load(deps.storage, target)? {
        let r = load_restoration(deps, restoration_id)?;
        if r.state == RestorationState::Running {
            return Err(ContractError::SweepDuringRestoration {
                target: target.clone(),
                restoration_id,
            });
        }
    }
    Ok(())
}

/// Loads a sweep or refuses with `SweepNotFound`.
pub fn load_sweep(deps: Deps, id: u64) -> Result<SweepResponse, ContractError> {
    SWEEPS
        .may_load(deps.storage, id)?
        .ok_or(ContractError::SweepNotFound { id })
}

fn ensure_pending(sweep: &SweepResponse) -> Result<(), ContractError> {
    if sweep.status != SweepStatus::Pending {
        return Err(ContractError::SweepNotPending {
            id: sweep.id,
            status: sweep.status,
        });
    }
    Ok(())
}

/// `ScheduleSweep { target, to }`, from governance only.
pub fn schedule(
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

/// `ExecuteSweep { id }`: anyone, once, at or after its eta (time and height) and before it
/// expires; refused while a restoration of the target runs, and for good once one was
/// applied to the target after the sweep was scheduled (the frozen set the vote saw changed).
pub fn execute(deps: DepsMut, env: Env, id: u64) -> Result<Response, ContractError> {
    let mut sweep = load_sweep(deps.as_ref(), id)?;
    ensure_pending(&sweep)?;
    if env.block.time < sweep.eta || env.block.height < sweep.eta_height {
        return Err(ContractError::SweepNotDue {
            id,
            eta: sweep.eta,
            eta_height: sweep.eta_height,
        });
    }
    if env.block.time >= sweep.expires_at {
        return Err(ContractError::SweepExpired {
            id,
            expires_at: sweep.expires_at,
        });
    }
    ensure_not_restoring(deps.as_ref(), &sweep.target)?;
    let last = LAST_APPLIED.may_load(deps.storage, &sweep.target)?;
    if last != sweep.after_restoration {
        return Err(ContractError::SweepOutdated {
            id,
            target: sweep.target.clone(),
            restoration_id: last.unwrap_or_default(),
        });
    }
    let code_id = deps
        .querier
        .query_wasm_contract_info(sweep.target.to_string())?
        .code_id;
    sweep.status = SweepStatus::Executed;
    sweep.finished_at = Some(env.block.time);
    SWEEPS.save(deps.storage, id, &sweep)?;
    let migrate = WasmMsg::Migrate {
        contract_addr: sweep.target.to_string(),
        new_code_id: code_id,
        msg: to_json_binary(&RestorableMigrateMsg::Sweep {
            to: sweep.to.as_ref().map(Addr::to_string),
        })?,
    };
    Ok(Response::new()
        .add_message(migrate)
        .add_attribute(ACTION, "execute_sweep")
        .add_attribute("sweep_id", id.to_string())
        .add_attribute("target", sweep.target.as_str())
        .add_attribute("to", sweep.to.as_ref().map_or("insurance", |a| a.as_str())))
}

/// `CancelSweep { id }`, from governance only, while pending.
pub fn cancel(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    id: u64,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let mut sweep = load_sweep(deps.as_ref(), id)?;
    ensure_pending(&sweep)?;
    sweep.status = SweepStatus::Cancelled;
    sweep.finished_at = Some(env.block.time);
    SWEEPS.save(deps.storage, id, &sweep)?;
    Ok(Response::new()
        .add_attribute(ACTION, "cancel_sweep")
        .add_attribute("sweep_id", id.to_string())
        .add_attribute("target", sweep.target.as_str()))
}

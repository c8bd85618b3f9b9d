//! Anyone executes a due sweep, once (rows G10, T2).

use cosmwasm_std::{to_json_binary, Addr, DepsMut, Env, Response, WasmMsg};
use rewind_types::executor::SweepStatus;
use rewind_types::{RestorableMigrateMsg, ACTION};

use super::{ensure_not_restoring, ensure_pending, load_sweep};
use crate::error::ContractError;
use crate::state::{LAST_APPLIED, SWEEPS};

/// `ExecuteSweep { id }`: anyone, once, at or after its eta (time and height) and before it
/// expires; refused while a restoration of the target runs, and for good once one was
/// applied to the target after the sweep was scheduled (the frozen set the vote saw changed).
pub fn execute_sweep(deps: DepsMut, env: Env, id: u64) -> Result<Response, ContractError> {
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

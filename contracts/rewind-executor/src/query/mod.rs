//! Read-only views: config, one restoration with per-target progress, and the list.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env};
use rewind_types::executor::{
    ConfigResponse, QueryMsg, RestorationResponse, RestorationsResponse, SweepsResponse,
    TargetProgress,
};
use rewind_types::page_by_id;

use crate::error::ContractError;
use crate::execute::{load_restoration, load_sweep};
use crate::state::{Restoration, MODULES, RESTORATIONS, SETTINGS, SWEEPS};

/// The query view of a restoration.
pub fn to_response(r: Restoration) -> RestorationResponse {
    RestorationResponse {
        id: r.id,
        spec: r.spec,
        state: r.state,
        targets: r
            .targets
            .into_iter()
            .map(|t| TargetProgress {
                contract: t.contract,
                migrated: t.migrated,
                status: t.status,
                released: t.released,
                abandoned: t.abandoned,
                abandon_error: t.abandon_error,
            })
            .collect(),
        started_at: r.started_at,
        finished_at: r.finished_at,
        lock_until: r.lock_until,
        exit_only_until: r.exit_only_until,
    }
}

/// Answers every query.
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&ConfigResponse {
            settings: SETTINGS.load(deps.storage)?,
            modules: MODULES.load(deps.storage)?,
        })?,
        QueryMsg::Restoration { restoration_id } => {
            to_json_binary(&to_response(load_restoration(deps, restoration_id)?))?
        }
        QueryMsg::Restorations { start_after, limit } => {
            let restorations =
                page_by_id(&RESTORATIONS, deps.storage, start_after, limit, to_response)?;
            to_json_binary(&RestorationsResponse { restorations })?
        }
        QueryMsg::Sweep { id } => to_json_binary(&load_sweep(deps, id)?)?,
        QueryMsg::Sweeps { start_after, limit } => {
            let sweeps = page_by_id(&SWEEPS, deps.storage, start_after, limit, |s| s)?;
            to_json_binary(&SweepsResponse { sweeps })?
        }
    })
}

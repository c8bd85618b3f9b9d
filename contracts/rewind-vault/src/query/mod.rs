//! Queries: [`query`] dispatches, one file per topic answers. rewind-target answers the
//! restorable queries (`journal_info`, `digest_at`, `restoration_status`,
//! `restoration_check`, `scopes`, `check_config`, `replay_report`, `replay_preview`) and hands
//! these a read-only view of the journaled storage.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env};
use rewind_types::vault::QueryMsg;

use crate::error::ContractError;
use crate::state::CONFIG;

pub mod account;
pub mod market;
pub mod pause;
pub mod restoration;

/// Dispatches one of the vault's own queries.
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&CONFIG.load(deps.storage)?)?,
        QueryMsg::Account { address } => to_json_binary(&account::account(deps, address)?)?,
        QueryMsg::Market { market } => to_json_binary(&market::market_response(deps, &market)?)?,
        QueryMsg::Markets { start_after, limit } => {
            to_json_binary(&market::markets(deps, start_after, limit)?)?
        }
        QueryMsg::Price { market } => to_json_binary(&market::price(deps, market)?)?,
        QueryMsg::Totals {} => to_json_binary(&market::totals(deps)?)?,
        QueryMsg::Invariants {} => to_json_binary(&crate::invariants::query(deps, &env)?)?,
        QueryMsg::PauseStatus {} => to_json_binary(&pause::pause_status(deps, &env)?)?,
        QueryMsg::RestorationProgress {} => {
            to_json_binary(&restoration::restoration_progress(deps, &env)?)?
        }
        QueryMsg::RestorationReport { restoration_id } => {
            to_json_binary(&restoration::report(deps, restoration_id)?)?
        }
        QueryMsg::RestorationClaims {
            restoration_id,
            start_after,
            limit,
        } => to_json_binary(&restoration::claims(
            deps,
            restoration_id,
            start_after,
            limit,
        )?)?,
    })
}

//! Queries: [`query`] dispatches, one file per topic answers.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env};
use rewind_journal::{digest_at, journal_info};
use rewind_types::vault::QueryMsg;

use crate::error::ContractError;
use crate::state::CONFIG;

pub mod account;
pub mod market;
pub mod pause;
pub mod restoration;

/// Dispatches a query.
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
        QueryMsg::PauseStatus {} => to_json_binary(&pause::pause_status(deps, &env)?)?,
        QueryMsg::Scopes {} => to_json_binary(&rewind_types::ScopesResponse {
            scopes: rewind_types::vault::SCOPES.to_vec(),
        })?,
        QueryMsg::JournalInfo {} => to_json_binary(&journal_info(deps.storage, &env)?)?,
        QueryMsg::DigestAt { height } => to_json_binary(&digest_at(deps.storage, &env, height)?)?,
        QueryMsg::RestorationCheck { heights, accounts } => to_json_binary(
            &restoration::restoration_check(deps, &env, &heights, &accounts)?,
        )?,
        QueryMsg::RestorationStatus {} => to_json_binary(&restoration::restoration_status(deps)?)?,
        QueryMsg::RestorationProgress {} => {
            to_json_binary(&restoration::restoration_progress(deps)?)?
        }
        QueryMsg::RestorationReport { restoration_id } => {
            to_json_binary(&restoration::report(deps, restoration_id)?)?
        }
        QueryMsg::CheckConfig { config } => to_json_binary(&crate::migrations::configure::check(
            deps.api,
            deps.storage,
            &config,
        ))?,
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

//! Queries.

use cosmwasm_std::{
    to_json_binary, Addr, Binary, Coin, Deps, Env, Int128, Int256, Order, StdResult, Uint128,
};
use cw_storage_plus::Bound;
use rewind_journal::{account_activity, digest_at, gate_state, journal_info};
use rewind_types::clamp_limit;
use rewind_types::restorable::{
    RestorationCheckResponse, RestorationPhase, RestorationStatusResponse,
};
use rewind_types::vault::{
    AccountClaim, AccountResponse, ClaimsResponse, ConfigResponse, DenomEquity, MarketResponse,
    MarketsResponse, PauseStatusResponse, PositionResponse, PriceResponse, QueryMsg,
    RestorationProgressResponse, RestorationReport, RestorationStep, ScopePause, TotalsResponse,
};
use rewind_types::PauseScope;

use crate::error::ContractError;
use crate::math;
use crate::state::{
    is_frozen, market, total, Position, CLAIMS, COLLATERAL, CONFIG, MARKETS, POSITIONS, PRICES,
    REPORTS, RESTORATION,
};

/// Dispatches a query.
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&config(deps)?)?,
        QueryMsg::Account { address } => to_json_binary(&account(deps, address)?)?,
        QueryMsg::Market { market } => to_json_binary(&market_response(deps, &market)?)?,
        QueryMsg::Markets { start_after, limit } => {
            to_json_binary(&markets(deps, start_after, limit)?)?
        }
        QueryMsg::Price { market: id } => {
            market(deps.storage, &id)?;
            to_json_binary(&PriceResponse {
                price: PRICES.may_load(deps.storage, id.clone())?,
                market: id,
            })?
        }
        QueryMsg::Totals {} => to_json_binary(&totals(deps)?)?,
        QueryMsg::PauseStatus {} => to_json_binary(&pause_status(deps, &env)?)?,
        QueryMsg::JournalInfo {} => to_json_binary(&journal_info(deps.storage, &env)?)?,
        QueryMsg::DigestAt { height } => to_json_binary(&digest_at(deps.storage, &env, height)?)?,
        QueryMsg::RestorationCheck { heights, accounts } => {
            to_json_binary(&restoration_check(deps, &env, &heights, &accounts)?)?
        }
        QueryMsg::RestorationStatus {} => to_json_binary(&restoration_status(deps)?)?,
        QueryMsg::RestorationProgress {} => to_json_binary(&restoration_progress(deps)?)?,
        QueryMsg::RestorationReport { restoration_id } => {
            to_json_binary(&report(deps, restoration_id)?)?
        }
        QueryMsg::RestorationClaims {
            restoration_id,
            start_after,
            limit,
        } => to_json_binary(&claims(deps, restoration_id, start_after, limit)?)?,
    })
}

fn config(deps: Deps) -> StdResult<ConfigResponse> {
    CONFIG.load(deps.storage)
}

fn position_response(
    deps: Deps,
    market_id: String,
    p: Position,
) -> Result<PositionResponse, ContractError> {
    let params = market(deps.storage, &market_id)?;
    let mark = PRICES
        .may_load(deps.storage, market_id.clone())?
        .map_or(p.entry_price, |r| r.price);
    let pnl = math::pnl(p.size, p.entry_price, mark)?;
    let equity = math::equity(p.margin, pnl)?;
    let maintenance = math::margin_requirement(p.size, mark, params.maintenance_margin_ratio)?;
    Ok(PositionResponse {
        market: market_id,
        denom: params.denom,
        size: p.size,
        entry_price: p.entry_price,
        margin: p.margin,
        pnl,
        equity,
        liquidatable: equity < Int128::try_from(maintenance)?,
    })
}

fn latest_claim(deps: Deps, account: &Addr) -> StdResult<Option<Vec<Coin>>> {
    let Some(r) = RESTORATION.may_load(deps.storage)? else {
        return Ok(None);
    };
    if r.step != RestorationStep::Complete {
        return Ok(None);
    }
    Ok(CLAIMS
        .may_load(deps.storage, (r.id, account))?
        .map(|c| c.after))
}

fn account(deps: Deps, address: String) -> Result<AccountResponse, ContractError> {
    let account = deps.api.addr_validate(&address)?;
    let cfg = CONFIG.load(deps.storage)?;
    let collateral: Vec<(String, Uint128)> = COLLATERAL
        .prefix(account.clone())
        .range(deps.storage, None, None, Order::Ascending)
        .collect::<StdResult<_>>()?;
    let positions = POSITIONS
        .prefix(account.clone())
        .range(deps.storage, None, None, Order::Ascending)
        .collect::<StdResult<Vec<_>>>()?
        .into_iter()
        .map(|(m, p)| position_response(deps, m, p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut equity = Vec::with_capacity(cfg.denoms.len());
    for denom in &cfg.denoms {
        let free = collateral
            .iter()
            .find(|(d, _)| d == denom)
            .map_or(Uint128::zero(), |(_, a)| *a);
        let mut e = Int256::from(free);
        for p in positions.iter().filter(|p| &p.denom == denom) {
            e = e.checked_add(Int256::from(p.equity))?;
        }
        equity.push(DenomEquity {
            denom: denom.clone(),
            equity: e,
        });
    }
    Ok(AccountResponse {
        frozen: is_frozen(deps.storage, &account)?,
        claim: latest_claim(deps, &account)?,
        collateral: collateral
            .into_iter()
            .filter(|(_, a)| !a.is_zero())
            .map(|(d, a)| Coin::new(a, d))
            .collect(),
        positions,
        equity,
        account,
    })
}

fn market_response(deps: Deps, id: &str) -> Result<MarketResponse, ContractError> {
    Ok(MarketResponse {
        params: market(deps.storage, id)?,
        price: PRICES.may_load(deps.storage, id.to_string())?,
    })
}

fn markets(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<MarketsResponse, ContractError> {
    let min = start_after.as_deref().map(Bound::exclusive);
    let ids: Vec<String> = MARKETS
        .keys(deps.storage, min, None, Order::Ascending)
        .take(clamp_limit(limit))
        .collect::<StdResult<_>>()?;
    Ok(MarketsResponse {
        markets: ids
            .iter()
            .map(|id| market_response(deps, id))
            .collect::<Result<_, _>>()?,
    })
}

fn totals(deps: Deps) -> Result<TotalsResponse, ContractError> {
    let cfg = CONFIG.load(deps.storage)?;
    Ok(TotalsResponse {
        totals: cfg
            .denoms
            .iter()
            .map(|d| Ok(Coin::new(total(deps.storage, d)?, d)))
            .collect::<Result<_, ContractError>>()?,
    })
}

fn pause_status(deps: Deps, env: &Env) -> Result<PauseStatusResponse, ContractError> {
    let gate = gate_state(deps.storage)?;
    let cfg = CONFIG.load(deps.storage)?;
    let now = env.block.time;
    let locked = gate.restoration_pending(now) && !gate.stuck(now);
    let exit_only = gate.exit_only(now);
    let scopes = PauseScope::ALL_SCOPES
        .iter()
        .map(|&scope| {
            let own = gate
                .paused_until
                .iter()
                .find(|p| p.scope == scope && now < p.until)
                .map(|p| p.until);
            let stopped_by_pause = if scope == PauseScope::Withdraw && !cfg.exits_pausable {
                false
            } else {
                gate.active_pause(scope, now).is_some()
            };
            let closed = if exit_only {
                scope != PauseScope::Withdraw
            } else {
                locked
            };
            ScopePause {
                scope,
                blocked: closed || stopped_by_pause,
                paused_until: own,
                seconds_left: own.map_or(0, |u| u.seconds().saturating_sub(now.seconds())),
            }
        })
        .collect();
    Ok(PauseStatusResponse {
        scopes,
        restoration_lock_until: gate.active_lock(now),
        restoring: gate.restoring,
        exit_only: gate.exit_only(now),
    })
}

/// `JournalInfo` plus one `DigestAt` outcome per height (a refused height carries the exact
/// text the `DigestAt` query fails with) and the last activity of each asked account
/// (validated, capped: row G14).
fn restoration_check(
    deps: Deps,
    env: &Env,
    heights: &[u64],
    accounts: &[String],
) -> Result<RestorationCheckResponse, ContractError> {
    let journal = journal_info(deps.storage, env)?;
    let mut response = RestorationCheckResponse::build(journal, heights, |height| {
        digest_at(deps.storage, env, height).map_err(ContractError::from)
    })?;
    response.activity = account_activity(deps.storage, deps.api, accounts)?;
    Ok(response)
}

fn restoration_status(deps: Deps) -> StdResult<RestorationStatusResponse> {
    let Some(r) = RESTORATION.may_load(deps.storage)? else {
        return Ok(RestorationStatusResponse {
            phase: RestorationPhase::Idle,
            height: None,
            undone_entries: 0,
            replayed_flows: 0,
            digest_verified: false,
            total_claims: Uint128::zero(),
        });
    };
    let complete = r.step == RestorationStep::Complete;
    Ok(RestorationStatusResponse {
        phase: match r.step {
            RestorationStep::RollingBack => RestorationPhase::RollingBack,
            RestorationStep::Complete => RestorationPhase::Complete,
            // No restoration runs any more (row R13).
            RestorationStep::Abandoned => RestorationPhase::Idle,
            _ => RestorationPhase::Replaying,
        },
        height: Some(r.height),
        undone_entries: r.undone_entries,
        replayed_flows: r.replayed_flows,
        digest_verified: r.digest_verified,
        // Summed over denoms (one number in the shared interface); per denom in the report.
        total_claims: if complete {
            r.denoms
                .iter()
                .fold(Uint128::zero(), |acc, d| acc.saturating_add(d.claims_after))
        } else {
            Uint128::zero()
        },
    })
}

fn restoration_progress(deps: Deps) -> StdResult<RestorationProgressResponse> {
    let r = RESTORATION.may_load(deps.storage)?;
    Ok(RestorationProgressResponse {
        restoration_id: r.as_ref().map(|r| r.id),
        height: r.as_ref().map(|r| r.height),
        step: r.as_ref().map(|r| r.step),
        undone_entries: r.as_ref().map_or(0, |r| r.undone_entries),
        unwound_positions: r.as_ref().map_or(0, |r| r.unwound_positions),
        replayed_flows: r.as_ref().map_or(0, |r| r.replayed_flows),
        skipped_flows: r.as_ref().map_or(0, |r| r.skipped_flows),
        frozen_accounts: r.as_ref().map_or(0, |r| r.frozen_accounts),
        settled_balances: r.as_ref().map_or(0, |r| r.settled_balances),
    })
}

fn last_id(deps: Deps, id: Option<u64>) -> StdResult<Option<u64>> {
    match id {
        Some(id) => Ok(Some(id)),
        None => Ok(REPORTS
            .keys(deps.storage, None, None, Order::Descending)
            .next()
            .transpose()?),
    }
}

fn report(deps: Deps, id: Option<u64>) -> StdResult<Option<RestorationReport>> {
    match last_id(deps, id)? {
        Some(id) => REPORTS.may_load(deps.storage, id),
        None => Ok(None),
    }
}

fn claims(
    deps: Deps,
    id: Option<u64>,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<ClaimsResponse, ContractError> {
    let Some(id) = last_id(deps, id)? else {
        return Ok(ClaimsResponse {
            restoration_id: None,
            claims: vec![],
        });
    };
    let start = start_after
        .map(|a| deps.api.addr_validate(&a))
        .transpose()?;
    let min = start.as_ref().map(Bound::exclusive);
    let claims = CLAIMS
        .prefix(id)
        .range(deps.storage, min, None, Order::Ascending)
        .take(clamp_limit(limit))
        .map(|item| {
            item.map(|(account, c)| AccountClaim {
                account,
                frozen: c.frozen,
                before: c.before,
                after: c.after,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(ClaimsResponse {
        restoration_id: Some(id),
        claims,
    })
}

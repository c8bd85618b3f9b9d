//! `Account { address }`: collateral, positions at the last price, equity and the latest claim.

use cosmwasm_std::{Addr, Coin, Deps, Int128, Int256, Order, StdResult, Uint128};
use rewind_types::vault::{AccountResponse, DenomEquity, PositionResponse, RestorationStep};

use crate::error::ContractError;
use crate::math;
use crate::state::{
    is_frozen, market, Position, CLAIMS, COLLATERAL, CONFIG, POSITIONS, PRICES, RESTORATION,
};

/// A position at the market's last price (the entry price before any push).
pub fn position_response(
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

/// The account's claim after the last completed restoration, if any.
pub fn latest_claim(deps: Deps, account: &Addr) -> StdResult<Option<Vec<Coin>>> {
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

/// `Account { address }`.
pub fn account(deps: Deps, address: String) -> Result<AccountResponse, ContractError> {
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

//! Exits to a successor (issue 15), the `claim: (claim, claims_total)` hooks of
//! `restorable!`: in exit-only mode, `MoveToSuccessor {}` takes an account's whole settled
//! claim (its positions closed at the fallback price, then all its free collateral) and the
//! library sends it to the pinned successor.

use cosmwasm_std::{Addr, Coin, Deps, DepsMut, Env, Order, Uint128};

use crate::error::ContractError;
use crate::math;
use crate::state::{
    adjust_total, collateral, credit, debit, exit_price, market, total, Position, CONFIG, POSITIONS,
};

/// Closes every position of `account` at the fallback price (one per market: bounded by the
/// configured markets), then takes its free collateral in every denom.
pub fn claim(deps: DepsMut, env: &Env, account: &Addr) -> Result<Vec<Coin>, ContractError> {
    let positions: Vec<(String, Position)> = POSITIONS
        .prefix(account.clone())
        .range(deps.storage, None, None, Order::Ascending)
        .collect::<Result<_, _>>()?;
    for (market_id, position) in positions {
        let params = market(deps.storage, &market_id)?;
        let price = exit_price(deps.storage, env, &market_id, &position)?;
        let pnl = math::pnl(position.size, position.entry_price, price)?;
        let payout = math::payout(position.margin, pnl)?;
        POSITIONS.remove(deps.storage, (account.clone(), market_id));
        credit(deps.storage, account, &params.denom, payout)?;
        adjust_total(deps.storage, &params.denom, payout, position.margin)?;
    }
    let mut funds = Vec::new();
    for denom in CONFIG.load(deps.storage)?.denoms {
        let amount = collateral(deps.storage, account, &denom)?;
        if amount.is_zero() {
            continue;
        }
        debit(deps.storage, account, &denom, amount)?;
        adjust_total(deps.storage, &denom, Uint128::zero(), amount)?;
        funds.push(Coin::new(amount, denom));
    }
    Ok(funds)
}

/// What the vault still owes, per denom: its liabilities (free collateral and the margins of
/// open positions, at face value).
pub fn claims_total(deps: Deps) -> Result<Vec<Coin>, ContractError> {
    CONFIG
        .load(deps.storage)?
        .denoms
        .into_iter()
        .map(|denom| Ok(Coin::new(total(deps.storage, &denom)?, denom)))
        .collect()
}

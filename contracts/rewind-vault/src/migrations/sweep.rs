//! `Sweep { to }` (rows G10, R5): the voted, timelocked release of what no one else may move,
//! the `sweep:` hook of `restorable!`.
//!
//! Sent only by the executor (the wasm admin, the only sender of a migration) after a
//! governance vote and the timelock's delay; rewind-target refuses it on another code
//! version, while restoring or restoration-locked, and runs it without the frozen accounts'
//! write refusal. Per denom, it moves:
//! - every excluded account's remaining claim (the last restoration's exclusions, at most
//!   `rewind_target::migrate::MAX_EXCLUSIONS`): its free collateral set to zero and its open
//!   positions removed at their margin (the settlement valued them so); the account stays
//!   frozen;
//! - the surplus: the bank balance above the sum of all claims (donations, rounding).
//!
//! The amount sent is `bank - claims_after_the_sweep` (never negative): the honest claims
//! that remain are exactly covered (row R5), so what goes is the frozen claims as settled
//! plus the surplus, and an under-collateralised denom sends only what the honest claims do
//! not need. A second sweep with nothing left sends nothing.

use cosmwasm_std::{Addr, BankMsg, Coin, DepsMut, Env, Order, Response, StdResult, Uint128};

use crate::error::ContractError;
use crate::invariants::book_position;
use crate::state::{
    adjust_total, collateral, market, total, Position, COLLATERAL, CONFIG, POSITIONS, RESTORATION,
};

/// The frozen accounts a sweep covers: the last restoration's exclusions.
fn frozen_accounts(store: &dyn cosmwasm_std::Storage) -> Result<Vec<Addr>, ContractError> {
    Ok(RESTORATION
        .may_load(store)?
        .map(|r| r.exclusions)
        .unwrap_or_default())
}

/// `Sweep { to }`: see the module docs.
pub fn sweep(deps: DepsMut, env: &Env, to: Option<String>) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let recipient = match to {
        Some(to) => deps.api.addr_validate(&to)?,
        None => config.insurance.clone(),
    };
    let accounts = frozen_accounts(deps.storage)?;
    // Their open positions (at most MAX_MARKETS each), valued at their margin.
    let mut positions: Vec<((Addr, String), Position)> = vec![];
    for account in &accounts {
        let open: Vec<(String, Position)> = POSITIONS
            .prefix(account.clone())
            .range(deps.storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()?;
        positions.extend(open.into_iter().map(|(m, p)| ((account.clone(), m), p)));
    }
    let mut sent = Vec::with_capacity(config.denoms.len());
    let mut frozen_total = Vec::with_capacity(config.denoms.len());
    for denom in &config.denoms {
        let mut frozen = Uint128::zero();
        for account in &accounts {
            let claim = collateral(deps.storage, account, denom)?;
            if claim.is_zero() {
                continue;
            }
            COLLATERAL.save(
                deps.storage,
                (account.clone(), denom.clone()),
                &Uint128::zero(),
            )?;
            frozen = frozen.checked_add(claim)?;
        }
        for ((account, market_id), position) in &positions {
            if market(deps.storage, market_id)?.denom == *denom {
                POSITIONS.remove(deps.storage, (account.clone(), market_id.clone()));
                let (size, entry) = (position.size, position.entry_price);
                book_position(deps.storage, market_id, denom, size, entry, false)?;
                frozen = frozen.checked_add(position.margin)?;
            }
        }
        let remaining = total(deps.storage, denom)?.checked_sub(frozen)?;
        adjust_total(deps.storage, denom, Uint128::zero(), frozen)?;
        let bank = Uint128::try_from(
            deps.querier
                .query_balance(env.contract.address.as_str(), denom.as_str())?
                .amount,
        )?
        .saturating_sub(rewind_target::report::bounty_reserved(deps.storage, denom)?);
        let amount = bank.saturating_sub(remaining);
        if !frozen.is_zero() {
            frozen_total.push(Coin::new(frozen, denom.clone()));
        }
        if !amount.is_zero() {
            sent.push(Coin::new(amount, denom.clone()));
        }
    }
    let show = |coins: &[Coin]| {
        coins
            .iter()
            .map(Coin::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut resp = Response::new()
        .add_attribute("action", "sweep")
        .add_attribute("recipient", recipient.as_str())
        .add_attribute("amount", show(&sent))
        .add_attribute("frozen_amount", show(&frozen_total))
        .add_attribute("accounts", accounts.len().to_string());
    // One bank send per denom: a denom the recipient cannot take does not hide the others.
    for coin in sent {
        resp = resp.add_message(BankMsg::Send {
            to_address: recipient.to_string(),
            amount: vec![coin],
        });
    }
    Ok(resp)
}

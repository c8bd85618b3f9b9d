//! `Sweep { to }` (rows G10, R5): the voted, timelocked release of what no one else may move.
//!
//! Sent only by the executor (the wasm admin, the only sender of a migration) after a
//! governance vote and the timelock's delay. Per denom, it moves:
//! - every frozen account's remaining free collateral (the excluded accounts of the last
//!   restoration that are still frozen; at most `MAX_EXCLUSIONS`): set to zero, recorded as
//!   a withdrawal flow, the account stays frozen;
//! - the surplus: the bank balance above the sum of all claims (donations, rounding).
//!
//! The amount sent is `bank - claims_after_the_sweep` (never negative): the claims that
//! remain are exactly covered (row R5), and an under-collateralised denom sends only what
//! the honest claims do not need. A second sweep with nothing left sends nothing.

use cosmwasm_std::{Addr, BankMsg, Coin, DepsMut, Env, Int128, Response, Uint128};
use rewind_journal::{ensure_not_locked, record_flow, Journal};

use crate::error::ContractError;
use crate::restore::MAX_EXCLUSIONS;
use crate::state::{adjust_total, collateral, is_frozen, total, COLLATERAL, CONFIG, RESTORATION};

/// The frozen accounts a sweep covers: the last restoration's exclusions still frozen.
fn frozen_accounts(store: &dyn cosmwasm_std::Storage) -> Result<Vec<Addr>, ContractError> {
    let Some(r) = RESTORATION.may_load(store)? else {
        return Ok(vec![]);
    };
    let mut out = Vec::with_capacity(r.exclusions.len().min(MAX_EXCLUSIONS));
    for account in r.exclusions.iter().take(MAX_EXCLUSIONS) {
        if is_frozen(store, account)? {
            out.push(account.clone());
        }
    }
    Ok(out)
}

/// `Sweep { to }`: see the module docs.
pub fn sweep(deps: DepsMut, env: Env, to: Option<String>) -> Result<Response, ContractError> {
    ensure_not_locked(deps.storage, &env)?;
    let config = CONFIG.load(deps.storage)?;
    let recipient = match to {
        Some(to) => deps.api.addr_validate(&to)?,
        None => config.insurance.clone(),
    };
    let accounts = frozen_accounts(deps.storage)?;
    let mut j = Journal::new(&env);
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
                &mut j,
                (account.clone(), denom.clone()),
                &Uint128::zero(),
            )?;
            let out = Int128::zero().checked_sub(Int128::try_from(claim)?)?;
            record_flow(deps.storage, &env, account, denom, out)?;
            frozen = frozen.checked_add(claim)?;
        }
        let remaining = total(deps.storage, denom)?.checked_sub(frozen)?;
        adjust_total(deps.storage, &mut j, denom, Uint128::zero(), frozen)?;
        let bank = Uint128::try_from(
            deps.querier
                .query_balance(env.contract.address.as_str(), denom.as_str())?
                .amount,
        )?;
        let amount = bank.saturating_sub(remaining);
        if !frozen.is_zero() {
            frozen_total.push(Coin::new(frozen, denom.clone()));
        }
        if !amount.is_zero() {
            sent.push(Coin::new(amount, denom.clone()));
        }
    }
    j.flush(deps.storage)?;
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

//! The vault's in-line invariants (issue 16), checked by rewind-target after each execution
//! on the state it would leave (see `rewind_target::invariant`):
//!
//! - **solvency**, per denom: every claim (the liabilities `TOTALS`: free collateral plus
//!   margins) plus the unrealised PnL of the open positions at the last prices must stay
//!   within the bank balance (after the execution's own bank sends) plus the insurance
//!   account's claim. The insurance claim is subordinated: the vault may spend it before
//!   an honest depositor is short.
//! - **oracle_agreement**, per market: the feeder's last price stays within
//!   `oracle_bound_bps` of the independent reference feeder's last price. A push of either
//!   price that breaks it is refused.
//!
//! Both read running totals, never accounts: one [`Book`] record (per market: open interest
//! long and short, the sums of `size * entry price`, the last price and the reference
//! price; at most `MAX_MARKETS` entries), updated by each execution that moves a position
//! or a price (one read and one write), plus per denom the liabilities, the insurance claim
//! and the bank balance. PnL at price `p` is `(long - short) * p - long_cost + short_cost`:
//! the exact sum of the positions' PnL before rounding, which omits the floor at zero of an
//! underwater position's payout (its bad debt); the full evaluation is a `Report`'s.
//!
//! A refusal under either invariant drops the execution and pauses `trade` and `withdraw`
//! through the price breaker (the same record: its cap, cooldown and trip budget are shared
//! with price-move trips). During a restoration's replay solvency holds by itself (the
//! ledger is reconciled with the bank by the settlement, after the replay); the oracle
//! agreement is checked as live.
//!
//! Detect-only (`InvariantSettings::in_line == false`): the in-line checks hold by
//! themselves, every execution is taken, the book is kept; a `Report` evaluates the same
//! invariants in full and proves a violation (the incident, the pause, the bounty), and
//! `Invariants {}` hands watchers the settings and every input the checks read.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    Addr, Decimal, Decimal256, Deps, Env, Int128, Int256, Storage, Timestamp, Uint128, Uint256,
};
use cw_storage_plus::Item;
use rewind_target::invariant::{bank_after, TripHook};
use rewind_target::report::{bounty_reserved, ReportHook, Scan, Violation};
use rewind_target::{Invariant, InvariantEnv, InvariantPolicy, Invariants};
use rewind_types::vault::{
    DenomBacking, InvariantSettings, InvariantsResponse, MarketBook, TRADE, WITHDRAW,
};
use rewind_types::PauseScope;

use crate::error::ContractError;
use crate::math;
use crate::state::{collateral, total, CONFIG};

/// The invariants' settings (plain: configuration).
pub const GUARD: Item<Guard> = Item::new("vault_guard");
/// The running totals the invariants read (journaled: rolled back with the ledger).
pub const BOOK: Item<Book> = Item::new("vault_book");

/// The largest oracle bound (100 %).
pub const MAX_ORACLE_BOUND_BPS: u32 = 10_000;

/// The scopes a refusal pauses.
pub const REFUSAL_SCOPES: &[PauseScope] = &[TRADE, WITHDRAW];

/// The vault's invariants, declared to rewind-target (`restorable!`'s `invariants:`).
pub const INVARIANTS: Invariants<ContractError> = Invariants {
    list: &[
        Invariant {
            name: "oracle_agreement",
            check: oracle_agreement,
            policy: InvariantPolicy::RefuseAndPause {
                scopes: REFUSAL_SCOPES,
            },
        },
        Invariant {
            name: "solvency",
            check: solvency,
            policy: InvariantPolicy::RefuseAndPause {
                scopes: REFUSAL_SCOPES,
            },
        },
    ],
    trip: trip as TripHook<ContractError>,
    report: Some(report as ReportHook<ContractError>),
};

/// The invariants' settings, validated.
#[cw_serde]
#[derive(Default)]
pub struct Guard {
    /// Solvency is checked.
    pub solvency: bool,
    /// The reference feeder; `None`: the oracle agreement is not checked.
    pub reference_feeder: Option<Addr>,
    /// The oracle bound in basis points.
    pub oracle_bound_bps: u32,
    /// The checks refuse in-line; `false`: detect-only (a guard stored before the flag
    /// existed enforces).
    #[serde(default = "rewind_types::vault::yes")]
    pub in_line: bool,
}

/// The running totals of every market with a price or a position. Short JSON names: the
/// record is written (and journaled) by every trade and price push, and gas is per byte.
#[cw_serde]
#[derive(Default)]
pub struct Book {
    /// One entry per market, in the order they first appeared.
    #[serde(rename = "m")]
    pub markets: Vec<MarketBook>,
}

/// The unrealised PnL of a market's open positions at its last price, in price atomics
/// (zero without a price: no position can be open without one).
fn pnl_atomics(m: &MarketBook) -> Result<Int256, ContractError> {
    let Some(price) = m.price else {
        return Ok(Int256::zero());
    };
    let p = Int256::from(price.atomics().u128());
    let net = Int256::from(m.long.u128()).checked_sub(Int256::from(m.short.u128()))?;
    Ok(net
        .checked_mul(p)?
        .checked_sub(Int256::try_from(m.long_cost.atomics())?)?
        .checked_add(Int256::try_from(m.short_cost.atomics())?)?)
}

/// Validates the instantiate message's settings.
pub fn validate(
    api: &dyn cosmwasm_std::Api,
    settings: Option<InvariantSettings>,
) -> Result<Guard, ContractError> {
    let Some(s) = settings else {
        return Ok(Guard::default());
    };
    if s.oracle_bound_bps == 0 || s.oracle_bound_bps > MAX_ORACLE_BOUND_BPS {
        return Err(ContractError::InvalidConfig {
            reason: format!("oracle_bound_bps must be 1 to {MAX_ORACLE_BOUND_BPS}"),
        });
    }
    Ok(Guard {
        solvency: s.solvency,
        reference_feeder: s
            .reference_feeder
            .map(|f| api.addr_validate(&f))
            .transpose()?,
        oracle_bound_bps: s.oracle_bound_bps,
        in_line: s.in_line,
    })
}

/// Reads the book, applies `change` to `market_id`'s entry (created if missing), writes it.
/// A vault instantiated without invariants keeps no book (they cannot be turned on later):
/// one read of the settings instead of the book's read and journaled write.
fn update(
    store: &mut dyn Storage,
    market_id: &str,
    denom: &str,
    change: impl FnOnce(&mut MarketBook) -> Result<(), ContractError>,
) -> Result<(), ContractError> {
    let guard = GUARD.may_load(store)?.unwrap_or_default();
    if !guard.solvency && guard.reference_feeder.is_none() {
        return Ok(());
    }
    let mut book = BOOK.may_load(store)?.unwrap_or_default();
    let i = match book.markets.iter().position(|m| m.market == market_id) {
        Some(i) => i,
        None => {
            book.markets.push(MarketBook {
                market: market_id.to_string(),
                denom: denom.to_string(),
                long: Uint128::zero(),
                short: Uint128::zero(),
                long_cost: Decimal256::zero(),
                short_cost: Decimal256::zero(),
                price: None,
                reference: None,
            });
            book.markets.len() - 1
        }
    };
    change(&mut book.markets[i])?;
    BOOK.save(store, &book)?;
    Ok(())
}

/// A position of `size` at `entry` opens (`opened`) or leaves the book.
pub fn book_position(
    store: &mut dyn Storage,
    market_id: &str,
    denom: &str,
    size: Int128,
    entry: Decimal,
    opened: bool,
) -> Result<(), ContractError> {
    let amount = size.unsigned_abs();
    let atomics = Uint256::from(amount).checked_mul(Uint256::from(entry.atomics()))?;
    let cost = Decimal256::new(atomics);
    update(store, market_id, denom, |m| {
        let (side, side_cost) = if size.is_negative() {
            (&mut m.short, &mut m.short_cost)
        } else {
            (&mut m.long, &mut m.long_cost)
        };
        if opened {
            *side = side.checked_add(amount)?;
            *side_cost = side_cost.checked_add(cost)?;
        } else {
            *side = side.checked_sub(amount)?;
            *side_cost = side_cost.checked_sub(cost)?;
        }
        Ok(())
    })
}

/// The feeder's (`reference == false`) or the reference feeder's new price of a market.
pub fn book_price(
    store: &mut dyn Storage,
    market_id: &str,
    denom: &str,
    price: Decimal,
    reference: bool,
) -> Result<(), ContractError> {
    update(store, market_id, denom, |m| {
        match reference {
            false => m.price = Some(price),
            true => m.reference = Some(price),
        }
        Ok(())
    })
}

/// Oracle agreement, in-line: every market's price within the bound of its reference
/// (holds by itself when detect-only).
pub fn oracle_agreement(deps: Deps, _: &InvariantEnv) -> Result<Option<String>, ContractError> {
    let guard = GUARD.may_load(deps.storage)?.unwrap_or_default();
    if !guard.in_line {
        return Ok(None);
    }
    oracle_disagreement(deps.storage, &guard)
}

/// Oracle agreement, evaluated whatever `in_line` says (in-line and by a report).
fn oracle_disagreement(
    store: &dyn Storage,
    guard: &Guard,
) -> Result<Option<String>, ContractError> {
    if guard.reference_feeder.is_none() {
        return Ok(None);
    }
    let book = BOOK.may_load(store)?.unwrap_or_default();
    for m in &book.markets {
        if let (Some(price), Some(reference)) = (m.price, m.reference) {
            if math::moved_beyond(reference, price, guard.oracle_bound_bps) {
                return Ok(Some(format!(
                    "{} price {price} is more than {} bps from the reference {reference}",
                    m.market, guard.oracle_bound_bps
                )));
            }
        }
    }
    Ok(None)
}

/// Solvency, per denom: liabilities plus unrealised PnL within bank plus insurance.
pub fn solvency(deps: Deps, seen: &InvariantEnv) -> Result<Option<String>, ContractError> {
    if seen.replay {
        return Ok(None);
    }
    let guard = GUARD.may_load(deps.storage)?.unwrap_or_default();
    if !guard.solvency || !guard.in_line {
        return Ok(None);
    }
    let config = CONFIG.load(deps.storage)?;
    let book = BOOK.may_load(deps.storage)?.unwrap_or_default();
    let one = Int256::from(Decimal::one().atomics().u128());
    for denom in &config.denoms {
        let mut pnl = Int256::zero();
        for m in book.markets.iter().filter(|m| m.denom == *denom) {
            pnl = pnl.checked_add(pnl_atomics(m)?)?;
        }
        // Rounded up: the check errs on the side of the depositors.
        let pnl = ceil_div(pnl, one)?;
        let liabilities = Int256::from(total(deps.storage, denom)?.u128()).checked_add(pnl)?;
        let bank = bank_after(&deps.querier, seen.env, seen.response, denom)?
            .saturating_sub(bounty_reserved(deps.storage, denom)?.into());
        let insurance = collateral(deps.storage, &config.insurance, denom)?;
        let assets = Int256::try_from(bank)?.checked_add(Int256::from(insurance.u128()))?;
        if liabilities > assets {
            return Ok(Some(format!(
                "{denom}: claims with unrealised PnL {liabilities} exceed bank plus insurance {assets}"
            )));
        }
    }
    Ok(None)
}

fn ceil_div(n: Int256, d: Int256) -> Result<Int256, ContractError> {
    let q = n.checked_div(d)?;
    if !n.checked_rem(d)?.is_zero() && n > Int256::zero() {
        return Ok(q.checked_add(Int256::one())?);
    }
    Ok(q)
}

/// The refusal's pause: the price breaker's trip (its cap, cooldown and budget) on
/// `scopes`.
pub fn trip(
    store: &mut dyn Storage,
    env: &Env,
    invariant: &str,
    scopes: &[PauseScope],
) -> Result<Timestamp, ContractError> {
    let config = CONFIG.load(store)?;
    let subject = format!("invariant {invariant}");
    crate::execute::push_price::trip_scopes(store, env, &config, &subject, scopes)?.ok_or_else(
        || ContractError::InvalidConfig {
            reason: "a replayed execution never trips a pause".into(),
        },
    )
}

/// A solvency report's partial result, carried across calls.
#[cw_serde]
#[derive(Default)]
struct SolvencyScan {
    /// The last position handled.
    cursor: Option<(Addr, String)>,
    /// Per denom, the sum over the positions handled of `payout - margin` (what closing
    /// them all now adds to the liabilities, each payout floored at zero).
    owed: Vec<(String, Int128)>,
    /// The accounts of the profitable positions handled, with the height each opened.
    winners: Vec<(Addr, u64)>,
}

/// The full evaluation a permissionless `Report` runs (issue 16): solvency over every
/// position, valued exactly (each payout floored at zero, as closing pays it), in batches of
/// `limit` positions; the oracle agreement from the book, which holds every price (one
/// step). The incident names, for solvency, the accounts of profitable positions (the
/// largest first would need a sort: the first found are kept) and the height before the
/// earliest of them opened; for the oracle, the feeder and the height before its last push.
pub fn report(
    deps: Deps,
    env: &Env,
    invariant: &str,
    partial: Option<&cosmwasm_std::Binary>,
    limit: u32,
) -> Result<Scan, ContractError> {
    match invariant {
        "oracle_agreement" => {
            let guard = GUARD.may_load(deps.storage)?.unwrap_or_default();
            let Some(reason) = oracle_disagreement(deps.storage, &guard)? else {
                return Ok(Scan::Held);
            };
            let config = CONFIG.load(deps.storage)?;
            let last_push = crate::state::PRICES
                .range(deps.storage, None, None, cosmwasm_std::Order::Ascending)
                .map(|r| r.map(|(_, p)| p.height))
                .collect::<cosmwasm_std::StdResult<Vec<u64>>>()?
                .into_iter()
                .max();
            Ok(Scan::Broken(Violation {
                reason,
                accounts: vec![config.feeder],
                last_held_height: last_push.map(|h| h.saturating_sub(1)),
            }))
        }
        "solvency" => solvency_report(deps, env, partial, limit),
        other => Err(ContractError::InvalidConfig {
            reason: format!("no invariant {other}"),
        }),
    }
}

fn solvency_report(
    deps: Deps,
    env: &Env,
    partial: Option<&cosmwasm_std::Binary>,
    limit: u32,
) -> Result<Scan, ContractError> {
    let mut scan: SolvencyScan = match partial {
        Some(bytes) => cosmwasm_std::from_json(bytes)?,
        None => SolvencyScan::default(),
    };
    let start = scan.cursor.clone().map(cw_storage_plus::Bound::exclusive);
    let n = usize::try_from(limit).unwrap_or(usize::MAX);
    let page = crate::state::POSITIONS
        .range(deps.storage, start, None, cosmwasm_std::Order::Ascending)
        .take(n)
        .collect::<cosmwasm_std::StdResult<Vec<_>>>()?;
    for ((account, market_id), position) in &page {
        let params = crate::state::market(deps.storage, market_id)?;
        let price = crate::state::price(deps.storage, market_id)?;
        let pnl = math::pnl(position.size, position.entry_price, price)?;
        let payout = math::payout(position.margin, pnl)?;
        let delta = Int128::try_from(payout)?.checked_sub(Int128::try_from(position.margin)?)?;
        match scan.owed.iter_mut().find(|(d, _)| *d == params.denom) {
            Some((_, owed)) => *owed = owed.checked_add(delta)?,
            None => scan.owed.push((params.denom.clone(), delta)),
        }
        if delta > Int128::zero()
            && scan.winners.len() < rewind_target::report::MAX_INCIDENT_ACCOUNTS
            && !scan.winners.iter().any(|(a, _)| a == account)
        {
            scan.winners
                .push((account.clone(), position.opened_at_height));
        }
        scan.cursor = Some((account.clone(), market_id.clone()));
    }
    if page.len() == n {
        return Ok(Scan::More(cosmwasm_std::to_json_binary(&scan)?));
    }
    let config = CONFIG.load(deps.storage)?;
    for denom in &config.denoms {
        let owed = scan
            .owed
            .iter()
            .find(|(d, _)| d == denom)
            .map_or(Int128::zero(), |(_, o)| *o);
        let liabilities = Int256::from(total(deps.storage, denom)?.u128())
            .checked_add(Int256::from(owed.i128()))?;
        let bank = deps
            .querier
            .query_balance(env.contract.address.as_str(), denom.as_str())?
            .amount
            .saturating_sub(bounty_reserved(deps.storage, denom)?.into());
        let insurance = collateral(deps.storage, &config.insurance, denom)?;
        let assets = Int256::try_from(bank)?.checked_add(Int256::from(insurance.u128()))?;
        if liabilities > assets {
            let earliest = scan.winners.iter().map(|(_, h)| *h).min();
            return Ok(Scan::Broken(Violation {
                reason: format!(
                    "{denom}: claims with every position closed now {liabilities} exceed bank plus insurance {assets}"
                ),
                accounts: scan.winners.iter().map(|(a, _)| a.clone()).collect(),
                last_held_height: earliest.map(|h| h.saturating_sub(1)),
            }));
        }
    }
    Ok(Scan::Held)
}

/// `Invariants {}`: the settings and, at this height, every input the checks read.
pub fn query(deps: Deps, env: &Env) -> Result<InvariantsResponse, ContractError> {
    let guard = GUARD.may_load(deps.storage)?.unwrap_or_default();
    let mut denoms = vec![];
    if guard.solvency {
        let config = CONFIG.load(deps.storage)?;
        for denom in config.denoms {
            let bank = deps
                .querier
                .query_balance(env.contract.address.as_str(), denom.as_str())?
                .amount
                .saturating_sub(bounty_reserved(deps.storage, &denom)?.into());
            denoms.push(DenomBacking {
                liabilities: total(deps.storage, &denom)?,
                insurance: collateral(deps.storage, &config.insurance, &denom)?,
                bank,
                denom,
            });
        }
    }
    Ok(InvariantsResponse {
        solvency: guard.solvency,
        reference_feeder: guard.reference_feeder,
        oracle_bound_bps: guard.oracle_bound_bps,
        in_line: guard.in_line,
        markets: BOOK.may_load(deps.storage)?.unwrap_or_default().markets,
        denoms,
    })
}

//! The settle hook: reconcile the replayed ledger with the real bank balance and settle the
//! shortfall, once the replay is done, in batches bounded by the crank's limit.
//!
//! Per denom, with `C` the ledger's liabilities after the replay (`TOTALS`: free collateral
//! plus the margin of open positions), `B` the vault's bank balance, `F` the frozen
//! (excluded) claims and `I` the insurance account's free collateral:
//! - shortfall `S = max(C - B, 0)`;
//! - frozen claims absorb first: `f = min(S, F)`, each frozen claim keeps `(F - f) / F`;
//! - `InsuranceFirst`: the insurance claim covers next, `u = min(S - f, I)`;
//! - the rest `H = S - f - u` is spread pro rata over the honest claims `P`
//!   (the insurance claim counts as honest under `ProRataHaircut`): each keeps `(P - H) / P`.
//!
//! Steps, each call doing at most `limit` units (one balance or position each):
//! 1. `Reconciling`: sum every balance, then every open position's margin, per denom (the
//!    claims actually held, and the frozen ones); then one bank query per denom fixes the
//!    settlement.
//! 2. `Settling`: every (account, denom) balance gets its settled claim, recorded in the
//!    restoration's claims; then the report is stored and the restoration completes.
//!
//! The replay re-ran every honest execution, so the honest ledger is the honest history:
//! nothing of the ledger is written when nothing is short. A frozen claim is never written
//! into the ledger (rewind-target freezes the account's keys; its collateral and positions
//! stay as they were at the height): its settled value is the restoration's claim record,
//! and `Sweep` moves it out. Only an honest claim that must be cut (`H > 0`, or the insurance
//! claim under `InsuranceFirst`) is written: its positions in that denom are closed at their
//! entry price (margin back to free collateral) and the free collateral set to the settled
//! claim. Every cut rounds the kept value down, so the sum of settled claims is at most
//! `C - S <= B` (row R5); a donation only raises `B`.
//!
//! Row R11: the digest proves the rolled-back state is the one recorded at the height, not
//! that it was sound. So the claims actually settled (summed over every balance and open
//! position, not read from `TOTALS`) must not exceed the bank balance; otherwise the
//! settlement fails with `ClaimsExceedBank` and the vault stays locked.

use cosmwasm_std::{Addr, Coin, Decimal, Deps, DepsMut, Env, Order, StdResult, Storage, Uint128};
use cw_storage_plus::Bound;
use rewind_target::Settled;
use rewind_types::vault::{DenomSettlement, RestorationReport, RestorationStep};
use rewind_types::ShortfallPolicy;

use super::{current, listed};
use crate::error::ContractError;
use crate::invariants::book_position;
use crate::math::keep;
use crate::state::{
    collateral, market, total, ClaimEntry, Config, DenomWork, Position, Restoration, CLAIMS,
    COLLATERAL, CONFIG, POSITIONS, REPORTS, RESTORATION, TOTALS,
};
use rewind_target::report::bounty_reserved;

fn take(limit: u32) -> usize {
    usize::try_from(limit.max(1)).unwrap_or(usize::MAX)
}

/// Every account a restoration ever excluded, sorted: frozen and subordinated, not only this
/// restoration's exclusions (none of them may act, and their keys cannot be written).
fn frozen_accounts(store: &dyn Storage) -> Result<Vec<Addr>, ContractError> {
    let mut frozen = rewind_target::state::frozen(store)?;
    frozen.sort();
    Ok(frozen)
}

/// The settle hook: see the module docs. Called by rewind-target's cranks once the replay is
/// done, through journaled storage, until it answers `Done`.
pub fn settle(
    deps: DepsMut,
    env: &Env,
    policy: &ShortfallPolicy,
    limit: u32,
) -> Result<Settled, ContractError> {
    let mut r = current(deps.storage)?;
    let config = CONFIG.load(deps.storage)?;
    if r.step == RestorationStep::Replaying {
        r.policy = Some(*policy);
        r.step = RestorationStep::Reconciling;
        r.cursor = None;
        r.positions_next = false;
        r.denoms = config
            .denoms
            .iter()
            .map(|d| DenomWork {
                denom: d.clone(),
                ..DenomWork::default()
            })
            .collect();
    }
    let frozen = frozen_accounts(deps.storage)?;
    let step = r.step;
    match step {
        RestorationStep::Reconciling if sum(deps.storage, &mut r, &frozen, limit)? => {
            reconcile(deps.as_ref(), env, &mut r, &config, &frozen)?;
        }
        RestorationStep::Settling if apply(deps.storage, &mut r, &config, &frozen, limit)? => {
            finish(deps.as_ref(), env, &mut r)?;
            let done = report(deps.storage, env, &r)?;
            REPORTS.save(deps.storage, r.id, &done)?;
            for work in &r.denoms {
                if !work.cut.is_zero() {
                    let next = total(deps.storage, &work.denom)?.checked_sub(work.cut)?;
                    TOTALS.save(deps.storage, work.denom.clone(), &next)?;
                }
            }
            r.step = RestorationStep::Complete;
            r.cursor = None;
            r.completed_at_height = Some(env.block.height);
        }
        _ => {}
    }
    RESTORATION.save(deps.storage, &r)?;
    Ok(match r.step {
        RestorationStep::Complete => Settled::Done,
        _ => Settled::More,
    })
}

/// Sums at most `limit` balances (then positions) into the per-denom claims. True once both
/// maps are summed.
fn sum(
    store: &dyn Storage,
    r: &mut Restoration,
    frozen: &[Addr],
    limit: u32,
) -> Result<bool, ContractError> {
    let n = take(limit);
    let min = r.cursor.clone().map(Bound::exclusive);
    if !r.positions_next {
        let page: Vec<((Addr, String), Uint128)> = COLLATERAL
            .range(store, min, None, Order::Ascending)
            .take(n)
            .collect::<StdResult<_>>()?;
        for ((account, denom), amount) in &page {
            let is_frozen = listed(frozen, account);
            let work = r.denom_mut(denom)?;
            work.claims = work.claims.checked_add(*amount)?;
            if is_frozen {
                work.frozen_before = work.frozen_before.checked_add(*amount)?;
            }
            r.cursor = Some((account.clone(), denom.clone()));
        }
        if page.len() == n {
            return Ok(false);
        }
        r.positions_next = true;
        r.cursor = None;
        return Ok(false);
    }
    let page: Vec<((Addr, String), Position)> = POSITIONS
        .range(store, min, None, Order::Ascending)
        .take(n)
        .collect::<StdResult<_>>()?;
    for ((account, market_id), position) in &page {
        let denom = market(store, market_id)?.denom;
        let is_frozen = listed(frozen, account);
        let work = r.denom_mut(&denom)?;
        work.claims = work.claims.checked_add(position.margin)?;
        if is_frozen {
            work.frozen_before = work.frozen_before.checked_add(position.margin)?;
        }
        r.cursor = Some((account.clone(), market_id.clone()));
    }
    if page.len() == n {
        return Ok(false);
    }
    r.cursor = None;
    Ok(true)
}

/// Fixes the settlement of every denom (one bank query each); the `Settling` step is next.
fn reconcile(
    deps: Deps,
    env: &Env,
    r: &mut Restoration,
    config: &Config,
    frozen: &[Addr],
) -> Result<(), ContractError> {
    let insurance_frozen = listed(frozen, &config.insurance);
    let policy = r.policy.unwrap_or(ShortfallPolicy::ProRataHaircut);
    let insurance_first = policy == ShortfallPolicy::InsuranceFirst && !insurance_frozen;
    for work in r.denoms.iter_mut() {
        let bank = Uint128::try_from(
            deps.querier
                .query_balance(env.contract.address.as_str(), work.denom.as_str())?
                .amount,
        )?
        .saturating_sub(bounty_reserved(deps.storage, &work.denom)?);
        let claims = total(deps.storage, &work.denom)?;
        let frozen_claims = work.frozen_before.min(claims);
        let insurance = match insurance_frozen {
            true => Uint128::zero(),
            false => claim_of(deps.storage, &config.insurance, &work.denom)?,
        };
        let shortfall = claims.saturating_sub(bank);
        let frozen_cut = shortfall.min(frozen_claims);
        let after_frozen = shortfall.checked_sub(frozen_cut)?;
        let (insurance_used, honest) = match insurance_first {
            true => (
                after_frozen.min(insurance),
                claims.checked_sub(frozen_claims)?.saturating_sub(insurance),
            ),
            false => (Uint128::zero(), claims.checked_sub(frozen_claims)?),
        };
        let haircut = after_frozen.checked_sub(insurance_used)?.min(honest);
        work.frozen_keep = (frozen_claims.checked_sub(frozen_cut)?, frozen_claims);
        work.honest_keep = (honest.checked_sub(haircut)?, honest);
        work.insurance_after = match insurance_first {
            true => Some(insurance.checked_sub(insurance_used)?),
            false => None,
        };
        work.settlement = Some(DenomSettlement {
            denom: work.denom.clone(),
            bank_balance: bank,
            claims_before: claims,
            claims_after: Uint128::zero(),
            frozen_before: work.frozen_before,
            frozen_after: Uint128::zero(),
            insurance_before: insurance,
            insurance_used,
            shortfall,
            haircut_shortfall: haircut,
            haircut_ratio: if honest.is_zero() {
                Decimal::zero()
            } else {
                Decimal::checked_from_ratio(haircut, honest)?
            },
            surplus: bank.saturating_sub(claims),
            // Replayed withdrawals run their handler: none can overdraw.
            overdraft: Uint128::zero(),
        });
    }
    r.step = RestorationStep::Settling;
    r.cursor = None;
    Ok(())
}

/// `account`'s claim in `denom`: its free collateral plus the margin of its positions in
/// that denom's markets (at most MAX_MARKETS).
fn claim_of(store: &dyn Storage, account: &Addr, denom: &str) -> Result<Uint128, ContractError> {
    let mut claim = collateral(store, account, denom)?;
    for position in POSITIONS
        .prefix(account.clone())
        .range(store, None, None, Order::Ascending)
    {
        let (market_id, p) = position?;
        if market(store, &market_id)?.denom == denom {
            claim = claim.checked_add(p.margin)?;
        }
    }
    Ok(claim)
}

fn add_coin(coins: &mut Vec<Coin>, denom: &str, amount: Uint128) {
    if !amount.is_zero() {
        coins.push(Coin::new(amount, denom));
    }
}

/// Settles at most `limit` (account, denom) balances, in key order, recording every claim.
/// True once every balance is settled.
fn apply(
    store: &mut dyn Storage,
    r: &mut Restoration,
    config: &Config,
    frozen: &[Addr],
    limit: u32,
) -> Result<bool, ContractError> {
    let n = take(limit);
    let min = r.cursor.clone().map(Bound::exclusive);
    let page: Vec<((Addr, String), Uint128)> = COLLATERAL
        .range(store, min, None, Order::Ascending)
        .take(n)
        .collect::<StdResult<_>>()?;
    for ((account, denom), free) in &page {
        r.cursor = Some((account.clone(), denom.clone()));
        // The account's claim in this denom: free collateral plus its margins there (at
        // most MAX_MARKETS positions).
        let positions: Vec<(String, Position)> = POSITIONS
            .prefix(account.clone())
            .range(store, None, None, Order::Ascending)
            .collect::<StdResult<Vec<_>>>()?
            .into_iter()
            .filter(|(m, _)| market(store, m).is_ok_and(|p| p.denom == *denom))
            .collect();
        let mut claim = *free;
        for (_, p) in &positions {
            claim = claim.checked_add(p.margin)?;
        }
        let is_frozen = listed(frozen, account);
        let work = r.denom_mut(denom)?;
        let settled = if is_frozen {
            keep(claim, work.frozen_keep.0, work.frozen_keep.1)?
        } else if let (Some(after), true) = (work.insurance_after, *account == config.insurance) {
            // `after` is the insurance claim (free plus margin) less what covered the
            // shortfall.
            after.min(claim)
        } else {
            keep(claim, work.honest_keep.0, work.honest_keep.1)?
        };
        work.claims_after = work.claims_after.checked_add(settled)?;
        if is_frozen {
            work.frozen_after = work.frozen_after.checked_add(settled)?;
        } else if settled != claim {
            // An honest (or the insurance) claim is cut: its positions in this denom are
            // closed at their entry price first, so the whole claim is free collateral.
            work.cut = work.cut.checked_add(claim.checked_sub(settled)?)?;
            for (market_id, p) in &positions {
                POSITIONS.remove(store, (account.clone(), market_id.clone()));
                book_position(store, market_id, denom, p.size, p.entry_price, false)?;
                r.unwound_positions += 1;
            }
            COLLATERAL.save(store, (account.clone(), denom.clone()), &settled)?;
        }
        if !claim.is_zero() || !settled.is_zero() {
            let key = (r.id, account);
            let mut entry: ClaimEntry = CLAIMS.may_load(store, key)?.unwrap_or_default();
            entry.frozen = is_frozen;
            add_coin(&mut entry.before, denom, claim);
            add_coin(&mut entry.after, denom, settled);
            CLAIMS.save(store, key, &entry)?;
        }
        r.settled_balances += 1;
    }
    Ok(page.len() < n)
}

/// Row R11: the claims actually settled must not exceed the bank balance, queried now.
fn finish(deps: Deps, env: &Env, r: &mut Restoration) -> Result<(), ContractError> {
    for work in r.denoms.iter_mut() {
        let bank = Uint128::try_from(
            deps.querier
                .query_balance(env.contract.address.as_str(), work.denom.as_str())?
                .amount,
        )?
        .saturating_sub(bounty_reserved(deps.storage, &work.denom)?);
        if work.claims_after > bank {
            return Err(ContractError::ClaimsExceedBank {
                denom: work.denom.clone(),
                claims: work.claims_after,
                bank,
            });
        }
        if let Some(settlement) = work.settlement.as_mut() {
            settlement.claims_after = work.claims_after;
            settlement.frozen_after = work.frozen_after;
        }
    }
    Ok(())
}

/// The report of the completed restoration.
fn report(
    store: &dyn Storage,
    env: &Env,
    r: &Restoration,
) -> Result<RestorationReport, ContractError> {
    let status = rewind_target::state::load_status(store)?;
    Ok(RestorationReport {
        restoration_id: r.id,
        height: r.height,
        started_at_height: r.started_at_height,
        completed_at_height: env.block.height,
        shortfall_policy: r.policy.unwrap_or(ShortfallPolicy::ProRataHaircut),
        exclusions: r.exclusions.clone(),
        undone_entries: status.undone_entries,
        unwound_positions: r.unwound_positions,
        // The vault replays recorded executions: these count them.
        replayed_flows: status.replayed_executions,
        skipped_flows: status.skipped_executions,
        denoms: r
            .denoms
            .iter()
            .filter_map(|w| w.settlement.clone())
            .collect(),
    })
}

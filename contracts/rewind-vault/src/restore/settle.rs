//! Reconcile the restored ledger with the real bank balance and settle the shortfall.
//!
//! Per denom, with `C` the claims after the replay, `B` the vault's bank balance, `F` the
//! excluded (frozen) claims and `I` the insurance account's claim:
//! - shortfall `S = max(C - B, 0)`;
//! - frozen claims absorb first: `f = min(S, F)`, each frozen claim keeps `(F - f) / F`;
//! - `InsuranceFirst`: the insurance claim covers next, `u = min(S - f, I)`;
//! - the rest `H = S - f - u` is spread pro rata over the honest claims `P`
//!   (the insurance claim counts as honest under `ProRataHaircut`): each keeps `(P - H) / P`.
//!
//! Every cut rounds the kept value down, so the sum of claims after settlement is at most
//! `C - S <= B` (row R5); a donation only raises `B` and so never breaks it. The finish
//! re-checks it on the balances actually settled (row R11).

use cosmwasm_std::{Coin, Decimal, Deps, DepsMut, Env, Order, StdResult, Uint128};
use cw_storage_plus::Bound;
use rewind_journal::{finish_restoration, Journal};
use rewind_types::vault::{DenomSettlement, RestorationReport, RestorationStep};
use rewind_types::ShortfallPolicy;

use crate::error::ContractError;
use crate::math::keep;
use crate::state::{collateral, total, Config, Restoration, CLAIMS, COLLATERAL, REPORTS, TOTALS};

/// Computes the settlement of every denom. 1 unit (one bank query per denom).
pub fn reconcile(
    deps: Deps,
    env: &Env,
    r: &mut Restoration,
    config: &Config,
) -> Result<u64, ContractError> {
    let insurance_excluded = r.is_excluded(&config.insurance);
    let policy = r.policy;
    for work in r.denoms.iter_mut() {
        let bank = Uint128::try_from(
            deps.querier
                .query_balance(env.contract.address.as_str(), work.denom.as_str())?
                .amount,
        )?;
        let claims = total(deps.storage, &work.denom)?;
        let frozen = work.frozen_before;
        let insurance = if insurance_excluded {
            Uint128::zero()
        } else {
            collateral(deps.storage, &config.insurance, &work.denom)?
        };
        let shortfall = claims.saturating_sub(bank);
        let frozen_cut = shortfall.min(frozen);
        let after_frozen = shortfall.checked_sub(frozen_cut)?;
        let (insurance_used, honest) = match policy {
            ShortfallPolicy::InsuranceFirst => (
                after_frozen.min(insurance),
                claims.checked_sub(frozen)?.checked_sub(insurance)?,
            ),
            ShortfallPolicy::ProRataHaircut => (Uint128::zero(), claims.checked_sub(frozen)?),
        };
        let haircut = after_frozen.checked_sub(insurance_used)?;
        work.frozen_keep = (frozen.checked_sub(frozen_cut)?, frozen);
        work.honest_keep = (honest.checked_sub(haircut)?, honest);
        work.insurance_after = match policy {
            ShortfallPolicy::InsuranceFirst if !insurance_excluded => {
                Some(insurance.checked_sub(insurance_used)?)
            }
            _ => None,
        };
        work.settlement = Some(DenomSettlement {
            denom: work.denom.clone(),
            bank_balance: bank,
            claims_before: claims,
            claims_after: Uint128::zero(),
            frozen_before: frozen,
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
            overdraft: work.overdraft,
        });
    }
    r.step = RestorationStep::Settling;
    r.cursor_key = None;
    Ok(1)
}

fn add_coin(coins: &mut Vec<Coin>, denom: &str, amount: Uint128) {
    if !amount.is_zero() {
        coins.push(Coin::new(amount, denom));
    }
}

/// Applies the settlement to every (account, denom) balance, in key order, and records the
/// per-account claims. 1 unit per balance. Finishes the restoration after the last one.
pub fn settle(
    deps: &mut DepsMut,
    env: &Env,
    j: &mut Journal,
    r: &mut Restoration,
    config: &Config,
    budget: u64,
) -> Result<u64, ContractError> {
    let store = &mut *deps.storage;
    let take = usize::try_from(budget).unwrap_or(usize::MAX);
    let min = r.cursor_key.clone().map(Bound::exclusive);
    let page: Vec<((cosmwasm_std::Addr, String), Uint128)> = COLLATERAL
        .range(store, min, None, Order::Ascending)
        .take(take)
        .collect::<StdResult<_>>()?;
    for ((account, denom), claim) in &page {
        let excluded = r.is_excluded(account);
        let work = r.denom_mut(denom)?;
        let settled = match (excluded, work.insurance_after) {
            (true, _) => keep(*claim, work.frozen_keep.0, work.frozen_keep.1)?,
            (false, Some(after)) if *account == config.insurance => after,
            _ => keep(*claim, work.honest_keep.0, work.honest_keep.1)?,
        };
        work.claims_after = work.claims_after.checked_add(settled)?;
        if excluded {
            work.frozen_after = work.frozen_after.checked_add(settled)?;
        }
        if settled != *claim {
            COLLATERAL.save(store, j, (account.clone(), denom.clone()), &settled)?;
        }
        if !claim.is_zero() || !settled.is_zero() {
            let key = (r.id, account);
            let mut entry = CLAIMS.may_load(store, key)?.unwrap_or_default();
            entry.frozen = excluded;
            add_coin(&mut entry.before, denom, *claim);
            add_coin(&mut entry.after, denom, settled);
            CLAIMS.save(store, key, &entry)?;
        }
        r.settled_balances = r.settled_balances.saturating_add(1);
        r.cursor_key = Some((account.clone(), denom.clone()));
    }
    if page.len() < take {
        finish(deps, env, j, r)?;
    }
    Ok(page.len() as u64)
}

/// Checks the settled claims against the bank, writes the settled totals and the report,
/// and completes the restoration. It stays locked until the executor's `Release {}`
/// (row R12).
///
/// Row R11: the digest proves the rolled-back state is the one recorded at the height, not
/// that the recorded state was sound. So the claims actually settled (summed over every
/// balance, not read from the stored totals) must not exceed what the vault holds: the
/// bank balance, queried now (the insurance account's claim is one of the claims, so it is
/// covered by the same balance). Otherwise the restoration fails with `ClaimsExceedBank`
/// and the vault stays locked.
fn finish(
    deps: &mut DepsMut,
    env: &Env,
    j: &mut Journal,
    r: &mut Restoration,
) -> Result<(), ContractError> {
    for work in &r.denoms {
        let bank = Uint128::try_from(
            deps.querier
                .query_balance(env.contract.address.as_str(), work.denom.as_str())?
                .amount,
        )?;
        if work.claims_after > bank {
            return Err(ContractError::ClaimsExceedBank {
                denom: work.denom.clone(),
                claims: work.claims_after,
                bank,
            });
        }
    }
    let store = &mut *deps.storage;
    let mut denoms = Vec::with_capacity(r.denoms.len());
    for work in &r.denoms {
        TOTALS.save(store, j, work.denom.clone(), &work.claims_after)?;
        if let Some(mut settlement) = work.settlement.clone() {
            settlement.claims_after = work.claims_after;
            settlement.frozen_after = work.frozen_after;
            denoms.push(settlement);
        }
    }
    let report = RestorationReport {
        restoration_id: r.id,
        height: r.height,
        started_at_height: r.started_at_height,
        completed_at_height: env.block.height,
        shortfall_policy: r.policy,
        exclusions: r.exclusions.clone(),
        undone_entries: r.undone_entries,
        unwound_positions: r.unwound_positions,
        replayed_flows: r.replayed_flows,
        skipped_flows: r.skipped_flows,
        denoms,
    };
    REPORTS.save(store, r.id, &report)?;
    r.step = RestorationStep::Complete;
    r.cursor_key = None;
    r.completed_at_height = Some(env.block.height);
    finish_restoration(store, env)?;
    Ok(())
}

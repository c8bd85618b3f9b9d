//! The ledger steps after the rollback: unwind positions, replay flows, freeze exclusions.

use cosmwasm_std::{Order, StdResult, Storage, Uint128};
use cw_storage_plus::Bound;
use rewind_journal::{flows_after, Journal, MAX_FLOW_PAGE};
use rewind_types::vault::RestorationStep;

use crate::error::ContractError;
use crate::state::{
    adjust_total, collateral, credit, market, Config, Position, Restoration, COLLATERAL, FROZEN,
    POSITIONS,
};

fn take(budget: u64) -> usize {
    usize::try_from(budget).unwrap_or(usize::MAX)
}

/// Closes positions open at the height at their entry price: the margin returns to free
/// collateral, no PnL (liabilities are unchanged). 1 unit per position.
pub fn unwind(
    store: &mut dyn Storage,
    j: &mut Journal,
    r: &mut Restoration,
    budget: u64,
) -> Result<u64, ContractError> {
    let min = r.cursor_key.clone().map(Bound::exclusive);
    let page: Vec<((cosmwasm_std::Addr, String), Position)> = POSITIONS
        .range(store, min, None, Order::Ascending)
        .take(take(budget))
        .collect::<StdResult<_>>()?;
    for ((account, market_id), position) in &page {
        let params = market(store, market_id)?;
        credit(store, j, account, &params.denom, position.margin)?;
        POSITIONS.remove(store, j, (account.clone(), market_id.clone()))?;
        r.unwound_positions = r.unwound_positions.saturating_add(1);
        r.cursor_key = Some((account.clone(), market_id.clone()));
    }
    if page.len() < take(budget) {
        r.step = RestorationStep::Replaying;
        r.cursor_key = None;
        r.cursor_seq = None;
    }
    Ok(page.len() as u64)
}

/// Replays the flows after the height, in sequence order, for every account not excluded:
/// deposits add to the account's collateral, withdrawals subtract, clamped at zero (the
/// overdraft is reported and shows up in the shortfall). 1 unit per flow.
pub fn replay(
    store: &mut dyn Storage,
    j: &mut Journal,
    r: &mut Restoration,
    budget: u64,
) -> Result<u64, ContractError> {
    // The journal caps a page at MAX_FLOW_PAGE: a short page means "no more" only below it.
    let limit = u32::try_from(budget).unwrap_or(u32::MAX).min(MAX_FLOW_PAGE);
    let flows = flows_after(store, r.height, r.cursor_seq, limit)?;
    for flow in &flows {
        r.cursor_seq = Some(flow.seq);
        if r.is_excluded(&flow.account) {
            r.skipped_flows = r.skipped_flows.saturating_add(1);
            continue;
        }
        let amount = flow.amount.unsigned_abs();
        if flow.amount.is_negative() {
            let balance = collateral(store, &flow.account, &flow.denom)?;
            let taken = balance.min(amount);
            let overdraft = amount.checked_sub(taken)?;
            COLLATERAL.save(
                store,
                j,
                (flow.account.clone(), flow.denom.clone()),
                &balance.checked_sub(taken)?,
            )?;
            adjust_total(store, j, &flow.denom, Uint128::zero(), taken)?;
            let work = r.denom_mut(&flow.denom)?;
            work.overdraft = work.overdraft.checked_add(overdraft)?;
        } else {
            credit(store, j, &flow.account, &flow.denom, amount)?;
            adjust_total(store, j, &flow.denom, amount, Uint128::zero())?;
        }
        r.replayed_flows = r.replayed_flows.saturating_add(1);
    }
    if flows.len() < limit as usize {
        r.step = RestorationStep::Freezing;
        r.cursor_seq = None;
        r.cursor_index = 0;
    }
    Ok(flows.len() as u64)
}

/// Freezes the excluded accounts and sums their claims per denom. 1 unit per account.
pub fn freeze(
    store: &mut dyn Storage,
    j: &mut Journal,
    r: &mut Restoration,
    config: &Config,
    budget: u64,
) -> Result<u64, ContractError> {
    let start = usize::try_from(r.cursor_index).unwrap_or(usize::MAX);
    let end = start.saturating_add(take(budget)).min(r.exclusions.len());
    let batch: Vec<_> = r.exclusions.get(start..end).unwrap_or_default().to_vec();
    for account in &batch {
        FROZEN.save(store, j, account.clone(), &true)?;
        for denom in &config.denoms {
            let claim = collateral(store, account, denom)?;
            let work = r.denom_mut(denom)?;
            work.frozen_before = work.frozen_before.checked_add(claim)?;
        }
        r.frozen_accounts = r.frozen_accounts.saturating_add(1);
    }
    r.cursor_index = end as u64;
    if end >= r.exclusions.len() {
        r.step = RestorationStep::Reconciling;
    }
    Ok(batch.len() as u64)
}

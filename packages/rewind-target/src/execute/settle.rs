//! The settlement after the replay: the declared holdings reconciled with the bank balance,
//! then the contract's own settle hook.

use cosmwasm_std::{Addr, Coin, Deps, DepsMut, Env};
use rewind_journal::JournaledView;
use rewind_types::restorable::{DenomReconciliation, HoldingsSettlement};
use rewind_types::restoration::ShortfallPolicy;

use crate::error::ContractError;
use crate::journaled::run_journaled;
use crate::state::SETTLEMENT;
use crate::target::Target;

/// Reconciles the holdings (if declared), `kept = min(held, bank)` per denom, and records
/// it; then runs the contract's settle hook (if any) on journaled storage.
pub(crate) fn settle<E>(
    mut deps: DepsMut,
    env: &Env,
    target: &Target<E>,
    height: u64,
    policy: &ShortfallPolicy,
    frozen: Vec<Addr>,
) -> Result<(), ContractError<E>> {
    if let Some((held, set_held)) = target.holdings {
        let view = JournaledView::new(deps.storage, target.plain);
        let read = Deps {
            storage: &view,
            api: deps.api,
            querier: deps.querier,
        };
        let holdings = held(read).map_err(ContractError::Contract)?;
        let mut denoms = Vec::with_capacity(holdings.len());
        let mut kept = Vec::with_capacity(holdings.len());
        for coin in holdings {
            let bank = deps
                .querier
                .query_balance(&env.contract.address, &coin.denom)?
                .amount;
            let after = coin.amount.min(bank);
            denoms.push(DenomReconciliation {
                denom: coin.denom.clone(),
                held: coin.amount,
                bank_balance: bank,
                kept: after,
                shortfall: coin.amount.saturating_sub(bank),
                surplus: bank.saturating_sub(coin.amount),
            });
            kept.push(Coin::new(after, coin.denom));
        }
        run_journaled(deps.branch(), env, target, frozen.clone(), |deps| {
            set_held(deps, &kept)
        })?;
        let record = HoldingsSettlement {
            policy: *policy,
            height,
            settled_at: env.block.height,
            denoms,
        };
        SETTLEMENT.save(deps.storage, &record)?;
    }
    if let Some(settle) = target.settle {
        run_journaled(deps, env, target, frozen, |deps| settle(deps, env, policy))?;
    }
    Ok(())
}

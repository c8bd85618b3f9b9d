//! The settlement after the replay: the declared holdings reconciled with the bank balance,
//! then the contract's own settle hook.

use cosmwasm_std::{Addr, Coin, Deps, DepsMut, Env};
use rewind_journal::JournaledView;
use rewind_types::restorable::{DenomReconciliation, HoldingsSettlement};
use rewind_types::restoration::ShortfallPolicy;

use crate::error::ContractError;
use crate::journaled::run_journaled;
use crate::state::SETTLEMENT;
use crate::target::{Settled, Target};

/// One settling crank: the restoration's height and rule, whether it is the first, and the
/// crank's limit.
pub(crate) struct Settlement {
    pub height: u64,
    pub policy: ShortfallPolicy,
    pub first: bool,
    pub limit: u32,
}

/// On the first settling crank, reconciles the holdings (if declared), `kept = min(held,
/// bank)` per denom, and records it; then runs the contract's settle hook (if any) on
/// journaled storage, on this crank and, while it answers `More`, on the next ones.
pub(crate) fn settle<E>(
    mut deps: DepsMut,
    env: &Env,
    target: &Target<E>,
    settlement: &Settlement,
    frozen: Vec<Addr>,
) -> Result<Settled, ContractError<E>> {
    let Settlement {
        height,
        ref policy,
        first,
        limit,
    } = *settlement;
    if let (true, Some((held, set_held))) = (first, target.holdings) {
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
                .amount
                // The reporters' bounty budget is no holder's (issue 16).
                .saturating_sub(crate::report::bounty_reserved(deps.storage, &coin.denom)?.into());
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
    match target.settle {
        Some(settle) => run_journaled(deps, env, target, frozen, |deps| {
            settle(deps, env, policy, limit)
        }),
        None => Ok(Settled::Done),
    }
}

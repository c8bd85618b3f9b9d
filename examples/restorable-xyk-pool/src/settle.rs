//! `settle`: once a restoration has replayed the honest history, each reserve is reconciled
//! with the pool's bank balance, and what that did is kept for the `settlement` query.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Deps, DepsMut, Env, StdResult, Uint128};
use cw_storage_plus::Item;
use rewind_types::ShortfallPolicy;

use crate::error::ContractError;
use crate::state::{CONFIG, RESERVES};

/// What the last settlement did to one denom: `reserve_after = min(reserve_before, bank)`.
#[cw_serde]
pub struct DenomSettlement {
    /// The denom.
    pub denom: String,
    /// The reserve the replay left (the honest history's).
    pub reserve_before: Uint128,
    /// The reserve now.
    pub reserve_after: Uint128,
    /// The pool's bank balance of the denom.
    pub bank_balance: Uint128,
    /// `reserve_before - bank`: cut from every LP share alike.
    pub shortfall: Uint128,
    /// `bank - reserve_before`: kept out of the reserves (not the LPs'), recorded here.
    pub surplus: Uint128,
}

/// The last restoration's settlement.
#[cw_serde]
pub struct Settlement {
    /// The voted rule.
    pub policy: ShortfallPolicy,
    /// The block it ran in.
    pub height: u64,
    /// Per denom, in the pool's order.
    pub denoms: Vec<DenomSettlement>,
}

/// A report, kept out of the journal (declared plain): no later rollback erases it.
pub const SETTLEMENT: Item<Settlement> = Item::new("settlement");

/// A reserve above the bank balance (an excluded account's withdrawal or swap took real
/// funds, and was not replayed) becomes the bank balance, so every LP share loses the same
/// fraction of it: `ProRataHaircut`. The pool has no insurance reserve, so `InsuranceFirst`
/// does the same. A bank balance above the reserve (an excluded account's deposit) is left
/// out of the reserves and only recorded.
pub fn settle(deps: DepsMut, env: &Env, policy: &ShortfallPolicy) -> Result<(), ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut reserves = RESERVES.load(deps.storage)?;
    let mut denoms = vec![];
    for (reserve, denom) in reserves.iter_mut().zip(config.denoms) {
        let balance = deps.querier.query_balance(&env.contract.address, &denom)?;
        let (before, bank) = (*reserve, Uint128::try_from(balance.amount)?);
        *reserve = before.min(bank);
        denoms.push(DenomSettlement {
            denom,
            reserve_before: before,
            reserve_after: *reserve,
            bank_balance: bank,
            shortfall: before.saturating_sub(bank),
            surplus: bank.saturating_sub(before),
        });
    }
    RESERVES.save(deps.storage, &reserves)?;
    let height = env.block.height;
    let settlement = Settlement {
        policy: *policy,
        height,
        denoms,
    };
    Ok(SETTLEMENT.save(deps.storage, &settlement)?)
}

/// The last settlement, if a restoration ever settled this pool.
pub fn settlement(deps: Deps) -> StdResult<Option<Settlement>> {
    SETTLEMENT.may_load(deps.storage)
}

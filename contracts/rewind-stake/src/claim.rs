//! `Claim {}`: pay out every unbonding entry whose period has finished.

use cosmwasm_std::{coins, BankMsg, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::state::{CONFIG, UNBONDING};

pub fn execute(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let entries = UNBONDING
        .may_load(deps.storage, &info.sender)?
        .unwrap_or_default();
    let (released, waiting): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .partition(|entry| entry.release_at <= env.block.time);
    if released.is_empty() {
        return Err(match waiting.iter().map(|entry| entry.release_at).min() {
            Some(next_release) => ContractError::UnbondingNotFinished { next_release },
            None => ContractError::NothingToClaim {},
        });
    }
    let amount = released
        .iter()
        .try_fold(Uint128::zero(), |sum, entry| sum.checked_add(entry.amount))?;
    if waiting.is_empty() {
        UNBONDING.remove(deps.storage, &info.sender);
    } else {
        UNBONDING.save(deps.storage, &info.sender, &waiting)?;
    }

    let denom = CONFIG.load(deps.storage)?.denom;
    Ok(Response::new()
        .add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: coins(amount.u128(), denom),
        })
        .add_attribute("action", "claim")
        .add_attribute("staker", info.sender)
        .add_attribute("amount", amount))
}

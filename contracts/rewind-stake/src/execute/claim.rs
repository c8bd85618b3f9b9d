//! `Claim {}`: pay out every claim whose release has come.

use cosmwasm_std::{coins, BankMsg, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::state::{CLAIMS, CONFIG};

/// Sends the sender the sum of their released claims and closes them; refuses when none is
/// open or none is released yet.
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let claims = CLAIMS.query_claims(deps.as_ref(), &info.sender)?.claims;
    // The released sum, with checked arithmetic (row B3), before cw-controllers adds it.
    let mut released = Uint128::zero();
    for claim in claims
        .iter()
        .filter(|c| c.release_at.is_expired(&env.block))
    {
        released = released.checked_add(claim.amount)?;
    }
    if released.is_zero() {
        return Err(match claims.first() {
            // The duration never changes, so the oldest claim is released first.
            Some(oldest) => ContractError::UnstakingNotFinished {
                next_release: oldest.release_at,
            },
            None => ContractError::NothingToClaim {},
        });
    }
    let amount = CLAIMS.claim_tokens(deps.storage, &info.sender, &env.block, None)?;

    let denom = CONFIG.load(deps.storage)?.denom;
    Ok(Response::new()
        .add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: coins(amount.u128(), denom),
        })
        .add_attribute(rewind_types::ACTION, "claim")
        .add_attribute("staker", info.sender)
        .add_attribute("amount", amount))
}

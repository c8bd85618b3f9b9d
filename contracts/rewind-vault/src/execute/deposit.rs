//! Deposit native collateral, recorded as a journal flow (not rolled back), so a
//! restoration replays it for honest accounts (row R9).

use cosmwasm_std::{DepsMut, Env, Int128, MessageInfo, Response, Uint128};
use rewind_journal::{record_flow, Journal};

use crate::error::ContractError;
use crate::state::{adjust_total, credit, ensure_not_frozen, CONFIG};

/// Adds the attached funds to the sender's collateral.
pub fn deposit(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if info.funds.is_empty() {
        return Err(cw_utils::PaymentError::NoFunds {}.into());
    }
    for coin in &info.funds {
        if !config.denoms.contains(&coin.denom) {
            return Err(ContractError::UnknownDenom {
                denom: coin.denom.clone(),
            });
        }
        if Uint128::try_from(coin.amount)?.is_zero() {
            return Err(ContractError::Zero {
                what: format!("deposit of {}", coin.denom),
            });
        }
    }
    ensure_not_frozen(deps.storage, &info.sender)?;

    let mut j = Journal::new(&env);
    let mut resp = Response::new()
        .add_attribute("action", "deposit")
        .add_attribute("account", info.sender.as_str());
    for coin in &info.funds {
        let amount = Uint128::try_from(coin.amount)?;
        let balance = credit(deps.storage, &mut j, &info.sender, &coin.denom, amount)?;
        adjust_total(deps.storage, &mut j, &coin.denom, amount, Uint128::zero())?;
        let seq = record_flow(
            deps.storage,
            &env,
            &info.sender,
            &coin.denom,
            Int128::try_from(amount)?,
        )?;
        resp = resp
            .add_attribute("amount", coin.to_string())
            .add_attribute("balance", balance)
            .add_attribute("flow_seq", seq.to_string());
    }
    j.flush(deps.storage)?;
    Ok(resp)
}

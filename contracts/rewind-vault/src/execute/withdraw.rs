//! Withdraw free collateral, recorded as a journal flow (not rolled back), so a
//! restoration replays it for honest accounts (row R9).

use cosmwasm_std::{BankMsg, Coin, DepsMut, Env, Int128, MessageInfo, Response, Uint128};
use rewind_journal::{record_flow, Journal};

use crate::error::ContractError;
use crate::state::{adjust_total, debit, ensure_not_frozen, CONFIG};

/// Sends free collateral back to the sender.
pub fn withdraw(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    denom: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    // The exit gate ran first, in `gate::admit`, as every other action's gate does.
    let config = CONFIG.load(deps.storage)?;
    cw_utils::nonpayable(&info)?;
    if !config.denoms.contains(&denom) {
        return Err(ContractError::UnknownDenom { denom });
    }
    if amount.is_zero() {
        return Err(ContractError::Zero {
            what: "withdraw amount".into(),
        });
    }
    ensure_not_frozen(deps.storage, &info.sender)?;

    let mut j = Journal::new(&env);
    let balance = debit(deps.storage, &mut j, &info.sender, &denom, amount)?;
    adjust_total(deps.storage, &mut j, &denom, Uint128::zero(), amount)?;
    let out = Int128::zero().checked_sub(Int128::try_from(amount)?)?;
    let seq = record_flow(deps.storage, &env, &info.sender, &denom, out)?;
    j.flush(deps.storage)?;

    let coin = Coin::new(amount, denom);
    Ok(Response::new()
        .add_attribute("action", "withdraw")
        .add_attribute("account", info.sender.as_str())
        .add_attribute("amount", coin.to_string())
        .add_attribute("balance", balance)
        .add_attribute("flow_seq", seq.to_string())
        .add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: vec![coin],
        }))
}

//! Liquidation below the maintenance margin, by anyone, with a reward; the insurance
//! account receives the fee.

use cosmwasm_std::{DepsMut, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::invariants::book_position;
use crate::math;
use crate::state::{adjust_total, credit, market, price, CONFIG, POSITIONS};

/// Liquidates `account`'s position in `market_id` if its equity is below maintenance.
/// What is left of the margin (equity, floored at zero) pays the liquidator's reward and
/// the insurance fee; the rest returns to the account.
pub fn liquidate(
    deps: DepsMut,
    info: MessageInfo,
    account: String,
    market_id: String,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let account = deps.api.addr_validate(&account)?;
    let config = CONFIG.load(deps.storage)?;
    let params = market(deps.storage, &market_id)?;
    let key = (account.clone(), market_id.clone());
    let position = POSITIONS
        .may_load(deps.storage, key.clone())?
        .ok_or_else(|| ContractError::NoPosition {
            account: account.clone(),
            market: market_id.clone(),
        })?;
    let mark = price(deps.storage, &market_id)?;
    let pnl = math::pnl(position.size, position.entry_price, mark)?;
    let equity = math::equity(position.margin, pnl)?;
    let maintenance =
        math::margin_requirement(position.size, mark, params.maintenance_margin_ratio)?;
    if equity >= cosmwasm_std::Int128::try_from(maintenance)? {
        return Err(ContractError::NotLiquidatable {
            account,
            market: market_id,
            equity,
            maintenance,
        });
    }

    let remaining = math::payout(position.margin, pnl)?;
    let reward = remaining.checked_mul_floor(params.liquidation_reward_ratio)?;
    let fee = remaining.checked_mul_floor(params.liquidation_fee_ratio)?;
    let returned = remaining.checked_sub(reward)?.checked_sub(fee)?;

    POSITIONS.remove(deps.storage, key);
    let denom = params.denom.as_str();
    book_position(
        deps.storage,
        &market_id,
        denom,
        position.size,
        position.entry_price,
        false,
    )?;
    for (who, amount) in [
        (&info.sender, reward),
        (&config.insurance, fee),
        (&account, returned),
    ] {
        if !amount.is_zero() {
            credit(deps.storage, who, denom, amount)?;
        }
    }
    adjust_total(deps.storage, denom, remaining, position.margin)?;

    Ok(Response::new()
        .add_attribute("action", "liquidate")
        .add_attribute("liquidator", info.sender.as_str())
        .add_attribute("account", account.as_str())
        .add_attribute("market", market_id)
        .add_attribute("price", mark.to_string())
        .add_attribute("equity", equity.to_string())
        .add_attribute("maintenance", maintenance)
        .add_attribute("reward", reward)
        .add_attribute("insurance_fee", fee)
        .add_attribute("returned", returned)
        .add_attribute(
            "bad_debt",
            Uint128::try_from(
                cosmwasm_std::Int128::zero()
                    .checked_sub(equity)?
                    .max(cosmwasm_std::Int128::zero()),
            )?,
        ))
}

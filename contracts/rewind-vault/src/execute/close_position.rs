//! Close a perpetual position at the last pushed price (in exit-only mode, at the fallback
//! price: [`exit_price`]).

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::invariants::book_position;
use crate::math;
use crate::state::{adjust_total, credit, exit_price, market, POSITIONS};

/// Closes the sender's position in `market_id` and settles its PnL into free collateral.
pub fn close_position(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    market_id: String,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let params = market(deps.storage, &market_id)?;
    let key = (info.sender.clone(), market_id.clone());
    let position = POSITIONS
        .may_load(deps.storage, key.clone())?
        .ok_or_else(|| ContractError::NoPosition {
            account: info.sender.clone(),
            market: market_id.clone(),
        })?;
    let exit_price = exit_price(deps.storage, &env, &market_id, &position)?;
    let pnl = math::pnl(position.size, position.entry_price, exit_price)?;
    let payout = math::payout(position.margin, pnl)?;

    POSITIONS.remove(deps.storage, key);
    book_position(
        deps.storage,
        &market_id,
        &params.denom,
        position.size,
        position.entry_price,
        false,
    )?;
    let free = credit(deps.storage, &info.sender, &params.denom, payout)?;
    adjust_total(deps.storage, &params.denom, payout, position.margin)?;

    Ok(Response::new()
        .add_attribute("action", "close_position")
        .add_attribute("account", info.sender.as_str())
        .add_attribute("market", market_id)
        .add_attribute("exit_price", exit_price.to_string())
        .add_attribute("pnl", pnl.to_string())
        .add_attribute("payout", payout)
        .add_attribute("free_collateral", free))
}

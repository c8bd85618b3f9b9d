//! Open a perpetual position at the last pushed price.

use cosmwasm_std::{DepsMut, Env, Int128, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::invariants::book_position;
use crate::math;
use crate::state::{debit, market, price, Position, POSITIONS};

/// Opens a position of `size` in `market_id` with `margin` taken from free collateral.
pub fn open_position(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    market_id: String,
    size: Int128,
    margin: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let params = market(deps.storage, &market_id)?;
    if size.is_zero() {
        return Err(ContractError::Zero {
            what: "position size".into(),
        });
    }
    if margin.is_zero() {
        return Err(ContractError::Zero {
            what: "margin".into(),
        });
    }
    let key = (info.sender.clone(), market_id.clone());
    if POSITIONS.has(deps.storage, key.clone()) {
        return Err(ContractError::PositionExists {
            account: info.sender,
            market: market_id,
        });
    }
    let entry_price = price(deps.storage, &market_id)?;
    let required = math::margin_requirement(size, entry_price, params.initial_margin_ratio)?;
    if margin < required {
        return Err(ContractError::InsufficientMargin {
            market: market_id,
            required,
            provided: margin,
        });
    }

    let free = debit(deps.storage, &info.sender, &params.denom, margin)?;
    let position = Position {
        size,
        entry_price,
        margin,
        opened_at_height: env.block.height,
    };
    POSITIONS.save(deps.storage, key, &position)?;
    book_position(
        deps.storage,
        &market_id,
        &params.denom,
        size,
        entry_price,
        true,
    )?;

    Ok(Response::new()
        .add_attribute("action", "open_position")
        .add_attribute("account", info.sender.as_str())
        .add_attribute("market", market_id)
        .add_attribute("size", size.to_string())
        .add_attribute("entry_price", entry_price.to_string())
        .add_attribute("margin", margin)
        .add_attribute("free_collateral", free))
}

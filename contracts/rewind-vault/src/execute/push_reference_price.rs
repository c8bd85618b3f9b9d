//! Reference price pushes by the independent reference feeder (issue 16's oracle agreement).

use cosmwasm_std::{Decimal, DepsMut, MessageInfo, Response};

use crate::error::ContractError;
use crate::invariants::{book_price, GUARD};
use crate::state::market;

/// The reference feeder pushes `price` for `market_id`. It only updates the reference the
/// oracle agreement invariant compares the feeder's price with (the book's entry): a
/// reference more than the bound from the feeder's price is refused like any execution
/// that breaks an invariant (rewind-target checks it after this returns).
pub fn push_reference_price(
    deps: DepsMut,
    info: MessageInfo,
    market_id: String,
    price: Decimal,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let guard = GUARD.may_load(deps.storage)?.unwrap_or_default();
    if guard.reference_feeder.as_ref() != Some(&info.sender) {
        return Err(ContractError::Unauthorized {
            action: "push_reference_price".into(),
            sender: info.sender,
        });
    }
    let params = market(deps.storage, &market_id)?;
    if price.is_zero() {
        return Err(ContractError::InvalidPrice { market: market_id });
    }
    book_price(deps.storage, &market_id, &params.denom, price, true)?;
    Ok(Response::new()
        .add_attribute("action", "push_reference_price")
        .add_attribute("market", market_id)
        .add_attribute("price", price.to_string()))
}

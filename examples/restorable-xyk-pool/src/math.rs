//! The pool's formulas, in 256-bit checked arithmetic: shared by the actions and the
//! simulation query, so a simulation always matches the swap.

use cosmwasm_std::{Isqrt, Uint128, Uint256};

use crate::error::ContractError;
use crate::state::BPS_DENOMINATOR;

/// `floor(sqrt(a * b))`: the first deposit's shares.
pub fn sqrt_of_product(a: Uint128, b: Uint128) -> Result<Uint128, ContractError> {
    let product = Uint256::from(a).checked_mul(Uint256::from(b))?;
    Ok(Uint128::try_from(product.isqrt())?)
}

/// `floor(x * numerator / denominator)`.
pub fn mul_div_floor(
    x: Uint128,
    numerator: Uint128,
    denominator: Uint128,
) -> Result<Uint128, ContractError> {
    let product = Uint256::from(x).checked_mul(Uint256::from(numerator))?;
    Ok(Uint128::try_from(
        product.checked_div(Uint256::from(denominator))?,
    )?)
}

/// `ceil(x * numerator / denominator)`.
pub fn mul_div_ceil(
    x: Uint128,
    numerator: Uint128,
    denominator: Uint128,
) -> Result<Uint128, ContractError> {
    let product = Uint256::from(x).checked_mul(Uint256::from(numerator))?;
    let denominator = Uint256::from(denominator);
    let floor = product.checked_div(denominator)?;
    let ceil = if floor.checked_mul(denominator)? == product {
        floor
    } else {
        floor.checked_add(Uint256::one())?
    };
    Ok(Uint128::try_from(ceil)?)
}

/// What a swap pays and keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SwapAmounts {
    /// Paid to the trader: the constant-product return minus the fee.
    pub return_amount: Uint128,
    /// Kept in the pool, in the asked denom.
    pub fee_amount: Uint128,
}

/// The swap of `offer` into a pool holding `offer_reserve` and `ask_reserve`: the
/// constant-product return `floor(B * a / (A + a))`, of which `floor(fee_bps / 10_000)` is
/// kept as the fee. Rounding always favours the pool, so `A * B` never decreases.
pub fn swap_amounts(
    offer_reserve: Uint128,
    ask_reserve: Uint128,
    offer: Uint128,
    fee_bps: u16,
) -> Result<SwapAmounts, ContractError> {
    if offer_reserve.is_zero() || ask_reserve.is_zero() {
        return Err(ContractError::EmptyPool {});
    }
    let gross = mul_div_floor(ask_reserve, offer, offer_reserve.checked_add(offer)?)?;
    let fee_amount = mul_div_floor(
        gross,
        Uint128::from(fee_bps),
        Uint128::from(BPS_DENOMINATOR),
    )?;
    Ok(SwapAmounts {
        return_amount: gross.checked_sub(fee_amount)?,
        fee_amount,
    })
}

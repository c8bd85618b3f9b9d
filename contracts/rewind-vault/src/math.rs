//! Position arithmetic. Every operation is checked (row B3) and rounds against the trader
//! (requirements up, PnL down), so the ledger never owes more than the positions earned.

use cosmwasm_std::{Decimal, Int128, Int256, Uint128, Uint256};

use crate::error::ContractError;

/// Basis points in one.
pub const BPS: u128 = 10_000;

/// `|size| * price`, rounded up.
pub fn notional_ceil(size: Int128, price: Decimal) -> Result<Uint128, ContractError> {
    Ok(size.unsigned_abs().checked_mul_ceil(price)?)
}

/// The margin a position of `size` at `price` needs with `ratio` (rounded up).
pub fn margin_requirement(
    size: Int128,
    price: Decimal,
    ratio: Decimal,
) -> Result<Uint128, ContractError> {
    Ok(notional_ceil(size, price)?.checked_mul_ceil(ratio)?)
}

/// Floor division of a signed 256-bit value by a positive divisor.
fn floor_div(n: Int256, d: Int256) -> Result<Int256, ContractError> {
    let q = n.checked_div(d)?;
    let r = n.checked_rem(d)?;
    if !r.is_zero() && (r < Int256::zero()) != (d < Int256::zero()) {
        return Ok(q.checked_sub(Int256::one())?);
    }
    Ok(q)
}

/// PnL of `size` from `entry` to `price`: `size * (price - entry)`, rounded down.
pub fn pnl(size: Int128, entry: Decimal, price: Decimal) -> Result<Int128, ContractError> {
    let diff = Int256::from(price.atomics()).checked_sub(Int256::from(entry.atomics()))?;
    let scaled = Int256::from(size).checked_mul(diff)?;
    let one = Int256::from(Decimal::one().atomics());
    Ok(Int128::try_from(floor_div(scaled, one)?)?)
}

/// `margin + pnl`, signed.
pub fn equity(margin: Uint128, pnl: Int128) -> Result<Int128, ContractError> {
    Ok(Int128::try_from(margin)?.checked_add(pnl)?)
}

/// What closing pays into free collateral: `max(margin + pnl, 0)`.
pub fn payout(margin: Uint128, pnl: Int128) -> Result<Uint128, ContractError> {
    let eq = equity(margin, pnl)?;
    if eq <= Int128::zero() {
        return Ok(Uint128::zero());
    }
    Ok(Uint128::try_from(eq)?)
}

/// Whether `price` is more than `bound_bps` basis points away from `reference`.
pub fn moved_beyond(reference: Decimal, price: Decimal, bound_bps: u32) -> bool {
    let diff = if price > reference {
        price - reference
    } else {
        reference - price
    };
    let lhs = Uint256::from(diff.atomics()) * Uint256::from(BPS);
    let rhs = Uint256::from(reference.atomics()) * Uint256::from(u128::from(bound_bps));
    lhs > rhs
}

/// `value * num / den`, rounded down; `value` itself when `den` is zero (nothing to cut).
pub fn keep(value: Uint128, num: Uint128, den: Uint128) -> Result<Uint128, ContractError> {
    if den.is_zero() {
        return Ok(value);
    }
    Ok(value.checked_multiply_ratio(num, den)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn pnl_rounds_down_for_longs_and_shorts() {
        assert_eq!(
            pnl(Int128::new(3), d("1"), d("1.5")).unwrap(),
            Int128::new(1)
        );
        assert_eq!(
            pnl(Int128::new(-3), d("1"), d("1.5")).unwrap(),
            Int128::new(-2)
        );
        assert_eq!(
            pnl(Int128::new(10), d("2"), d("1")).unwrap(),
            Int128::new(-10)
        );
        assert_eq!(
            pnl(Int128::new(-10), d("2"), d("1")).unwrap(),
            Int128::new(10)
        );
    }

    #[test]
    fn requirements_round_up() {
        assert_eq!(
            margin_requirement(Int128::new(-3), d("1.1"), d("0.1")).unwrap(),
            Uint128::new(1)
        );
        assert_eq!(
            margin_requirement(Int128::new(100), d("2"), d("0.1")).unwrap(),
            Uint128::new(20)
        );
    }

    #[test]
    fn payout_never_negative() {
        assert_eq!(
            payout(Uint128::new(5), Int128::new(-9)).unwrap(),
            Uint128::zero()
        );
        assert_eq!(
            payout(Uint128::new(5), Int128::new(4)).unwrap(),
            Uint128::new(9)
        );
    }

    #[test]
    fn breaker_bound_is_exclusive() {
        assert!(!moved_beyond(d("100"), d("110"), 1_000));
        assert!(moved_beyond(d("100"), d("110.01"), 1_000));
        assert!(moved_beyond(d("100"), d("89"), 1_000));
    }

    #[test]
    fn b3_overflow_returns_errors() {
        let huge = Int128::MAX;
        assert!(matches!(
            notional_ceil(huge, d("1000")),
            Err(ContractError::MulFraction(_))
        ));
        assert!(matches!(
            pnl(huge, d("0.000000000000000001"), Decimal::MAX),
            Err(ContractError::Conversion(_))
        ));
        assert!(matches!(
            equity(Uint128::MAX, Int128::zero()),
            Err(ContractError::Conversion(_))
        ));
        assert!(matches!(
            keep(Uint128::MAX, Uint128::MAX, Uint128::one()),
            Err(ContractError::MulRatio(_))
        ));
    }
}

//! Errors.

use cosmwasm_std::StdError;
use thiserror::Error;

/// Everything the counter refuses.
#[derive(Error, Debug)]
pub enum ContractError {
    /// A storage or serialisation error.
    #[error("{0}")]
    Std(#[from] StdError),
    /// Funds were attached.
    #[error("{0}")]
    Payment(#[from] cw_utils::PaymentError),
    /// `by: 0`.
    #[error("cannot increment by zero")]
    ZeroIncrement,
    /// The counter would pass u64::MAX.
    #[error("counter overflow")]
    Overflow,
}

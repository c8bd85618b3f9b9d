use cosmwasm_std::{ConversionOverflowError, OverflowError, StdError, Timestamp, Uint128};
use cw_utils::PaymentError;
use thiserror::Error;

/// Every way a rewind-stake message can fail.
#[derive(Error, Debug)]
pub enum ContractError {
    #[error(transparent)]
    Std(#[from] StdError),

    #[error(transparent)]
    Overflow(#[from] OverflowError),

    #[error(transparent)]
    Conversion(#[from] ConversionOverflowError),

    /// Wrong denom, several coins, or no coins where a stake was expected (rows B2).
    #[error("payment: {0}")]
    Payment(#[from] PaymentError),

    #[error("invalid denom {denom:?}: expected 3 to 128 characters [a-zA-Z0-9/:._-] starting with a letter")]
    InvalidDenom { denom: String },

    #[error("unbonding period must be greater than zero")]
    ZeroUnbondingPeriod {},

    #[error("amount must be greater than zero")]
    ZeroAmount {},

    #[error("cannot unstake {requested}: only {staked} staked")]
    InsufficientStake { staked: Uint128, requested: Uint128 },

    #[error("too many unbonding entries ({max}); claim some first")]
    TooManyUnbondingEntries { max: usize },

    #[error("nothing to claim")]
    NothingToClaim {},

    #[error("unbonding not finished: next release at {next_release}")]
    UnbondingNotFinished { next_release: Timestamp },
}

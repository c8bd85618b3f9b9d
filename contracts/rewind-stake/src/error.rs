//! rewind-stake's errors.

use cosmwasm_std::{ConversionOverflowError, OverflowError, StdError, Uint128};
use cw_utils::{Expiration, PaymentError};
use thiserror::Error;

/// Every way a rewind-stake message can fail.
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(Error, Debug)]
pub enum ContractError {
    /// A storage or address error.
    #[error(transparent)]
    Std(#[from] StdError),

    /// An arithmetic overflow (row B3): refused, never a panic.
    #[error(transparent)]
    Overflow(#[from] OverflowError),

    /// Attached funds beyond 128 bits.
    #[error(transparent)]
    Conversion(#[from] ConversionOverflowError),

    /// Wrong denom, several coins, or no coins where a stake was expected (row B2).
    #[error("payment: {0}")]
    Payment(#[from] PaymentError),

    /// A refused migration: another contract's code, or a downgrade.
    #[error(transparent)]
    Upgrade(#[from] rewind_types::upgrade::UpgradeError),

    /// The denom breaks the Cosmos SDK denom rule (row B4).
    #[error("invalid denom {denom:?}: expected 3 to 128 characters [a-zA-Z0-9/:._-] starting with a letter")]
    InvalidDenom { denom: String },

    /// A zero unstaking duration would let tokens leave at once (row B4).
    #[error("unstaking duration must be greater than zero")]
    ZeroUnstakingDuration {},

    /// An unstake of nothing.
    #[error("amount must be greater than zero")]
    ZeroAmount {},

    /// An unstake above the sender's stake.
    #[error("cannot unstake {requested}: only {staked} staked")]
    InsufficientStake { staked: Uint128, requested: Uint128 },

    /// The sender already holds [`crate::state::MAX_CLAIMS`] open claims (row D3).
    #[error("too many open claims ({max}); claim some first")]
    TooManyClaims { max: u64 },

    /// The sender has no open claim.
    #[error("nothing to claim")]
    NothingToClaim {},

    /// The sender's claims are all still waiting; `next_release` is the oldest's.
    #[error("unstaking not finished: next release at {next_release}")]
    UnstakingNotFinished { next_release: Expiration },
}

rewind_types::impl_error_eq!(ContractError);

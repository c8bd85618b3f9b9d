//! Every way an xyk-pool message can fail.

use cosmwasm_std::{ConversionOverflowError, DivideByZeroError, OverflowError, StdError, Uint128};
use cw_utils::PaymentError;
use thiserror::Error;

/// Every refusal of the pool, each with its own message.
#[derive(Error, Debug)]
pub enum ContractError {
    /// A storage, serialization or address error.
    #[error(transparent)]
    Std(#[from] StdError),

    /// An arithmetic overflow: refused, never a panic.
    #[error(transparent)]
    Overflow(#[from] OverflowError),

    /// A division by zero: refused, never a panic.
    #[error(transparent)]
    DivideByZero(#[from] DivideByZeroError),

    /// A result beyond 128 bits.
    #[error(transparent)]
    Conversion(#[from] ConversionOverflowError),

    /// Funds attached to a message that takes none.
    #[error("payment: {0}")]
    Payment(#[from] PaymentError),

    /// A denom that breaks the Cosmos SDK denom rule.
    #[error("invalid denom {denom:?}: expected 3 to 128 characters [a-zA-Z0-9/:._-] starting with a letter")]
    InvalidDenom {
        /// The denom given.
        denom: String,
    },

    /// Both pool denoms are the same.
    #[error("the pool needs two different denoms, got {denom} twice")]
    SameDenoms {
        /// The repeated denom.
        denom: String,
    },

    /// The fee is above the maximum.
    #[error("fee of {fee_bps} bps is above the maximum of {max} bps")]
    FeeTooHigh {
        /// The fee given.
        fee_bps: u16,
        /// The maximum.
        max: u16,
    },

    /// A coin of a denom the pool does not trade.
    #[error("denom {denom} is not one of the pool's")]
    UnexpectedDenom {
        /// The denom attached.
        denom: String,
    },

    /// A deposit without one of the pool's denoms.
    #[error("no {denom} attached: a deposit needs both pool denoms")]
    MissingAsset {
        /// The denom missing.
        denom: String,
    },

    /// The same denom attached twice.
    #[error("{denom} attached more than once")]
    DuplicateDenom {
        /// The repeated denom.
        denom: String,
    },

    /// A zero amount attached.
    #[error("zero {denom} attached")]
    ZeroAmount {
        /// The denom of the empty coin.
        denom: String,
    },

    /// The first deposit would mint no more shares than the locked minimum.
    #[error(
        "first deposit mints {share} shares: more than the {minimum} locked shares are needed"
    )]
    InsufficientInitialLiquidity {
        /// The shares the deposit would mint, `sqrt(a * b)`.
        share: Uint128,
        /// [`crate::state::MINIMUM_LIQUIDITY`].
        minimum: Uint128,
    },

    /// A deposit too small to mint a single share.
    #[error("deposit too small: it would mint no share")]
    ZeroShare {},

    /// A deposit would mint fewer shares than asked.
    #[error("slippage: the deposit mints {share} shares, below the minimum {min_share}")]
    ShareBelowMinimum {
        /// The shares the deposit would mint.
        share: Uint128,
        /// The minimum asked.
        min_share: Uint128,
    },

    /// A withdrawal of zero shares.
    #[error("share to withdraw must be greater than zero")]
    ZeroWithdrawal {},

    /// A withdrawal above the sender's shares.
    #[error("insufficient share: {available} held, {requested} requested")]
    InsufficientShare {
        /// The sender's shares.
        available: Uint128,
        /// The shares asked to burn.
        requested: Uint128,
    },

    /// A withdrawal too small to pay out anything.
    #[error("withdrawal too small: it would pay out nothing")]
    WithdrawalTooSmall {},

    /// A withdrawal would pay out less of a denom than asked.
    #[error("slippage: the withdrawal pays {amount}{denom}, below the minimum {minimum}{denom}")]
    WithdrawalBelowMinimum {
        /// The denom.
        denom: String,
        /// What the withdrawal would pay.
        amount: Uint128,
        /// The minimum asked.
        minimum: Uint128,
    },

    /// A swap with no coin attached.
    #[error("a swap needs one coin of a pool denom attached")]
    NoOffer {},

    /// A swap with several coins attached.
    #[error("a swap takes exactly one coin, got {count}")]
    MultipleOffers {
        /// How many coins were attached.
        count: usize,
    },

    /// A swap or simulation against a pool without liquidity.
    #[error("the pool has no liquidity")]
    EmptyPool {},

    /// A swap too small to return anything.
    #[error("swap too small: it would return nothing")]
    ZeroReturn {},

    /// A swap would return less than asked.
    #[error("slippage: the swap returns {return_amount}, below the minimum {min_return}")]
    Slippage {
        /// What the swap would return, after the fee.
        return_amount: Uint128,
        /// The minimum asked.
        min_return: Uint128,
    },
}

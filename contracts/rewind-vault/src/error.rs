//! The vault's one error type.

use cosmwasm_std::{
    Addr, CheckedFromRatioError, CheckedMultiplyFractionError, CheckedMultiplyRatioError,
    ConversionOverflowError, DivideByZeroError, DivisionError, Int128, OverflowError, StdError,
    Uint128,
};
use cw_utils::PaymentError;
use rewind_journal::JournalError;
use thiserror::Error;

/// Everything that can go wrong in rewind-vault.
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(Error, Debug)]
pub enum ContractError {
    /// A storage or serialisation error.
    #[error("{0}")]
    Std(#[from] StdError),

    /// The journal refused (gate closed, rollback error, digest mismatch, ...).
    #[error("journal: {0}")]
    Journal(#[from] JournalError),

    /// Funds were attached where none are taken, or missing where they are needed (row B2).
    #[error("payment: {0}")]
    Payment(#[from] PaymentError),

    /// Checked arithmetic overflowed (row B3).
    #[error("arithmetic: {0}")]
    Overflow(#[from] OverflowError),

    /// A checked conversion overflowed (row B3).
    #[error("arithmetic: {0}")]
    Conversion(#[from] ConversionOverflowError),

    /// A checked multiplication by a fraction overflowed (row B3).
    #[error("arithmetic: {0}")]
    MulFraction(#[from] CheckedMultiplyFractionError),

    /// A checked multiplication by a ratio overflowed (row B3).
    #[error("arithmetic: {0}")]
    MulRatio(#[from] CheckedMultiplyRatioError),

    /// A ratio could not be built (row B3).
    #[error("arithmetic: {0}")]
    FromRatio(#[from] CheckedFromRatioError),

    /// A checked signed division failed (row B3).
    #[error("arithmetic: {0}")]
    Division(#[from] DivisionError),

    /// A division by zero (row B3).
    #[error("arithmetic: {0}")]
    DivideByZero(#[from] DivideByZeroError),

    /// The sender may not perform this action.
    #[error("unauthorized: {sender} may not {action}")]
    Unauthorized {
        /// The action attempted.
        action: String,
        /// Who tried.
        sender: Addr,
    },

    /// A configuration value is out of bounds (row B4).
    #[error("invalid config: {reason}")]
    InvalidConfig {
        /// What is wrong.
        reason: String,
    },

    /// A voted configuration (`Configure`, `Release { config }`, `CheckConfig`) is not the
    /// JSON of a `VaultConfigUpdate` (e.g. an unknown field).
    #[error("invalid config update: {reason}")]
    InvalidConfigUpdate {
        /// Why it does not parse.
        reason: String,
    },

    /// A voted configuration that changes nothing.
    #[error("the config update changes nothing")]
    EmptyConfigUpdate {},

    /// The denom is not one of the vault's collateral denoms.
    #[error("unknown denom: {denom}")]
    UnknownDenom {
        /// The denom.
        denom: String,
    },

    /// The market does not exist.
    #[error("unknown market: {market}")]
    UnknownMarket {
        /// The market id.
        market: String,
    },

    /// No price was pushed for the market yet.
    #[error("no price for market {market}")]
    NoPrice {
        /// The market id.
        market: String,
    },

    /// A zero price was pushed.
    #[error("invalid price for market {market}: must be positive")]
    InvalidPrice {
        /// The market id.
        market: String,
    },

    /// An amount or size that must be positive was zero.
    #[error("{what} must be non-zero")]
    Zero {
        /// Which field.
        what: String,
    },

    /// Not enough free collateral.
    #[error(
        "insufficient collateral of {account} in {denom}: available {available}, needed {needed}"
    )]
    InsufficientCollateral {
        /// The account.
        account: Addr,
        /// The denom.
        denom: String,
        /// Free collateral.
        available: Uint128,
        /// What the action needs.
        needed: Uint128,
    },

    /// The margin is below the initial margin requirement.
    #[error("insufficient margin in {market}: required {required}, provided {provided}")]
    InsufficientMargin {
        /// The market id.
        market: String,
        /// The initial margin requirement.
        required: Uint128,
        /// The margin offered.
        provided: Uint128,
    },

    /// The account already has a position in the market.
    #[error("{account} already has a position in {market}")]
    PositionExists {
        /// The account.
        account: Addr,
        /// The market id.
        market: String,
    },

    /// The account has no position in the market.
    #[error("{account} has no position in {market}")]
    NoPosition {
        /// The account.
        account: Addr,
        /// The market id.
        market: String,
    },

    /// The position's equity is at or above the maintenance margin.
    #[error(
        "position of {account} in {market} is healthy: equity {equity}, maintenance {maintenance}"
    )]
    NotLiquidatable {
        /// The account.
        account: Addr,
        /// The market id.
        market: String,
        /// Margin plus PnL at the last price.
        equity: Int128,
        /// The maintenance margin requirement.
        maintenance: Uint128,
    },

    /// A restoration hook ran while the journal runs no rollback (a bug: rewind-target calls
    /// the hooks only inside a restoration).
    #[error("no restoration is running")]
    NoRestorationRunning {},

    /// The breaker may not trip again yet (row P7): the price move beyond the bound is
    /// refused, the price is not stored.
    #[error("price move on {market} refused: the circuit breaker is cooling down until {until}")]
    BreakerCooldown {
        /// The market id.
        market: String,
        /// When the cooldown ends.
        until: cosmwasm_std::Timestamp,
    },

    /// The breaker spent its trip budget (row P7): the price move beyond the bound is
    /// refused, the price is not stored.
    #[error(
        "price move on {market} refused: the circuit breaker tripped {trips} times in the last {window_seconds} seconds"
    )]
    BreakerBudgetSpent {
        /// The market id.
        market: String,
        /// Trips inside the rolling window.
        trips: u32,
        /// The rolling window.
        window_seconds: u64,
    },

    /// The breaker pause reached its cap (row P7): it cannot be renewed, so the price move
    /// beyond the bound is refused, the price is not stored.
    #[error(
        "price move on {market} refused: the circuit breaker pause is at its cap until {until}"
    )]
    BreakerAtCap {
        /// The market id.
        market: String,
        /// The end of the capped breaker pause.
        until: cosmwasm_std::Timestamp,
    },

    /// The settled claims exceed what the vault holds (row R11): the restoration fails and
    /// the vault stays locked.
    #[error("claims in {denom} exceed the bank balance: claims {claims}, bank {bank}")]
    ClaimsExceedBank {
        /// The denom.
        denom: String,
        /// The sum of all claims after settlement.
        claims: Uint128,
        /// The vault's bank balance.
        bank: Uint128,
    },
}

// Same variant and same rendered message (every field is in the message): `StdError` has
// no `PartialEq` in cosmwasm-std 3. The one strategy for every error type of the workspace.
rewind_types::impl_error_eq!(ContractError);

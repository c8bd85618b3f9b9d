//! Every way a cw20-token message can fail.

use cosmwasm_std::{OverflowError, StdError, Uint128};
use cw_utils::PaymentError;
use thiserror::Error;

/// Every refusal of the token, each with its own message.
#[derive(Error, Debug)]
pub enum ContractError {
    /// A storage, serialization or address error.
    #[error(transparent)]
    Std(#[from] StdError),

    /// An arithmetic overflow: refused, never a panic.
    #[error(transparent)]
    Overflow(#[from] OverflowError),

    /// Funds were attached to a message of this nonpayable contract.
    #[error("payment: {0}")]
    Payment(#[from] PaymentError),

    /// The sender may not do this (not the minter).
    #[error("unauthorized")]
    Unauthorized {},

    /// Minting was never enabled or has been disabled.
    #[error("minting is disabled")]
    MintingDisabled {},

    /// A zero amount: it would change nothing.
    #[error("invalid zero amount")]
    InvalidZeroAmount {},

    /// A transfer, send or burn above the account's balance.
    #[error("insufficient funds: balance {balance}, required {required}")]
    InsufficientFunds {
        /// The account's balance.
        balance: Uint128,
        /// The amount asked for.
        required: Uint128,
    },

    /// An owner cannot give an allowance to itself.
    #[error("cannot set allowance to own account")]
    CannotSetOwnAccount {},

    /// The new allowance expiry has already passed.
    #[error("invalid expiration value: already expired")]
    InvalidExpiration {},

    /// The sender has no allowance from this owner.
    #[error("no allowance for this account")]
    NoAllowance {},

    /// The allowance lapsed.
    #[error("allowance is expired")]
    Expired {},

    /// A spend above the allowance.
    #[error("insufficient allowance: allowance {allowance}, required {required}")]
    InsufficientAllowance {
        /// What the spender may still move.
        allowance: Uint128,
        /// The amount asked for.
        required: Uint128,
    },

    /// Minting would take the total supply above the cap.
    #[error("minting cannot exceed the cap: cap {cap}, supply after mint {supply}")]
    CannotExceedCap {
        /// The cap.
        cap: Uint128,
        /// The total supply the mint would reach.
        supply: Uint128,
    },

    /// The initial balances already exceed the minting cap.
    #[error("initial supply {supply} is greater than the cap {cap}")]
    InitialSupplyExceedsCap {
        /// The sum of the initial balances.
        supply: Uint128,
        /// The cap.
        cap: Uint128,
    },

    /// The name is not 3 to 50 characters.
    #[error("name is not in the expected format (3-50 UTF-8 characters)")]
    InvalidName {},

    /// The symbol is not 3 to 12 characters of `[a-zA-Z-]`.
    #[error("ticker symbol is not in the expected format [a-zA-Z\\-]{{3,12}}")]
    InvalidSymbol {},

    /// More than 18 decimals.
    #[error("decimals must not exceed 18")]
    InvalidDecimals {},

    /// The same account appears twice in the initial balances.
    #[error("duplicate initial balance address {address}")]
    DuplicateInitialBalanceAddresses {
        /// The repeated account.
        address: String,
    },
}

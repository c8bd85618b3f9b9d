//! Refusals.

use cosmwasm_std::{Addr, StdError};
use thiserror::Error;

/// Everything the claims vault refuses.
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(Error, Debug)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("{0}")]
    Overflow(#[from] cosmwasm_std::OverflowError),

    #[error("{sender} is not a registered source")]
    UnknownSource { sender: Addr },

    #[error("the record's source {source_addr} is not its sender {sender}")]
    WrongSource { source_addr: Addr, sender: Addr },

    #[error("the record's digest does not match")]
    DigestMismatch,

    #[error("the funds sent are not the record's")]
    FundsMismatch,

    #[error("record {sequence} of {source_addr} was already received")]
    Duplicate { source_addr: Addr, sequence: u64 },

    #[error("{sources} sources, expected 1 to {max}")]
    Sources { sources: usize, max: usize },

    #[error("{account} has no claim to withdraw")]
    NothingToWithdraw { account: Addr },
}

impl PartialEq for ContractError {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

//! # A cw20-spec token
//!
//! examples/cw20-token is the plain contract; examples/restorable-cw20-token is the same
//! source protected by rewind-target, and differs from it only in Cargo.toml and contract.rs
//! (scripts/twin_diff.py counts the lines).
//!
//! A fungible token implementing the [cw20 spec], written in the style of cw-plus's
//! `cw20-base`: balances, allowances (with expiry), `send` to a receiving contract with a
//! `Cw20ReceiveMsg`, and an optional minter with an optional cap. No marketing extension.
//!
//! The cw20 interface types are defined here, in [`msg`], with the spec's exact JSON, because
//! the published `cw20` crate is still on cosmwasm-std 2.
//!
//! Layout: [`contract`] holds the four entry points and only dispatches; [`instantiate`], one
//! file per action under [`execute`], [`query`] and [`migrate`] hold the logic; [`state`] the
//! storage and [`error`] every refusal.
//!
//! [cw20 spec]: https://github.com/CosmWasm/cw-plus/blob/main/packages/cw20/README.md

pub mod contract;
pub mod error;
pub mod execute;
pub mod instantiate;
pub mod migrate;
pub mod msg;
pub mod query;
pub mod state;

pub use crate::error::ContractError;
pub use crate::migrate::MigrateMsg;
pub use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};

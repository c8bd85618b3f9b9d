//! # xyk-pool
//!
//! A plain constant-product (`x * y = k`) pool of two native denoms, written in the style of
//! Astroport's xyk pair: providers deposit both denoms for LP shares (the first deposit mints
//! `sqrt(a * b)` shares and locks [`state::MINIMUM_LIQUIDITY`] of them in the pool forever;
//! later ones mint pro rata and get any excess of one side refunded), traders swap one denom
//! for the other at `return = B * a / (A + a)` minus a fee that stays in the pool, and
//! providers withdraw both denoms pro rata.
//!
//! LP shares are an internal ledger (no cw20 LP token), and the reserves are tracked in state
//! rather than read from the bank, so a donation to the pool's address cannot move the price.
//! All arithmetic is checked: an overflow is an error, never a panic.
//!
//! Layout: [`contract`] holds the four entry points and only dispatches; [`instantiate`], one
//! file per action under [`execute`], [`query`] and [`migrate`] hold the logic; [`math`] the
//! pool formulas shared by the swap and its simulation; [`state`] the storage and [`error`]
//! every refusal.

pub mod contract;
pub mod error;
pub mod execute;
pub mod instantiate;
pub mod math;
pub mod migrate;
pub mod msg;
pub mod query;
pub mod state;

pub use crate::error::ContractError;
pub use crate::migrate::MigrateMsg;
pub use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};

//! # rewind-stake
//!
//! Voting power for Rewind governance, as a DAO DAO voting module: holders stake one native
//! denom, and their power is kept by height so governance can read it at any past block in
//! one lookup.
//!
//! - `Stake {}` adds the attached coins to the sender's stake; power counts from the next
//!   block (DAO DAO semantics: the power "at height h" is the power at the start of block h).
//! - `Unstake { amount }` removes power at once and opens a cw-controllers claim released
//!   after the unstaking duration (blocks or seconds); at most [`state::MAX_CLAIMS`] claims
//!   are open per staker.
//! - `Claim {}` pays out every claim whose release has come.
//!
//! It answers the DAO DAO voting-module queries (`voting_power_at_height`,
//! `total_power_at_height`, `dao`, `info`) and dao-voting-token-staked's staking queries
//! (`get_config`, `denom`, `list_stakers`, `claims`) with DAO DAO's JSON shapes, checked
//! against fixtures written from the published schema (`tests/fixtures/`). So
//! rewind-governance can use it or any existing DAO DAO voting module, and DAO DAO tools can
//! read it.
//!
//! Its wasm admin is governance, which migrates it after a voted `UpgradeModule` proposal:
//! `migrate` refuses another contract's code and any downgrade (see [`migrations`]).
//!
//! Layout: [`contract`] holds the entry points and only dispatches; [`instantiate`], one
//! file per action under `execute/`, [`query`] and [`migrations`] hold the logic.

pub mod contract;
pub mod error;
mod execute;
pub mod instantiate;
pub mod migrations;
pub mod msg;
pub mod query;
pub mod state;

#[cfg(test)]
mod testing;

pub use crate::error::ContractError;

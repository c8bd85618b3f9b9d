//! rewind-gas: the real-VM gas and size report for the Rewind contracts.
//!
//! - [`backend`]: the chain side: storage with wasmd's KV gas table, address API, mock querier;
//! - [`harness`]: loads artifacts into cosmwasm-vm 3.0.10 and prices each call in SDK gas;
//! - [`scenarios`]: one module per contract, driven by the real `rewind-types` messages;
//! - [`report`]: the JSON report, `docs/GAS.md`, and the regression comparison.

pub mod backend;
pub mod harness;
pub mod report;
pub mod scenarios;

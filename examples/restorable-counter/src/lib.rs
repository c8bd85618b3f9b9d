//! A per-address counter in the shape of cw-template's counter. examples/counter is the plain
//! contract; examples/restorable-counter is the same source protected by rewind-target, and
//! differs from it only in Cargo.toml and contract.rs (scripts/twin_diff.py counts the lines).

pub mod contract;
pub mod error;
pub mod execute;
pub mod msg;
pub mod query;
pub mod state;

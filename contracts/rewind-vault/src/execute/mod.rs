//! One file per execute action. The restoration's `Crank` lives in `restore/crank.rs`, with
//! the steps it runs; the voted configuration change is a migration
//! (`migrations/configure.rs`).

pub mod close_position;
pub mod deposit;
pub mod gate;
pub mod liquidate;
pub mod open_position;
pub mod prune;
pub mod push_price;
pub mod withdraw;

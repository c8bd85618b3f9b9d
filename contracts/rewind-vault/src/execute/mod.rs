//! One file per execute action of the vault's own. Rewind's `Gate`, `Crank` and `Prune` are
//! rewind-target's (the generated entry point); the voted configuration change and the sweep
//! are migration hooks (`migrations/`).

pub mod close_position;
pub mod deposit;
pub mod liquidate;
pub mod open_position;
pub mod push_price;
pub mod push_reference_price;
pub mod withdraw;

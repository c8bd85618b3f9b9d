//! counter: a per-address counter, in the shape of cw-template's counter. A plain contract
//! with no knowledge of Rewind; examples/restorable-counter is the same code, protected.

pub mod contract;
pub mod error;
pub mod execute;
pub mod msg;
pub mod query;
pub mod state;

//! One file per action.

pub mod receive_claim;
pub mod withdraw;

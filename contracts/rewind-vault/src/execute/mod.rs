//! One module per action.

pub mod admin;
pub mod collateral;
pub mod liquidate;
pub mod price;
pub mod trade;

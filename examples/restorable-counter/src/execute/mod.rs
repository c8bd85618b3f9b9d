//! One module per action.

pub mod increment;
pub mod reset;

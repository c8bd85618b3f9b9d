//! The actions, one file each. They share no helper beyond [`crate::state`].

pub mod claim;
pub mod stake;
pub mod unstake;

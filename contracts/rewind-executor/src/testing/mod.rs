//! Test support. `mock_target` is also exported under the `mock` feature so the timelock and
//! guardian tests drive the same mock restorable target.

pub mod mock_target;

#[cfg(test)]
mod suite;
#[cfg(test)]
mod tests;

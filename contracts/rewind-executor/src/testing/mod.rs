//! Test support. `mock_target` is also exported under the `mock` feature so the timelock and
//! guardian tests, and rewind-testing's `modules` suite, drive the same mock restorable target.

pub mod mock_target;

/// The three-module suite shared with the timelock's tests (rewind-testing, feature `modules`).
#[cfg(test)]
use rewind_testing::modules as suite;
#[cfg(test)]
mod release_abort_tests;
#[cfg(test)]
mod sweep_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod upgrade_tests;

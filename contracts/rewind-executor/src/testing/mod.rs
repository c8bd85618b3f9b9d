//! The executor's tests, through the three-module suite of rewind-testing (feature
//! `modules`) and its shared mock target.

/// The mock restorable target every Rewind test drives.
use rewind_testing::mock_target;
/// The three-module suite shared with the timelock's tests.
use rewind_testing::modules as suite;

mod configure_tests;
mod migrate_tests;
mod release_abort_tests;
mod sweep_tests;
mod tests;
mod upgrade_tests;

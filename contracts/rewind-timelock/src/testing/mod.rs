/// The three-module suite shared with the executor's tests (rewind-testing, feature `modules`).
use rewind_testing::modules as suite;
mod delay_tests;
mod migrate_tests;
mod queue_upgrade_tests;
mod tests;

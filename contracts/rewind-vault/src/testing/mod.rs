//! Tests: multi-test suite, scenarios, gate table, migrations, bad input, properties.

mod defence_tests;
mod exit_tests;
mod gate_tests;
mod input_tests;
mod invariant_tests;
mod ledger_tests;
mod migrate_tests;
mod model;
mod prop_tests;
mod replay_tests;
mod restoration_check_tests;
mod scenario_tests;
mod suite;
mod sweep_tests;
mod upgrade_tests;

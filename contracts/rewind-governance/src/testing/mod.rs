mod fuzz;
mod instantiate_tests;
mod mocks;
mod propose_tests;
mod suite;
mod tally_props;
mod vote_close_tests;

//! Whole-system Rewind tests. The scenarios live in `tests/`; the `Suite` they drive is
//! `rewind_testing::suite` (feature `suite`).

//! rewind-stake's messages, defined once in rewind-types.
pub use rewind_types::stake::*;
pub use rewind_types::upgrade::MigrateMsg;

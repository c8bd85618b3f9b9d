//! The timelock's messages, defined once in `rewind-types`.

pub use rewind_types::timelock::*;
pub use rewind_types::upgrade::MigrateMsg;

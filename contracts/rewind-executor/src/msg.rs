//! The executor's messages, defined once in `rewind-types`.

pub use rewind_types::executor::*;
pub use rewind_types::upgrade::MigrateMsg;

//! The vault's messages, defined once in `rewind-types`.

pub use rewind_types::vault::*;

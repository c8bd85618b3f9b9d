//! rewind-journal-bench: a benchmark-only contract for the real-VM gas report.
//!
//! It writes the same balance entry through a plain cw-storage-plus `Map`, a `SnapshotMap`
//! with `Strategy::EveryBlock`, and a rewind-journal `JournaledMap`, so `tests/gas` can price
//! the journal against its anchors side by side, plus the gate check and the rollback per
//! undone entry. It is never deployed.

pub mod contract;
pub mod msg;
pub mod state;

#[cfg(test)]
mod tests;

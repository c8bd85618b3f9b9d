//! Restoration: the `Restore { .. }` migration starts it, `Crank { limit }` continues it.
//!
//! Steps, each bounded by the crank's `limit` (units of work; row D1):
//! 1. `RollingBack`: journal undo entries, newest first (1 unit each); the journal verifies
//!    the digest recorded at the height when none remain.
//! 2. `Unwinding`: positions open at the height are closed at their entry price, their
//!    margin returns to free collateral (1 unit per position).
//! 3. `Replaying`: flows after the height, in sequence order; excluded accounts' flows are
//!    skipped (1 unit per flow).
//! 4. `Freezing`: excluded accounts are frozen and their claims summed (1 unit per account;
//!    each reads at most `MAX_DENOMS` balances).
//! 5. `Reconciling`: one bank-balance query per denom, settlement ratios (1 unit).
//! 6. `Settling`: every (account, denom) balance gets its settled claim (1 unit each); then
//!    the report is stored and the journal unlocked.

pub mod crank;
pub mod settle;
pub mod start;
pub mod steps;

/// The crank limit when the caller names none.
pub const DEFAULT_CRANK_LIMIT: u32 = 50;
/// The highest crank limit; larger limits are clamped to it (row D1). Worst-case batch: 200
/// undo entries (1 read + 1 write + 1 delete each) or 200 balances settled (1 read + 2
/// writes each) plus one digest flush.
pub const MAX_CRANK_LIMIT: u32 = 200;
/// The most distinct excluded accounts a restoration takes (row D3).
pub const MAX_EXCLUSIONS: usize = 50;

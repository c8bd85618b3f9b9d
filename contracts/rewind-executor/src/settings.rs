//! The bounds in code on the executor's settings (rows D1, B4), and set sizes (row D3).

use rewind_types::executor::ExecutorSettings;

use crate::error::ContractError;

/// The most work units any single crank may ask a target for (row D1).
pub const HARD_MAX_CRANK_LIMIT: u32 = 1_000;
/// The shortest lock the executor may hold while applying.
pub const HARD_MIN_LOCK_SECONDS: u64 = 3600;
/// The longest lock the executor may ask for (the guardian caps it as well).
pub const HARD_MAX_LOCK_SECONDS: u64 = 60 * 24 * 3600;
/// The shortest exit-only window an aborted restoration opens (rows R12, R13).
pub const HARD_MIN_EXIT_ONLY_SECONDS: u64 = 24 * 3600;
/// The longest exit-only window an aborted restoration opens.
pub const HARD_MAX_EXIT_ONLY_SECONDS: u64 = 30 * 24 * 3600;
/// The most targets one restoration names (row D3).
pub const MAX_TARGETS: u64 = 20;

/// Defaults: 100 units per crank by default, at most 500, 7-day lock, 7 days exit-only
/// after an abort.
pub fn default_settings() -> ExecutorSettings {
    ExecutorSettings {
        default_crank_limit: 100,
        max_crank_limit: 500,
        lock_seconds: 7 * 24 * 3600,
        exit_only_seconds: 7 * 24 * 3600,
    }
}

/// Checks settings against the bounds in code.
pub fn validate(s: &ExecutorSettings) -> Result<(), ContractError> {
    let invalid = |reason: String| Err(ContractError::InvalidSettings { reason });
    if s.max_crank_limit == 0 || s.max_crank_limit > HARD_MAX_CRANK_LIMIT {
        return invalid(format!(
            "max_crank_limit must be in [1, {HARD_MAX_CRANK_LIMIT}]"
        ));
    }
    if s.default_crank_limit == 0 || s.default_crank_limit > s.max_crank_limit {
        return invalid("default_crank_limit must be in [1, max_crank_limit]".into());
    }
    if s.lock_seconds < HARD_MIN_LOCK_SECONDS || s.lock_seconds > HARD_MAX_LOCK_SECONDS {
        return invalid(format!(
            "lock_seconds must be in [{HARD_MIN_LOCK_SECONDS}, {HARD_MAX_LOCK_SECONDS}]"
        ));
    }
    if s.exit_only_seconds < HARD_MIN_EXIT_ONLY_SECONDS
        || s.exit_only_seconds > HARD_MAX_EXIT_ONLY_SECONDS
    {
        return invalid(format!(
            "exit_only_seconds must be in [{HARD_MIN_EXIT_ONLY_SECONDS}, {HARD_MAX_EXIT_ONLY_SECONDS}]"
        ));
    }
    Ok(())
}

//! The bounds in code on the timelock's settings (rows T1, B4).

use rewind_types::timelock::TimelockSettings;

use crate::error::ContractError;

const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;

/// No setting may make the delay shorter than this.
pub const HARD_MIN_DELAY_SECONDS: u64 = HOUR;
/// No setting may make the delay longer than this.
pub const HARD_MAX_DELAY_SECONDS: u64 = 30 * DAY;
/// The shortest grace window.
pub const HARD_MIN_GRACE_SECONDS: u64 = HOUR;
/// The longest grace window.
pub const HARD_MAX_GRACE_SECONDS: u64 = 30 * DAY;
/// The most blocks a delay may require (about 30 days of 1-second blocks).
pub const HARD_MAX_DELAY_BLOCKS: u64 = 30 * DAY;
/// The shortest delay a guardian's cancel imposes (row T4).
pub const HARD_MIN_GUARDIAN_DELAY_SECONDS: u64 = HOUR;
/// The longest delay a guardian's cancel imposes (row T4): a guardian delays, never vetoes.
pub const HARD_MAX_GUARDIAN_DELAY_SECONDS: u64 = 3 * DAY;
/// The most blocks a guardian's cancel adds to the eta height (about 3 days of 1-second
/// blocks).
pub const HARD_MAX_GUARDIAN_DELAY_BLOCKS: u64 = 3 * DAY;
/// The most targets one operation names (row D3).
pub const MAX_TARGETS: u64 = 20;

/// The defaults from the design: 12 h delay within [12 h, 14 days], 7-day grace; a guardian
/// delays by 24 h (14 400 blocks, the delay's block rate).
pub fn default_settings() -> TimelockSettings {
    TimelockSettings {
        delay_seconds: 12 * HOUR,
        min_delay_seconds: 12 * HOUR,
        max_delay_seconds: 14 * DAY,
        min_delay_blocks: 7200,
        grace_period_seconds: 7 * DAY,
        guardian_delay_seconds: DAY,
        guardian_delay_blocks: 14_400,
    }
}

fn invalid(reason: String) -> ContractError {
    ContractError::InvalidSettings { reason }
}

/// Checks settings against the bounds in code. Used at instantiate and at every update.
pub fn validate(s: &TimelockSettings) -> Result<(), ContractError> {
    if s.min_delay_seconds < HARD_MIN_DELAY_SECONDS {
        return Err(invalid(format!(
            "min_delay_seconds {} is below the hard minimum {HARD_MIN_DELAY_SECONDS}",
            s.min_delay_seconds
        )));
    }
    if s.max_delay_seconds > HARD_MAX_DELAY_SECONDS {
        return Err(invalid(format!(
            "max_delay_seconds {} is above the hard maximum {HARD_MAX_DELAY_SECONDS}",
            s.max_delay_seconds
        )));
    }
    if s.min_delay_seconds > s.max_delay_seconds {
        return Err(invalid(
            "min_delay_seconds exceeds max_delay_seconds".into(),
        ));
    }
    if s.delay_seconds < s.min_delay_seconds || s.delay_seconds > s.max_delay_seconds {
        return Err(invalid(format!(
            "delay_seconds {} is outside [{}, {}]",
            s.delay_seconds, s.min_delay_seconds, s.max_delay_seconds
        )));
    }
    if s.min_delay_blocks == 0 || s.min_delay_blocks > HARD_MAX_DELAY_BLOCKS {
        return Err(invalid(format!(
            "min_delay_blocks must be in [1, {HARD_MAX_DELAY_BLOCKS}]"
        )));
    }
    if s.grace_period_seconds < HARD_MIN_GRACE_SECONDS
        || s.grace_period_seconds > HARD_MAX_GRACE_SECONDS
    {
        return Err(invalid(format!(
            "grace_period_seconds must be in [{HARD_MIN_GRACE_SECONDS}, {HARD_MAX_GRACE_SECONDS}]"
        )));
    }
    if s.guardian_delay_seconds < HARD_MIN_GUARDIAN_DELAY_SECONDS
        || s.guardian_delay_seconds > HARD_MAX_GUARDIAN_DELAY_SECONDS
    {
        return Err(invalid(format!(
            "guardian_delay_seconds must be in [{HARD_MIN_GUARDIAN_DELAY_SECONDS}, {HARD_MAX_GUARDIAN_DELAY_SECONDS}]"
        )));
    }
    if s.guardian_delay_blocks == 0 || s.guardian_delay_blocks > HARD_MAX_GUARDIAN_DELAY_BLOCKS {
        return Err(invalid(format!(
            "guardian_delay_blocks must be in [1, {HARD_MAX_GUARDIAN_DELAY_BLOCKS}]"
        )));
    }
    Ok(())
}

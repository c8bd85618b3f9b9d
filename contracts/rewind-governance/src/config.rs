//! Configuration validation (row B4), the hard caps (rows D3, G11) and the hard floors
//! (row B6).

use cosmwasm_std::{Api, Decimal};
use rewind_types::governance::{GovernanceConfig, GovernanceConfigInput, VotingRules};
use rewind_types::timelock::TimelockSettings;

use crate::ContractError;

/// The most targets the registry holds: the guardian's cap too.
pub use rewind_types::MAX_REGISTERED_TARGETS;
/// Hard cap on `max_candidates`.
pub const HARD_MAX_CANDIDATES: u32 = 10;
/// Hard cap on `max_targets`.
pub const HARD_MAX_TARGETS: u32 = 10;
/// Hard cap on `max_exclusions`.
pub const HARD_MAX_EXCLUSIONS: u32 = 1_000;
/// The longest title, in bytes.
pub const MAX_TITLE_LEN: usize = 256;
/// The longest description, in bytes.
pub const MAX_DESCRIPTION_LEN: usize = 10_000;
/// The most changes in one parameter proposal.
pub const MAX_CHANGES: usize = 16;
/// The most guardians added plus removed by one change.
pub const MAX_GUARDIAN_CHANGES: usize = 20;

// ---- hard floors (row B6): no vote can set a value below these ----

/// The shortest voting period of either track, and the lowest `min_voting_period_seconds`.
pub const FLOOR_VOTING_PERIOD_SECONDS: u64 = 3_600;
/// The lowest quorum of either track.
pub const FLOOR_QUORUM: Decimal = Decimal::percent(10);
/// The lowest threshold of either track: never less than a simple majority.
pub const FLOOR_THRESHOLD: Decimal = Decimal::percent(50);
/// The lowest veto threshold of either track, so a small minority cannot veto (and burn)
/// every proposal.
pub const FLOOR_VETO_THRESHOLD: Decimal = Decimal::percent(20);
/// The shortest timelock delay (and lowest `min_delay_seconds`) governance sets.
pub const FLOOR_TIMELOCK_DELAY_SECONDS: u64 = 6 * 3_600;
/// The fewest blocks a timelock delay spans.
pub const FLOOR_TIMELOCK_DELAY_BLOCKS: u64 = 10;
/// The shortest grace window of a due timelock operation.
pub const FLOOR_GRACE_PERIOD_SECONDS: u64 = 86_400;
/// The lowest `max_candidate_age_blocks`.
pub const MIN_CANDIDATE_AGE_BLOCKS: u64 = 1_000;
/// The highest `max_candidate_age_blocks` (row G13).
pub const MAX_CANDIDATE_AGE_BLOCKS: u64 = 1_000_000;

fn below_floor(field: String, value: impl ToString, floor: impl ToString) -> ContractError {
    ContractError::BelowFloor {
        field,
        value: value.to_string(),
        floor: floor.to_string(),
    }
}

fn rules_floors(track: &str, rules: &VotingRules) -> Result<(), ContractError> {
    if rules.voting_period_seconds < FLOOR_VOTING_PERIOD_SECONDS {
        return Err(below_floor(
            format!("{track} voting_period_seconds"),
            rules.voting_period_seconds,
            FLOOR_VOTING_PERIOD_SECONDS,
        ));
    }
    for (name, value, floor) in [
        ("quorum", rules.quorum, FLOOR_QUORUM),
        ("threshold", rules.threshold, FLOOR_THRESHOLD),
        ("veto_threshold", rules.veto_threshold, FLOOR_VETO_THRESHOLD),
    ] {
        if value < floor {
            return Err(below_floor(format!("{track} {name}"), value, floor));
        }
    }
    Ok(())
}

/// The timelock settings governance sends (at instantiate and in `UpdateTimelock`) keep
/// the hard floors (row B6); the timelock checks its own bounds again.
pub fn validate_timelock_floors(settings: &TimelockSettings) -> Result<(), ContractError> {
    for (field, value, floor) in [
        (
            "timelock delay_seconds",
            settings.delay_seconds,
            FLOOR_TIMELOCK_DELAY_SECONDS,
        ),
        (
            "timelock min_delay_seconds",
            settings.min_delay_seconds,
            FLOOR_TIMELOCK_DELAY_SECONDS,
        ),
        (
            "timelock min_delay_blocks",
            settings.min_delay_blocks,
            FLOOR_TIMELOCK_DELAY_BLOCKS,
        ),
        (
            "timelock grace_period_seconds",
            settings.grace_period_seconds,
            FLOOR_GRACE_PERIOD_SECONDS,
        ),
    ] {
        if value < floor {
            return Err(below_floor(field.to_string(), value, floor));
        }
    }
    Ok(())
}

/// The history a restoration needs kept, in seconds: the longest track's voting period,
/// then the timelock's delay and grace window (row G12).
pub fn required_retention_seconds(
    normal_period: u64,
    settings: &TimelockSettings,
) -> Result<u64, ContractError> {
    normal_period
        .checked_add(settings.delay_seconds)
        .and_then(|s| s.checked_add(settings.grace_period_seconds))
        .ok_or(ContractError::Overflow(cosmwasm_std::OverflowError::new(
            cosmwasm_std::OverflowOperation::Add,
        )))
}

fn validate_rules(track: &str, rules: &VotingRules, min_period: u64) -> Result<(), ContractError> {
    if rules.voting_period_seconds == 0 {
        return Err(ContractError::ZeroDuration {
            field: format!("{track} voting_period_seconds"),
        });
    }
    if rules.voting_period_seconds < min_period {
        return Err(ContractError::VotingPeriodBelowMinimum {
            track: track.to_string(),
            period: rules.voting_period_seconds,
            min: min_period,
        });
    }
    let in_unit = |d: Decimal| !d.is_zero() && d <= Decimal::one();
    if !in_unit(rules.quorum) {
        return Err(ContractError::InvalidQuorum {
            track: track.to_string(),
        });
    }
    if !in_unit(rules.threshold) {
        return Err(ContractError::InvalidThreshold {
            track: track.to_string(),
        });
    }
    if !in_unit(rules.veto_threshold) {
        return Err(ContractError::InvalidVetoThreshold {
            track: track.to_string(),
        });
    }
    Ok(())
}

fn validate_cap(field: &str, value: u32, max: u32) -> Result<(), ContractError> {
    if value == 0 {
        return Err(ContractError::ZeroCap {
            field: field.to_string(),
        });
    }
    if value > max {
        return Err(ContractError::CapAboveLimit {
            field: field.to_string(),
            value,
            max,
        });
    }
    Ok(())
}

/// Validates a configuration input and returns the stored form. Used at instantiate and
/// for every `UpdateConfig` change, at proposal and again when applied.
pub fn validate_config(
    api: &dyn Api,
    input: &GovernanceConfigInput,
) -> Result<GovernanceConfig, ContractError> {
    let voting_module = api.addr_validate(&input.voting_module)?;
    if input.min_voting_period_seconds == 0 {
        return Err(ContractError::ZeroDuration {
            field: "min_voting_period_seconds".to_string(),
        });
    }
    validate_rules("normal", &input.normal, input.min_voting_period_seconds)?;
    validate_rules(
        "expedited",
        &input.expedited,
        input.min_voting_period_seconds,
    )?;
    if input.expedited.voting_period_seconds > input.normal.voting_period_seconds {
        return Err(ContractError::ExpeditedLongerThanNormal {
            expedited: input.expedited.voting_period_seconds,
            normal: input.normal.voting_period_seconds,
        });
    }
    validate_cap("max_candidates", input.max_candidates, HARD_MAX_CANDIDATES)?;
    validate_cap("max_targets", input.max_targets, HARD_MAX_TARGETS)?;
    validate_cap("max_exclusions", input.max_exclusions, HARD_MAX_EXCLUSIONS)?;
    if input.deposit.amount.is_zero() || input.deposit.denom.is_empty() {
        return Err(ContractError::ZeroDeposit {});
    }
    // Row B6: the hard floors, after the range checks above.
    if input.min_voting_period_seconds < FLOOR_VOTING_PERIOD_SECONDS {
        return Err(below_floor(
            "min_voting_period_seconds".to_string(),
            input.min_voting_period_seconds,
            FLOOR_VOTING_PERIOD_SECONDS,
        ));
    }
    rules_floors("normal", &input.normal)?;
    rules_floors("expedited", &input.expedited)?;
    if input.min_proposer_power.is_zero() {
        return Err(ContractError::ZeroMinProposerPower {});
    }
    if !(MIN_CANDIDATE_AGE_BLOCKS..=MAX_CANDIDATE_AGE_BLOCKS)
        .contains(&input.max_candidate_age_blocks)
    {
        return Err(ContractError::CandidateAgeOutOfRange {
            value: input.max_candidate_age_blocks,
            min: MIN_CANDIDATE_AGE_BLOCKS,
            max: MAX_CANDIDATE_AGE_BLOCKS,
        });
    }
    Ok(GovernanceConfig {
        voting_module,
        normal: input.normal,
        expedited: input.expedited,
        min_voting_period_seconds: input.min_voting_period_seconds,
        deposit: input.deposit.clone(),
        refund_failed_quorum: input.refund_failed_quorum,
        allow_revoting: input.allow_revoting,
        max_candidates: input.max_candidates,
        max_targets: input.max_targets,
        max_exclusions: input.max_exclusions,
        min_proposer_power: input.min_proposer_power,
        max_candidate_age_blocks: input.max_candidate_age_blocks,
    })
}

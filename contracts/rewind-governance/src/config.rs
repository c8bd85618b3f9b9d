//! Configuration validation (row B4) and the hard caps (rows D3, G11).

use cosmwasm_std::{Api, Decimal};
use rewind_types::governance::{GovernanceConfig, GovernanceConfigInput, VotingRules};

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
    })
}

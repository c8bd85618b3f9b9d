//! A proposal's status now, derived from its stored state, tally and the block time.
//!
//! Normal track: `Open` until `end_time`, then the tally decides.
//! Expedited track: `Open` until the expedited `end_time`; if the expedited rules pass it
//! then, it has `Passed`; otherwise it continues under the normal rules until
//! `fallback_end_time` (start + normal period), when the normal rules decide.
//! Fast track: `Vetoed` once the veto reaches its threshold of the total power, else `Open`
//! until `end_time` (the veto window), then `Passed`.

use cosmwasm_std::Timestamp;
use rewind_types::governance::{ProposalStatus, VotingRules};

use crate::state::Ballot;
use crate::tally::{fast_track_outcome, outcome, Outcome};

/// The status in force, the rules and end time in force, and the winning option.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Derived {
    /// The status.
    pub status: ProposalStatus,
    /// The rules in force.
    pub rules: VotingRules,
    /// When voting ends (or ended) under the rules in force.
    pub end_time: Timestamp,
    /// The winning index into `for_options`, when passed.
    pub winner: Option<usize>,
}

fn to_status(o: Outcome) -> ProposalStatus {
    match o {
        Outcome::Open => ProposalStatus::Open,
        Outcome::Passed { .. } => ProposalStatus::Passed,
        Outcome::Rejected => ProposalStatus::Rejected,
        Outcome::Vetoed => ProposalStatus::Vetoed,
        Outcome::NoQuorum => ProposalStatus::Expired,
    }
}

fn derive_with(p: &Ballot, rules: VotingRules, end_time: Timestamp, now: Timestamp) -> Derived {
    let ended = now >= end_time;
    let o = match p.fast_track {
        true => fast_track_outcome(&p.tally, p.total_power, rules.veto_threshold, ended),
        false => outcome(&p.tally, p.total_power, &rules, ended),
    };
    Derived {
        status: to_status(o),
        rules,
        end_time,
        winner: match o {
            Outcome::Passed { option } => Some(option),
            _ => None,
        },
    }
}

/// The proposal's status at `now`, from its ballot.
pub fn derive(p: &Ballot, now: Timestamp) -> Derived {
    let first = derive_with(p, p.rules, p.end_time, now);
    let derived = match (p.fallback_rules, p.fallback_end_time) {
        (Some(rules), Some(end))
            if first.status != ProposalStatus::Open && first.winner.is_none() =>
        {
            derive_with(p, rules, end, now)
        }
        _ => first,
    };
    if p.status == ProposalStatus::Open {
        derived
    } else {
        // Closed: the stored status is final; keep the rules and end in force at close.
        Derived {
            status: p.status,
            ..derived
        }
    }
}

//! The one tally function (row G9). Pure: no storage, no time, no errors.
//!
//! Rules, all on the power at the proposal's power height:
//! - **quorum**: votes cast (abstain included) >= `quorum` x total power;
//! - **veto**: veto >= `veto_threshold` x non-abstain votes (and at least one non-abstain
//!   vote) rejects and burns the deposit; checked before any winner;
//! - **winner**: the option with the most votes, strictly more than `Reject` and than every
//!   other option, whose votes reach `threshold` x non-abstain votes.
//!
//! The optimistic fast track has its own rule, [`fast_track_outcome`]: vetoed as soon as
//! `Veto` reaches `veto_threshold` x total power; otherwise passed when the window ends.
//!
//! Ratios are compared exactly in 256-bit integers: `a >= r x b` as
//! `a x 10^18 >= r.atomics() x b`. Nothing can overflow or panic.

use cosmwasm_std::{Decimal, Uint128, Uint256};
use rewind_types::governance::{Tally, VotingRules};

/// What the tally says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The voting period has not ended.
    Open,
    /// The option at this index of `Tally::for_options` won.
    Passed {
        /// Index into `for_options` (the candidate's position, or 0 for `Yes`).
        option: usize,
    },
    /// Quorum reached, no winner, no veto.
    Rejected,
    /// Quorum reached and the veto threshold reached.
    Vetoed,
    /// The period ended without quorum.
    NoQuorum,
}

const DECIMAL_FRACTIONAL: u128 = 1_000_000_000_000_000_000;

/// `part >= ratio x whole`, exactly.
fn reaches(part: Uint256, whole: Uint256, ratio: Decimal) -> bool {
    // part, whole < 2^131 (sums of at most a few u128s); x 10^18 (< 2^60) fits in 256 bits.
    let lhs = part.saturating_mul(Uint256::from(DECIMAL_FRACTIONAL));
    let rhs = Uint256::from(ratio.atomics()).saturating_mul(whole);
    lhs >= rhs
}

fn sum(values: impl Iterator<Item = Uint128>) -> Uint256 {
    values.fold(Uint256::zero(), |acc, v| {
        acc.saturating_add(Uint256::from(v))
    })
}

/// The outcome of `tally` under `rules`, with `total_power` read at the power height.
/// `ended` is whether the voting period in force has ended; before that it is `Open`
/// whatever the votes (row G4: no early pass).
pub fn outcome(tally: &Tally, total_power: Uint128, rules: &VotingRules, ended: bool) -> Outcome {
    if !ended {
        return Outcome::Open;
    }
    let for_total = sum(tally.for_options.iter().copied());
    let non_abstain = sum([tally.reject, tally.veto].into_iter()).saturating_add(for_total);
    let cast = non_abstain.saturating_add(Uint256::from(tally.abstain));
    if cast.is_zero() || !reaches(cast, Uint256::from(total_power), rules.quorum) {
        return Outcome::NoQuorum;
    }
    if !non_abstain.is_zero()
        && reaches(Uint256::from(tally.veto), non_abstain, rules.veto_threshold)
    {
        return Outcome::Vetoed;
    }
    // The best option, and whether it is strictly ahead of every other option and Reject.
    let mut best: Option<(usize, Uint128)> = None;
    let mut runner_up = tally.reject;
    for (i, &votes) in tally.for_options.iter().enumerate() {
        match best {
            Some((_, top)) if votes <= top => runner_up = runner_up.max(votes),
            Some((_, top)) => {
                runner_up = runner_up.max(top);
                best = Some((i, votes));
            }
            None => best = Some((i, votes)),
        }
    }
    match best {
        Some((option, votes))
            if votes > runner_up && reaches(Uint256::from(votes), non_abstain, rules.threshold) =>
        {
            Outcome::Passed { option }
        }
        _ => Outcome::Rejected,
    }
}

/// The outcome of a fast-track proposal (issue 16, rows F5 and F8): `Vetoed` as soon as the
/// veto reaches `veto_threshold` x `total_power` (the power at the power height, not of the
/// votes cast: silence lets it pass), else `Open` until the window ends, then `Passed`
/// (its one candidate). No quorum: the incident is already proven on chain.
pub fn fast_track_outcome(
    tally: &Tally,
    total_power: Uint128,
    veto_threshold: Decimal,
    ended: bool,
) -> Outcome {
    if !total_power.is_zero()
        && reaches(
            Uint256::from(tally.veto),
            Uint256::from(total_power),
            veto_threshold,
        )
    {
        return Outcome::Vetoed;
    }
    match ended {
        false => Outcome::Open,
        true => Outcome::Passed { option: 0 },
    }
}

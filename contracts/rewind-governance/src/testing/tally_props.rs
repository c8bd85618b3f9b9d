//! Row G9: the tally against a deliberately naive reference, by proptest.

use cosmwasm_std::{Decimal, Uint128};
use proptest::prelude::*;
use rewind_types::governance::{Tally, VotingRules};

use crate::tally::{outcome, Outcome};

/// Rules given as whole percentages, so the reference can use plain integer percent math.
#[derive(Clone, Copy, Debug)]
pub struct PercentRules {
    pub quorum: u128,
    pub threshold: u128,
    pub veto: u128,
}

impl PercentRules {
    pub fn rules(self) -> VotingRules {
        VotingRules {
            voting_period_seconds: 3600,
            quorum: Decimal::percent(self.quorum as u64),
            threshold: Decimal::percent(self.threshold as u64),
            veto_threshold: Decimal::percent(self.veto as u64),
        }
    }
}

/// The naive reference: percent arithmetic in u128 (inputs stay below 2^100), every
/// option and Reject sorted together, the winner read off the top of the list.
pub fn reference(
    votes_for: &[u128],
    reject: u128,
    abstain: u128,
    veto: u128,
    total: u128,
    r: PercentRules,
    ended: bool,
) -> Outcome {
    if !ended {
        return Outcome::Open;
    }
    let yes_sum: u128 = votes_for.iter().sum();
    let counted = yes_sum + reject + veto;
    let turnout = counted + abstain;
    // quorum: turnout / total >= quorum%
    if turnout == 0 || turnout * 100 < r.quorum * total {
        return Outcome::NoQuorum;
    }
    if counted > 0 && veto * 100 >= r.veto * counted {
        return Outcome::Vetoed;
    }
    // (votes, is_reject, index)
    let mut board: Vec<(u128, bool, usize)> = votes_for
        .iter()
        .enumerate()
        .map(|(i, v)| (*v, false, i))
        .collect();
    board.push((reject, true, usize::MAX));
    board.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    let (top_votes, top_is_reject, top_index) = board[0];
    let second = board[1].0;
    if top_is_reject || top_votes == second {
        return Outcome::Rejected;
    }
    if top_votes * 100 >= r.threshold * counted {
        Outcome::Passed { option: top_index }
    } else {
        Outcome::Rejected
    }
}

fn amount() -> impl Strategy<Value = u128> {
    // Mix tiny values (ties, zeros) with large ones.
    prop_oneof![0u128..6, 0u128..1_000, 0u128..(1u128 << 96)]
}

fn case() -> impl Strategy<Value = (Vec<u128>, u128, u128, u128, u128, PercentRules, bool)> {
    (
        prop::collection::vec(amount(), 1..=5),
        amount(),
        amount(),
        amount(),
        amount(),
        (1u128..=100, 1u128..=100, 1u128..=100),
        prop::bool::weighted(0.9),
    )
        .prop_map(|(f, reject, abstain, veto, extra, (q, t, v), ended)| {
            let total = f.iter().sum::<u128>() + reject + abstain + veto + extra;
            (
                f,
                reject,
                abstain,
                veto,
                total,
                PercentRules {
                    quorum: q,
                    threshold: t,
                    veto: v,
                },
                ended,
            )
        })
}

fn check(
    f: Vec<u128>,
    reject: u128,
    abstain: u128,
    veto: u128,
    total: u128,
    r: PercentRules,
    ended: bool,
) -> Result<(), TestCaseError> {
    let tally = Tally {
        for_options: f.iter().map(|v| Uint128::new(*v)).collect(),
        reject: Uint128::new(reject),
        abstain: Uint128::new(abstain),
        veto: Uint128::new(veto),
    };
    let got = outcome(&tally, Uint128::new(total), &r.rules(), ended);
    let want = reference(&f, reject, abstain, veto, total, r, ended);
    prop_assert_eq!(got, want, "tally {:?} total {} rules {:?}", tally, total, r);
    Ok(())
}

proptest! {
    #[test]
    fn g9_tally_matches_reference((f, reject, abstain, veto, total, r, ended) in case()) {
        check(f, reject, abstain, veto, total, r, ended)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]
    #[test]
    #[ignore = "long run: cargo test -p rewind-governance -- --ignored"]
    fn g9_tally_matches_reference_10k((f, reject, abstain, veto, total, r, ended) in case()) {
        check(f, reject, abstain, veto, total, r, ended)?;
    }
}

#[test]
fn g9_veto_is_never_counted_as_yes() {
    let rules = PercentRules {
        quorum: 10,
        threshold: 50,
        veto: 34,
    }
    .rules();
    // Veto is the largest block, below the veto threshold: it must not help any option.
    let tally = Tally {
        for_options: vec![Uint128::new(30)],
        reject: Uint128::new(40),
        abstain: Uint128::zero(),
        veto: Uint128::new(30),
    };
    assert_eq!(
        outcome(&tally, Uint128::new(100), &rules, true),
        Outcome::Rejected
    );
    // Veto plus option would be a majority; still only the option's own votes count.
    let tally = Tally {
        for_options: vec![Uint128::new(45)],
        reject: Uint128::new(25),
        abstain: Uint128::zero(),
        veto: Uint128::new(30),
    };
    assert_eq!(
        outcome(&tally, Uint128::new(100), &rules, true),
        Outcome::Rejected
    );
    let tally = Tally {
        for_options: vec![Uint128::new(40)],
        reject: Uint128::new(25),
        abstain: Uint128::zero(),
        veto: Uint128::new(35),
    };
    assert_eq!(
        outcome(&tally, Uint128::new(100), &rules, true),
        Outcome::Vetoed
    );
}

#[test]
fn g9_abstain_counts_for_quorum_only() {
    let rules = PercentRules {
        quorum: 50,
        threshold: 50,
        veto: 34,
    }
    .rules();
    let tally = Tally {
        for_options: vec![Uint128::new(10)],
        reject: Uint128::zero(),
        abstain: Uint128::new(40),
        veto: Uint128::zero(),
    };
    assert_eq!(
        outcome(&tally, Uint128::new(100), &rules, true),
        Outcome::Passed { option: 0 }
    );
    let tally = Tally {
        for_options: vec![Uint128::new(10)],
        reject: Uint128::zero(),
        abstain: Uint128::new(39),
        veto: Uint128::zero(),
    };
    assert_eq!(
        outcome(&tally, Uint128::new(100), &rules, true),
        Outcome::NoQuorum
    );
}

#[test]
fn g9_tied_candidates_do_not_pass() {
    let rules = PercentRules {
        quorum: 10,
        threshold: 30,
        veto: 34,
    }
    .rules();
    let tally = Tally {
        for_options: vec![Uint128::new(40), Uint128::new(40)],
        reject: Uint128::new(20),
        abstain: Uint128::zero(),
        veto: Uint128::zero(),
    };
    assert_eq!(
        outcome(&tally, Uint128::new(100), &rules, true),
        Outcome::Rejected
    );
    let tally = Tally {
        for_options: vec![Uint128::new(40), Uint128::new(41)],
        reject: Uint128::new(19),
        abstain: Uint128::zero(),
        veto: Uint128::zero(),
    };
    assert_eq!(
        outcome(&tally, Uint128::new(100), &rules, true),
        Outcome::Passed { option: 1 }
    );
}

#[test]
fn b3_tally_with_maximal_values_does_not_panic() {
    let rules = PercentRules {
        quorum: 100,
        threshold: 100,
        veto: 100,
    }
    .rules();
    let tally = Tally {
        for_options: vec![Uint128::MAX; 10],
        reject: Uint128::MAX,
        abstain: Uint128::MAX,
        veto: Uint128::MAX,
    };
    // Quorum is met (13 x MAX cast), veto is 1/12 of non-abstain, every option ties.
    assert_eq!(
        outcome(&tally, Uint128::MAX, &rules, true),
        Outcome::Rejected
    );
    let tally = Tally {
        for_options: vec![Uint128::MAX],
        reject: Uint128::MAX - Uint128::one(),
        abstain: Uint128::MAX,
        veto: Uint128::zero(),
    };
    let rules = PercentRules {
        quorum: 100,
        threshold: 50,
        veto: 100,
    }
    .rules();
    assert_eq!(
        outcome(&tally, Uint128::MAX, &rules, true),
        Outcome::Passed { option: 0 }
    );
}

#[test]
fn g4_tally_is_open_until_the_period_ends() {
    let rules = PercentRules {
        quorum: 1,
        threshold: 1,
        veto: 100,
    }
    .rules();
    let tally = Tally {
        for_options: vec![Uint128::new(100)],
        ..Tally::default()
    };
    assert_eq!(
        outcome(&tally, Uint128::new(100), &rules, false),
        Outcome::Open
    );
    assert_eq!(
        outcome(&tally, Uint128::new(100), &rules, true),
        Outcome::Passed { option: 0 }
    );
}

proptest! {
    /// Rows F5 and F8: a fast track is vetoed exactly when the veto reaches its threshold
    /// of the TOTAL power (whatever else was cast and whether or not the window ended),
    /// is never passed before the window ends, and passes at its end otherwise.
    #[test]
    fn fast_track_outcome_matches_the_percent_reference(
        veto in 0u128..1_000_000,
        others in 0u128..1_000_000,
        total in 1u128..2_000_000,
        percent in 1u128..=50,
        ended in any::<bool>(),
    ) {
        let tally = Tally {
            for_options: vec![Uint128::new(others)],
            reject: Uint128::new(others),
            abstain: Uint128::new(others),
            veto: Uint128::new(veto),
        };
        let got = crate::tally::fast_track_outcome(
            &tally,
            Uint128::new(total),
            Decimal::percent(percent as u64),
            ended,
        );
        let want = if veto * 100 >= percent * total {
            Outcome::Vetoed
        } else if ended {
            Outcome::Passed { option: 0 }
        } else {
            Outcome::Open
        };
        prop_assert_eq!(got, want);
    }
}

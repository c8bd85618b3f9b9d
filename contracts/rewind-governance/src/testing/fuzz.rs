//! DAO DAO-style fuzz: rounds of 100 voters with random weights vote on a restoration in
//! multi-test; the status after the period must equal the naive reference tally's.
//! Also rows G5 (cancel in the timelock) and G10 (the spec carries only what was voted).

use cosmwasm_std::{from_json, Decimal, Uint128};
use rewind_testing::SuiteBase;
use rewind_types::governance::{
    ParameterChange, ProposalKind, ProposalStatus, QueryMsg, ScheduledSpecResponse, VoteOption,
};
use rewind_types::timelock;

use super::suite::{Suite, SuiteBuilder, NORMAL_PERIOD, PROPOSER_POWER};
use super::tally_props::{reference, PercentRules};
use crate::tally::Outcome;

/// splitmix64: a small deterministic generator, one seed per round.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn round(seed: u64) -> ProposalStatus {
    let mut rng = Rng(seed);
    let mut suite = SuiteBuilder::new()
        .with_config(|c| c.normal.veto_threshold = Decimal::percent(33))
        .build();
    suite.set_power("proposer", PROPOSER_POWER);
    let voters: Vec<String> = (0..100).map(|i| format!("voter{i}")).collect();
    let mut weights = vec![];
    for v in &voters {
        // Weights spread over orders of magnitude, some whales, some zero.
        let w = match rng.below(10) {
            0 => 0,
            1 => 1 + rng.below(1_000_000_000),
            _ => 1 + rng.below(1_000),
        } as u128;
        weights.push(w);
        if w > 0 {
            suite.set_power(v, w);
        }
    }
    suite.advance_blocks(3);
    let h = suite.height();
    let candidates = [h - 1, h - 2];
    let id = suite
        .propose("proposer", &suite.restoration_msg(&candidates))
        .unwrap();
    let (mut f, mut reject, mut abstain, mut veto) = ([0u128; 2], 0u128, 0u128, 0u128);
    for (v, &w) in voters.iter().zip(&weights) {
        if w == 0 {
            continue;
        }
        let option = match rng.below(6) {
            0 => {
                f[0] += w;
                VoteOption::Candidate {
                    height: candidates[0],
                }
            }
            1 => {
                f[1] += w;
                VoteOption::Candidate {
                    height: candidates[1],
                }
            }
            2 => {
                reject += w;
                VoteOption::Reject
            }
            3 => {
                abstain += w;
                VoteOption::Abstain
            }
            4 => {
                veto += w;
                VoteOption::Veto
            }
            _ => continue,
        };
        suite.vote(v, id, option).unwrap();
    }
    let total: u128 = weights.iter().sum::<u128>() + PROPOSER_POWER;
    suite.advance_time(NORMAL_PERIOD);
    let p = suite.proposal(id);
    assert_eq!(
        p.tally.for_options,
        vec![Uint128::new(f[0]), Uint128::new(f[1])]
    );
    let rules = PercentRules {
        quorum: 20,
        threshold: 50,
        veto: 33,
    };
    let want = reference(&f, reject, abstain, veto, total, rules, true);
    let status = match want {
        Outcome::Open => ProposalStatus::Open,
        Outcome::Passed { .. } => ProposalStatus::Passed,
        Outcome::Rejected => ProposalStatus::Rejected,
        Outcome::Vetoed => ProposalStatus::Vetoed,
        Outcome::NoQuorum => ProposalStatus::Expired,
    };
    assert_eq!(
        p.status, status,
        "seed {seed}: tally {:?} total {total}",
        p.tally
    );
    suite.close(id).unwrap();
    if let Outcome::Passed { option } = want {
        assert_eq!(suite.proposal(id).winning_height, Some(candidates[option]));
    }
    status
}

#[test]
fn dao_dao_style_fuzz_100_voters() {
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..12 {
        seen.insert(format!("{:?}", round(seed)));
    }
    eprintln!("fuzz outcomes: {seen:?}");
    assert!(
        seen.len() >= 2,
        "the rounds reach several outcomes: {seen:?}"
    );
}

#[test]
fn g5_governance_cancels_a_queued_restoration() {
    let mut suite = SuiteBuilder::new().build();
    suite.set_power("proposer", PROPOSER_POWER);
    suite.set_power("alice", 100);
    suite.advance_blocks(3);
    let h = suite.height();
    let r = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    suite
        .vote("alice", r, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(r).unwrap();
    let op = suite.proposal(r).operation_id.unwrap();
    let c = suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::CancelOperation { operation_id: op }]),
        )
        .unwrap();
    suite.vote("alice", c, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(c).unwrap();
    assert_eq!(suite.proposal(c).status, ProposalStatus::Executed);
    let last: timelock::ExecuteMsg =
        from_json(&suite.received(&suite.timelock).last().unwrap().1).unwrap();
    assert_eq!(last, timelock::ExecuteMsg::Cancel { operation_id: op });
    // The cancelled operation is final: the target can be proposed again.
    let h = suite.height();
    suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
}

#[test]
fn g10_the_spec_carries_only_the_voted_height_exclusions_and_policy() {
    let mut suite = SuiteBuilder::new().build();
    suite.set_power("proposer", PROPOSER_POWER);
    suite.set_power("alice", 100);
    suite.advance_blocks(3);
    let h = suite.height();
    let r = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1, h - 2]))
        .unwrap();
    suite
        .vote("alice", r, VoteOption::Candidate { height: h - 2 })
        .unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(r).unwrap();
    let ProposalKind::Restoration {
        exclusions,
        shortfall_policy,
        snapshots,
        ..
    } = suite.proposal(r).kind
    else {
        panic!()
    };
    let s: ScheduledSpecResponse = suite.query(&QueryMsg::ScheduledSpec { proposal_id: r });
    assert_eq!(s.spec.height, h - 2);
    assert_eq!(s.spec.exclusions, exclusions);
    assert_eq!(s.spec.shortfall_policy, shortfall_policy);
    assert_eq!(
        s.spec
            .targets
            .iter()
            .map(|t| t.contract.clone())
            .collect::<Vec<_>>(),
        snapshots
            .iter()
            .map(|t| t.contract.clone())
            .collect::<Vec<_>>()
    );
    assert!(s
        .spec
        .targets
        .iter()
        .all(|t| t.expected_digest == Suite::digest(h - 2)));
}

#[test]
fn full_restoration_flow_with_rewind_stake() {
    let mut suite = SuiteBuilder::new()
        .with_backend(super::suite::Backend::Stake)
        .build();
    suite.set_power("proposer", PROPOSER_POWER);
    suite.set_power("alice", 600);
    suite.set_power("bob", 400);
    suite.advance_blocks(2);
    let h = suite.height();
    suite.set_power("attacker", 10_000); // after the last good block
    suite.advance_blocks(2);
    let r = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1, h]))
        .unwrap();
    assert_eq!(
        suite.proposal(r).total_power,
        Uint128::new(1_000 + PROPOSER_POWER)
    );
    suite
        .vote("alice", r, VoteOption::Candidate { height: h })
        .unwrap();
    suite.vote("bob", r, VoteOption::Reject).unwrap();
    rewind_testing::assert_error(
        suite.vote("attacker", r, VoteOption::Veto),
        crate::ContractError::ZeroVotingPower {
            voter: suite.addr("attacker").to_string(),
            height: h,
        },
    );
    suite.advance_time(NORMAL_PERIOD);
    suite.close(r).unwrap();
    let p = suite.proposal(r);
    assert_eq!(
        (p.status, p.winning_height, p.operation_id),
        (ProposalStatus::Executed, Some(h), Some(1))
    );
}

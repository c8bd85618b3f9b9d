//! Rows G12 (a powerless proposer cannot block a target), G13 (borrowed or stale power)
//! and G14 (a dormant honest account is never excluded).

use cosmwasm_std::{from_json, Addr, Timestamp, Uint128};
use cw_multi_test::Executor;
use rewind_testing::SuiteBase;
use rewind_testing::{assert_err, assert_error};
use rewind_types::governance::{
    ExecuteMsg, GovernanceConfigInput, ParameterChange, ProposalKind, ProposalStatus, QueryMsg,
    TargetRegistration, VoteOption, VoterResponse,
};
use rewind_types::guardian;
use rewind_types::timelock::TimelockSettings;

use rewind_testing::mock_target::{MockConfig, MockExecuteMsg, MockQueryMsg, MockState};

use super::suite::DEFAULT_RETENTION_SECONDS;
use super::suite::{
    timelock_settings, Backend, Suite, SuiteBuilder, NORMAL_PERIOD, PROPOSER_POWER,
};
use crate::config::{MAX_CANDIDATE_AGE_BLOCKS, MIN_CANDIDATE_AGE_BLOCKS};
use crate::ContractError;

/// A tiny deterministic generator (splitmix64), so every table is reproducible.
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

fn with_power(edit: impl FnOnce(&mut GovernanceConfigInput) + 'static) -> Suite {
    let mut suite = SuiteBuilder::new().with_config(edit).build();
    suite.set_power("proposer", PROPOSER_POWER);
    suite.set_power("alice", 400);
    suite.set_power("bob", 300);
    suite.advance_blocks(10);
    suite
}

fn guardian_msgs(suite: &Suite) -> Vec<guardian::ExecuteMsg> {
    suite
        .received(&suite.guardian)
        .iter()
        .map(|(_, m)| from_json(m).unwrap())
        .collect()
}

fn target_msg(suite: &mut Suite, target: &Addr, msg: &MockExecuteMsg) {
    suite
        .app
        .execute_contract(suite.addr("dave"), target.clone(), msg, &[])
        .unwrap();
}

fn pass_parameters(suite: &mut Suite, changes: Vec<ParameterChange>) -> u64 {
    let id = suite
        .propose("proposer", &Suite::parameters_msg(changes))
        .unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    id
}

// ---------------------------------------------------------------- G12

#[test]
fn g12_a_restoration_proposer_needs_min_proposer_power_at_both_heights() {
    let mut suite = SuiteBuilder::new()
        .with_config(|c| c.min_proposer_power = Uint128::new(50))
        .build();
    suite.set_power("alice", 400);
    suite.set_power("erin", 49);
    suite.set_power("carol", 50);
    suite.set_power("whale", 1_000); // held at the power height only
    suite.advance_blocks(3);
    let h = suite.height();
    suite.set_power("whale", 0);
    suite.set_power("attacker", 1_000); // held at the start height only
    suite.advance_blocks(3);
    let start = suite.height();
    // (proposer, power counted as a vote would count it, accepted)
    let table: [(&str, u128, bool); 5] = [
        ("proposer", 0, false),
        ("erin", 49, false),
        ("whale", 0, false),
        ("attacker", 0, false),
        ("carol", 50, true),
    ];
    for (who, power, accepted) in table {
        let msg = suite.restoration_msg(&[h - 1]);
        let res = suite.propose(who, &msg);
        if accepted {
            res.unwrap();
        } else {
            assert_error(
                res,
                ContractError::ProposerPowerTooLow {
                    proposer: suite.addr(who).to_string(),
                    power: Uint128::new(power),
                    min: Uint128::new(50),
                    height: h,
                },
            );
        }
    }
    assert_eq!(suite.height(), start);
    // The deposit alone is not enough, and parameter proposals are unaffected.
    let change = ParameterChange::CancelOperation { operation_id: 1 };
    suite
        .propose("proposer", &Suite::parameters_msg(vec![change]))
        .unwrap();
}

#[test]
fn g12_a_restoration_holds_the_history_from_its_lowest_candidate() {
    let mut suite = with_power(|_| {});
    let h = suite.height();
    let settings = timelock_settings();
    let expected_until = |start: Timestamp| {
        start.plus_seconds(NORMAL_PERIOD + settings.delay_seconds + settings.grace_period_seconds)
    };
    let before = guardian_msgs(&suite).len();
    let msg = suite.restoration_msg_for(&[1, 0], &[h - 2, h - 5, h - 1]);
    suite.propose("proposer", &msg).unwrap();
    let msgs = guardian_msgs(&suite);
    assert_eq!(msgs.len(), before + 1);
    assert_eq!(
        msgs[before],
        guardian::ExecuteMsg::HoldHistory {
            targets: vec![suite.targets[1].to_string(), suite.targets[0].to_string()],
            from_height: h - 5,
            until: expected_until(suite.time()),
        }
    );
    // An expedited proposal may fall back to the normal track: the hold covers it.
    let mut msg = suite.restoration_msg(&[h - 3]);
    if let ExecuteMsg::ProposeRestoration { expedited, .. } = &mut msg {
        *expedited = true;
    }
    suite.propose("proposer", &msg).unwrap();
    assert_eq!(
        guardian_msgs(&suite).last().unwrap(),
        &guardian::ExecuteMsg::HoldHistory {
            targets: vec![suite.targets[0].to_string()],
            from_height: h - 3,
            until: expected_until(suite.time()),
        }
    );
    // A hold the guardian refuses refuses the proposal: no proposal without its hold.
    let guardian = suite.guardian.clone();
    suite.set_module_fail(&guardian, true);
    assert_err(
        suite.propose("proposer", &suite.restoration_msg(&[h - 1])),
        "mock: failing on purpose",
    );
    suite.set_module_fail(&guardian, false);
    // After the timelock's grace grows, the hold follows it.
    let mut longer = timelock_settings();
    longer.grace_period_seconds += 86_400;
    pass_parameters(&mut suite, vec![ParameterChange::UpdateTimelock(longer)]);
    let h = suite.height();
    suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    let until = match guardian_msgs(&suite).last().unwrap() {
        guardian::ExecuteMsg::HoldHistory { until, .. } => *until,
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(until, expected_until(suite.time()).plus_seconds(86_400));
}

/// A `ConfigureTarget` of the mock target that sets the retention its journal reports:
/// governance cannot read it (the mock's own JSON), so only the target tells, once applied.
fn configure_retention(target: &Addr, seconds: u64) -> ParameterChange {
    ParameterChange::ConfigureTarget {
        contract: target.to_string(),
        config: cosmwasm_std::to_json_binary(&MockConfig {
            label: format!("retention {seconds}"),
            retention_seconds: Some(seconds),
        })
        .unwrap(),
    }
}

fn mock_state(suite: &Suite, target: &Addr) -> MockState {
    suite
        .app
        .wrap()
        .query_wasm_smart(target, &MockQueryMsg::State {})
        .unwrap()
}

#[test]
fn g12_retention_in_time_is_checked_at_proposal_and_when_applied() {
    let mut suite = with_power(|_| {});
    let tl = timelock_settings();
    let required = NORMAL_PERIOD + tl.delay_seconds + tl.grace_period_seconds;
    let short = suite.new_target("short", required - 1);
    let exact = suite.new_target("exact", required);
    let t0 = suite.targets[0].clone();
    let register = |t: &Addr| {
        ParameterChange::RegisterTarget(TargetRegistration {
            contract: t.to_string(),
            exits_pausable: false,
            scopes: rewind_testing::mock_target::default_scopes(),
        })
    };
    let too_short = |t: &Addr, retention: u64, required: u64| ContractError::RetentionTooShort {
        target: t.to_string(),
        retention_seconds: retention,
        required,
    };
    let mut longer_vote = super::suite::default_config(&suite.voting);
    longer_vote.normal.voting_period_seconds = NORMAL_PERIOD + 1;
    let mut longer_grace = timelock_settings();
    longer_grace.grace_period_seconds += 1;
    let mut longer_delay: TimelockSettings = timelock_settings();
    longer_delay.delay_seconds += 1;
    // Each change that touches a track's period, the timelock's delay or grace, or the
    // targets, against targets whose retention is one second short or exactly enough.
    target_msg(
        &mut suite,
        &t0,
        &MockExecuteMsg::SetRetentionSeconds { seconds: required },
    );
    let cases: Vec<(Vec<ParameterChange>, Option<ContractError>)> = vec![
        (
            vec![register(&short)],
            Some(too_short(&short, required - 1, required)),
        ),
        (vec![register(&exact)], None),
        (
            vec![ParameterChange::UpdateConfig(longer_vote.clone())],
            Some(too_short(&t0, required, required + 1)),
        ),
        (
            vec![ParameterChange::UpdateTimelock(longer_grace.clone())],
            Some(too_short(&t0, required, required + 1)),
        ),
        (
            vec![ParameterChange::UpdateTimelock(longer_delay)],
            Some(too_short(&t0, required, required + 1)),
        ),
        // Removing the short target in the same proposal makes its registration moot.
        (
            vec![
                register(&short),
                ParameterChange::RemoveTarget {
                    contract: short.to_string(),
                },
            ],
            None,
        ),
        // A target the same proposal configures is not judged at proposal on the
        // retention it has now: only the target can say what its new configuration leaves,
        // so it is checked once applied (below).
        (vec![configure_retention(&t0, required - 1)], None),
        (vec![configure_retention(&t0, required)], None),
        (
            vec![
                ParameterChange::UpdateTimelock(longer_grace.clone()),
                configure_retention(&t0, required + 1),
            ],
            None,
        ),
        // Changes that touch none of these are not checked.
        (
            vec![ParameterChange::CancelOperation { operation_id: 1 }],
            None,
        ),
    ];
    for (changes, expected) in cases {
        let res = suite.propose("proposer", &Suite::parameters_msg(changes.clone()));
        match expected {
            Some(err) => assert_error(res, err),
            None => {
                res.unwrap();
            }
        }
    }
    // Accepted at proposal, refused when applied: the target shortened its retention.
    target_msg(
        &mut suite,
        &t0,
        &MockExecuteMsg::SetRetentionSeconds {
            seconds: DEFAULT_RETENTION_SECONDS,
        },
    );
    let id = suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::UpdateTimelock(longer_grace.clone())]),
        )
        .unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    target_msg(
        &mut suite,
        &t0,
        &MockExecuteMsg::SetRetentionSeconds { seconds: required },
    );
    suite.advance_time(NORMAL_PERIOD);
    suite.close(id).unwrap();
    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::ExecutionFailed);
    let err = too_short(&t0, required, required + 1).to_string();
    assert!(
        p.execution_error.as_deref().unwrap().contains(&err),
        "{:?}",
        p.execution_error
    );

    // A configuration that leaves the target too little history fails the whole proposal
    // once applied (the target reports its new retention), and nothing of it stays.
    let id = pass_parameters(&mut suite, vec![configure_retention(&t0, required - 1)]);
    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::ExecutionFailed);
    let err = too_short(&t0, required - 1, required).to_string();
    assert!(
        p.execution_error.as_deref().unwrap().contains(&err),
        "{:?}",
        p.execution_error
    );
    let state = mock_state(&suite, &t0);
    assert_eq!((state.retention_seconds, state.label), (required, None));
    // The tracks grow and the target's retention with them, in one proposal: applied, and
    // checked against the settings now in force.
    let id = pass_parameters(
        &mut suite,
        vec![
            ParameterChange::UpdateTimelock(longer_grace.clone()),
            configure_retention(&t0, required + 1),
        ],
    );
    assert_eq!(suite.proposal(id).status, ProposalStatus::Executed);
    assert_eq!(mock_state(&suite, &t0).retention_seconds, required + 1);
    // ... and a later configuration is judged against them too.
    let id = pass_parameters(&mut suite, vec![configure_retention(&t0, required)]);
    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::ExecutionFailed);
    let err = too_short(&t0, required, required + 1).to_string();
    assert!(
        p.execution_error.as_deref().unwrap().contains(&err),
        "{:?}",
        p.execution_error
    );
    assert_eq!(mock_state(&suite, &t0).retention_seconds, required + 1);
}

// ---------------------------------------------------------------- G13

fn stale_power(backend: Backend) {
    let mut suite = SuiteBuilder::new().with_backend(backend).build();
    // (voter, power up to the candidate block, power from the block after on)
    let table: [(&str, u128, u128); 5] = [
        ("whale", 5_000, 0), // borrowed for one block long ago, gone by the start
        ("alice", 400, 400), // held throughout
        ("bob", 300, 120),   // partly withdrawn since
        ("carol", 100, 900), // bought more after the candidate
        ("erin", 0, 700),    // bought only after the candidate
    ];
    suite.set_power("proposer", PROPOSER_POWER);
    suite.advance_blocks(2);
    for (who, before, _) in table {
        if before > 0 {
            suite.set_power(who, before);
        }
    }
    suite.advance_blocks(1);
    let h = suite.height(); // the candidate: the power height is h + 1
    suite.advance_blocks(1);
    // Changed during block h + 1: counts from h + 2 on, after the power height.
    for (who, before, after) in table {
        if after != before {
            suite.set_power(who, after);
        }
    }
    suite.advance_blocks(20);
    let id = suite
        .propose("proposer", &suite.restoration_msg(&[h]))
        .unwrap();
    let p = suite.proposal(id);
    assert_eq!(p.power_height, h + 1);
    // The total stays the total at the power height: every vote counts at most its share
    // of it, so quorum is never easier to reach than at the power height.
    assert_eq!(
        p.total_power,
        Uint128::new(5_000 + 400 + 300 + 100 + PROPOSER_POWER)
    );
    let mut expected_for = 0u128;
    for (who, before, after) in table {
        let counted = before.min(after);
        let q: VoterResponse = suite.query(&QueryMsg::Voter {
            proposal_id: id,
            voter: suite.addr(who).to_string(),
        });
        assert_eq!(q.power, Uint128::new(counted), "{who}");
        let res = suite.vote(who, id, VoteOption::Candidate { height: h });
        if counted == 0 {
            assert_error(
                res,
                ContractError::ZeroVotingPower {
                    voter: suite.addr(who).to_string(),
                    height: h + 1,
                },
            );
        } else {
            res.unwrap();
            expected_for += counted;
        }
    }
    assert_eq!(
        suite.proposal(id).tally.for_options,
        vec![Uint128::new(expected_for)]
    );
}

#[test]
fn g13_stake_held_briefly_long_ago_counts_only_what_is_still_held() {
    stale_power(Backend::Mock);
}

#[test]
fn g13_stake_held_briefly_long_ago_counts_only_what_is_still_held_with_rewind_stake() {
    stale_power(Backend::Stake);
}

#[test]
fn g13_candidates_older_than_the_max_age_are_refused() {
    let mut suite = with_power(|c| c.max_candidate_age_blocks = MIN_CANDIDATE_AGE_BLOCKS);
    suite.advance_blocks(MIN_CANDIDATE_AGE_BLOCKS + 5);
    let now = suite.height();
    let oldest_ok = now - MIN_CANDIDATE_AGE_BLOCKS;
    assert_error(
        suite.propose(
            "proposer",
            &suite.restoration_msg(&[now - 1, oldest_ok - 1]),
        ),
        ContractError::CandidateTooOld {
            height: oldest_ok - 1,
            current: now,
            max_age: MIN_CANDIDATE_AGE_BLOCKS,
        },
    );
    suite
        .propose("proposer", &suite.restoration_msg(&[now - 1, oldest_ok]))
        .unwrap();
    // The age is bounded in code both ways.
    for (value, ok) in [
        (MIN_CANDIDATE_AGE_BLOCKS - 1, false),
        (MIN_CANDIDATE_AGE_BLOCKS, true),
        (MAX_CANDIDATE_AGE_BLOCKS, true),
        (MAX_CANDIDATE_AGE_BLOCKS + 1, false),
        (u64::MAX, false),
    ] {
        let mut input = super::suite::default_config(&suite.voting);
        input.max_candidate_age_blocks = value;
        let res = suite.propose(
            "proposer",
            &Suite::parameters_msg(vec![ParameterChange::UpdateConfig(input)]),
        );
        if ok {
            res.unwrap();
        } else {
            assert_error(
                res,
                ContractError::CandidateAgeOutOfRange {
                    value,
                    min: MIN_CANDIDATE_AGE_BLOCKS,
                    max: MAX_CANDIDATE_AGE_BLOCKS,
                },
            );
        }
    }
}

// ---------------------------------------------------------------- G14

#[test]
fn g14_only_accounts_that_acted_after_the_highest_candidate_can_be_excluded() {
    let mut suite = with_power(|c| c.max_exclusions = 5);
    suite.advance_blocks(40);
    let now = suite.height();
    let pool = ["carol", "dave", "erin", "whale", "bob"];
    let mut rng = Rng(0x6714);
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..60 {
        // 1..=3 distinct candidates in the last 30 blocks.
        let mut candidates: Vec<u64> = vec![];
        for _ in 0..=rng.below(3) {
            let c = now - 1 - rng.below(30);
            if !candidates.contains(&c) {
                candidates.push(c);
            }
        }
        let highest = *candidates.iter().max().unwrap();
        // Per account and target: never, long before, at, or after the highest candidate.
        let mut acts: std::collections::BTreeMap<&str, [Option<u64>; 2]> = Default::default();
        for name in pool {
            for t in 0..2 {
                let h = match rng.below(4) {
                    0 => None,
                    1 => Some(highest - 1 - rng.below(5)),
                    2 => Some(highest),
                    _ => Some(highest + 1 + rng.below(5)),
                };
                suite.set_activity(t, name, h);
                acts.entry(name).or_default()[t] = h;
            }
        }
        let count = 1 + rng.below(pool.len() as u64) as usize;
        let excluded: Vec<&str> = pool.iter().copied().take(count).collect();
        let mut msg = suite.restoration_msg_for(&[0, 1], &candidates);
        if let ExecuteMsg::ProposeRestoration { exclusions, .. } = &mut msg {
            *exclusions = excluded.iter().map(|n| suite.addr(n).to_string()).collect();
        }
        // The reference: an exclusion is allowed iff it acted on either target after the
        // highest candidate; the first refused account in address order is named.
        let mut sorted: Vec<Addr> = excluded.iter().map(|n| suite.addr(n)).collect();
        sorted.sort();
        let first_refused = sorted.iter().find(|a| {
            let name = pool.iter().find(|n| suite.addr(n) == **a).unwrap();
            !acts[name].iter().flatten().any(|&h| h > highest)
        });
        let res = suite.propose("proposer", &msg);
        match first_refused {
            Some(account) => {
                refused += 1;
                assert_error(
                    res,
                    ContractError::ExclusionNotActive {
                        account: account.to_string(),
                        after_height: highest,
                    },
                );
            }
            None => {
                accepted += 1;
                res.unwrap_or_else(|e| panic!("round {round}: {e}"));
            }
        }
    }
    assert!(accepted > 5 && refused > 5, "{accepted} / {refused}");
}

#[test]
fn g14_a_dormant_honest_account_can_never_be_excluded() {
    let mut suite = with_power(|_| {});
    let h = suite.height();
    let honest = suite.addr("carol").to_string();
    let propose_excluding = |suite: &mut Suite, candidates: &[u64]| {
        let mut msg = suite.restoration_msg_for(&[0, 1], candidates);
        if let ExecuteMsg::ProposeRestoration { exclusions, .. } = &mut msg {
            exclusions.push(honest.clone());
        }
        suite.propose("proposer", &msg)
    };
    // Never acted, acted long ago, acted exactly at the highest candidate: refused, on
    // whichever target and whatever the other candidates.
    for (t, acted) in [
        (0, None),
        (1, Some(h - 30)),
        (0, Some(h - 2)),
        (1, Some(h - 2)),
    ] {
        suite.set_activity(0, "carol", None);
        suite.set_activity(1, "carol", None);
        suite.set_activity(t, "carol", acted);
        assert_error(
            propose_excluding(&mut suite, &[h - 5, h - 2]),
            ContractError::ExclusionNotActive {
                account: honest.clone(),
                after_height: h - 2,
            },
        );
    }
    // Acting after the highest candidate on either target is what allows it.
    suite.set_activity(1, "carol", Some(h - 1));
    propose_excluding(&mut suite, &[h - 5, h - 2]).unwrap();
}

/// Row G12 as a class: random rounds of competing restorations over two targets, passed or
/// rejected, closed in random order, their operations executed and their targets finishing
/// at random. Against a model: a passed restoration is queued iff none of its targets is
/// reserved by a queued operation or restoring; otherwise it fails at close, refunded, with
/// the reason; at most one queued-or-running restoration ever holds a target.
#[test]
fn g12_competing_restorations_never_hold_a_target_twice() {
    use std::collections::BTreeMap;
    let mut suite = with_power(|_| {});
    let mut rng = Rng(0x612);
    // Model: per target, the proposal whose operation is queued, and whether it restores.
    let mut queued: [Option<u64>; 2] = [None, None];
    let mut restoring = [false, false];
    let mut ops: BTreeMap<u64, (u64, Vec<usize>)> = BTreeMap::new(); // op -> (proposal, targets)
    let (mut executed, mut failed) = (0, 0);
    for _round in 0..25 {
        let h = suite.height();
        let mut open = vec![];
        for _ in 0..1 + rng.below(3) {
            let targets: Vec<usize> = match rng.below(3) {
                0 => vec![0],
                1 => vec![1],
                _ => vec![1, 0],
            };
            let res = suite.propose("proposer", &suite.restoration_msg_for(&targets, &[h - 1]));
            // A target that is restoring refuses new proposals outright.
            if let Some(&t) = targets.iter().find(|&&t| restoring[t]) {
                assert_error(
                    res,
                    ContractError::TargetRestoring {
                        target: suite.targets[t].to_string(),
                    },
                );
                continue;
            }
            let id = res.unwrap();
            let passes = rng.below(4) != 0;
            let vote = if passes {
                VoteOption::Candidate { height: h - 1 }
            } else {
                VoteOption::Reject
            };
            suite.vote("alice", id, vote).unwrap();
            open.push((id, targets, passes));
        }
        suite.advance_time(NORMAL_PERIOD);
        while !open.is_empty() {
            let (id, targets, passes) = open.remove(rng.below(open.len() as u64) as usize);
            suite.close(id).unwrap();
            let p = suite.proposal(id);
            if !passes {
                assert_eq!(p.status, ProposalStatus::Closed);
                continue;
            }
            let blocked = targets
                .iter()
                .find(|&&t| queued[t].is_some() || restoring[t]);
            match blocked {
                Some(&t) => {
                    failed += 1;
                    let expected = match queued[t] {
                        Some(holder) => ContractError::TargetReserved {
                            target: suite.targets[t].to_string(),
                            proposal_id: holder,
                        },
                        None => ContractError::TargetRestoring {
                            target: suite.targets[t].to_string(),
                        },
                    };
                    assert_eq!(p.status, ProposalStatus::ExecutionFailed);
                    assert_eq!(p.execution_error, Some(expected.to_string()));
                }
                None => {
                    executed += 1;
                    assert_eq!(p.status, ProposalStatus::Executed);
                    for &t in &targets {
                        queued[t] = Some(id);
                    }
                    ops.insert(p.operation_id.unwrap(), (id, targets));
                }
            }
        }
        // Execute some queued operations (their targets start restoring), and let some
        // restorations finish.
        let due: Vec<u64> = ops.keys().copied().collect();
        for op in due {
            if rng.below(2) == 0 {
                continue;
            }
            let (_, targets) = ops.remove(&op).unwrap();
            suite
                .app
                .execute_contract(
                    suite.addr("dave"),
                    suite.timelock.clone(),
                    &rewind_types::timelock::ExecuteMsg::Execute { operation_id: op },
                    &[],
                )
                .unwrap();
            for t in targets {
                queued[t] = None;
                restoring[t] = true;
                let addr = suite.targets[t].clone();
                target_msg(
                    &mut suite,
                    &addr,
                    &MockExecuteMsg::SetJournal {
                        retained_from: 12_000,
                        restoring: true,
                    },
                );
            }
        }
        for (t, flag) in restoring.iter_mut().enumerate() {
            if *flag && rng.below(2) == 0 {
                *flag = false;
                let addr = suite.targets[t].clone();
                target_msg(
                    &mut suite,
                    &addr,
                    &MockExecuteMsg::SetJournal {
                        retained_from: 12_000,
                        restoring: false,
                    },
                );
            }
        }
        // At most one queued operation per target.
        for t in 0..2 {
            let holders = ops.values().filter(|(_, ts)| ts.contains(&t)).count();
            assert!(
                holders <= 1,
                "target {t} held by {holders} queued operations"
            );
        }
        suite.advance_blocks(1);
    }
    assert!(executed > 5 && failed > 5, "{executed} / {failed}");
}

#[test]
fn g14_a_target_answering_another_accounts_activity_is_refused() {
    let mut suite = with_power(|_| {});
    let h = suite.height();
    suite.set_activity(0, "carol", Some(h));
    let mut excluded = [suite.addr("attacker"), suite.addr("carol")];
    excluded.sort();
    let mut msg = suite.restoration_msg(&[h - 1]);
    if let ExecuteMsg::ProposeRestoration { exclusions, .. } = &mut msg {
        *exclusions = excluded.iter().map(Addr::to_string).collect();
    }
    let t0 = suite.targets[0].clone();
    target_msg(
        &mut suite,
        &t0,
        &MockExecuteMsg::ReverseActivity { reverse: true },
    );
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::ActivityMismatch {
            target: t0.to_string(),
            expected: excluded[0].to_string(),
            got: Some(excluded[1].to_string()),
        },
    );
    target_msg(
        &mut suite,
        &t0,
        &MockExecuteMsg::ReverseActivity { reverse: false },
    );
    suite.propose("proposer", &msg).unwrap();
}

#[test]
fn g12_a_passed_restoration_of_a_target_removed_meanwhile_fails_at_close() {
    let mut suite = with_power(|_| {});
    let h = suite.height();
    let r = suite
        .propose("proposer", &suite.restoration_msg(&[h - 1]))
        .unwrap();
    suite
        .vote("alice", r, VoteOption::Candidate { height: h - 1 })
        .unwrap();
    let t0 = suite.targets[0].clone();
    let remove = ParameterChange::RemoveTarget {
        contract: t0.to_string(),
    };
    let p = suite
        .propose("proposer", &Suite::parameters_msg(vec![remove]))
        .unwrap();
    suite.vote("alice", p, VoteOption::Yes).unwrap();
    suite.advance_time(NORMAL_PERIOD);
    suite.close(p).unwrap();
    assert_eq!(suite.proposal(p).status, ProposalStatus::Executed);
    let before = suite.balance("proposer");
    let res = suite.close(r).unwrap();
    let err = ContractError::TargetNotRegistered {
        target: t0.to_string(),
    };
    let closed = suite.proposal(r);
    assert_eq!(closed.status, ProposalStatus::ExecutionFailed);
    assert_eq!(closed.execution_error, Some(err.to_string()));
    assert!(res
        .events
        .iter()
        .flat_map(|e| e.attributes.iter())
        .any(|a| a.key == "reason" && a.value == "target_not_registered"));
    assert_eq!(suite.balance("proposer"), before + super::suite::DEPOSIT);
}

/// Rows G14 and D3: a proposal at the exclusion cap is checked in requests a chain accepts.
/// One `RestorationCheck` naming 1,000 addresses is about 93 KB, over the VM's 64 KiB query
/// request limit (the mock target refuses it as a chain would), so governance asks in chunks.
#[test]
fn g14_d3_a_thousand_exclusions_are_checked_in_requests_under_the_query_limit() {
    let mut suite = with_power(|c| c.max_exclusions = 1_000);
    let h = suite.height();
    let names: Vec<String> = (0..1_000).map(|i| format!("acted{i}")).collect();
    for name in &names {
        suite.set_activity(0, name, Some(h - 1));
        suite.set_activity(1, name, Some(h - 1));
    }
    let mut msg = suite.restoration_msg_for(&[0, 1], &[h - 2]);
    if let ExecuteMsg::ProposeRestoration { exclusions, .. } = &mut msg {
        *exclusions = names.iter().map(|n| suite.addr(n).to_string()).collect();
    }
    let id = suite.propose("proposer", &msg).unwrap();
    match suite.proposal(id).kind {
        ProposalKind::Restoration { exclusions, .. } => assert_eq!(exclusions.len(), 1_000),
        other => panic!("a restoration, not {other:?}"),
    }
    // And the last chunk is checked like the first: one dormant account at the end refuses.
    suite.set_activity(0, &names[999], None);
    suite.set_activity(1, &names[999], Some(h - 2));
    assert_error(
        suite.propose("proposer", &msg),
        ContractError::ExclusionNotActive {
            account: suite.addr(&names[999]).to_string(),
            after_height: h - 2,
        },
    );
}

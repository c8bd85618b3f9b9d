//! The binary encoding of governance's own records (`crate::codec`): every record reads
//! back as written, through the same `Map`/`Item` paths the contract uses, and a damaged
//! record is refused instead of read wrong.

use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{
    coin, from_json, to_json_vec, Addr, Binary, Decimal, HexBinary, Timestamp, Uint128,
};
use rewind_types::governance::{
    Candidate, CoreModule, GovernanceConfig, ParameterChange, ProposalKind, ProposalStatus,
    ProposedTarget, Tally, TargetSnapshot, UpgradeModule, VoteOption, VotingRules,
};
use rewind_types::{ModuleAddresses, PinnedCode, ShortfallPolicy};

use crate::state::{
    load_ballot, load_proposal, proposals, Ballot, Proposal, StoredVote, TargetState, BALLOTS,
    CONFIG, MODULES, TARGETS, VOTES,
};

fn rules(period: u64) -> VotingRules {
    VotingRules {
        voting_period_seconds: period,
        quorum: Decimal::percent(33),
        threshold: Decimal::from_ratio(2u128, 3u128),
        veto_threshold: Decimal::permille(334),
    }
}

fn proposal(id: u64, kind: ProposalKind, error: Option<&str>) -> Proposal {
    Proposal {
        id,
        title: "title ünïcode".into(),
        description: String::new(),
        proposer: Addr::unchecked("proposer"),
        kind,
        status: ProposalStatus::ExecutionFailed,
        expedited: true,
        refund_failed_quorum: false,
        start_time: Timestamp::from_nanos(1_700_000_000_123_456_789),
        deposit: coin(u128::MAX, "ugov"),
        winning_height: Some(0),
        operation_id: None,
        execution_error: error.map(str::to_string),
    }
}

#[test]
fn every_proposal_kind_reads_back_as_written() {
    let mut storage = MockStorage::new();
    let kinds = [
        ProposalKind::Restoration {
            targets: vec![ProposedTarget {
                contract: "vault".into(),
                new_code: Some(PinnedCode {
                    code_id: 7,
                    checksum: HexBinary::from(vec![1u8; 32]),
                }),
                post_restore_config: Some(Binary::from(br#"{"label":"x"}"#.to_vec())),
            }],
            candidates: vec![Candidate {
                height: 41,
                expected_digests: vec![HexBinary::from(vec![2u8; 32])],
            }],
            exclusions: vec![Addr::unchecked("a"), Addr::unchecked("b")],
            shortfall_policy: ShortfallPolicy::InsuranceFirst,
            snapshots: vec![TargetSnapshot {
                contract: Addr::unchecked("vault"),
                contract_name: "crates.io:rewind-vault".into(),
                code_id: u64::MAX,
                checksum: HexBinary::from(vec![3u8; 32]),
            }],
        },
        ProposalKind::Parameters {
            changes: vec![
                ParameterChange::CancelOperation { operation_id: 3 },
                ParameterChange::SweepFrozen {
                    target: "vault".into(),
                    to: None,
                },
            ],
        },
        ProposalKind::Upgrade(UpgradeModule {
            module: CoreModule::Executor,
            code_id: 9,
            checksum: HexBinary::from(vec![4u8; 32]),
            msg: Binary::from(br#"{"upgrade":{}}"#.to_vec()),
        }),
    ];
    for (i, kind) in kinds.into_iter().enumerate() {
        let id = i as u64 + 1;
        let error = (i == 1).then_some("");
        let p = proposal(id, kind, error);
        proposals().save(&mut storage, id, &p).unwrap();
        assert_eq!(load_proposal(&storage, id).unwrap(), p);
    }
    // The status index still finds them by their stored status.
    let failed: Vec<u64> = proposals()
        .idx
        .status
        .prefix(crate::state::status_code(ProposalStatus::ExecutionFailed))
        .keys(&storage, None, None, cosmwasm_std::Order::Ascending)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(failed, vec![1, 2, 3]);
}

#[test]
fn ballots_votes_targets_config_and_modules_read_back_as_written() {
    let mut storage = MockStorage::new();
    for (id, fallback, fast_track) in [
        (1u64, None, false),
        (2, Some(rules(7)), false),
        (3, None, true),
    ] {
        let ballot = Ballot {
            status: ProposalStatus::Open,
            rules: rules(86_400),
            fallback_rules: fallback,
            end_time: Timestamp::from_seconds(5),
            fallback_end_time: fallback.map(|_| Timestamp::from_seconds(9)),
            allow_revoting: fallback.is_some(),
            voting_module: Addr::unchecked("stake"),
            power_height: 10,
            start_height: 12,
            total_power: Uint128::new(u128::MAX),
            candidate_heights: vec![3, 9],
            tally: Tally {
                for_options: vec![Uint128::new(1), Uint128::zero()],
                reject: Uint128::new(2),
                abstain: Uint128::new(3),
                veto: Uint128::new(4),
            },
            fast_track,
        };
        BALLOTS.save(&mut storage, id, &ballot).unwrap();
        assert_eq!(load_ballot(&storage, id).unwrap(), ballot);
    }
    let voter = Addr::unchecked("voter");
    for vote in [
        VoteOption::Candidate { height: 77 },
        VoteOption::Yes,
        VoteOption::Reject,
        VoteOption::Abstain,
        VoteOption::Veto,
    ] {
        let stored = StoredVote {
            vote,
            power: Uint128::new(5),
        };
        VOTES.save(&mut storage, (1, &voter), &stored).unwrap();
        assert_eq!(VOTES.load(&storage, (1, &voter)).unwrap(), stored);
    }
    let playbook = rewind_types::governance::Playbook {
        veto_window_seconds: 6 * 3600,
        veto_threshold: cosmwasm_std::Decimal::percent(10),
        shortfall_policy: rewind_types::ShortfallPolicy::InsuranceFirst,
        post_restore_config: Some(cosmwasm_std::Binary::from(b"{}".to_vec())),
    };
    for active_proposal in [None, Some(0), Some(u64::MAX)] {
        for playbook in [None, Some(playbook.clone())] {
            let state = TargetState {
                active_proposal,
                playbook,
            };
            TARGETS.save(&mut storage, &voter, &state).unwrap();
            assert_eq!(TARGETS.load(&storage, &voter).unwrap(), state);
        }
    }
    // Records written before playbooks and the fast track read as "none" and "not fast".
    let old_target = rewind_types::codec::encode_all(&TargetState {
        active_proposal: Some(4),
        playbook: None,
    })
    .unwrap();
    assert_eq!(
        rewind_types::codec::decode_all::<TargetState>(&old_target, "target").unwrap(),
        TargetState {
            active_proposal: Some(4),
            playbook: None,
        }
    );
    let config = GovernanceConfig {
        voting_module: Addr::unchecked("stake"),
        normal: rules(259_200),
        expedited: rules(86_400),
        min_voting_period_seconds: 3_600,
        deposit: coin(1_000, "ugov"),
        refund_failed_quorum: true,
        allow_revoting: false,
        max_candidates: 10,
        max_targets: u32::MAX,
        max_exclusions: 0,
        min_proposer_power: Uint128::new(1),
        max_candidate_age_blocks: 100_000,
    };
    assert!(CONFIG.load(&storage).is_err());
    CONFIG.save(&mut storage, &config).unwrap();
    assert_eq!(CONFIG.load(&storage).unwrap(), config);
    let modules = ModuleAddresses {
        governance: Addr::unchecked("gov"),
        timelock: Addr::unchecked("timelock"),
        guardian: Addr::unchecked("guardian"),
        executor: Addr::unchecked("executor"),
    };
    MODULES.save(&mut storage, &modules).unwrap();
    assert_eq!(MODULES.load(&storage).unwrap(), modules);
}

#[test]
fn a_damaged_record_is_refused() {
    let vote = StoredVote {
        vote: VoteOption::Yes,
        power: Uint128::new(5),
    };
    let json = to_json_vec(&vote).unwrap();
    let bytes: Binary = from_json(&json).unwrap();
    assert_eq!(from_json::<StoredVote>(&json).unwrap(), vote);
    let mut longer = bytes.to_vec();
    longer.push(0);
    let mut shorter = bytes.to_vec();
    shorter.pop();
    let mut bad_tag = bytes.to_vec();
    bad_tag[0] = 9;
    for damaged in [longer, shorter, bad_tag] {
        let json = to_json_vec(&Binary::from(damaged)).unwrap();
        assert!(from_json::<StoredVote>(&json).is_err());
    }
    // A v0.1 JSON record is not read as anything else.
    assert!(from_json::<StoredVote>(br#"{"vote":"yes","power":"5"}"#).is_err());
}

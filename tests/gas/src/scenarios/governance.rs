//! rewind-governance: propose a restoration with 1 and with 5 candidates, vote (on a proposal
//! with 1 and with 1,000 exclusions), close.
//!
//! The voting module, the targets and the chain's contract/code infos answer through the mock
//! querier with JSON built from `rewind-types`; governance instantiates its modules with
//! instantiate2 at addresses it predicts from their codes' checksums, so no reply is needed.

use cosmwasm_std::{coins, from_json, to_json_binary, Coin, Decimal, HexBinary, Uint128};
use rewind_types::executor::ExecutorSettings;
use rewind_types::governance::{
    Candidate, ConfigResponse as GovernanceConfig, ExecuteMsg, GovernanceConfigInput,
    InstantiateMsg, ProposedTarget, QueryMsg as GovernanceQuery, TargetRegistration, VoteOption,
    VotingRules,
};
use rewind_types::guardian::{GuardianSettings, PausePolicy};
use rewind_types::restorable::{
    AccountActivity, DigestAtResponse, JournalInfoResponse, RestorableQueryMsg,
    RestorationCheckResponse,
};
use rewind_types::timelock::{
    ConfigResponse as TimelockConfig, QueryMsg as TimelockQuery, TimelockSettings,
};
use rewind_types::voting::{
    TotalPowerAtHeightResponse, VotingModuleQueryMsg, VotingPowerAtHeightResponse,
};
use rewind_types::wiring::ModuleInit;
use rewind_types::ShortfallPolicy;

use super::gas;
use crate::backend::{chain_query_cost, INSTANCE_COST};
use crate::harness::{Block, Contract, Vm};
use crate::report::{Figure, Report};

const C: &str = "rewind_governance";
const DENOM: &str = "ugov";
const VOTING_PERIOD: u64 = 3 * 24 * 3600;
const VOTERS: u32 = 10;
const TARGET_CODE_ID: u64 = 7;

pub const GOALS: &[(&str, &str)] = &[
    ("propose", "propose <= 250k"),
    ("vote", "vote <= 150k"),
    (
        "propose_with_queries",
        "propose <= 250k, with its cross-contract queries",
    ),
    (
        "vote_with_query",
        "vote <= 150k, with its voting-power queries",
    ),
    (
        "vote_independent_of_size",
        "vote at 1 and 1,000 exclusions within 5 % (row D4)",
    ),
    (
        "propose_vs_cw3",
        "propose entry point <= 1.1 x cw3-flex-multisig 2.0.0 propose (97,144)",
    ),
    (
        "vote_vs_cw3",
        "vote entry point <= 1.1 x cw3-flex-multisig 2.0.0 vote (97,175)",
    ),
];

/// cw3-flex-multisig 2.0.0's entry points, measured in this harness (the anchors of issue 14).
const CW3_PROPOSE: u64 = 97_144;
/// See [`CW3_PROPOSE`].
const CW3_VOTE: u64 = 97_175;

/// Every excluded account last acted here, above every candidate (row G14).
const LAST_ACTED: u64 = u64::MAX / 2;

fn digest(height: u64) -> HexBinary {
    HexBinary::from(cosmwasm_std::Checksum::generate(&height.to_be_bytes()).as_slice())
}

fn rules(period: u64, threshold: Decimal) -> VotingRules {
    VotingRules {
        voting_period_seconds: period,
        quorum: Decimal::percent(20),
        threshold,
        veto_threshold: Decimal::permille(334),
    }
}

fn timelock_settings() -> TimelockSettings {
    TimelockSettings {
        delay_seconds: 12 * 3600,
        min_delay_seconds: 12 * 3600,
        max_delay_seconds: 14 * 24 * 3600,
        min_delay_blocks: 100,
        grace_period_seconds: 7 * 24 * 3600,
        guardian_delay_seconds: 24 * 3600,
        guardian_delay_blocks: 200,
    }
}

fn instantiate(vm: &Vm, block: Block, targets: &[String]) -> Contract {
    let mut c = vm.load(C, "governance").expect("load rewind_governance");
    let deployer = vm.addr("deployer");
    let msg = InstantiateMsg {
        config: GovernanceConfigInput {
            voting_module: vm.addr("stake").to_string(),
            normal: rules(VOTING_PERIOD, Decimal::percent(50)),
            expedited: rules(24 * 3600, Decimal::from_ratio(2u64, 3u64)),
            min_voting_period_seconds: 24 * 3600,
            deposit: Coin::new(1_000u128, DENOM),
            refund_failed_quorum: true,
            allow_revoting: false,
            max_candidates: 5,
            max_targets: 5,
            max_exclusions: 1_000,
            min_proposer_power: cosmwasm_std::Uint128::one(),
            max_candidate_age_blocks: 100_000,
        },
        targets: targets
            .iter()
            .map(|t| TargetRegistration {
                contract: t.clone(),
                exits_pausable: true,
                scopes: rewind_types::vault::SCOPES.to_vec(),
            })
            .collect(),
        timelock: ModuleInit {
            code_id: 2,
            label: "rewind-timelock".into(),
            settings: timelock_settings(),
        },
        guardian: ModuleInit {
            code_id: 3,
            label: "rewind-guardian".into(),
            settings: GuardianSettings {
                guardians: vec![vm.addr("guardian0").to_string()],
                policy: PausePolicy {
                    max_pause_seconds: 72 * 3600,
                    cooldown_seconds: 24 * 3600,
                    budget_seconds: 7 * 24 * 3600,
                    budget_window_seconds: 30 * 24 * 3600,
                    min_charge_seconds: 3600,
                },
            },
        },
        executor: ModuleInit {
            code_id: 4,
            label: "rewind-executor".into(),
            settings: ExecutorSettings {
                default_crank_limit: 50,
                max_crank_limit: 200,
                lock_seconds: 7 * 24 * 3600,
                exit_only_seconds: 7 * 24 * 3600,
            },
        },
    };
    // Governance predicts each module's instantiate2 address from its code's checksum.
    for code_id in [2, 3, 4] {
        c.querier
            .set_code_info(code_id, "uploader", &[code_id as u8; 32]);
    }
    vm.instantiate(&mut c, block, &deployer, &[], &msg)
        .expect_ok("instantiate governance");
    c
}

/// The voting module (10 voters of equal power) and the targets, answered from rewind-types.
fn mock_chain(vm: &Vm, c: &mut Contract, targets: &[String], journal_from: u64, latest: u64) {
    // The module addresses governance predicted with instantiate2.
    let modules = vm
        .query_json::<GovernanceConfig>(c, Block::genesis(), &GovernanceQuery::Config {})
        .modules;
    let per_voter = Uint128::new(100_000);
    c.querier.set_smart(vm.addr("stake").as_str(), move |q| {
        let answer = match from_json::<VotingModuleQueryMsg>(q).map_err(|e| e.to_string())? {
            VotingModuleQueryMsg::VotingPowerAtHeight { height, .. } => {
                to_json_binary(&VotingPowerAtHeightResponse {
                    power: per_voter,
                    height: height.unwrap_or(0),
                })
            }
            VotingModuleQueryMsg::TotalPowerAtHeight { height } => {
                to_json_binary(&TotalPowerAtHeightResponse {
                    power: per_voter * Uint128::from(VOTERS),
                    height: height.unwrap_or(0),
                })
            }
        };
        answer.map_err(|e| e.to_string())
    });
    // Governance reads the timelock's delay and grace to time a proposal's history hold.
    let known = modules.clone();
    c.querier.set_smart(modules.timelock.as_str(), move |q| {
        match from_json::<TimelockQuery>(q).map_err(|e| e.to_string())? {
            TimelockQuery::Config {} => to_json_binary(&TimelockConfig {
                settings: timelock_settings(),
                modules: known.clone(),
            })
            .map_err(|e| e.to_string()),
            _ => Err("not asked".to_string()),
        }
    });
    let executor = modules.executor.to_string();
    for t in targets {
        c.querier.set_smart(t, move |q| {
            let answer = match from_json::<RestorableQueryMsg>(q).map_err(|e| e.to_string())? {
                // Governance checks a target with this one query.
                RestorableQueryMsg::RestorationCheck { heights, accounts } => {
                    let journal = JournalInfoResponse {
                        retained_from: journal_from,
                        latest_height: latest,
                        retention_blocks: 100_000,
                        restoring: false,
                        restoration_lock_until: None,
                        retention_seconds: 30 * 24 * 3600,
                        history_held_from: None,
                        exit_only_until: None,
                    };
                    RestorationCheckResponse::build(journal, &heights, |height| {
                        Ok::<_, String>(DigestAtResponse {
                            height,
                            recorded_at: height,
                            digest: digest(height),
                        })
                    })
                    .map(|r| RestorationCheckResponse {
                        activity: accounts
                            .into_iter()
                            .map(|account| AccountActivity {
                                account,
                                last_acted_height: Some(LAST_ACTED),
                            })
                            .collect(),
                        ..r
                    })
                    .and_then(|r| to_json_binary(&r))
                }
                RestorableQueryMsg::JournalInfo {}
                | RestorableQueryMsg::DigestAt { .. }
                | RestorableQueryMsg::RestorationStatus {}
                | RestorableQueryMsg::CheckConfig { .. }
                | RestorableQueryMsg::ReplayReport { .. }
                | RestorableQueryMsg::ReplayPreview { .. }
                | RestorableQueryMsg::Settlement {}
                | RestorableQueryMsg::Incident { .. }
                | RestorableQueryMsg::Incidents { .. }
                | RestorableQueryMsg::OfflineStatus {}
                | RestorableQueryMsg::RemainingClaims {}
                | RestorableQueryMsg::Scopes {} => Err(cosmwasm_std::StdError::msg("not asked")),
            };
            answer.map_err(|e| e.to_string())
        });
        c.querier
            .set_contract_info(t, TARGET_CODE_ID, Some(&executor));
        c.querier.set_cw2(t, "crates.io:rewind-vault", "0.1.0");
    }
    c.querier
        .set_code_info(TARGET_CODE_ID, "creator", &[0xab; 32]);
}

fn propose(target: &str, heights: &[u64], exclusions: usize, vm: &Vm) -> ExecuteMsg {
    ExecuteMsg::ProposeRestoration {
        title: "Restore the vault before the oracle exploit".into(),
        description:
            "A manipulated BTC-PERP price let one account close at a profit and withdraw; \
                      restore to the last block before the first manipulated push."
                .into(),
        targets: vec![ProposedTarget {
            contract: target.to_string(),
            new_code: None,
            post_restore_config: None,
        }],
        candidates: heights
            .iter()
            .map(|&h| Candidate {
                height: h,
                expected_digests: vec![digest(h)],
            })
            .collect(),
        exclusions: (0..exclusions)
            .map(|i| vm.addr(&format!("attacker{i}")).to_string())
            .collect(),
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
        expedited: false,
    }
}

pub fn run(vm: &Vm, report: &mut Report) {
    let mut block = Block::genesis();
    let targets: Vec<String> = (0..2)
        .map(|i| vm.addr(&format!("target{i}")).to_string())
        .collect();
    let mut c = instantiate(vm, block, &targets);
    block.advance(200);
    mock_chain(
        vm,
        &mut c,
        &targets,
        Block::genesis().height,
        block.height - 1,
    );

    let proposer = vm.addr("proposer");
    let deposit = coins(1_000, DENOM);
    let h = block.height;
    let m = vm
        .execute(
            &mut c,
            block,
            &proposer,
            &deposit,
            &propose(&targets[0], &[h - 10], 1, vm),
        )
        .expect_ok("propose 1");
    let id1: u64 = m
        .attr("proposal_id")
        .and_then(|s| s.parse().ok())
        .expect("proposal id");
    let propose_1 = report.push(Figure::from_measured(
        "governance.propose_1",
        C,
        "propose a restoration: 1 candidate, 1 target, 1 exclusion",
        &m,
    ));
    let five: Vec<u64> = (1..=5).map(|i| h - 10 * i).collect();
    let m = vm
        .execute(
            &mut c,
            block,
            &proposer,
            &deposit,
            &propose(&targets[1], &five, 1, vm),
        )
        .expect_ok("propose 5");
    let propose_5 = report.push(Figure::from_measured(
        "governance.propose_5",
        C,
        "propose a restoration: 5 candidates, 1 target, 1 exclusion",
        &m,
    ));

    // A competing proposal for the same target with 1,000 exclusions (row D4).
    let m = vm
        .execute(
            &mut c,
            block,
            &proposer,
            &deposit,
            &propose(&targets[0], &[h - 10], 1_000, vm),
        )
        .expect_ok("propose with 1,000 exclusions");
    let id_large: u64 = m
        .attr("proposal_id")
        .and_then(|s| s.parse().ok())
        .expect("proposal id");

    block.advance(1);
    let voter0 = vm.addr("voter0");
    let m = vm
        .execute(
            &mut c,
            block,
            &voter0,
            &[],
            &ExecuteMsg::Vote {
                proposal_id: id_large,
                vote: VoteOption::Candidate { height: h - 10 },
            },
        )
        .expect_ok("vote on the large proposal");
    let vote_large = report.push(Figure::from_measured(
        "governance.vote_1000_exclusions",
        C,
        "vote for a candidate of a proposal with 1,000 exclusions (first vote)",
        &m,
    ));
    let mut vote_gas = 0;
    for i in 0..VOTERS {
        let voter = vm.addr(&format!("voter{i}"));
        let msg = ExecuteMsg::Vote {
            proposal_id: id1,
            vote: VoteOption::Candidate { height: h - 10 },
        };
        let m = vm
            .execute(&mut c, block, &voter, &[], &msg)
            .expect_ok("vote");
        if i == 0 {
            vote_gas = report.push(Figure::from_measured(
                "governance.vote",
                C,
                "vote for a candidate (first vote)",
                &m,
            ));
        } else if i == VOTERS - 1 {
            report.push(Figure::from_measured(
                "governance.vote_last",
                C,
                "vote for a candidate (tenth vote)",
                &m,
            ));
        }
    }

    block.advance_seconds(VOTING_PERIOD + 60);
    let anyone = vm.addr("anyone");
    let m = vm
        .execute(
            &mut c,
            block,
            &anyone,
            &[],
            &ExecuteMsg::Close { proposal_id: id1 },
        )
        .expect_ok("close");
    report.push(Figure::from_measured(
        "governance.close",
        C,
        "close a passed restoration (schedules it in the timelock)",
        &m,
    ));

    let worst = propose_1.max(propose_5);
    report.goal(
        "propose",
        GOALS[0].1,
        format!(
            "1 candidate {}, 5 candidates {} (the entry point alone)",
            gas(propose_1),
            gas(propose_5)
        ),
        worst <= 250_000,
    );
    report.goal(
        "vote",
        GOALS[1].1,
        format!("{} (the entry point alone)", gas(vote_gas)),
        vote_gas <= 150_000,
    );
    let spread = vote_large.abs_diff(vote_gas) as f64 / vote_gas as f64;
    report.goal(
        "vote_independent_of_size",
        GOALS[4].1,
        format!(
            "1 exclusion {}, 1,000 exclusions {} ({:+.1} %)",
            gas(vote_gas),
            gas(vote_large),
            (vote_large as f64 - vote_gas as f64) / vote_gas as f64 * 100.0
        ),
        spread <= 0.05,
    );
    let ratio = |g: u64, anchor: u64| g as f64 / anchor as f64;
    report.goal(
        "propose_vs_cw3",
        GOALS[5].1,
        format!(
            "propose (1 candidate) {} = {:.2} x cw3 propose {}",
            gas(propose_1),
            ratio(propose_1, CW3_PROPOSE),
            gas(CW3_PROPOSE)
        ),
        ratio(propose_1, CW3_PROPOSE) <= 1.1,
    );
    report.goal(
        "vote_vs_cw3",
        GOALS[6].1,
        format!(
            "vote {} = {:.2} x cw3 vote {}",
            gas(vote_gas),
            ratio(vote_gas, CW3_VOTE),
            gas(CW3_VOTE)
        ),
        ratio(vote_gas, CW3_VOTE) <= 1.1,
    );
    with_queries(report, propose_1, propose_5, vote_gas);
}

/// The same operations with the cross-contract queries they send, each priced as measured
/// on the real artifact (on chain, a smart query loads the queried contract: 60k each).
fn with_queries(report: &mut Report, propose_1: u64, propose_5: u64, vote: u64) {
    let q = |id: &str| report.figure(id).map(|f| f.sdk_gas);
    let (Some(total), Some(power), Some(check_1), Some(check_5)) = (
        q("stake.query_total_power"),
        q("stake.query_voting_power"),
        q("vault.query_restoration_check_1"),
        q("vault.query_restoration_check_5"),
    ) else {
        return;
    };
    // A proposer's power and a voter's power are each read at two heights (the power height
    // and the start, row G13); the timelock's settings time the history hold (row G12). The
    // one target's snapshot reads its ContractInfo, its cw2 record and its code's CodeInfo.
    let snapshot =
        chain_query_cost::CONTRACT_INFO + chain_query_cost::CW2_RAW + chain_query_cost::CODE_INFO;
    let rows = [
        (
            "governance.propose_1_with_queries",
            "propose, 1 candidate, with its queries",
            propose_1 + total + 2 * power + check_1 + INSTANCE_COST + snapshot,
            "propose_1 + TotalPowerAtHeight + 2 x VotingPowerAtHeight + RestorationCheck (1 height) + timelock Config (priced at its 60k load) + the target's ContractInfo, cw2 and CodeInfo reads",
        ),
        (
            "governance.propose_5_with_queries",
            "propose, 5 candidates, with its queries",
            propose_5 + total + 2 * power + check_5 + INSTANCE_COST + snapshot,
            "propose_5 + TotalPowerAtHeight + 2 x VotingPowerAtHeight + RestorationCheck (5 heights) + timelock Config (priced at its 60k load) + the target's ContractInfo, cw2 and CodeInfo reads",
        ),
        (
            "governance.vote_with_query",
            "vote, with its voting-power queries",
            vote + 2 * power,
            "vote + 2 x VotingPowerAtHeight",
        ),
    ];
    for (id, op, g, note) in rows {
        report.push(Figure::derived(id, C, op, g, note));
    }
    let (p1, p5, v) = (rows[0].2, rows[1].2, rows[2].2);
    report.goal(
        "propose_with_queries",
        GOALS[2].1,
        format!(
            "1 candidate {}, 5 candidates {} (each smart query loads the queried contract)",
            gas(p1),
            gas(p5)
        ),
        p1.max(p5) <= 250_000,
    );
    report.goal(
        "vote_with_query",
        GOALS[3].1,
        format!(
            "{} = vote {} + 2 x rewind-stake VotingPowerAtHeight {}",
            gas(v),
            gas(vote),
            gas(power)
        ),
        v <= 150_000,
    );
}

//! Rows B6 (hard floors: no vote makes governance pass in one block) and D4 (a vote's cost
//! does not depend on the proposal's size; the filtered listing is bounded).

use rewind_testing::SuiteBase;
use std::cell::Cell;

use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockApi, MockQuerier};
use cosmwasm_std::{
    coin, from_json, to_json_binary, Addr, Binary, ContractResult, Decimal, DepsMut, Empty, Env,
    HexBinary, Order, QuerierWrapper, Record, Storage, SystemResult, Timestamp, Uint128, WasmQuery,
};
use cw_multi_test::Executor;
use proptest::prelude::*;
use rewind_testing::assert_error;
use rewind_types::governance::{
    Candidate, GovernanceConfigInput, ParameterChange, ProposalKind, ProposalStatus,
    ProposalsResponse, ProposedTarget, QueryMsg, TargetSnapshot, VoteOption, VotingRules,
};
use rewind_types::timelock::TimelockSettings;
use rewind_types::voting::{
    TotalPowerAtHeightResponse, VotingModuleQueryMsg, VotingPowerAtHeightResponse,
};
use rewind_types::ShortfallPolicy;

use super::suite::{default_config, timelock_settings, Suite, SuiteBuilder};
use crate::config::{
    validate_config, validate_timelock_floors, FLOOR_GRACE_PERIOD_SECONDS, FLOOR_QUORUM,
    FLOOR_THRESHOLD, FLOOR_TIMELOCK_DELAY_BLOCKS, FLOOR_TIMELOCK_DELAY_SECONDS,
    FLOOR_VETO_THRESHOLD, FLOOR_VOTING_PERIOD_SECONDS,
};
use crate::execute::new_ballot;
use crate::query::MAX_PROPOSALS_SCANNED;
use crate::state::{proposals, Proposal, BALLOTS};
use crate::status::derive;
use crate::ContractError;

// ---------------------------------------------------------------- B6

fn below(field: &str, value: impl ToString, floor: impl ToString) -> ContractError {
    ContractError::BelowFloor {
        field: field.to_string(),
        value: value.to_string(),
        floor: floor.to_string(),
    }
}

type ConfigEdit = fn(&mut GovernanceConfigInput);

/// Configurations one step below a floor, each with the error it must meet.
fn config_cases() -> Vec<(ConfigEdit, ContractError)> {
    vec![
        (
            |c| c.min_voting_period_seconds = FLOOR_VOTING_PERIOD_SECONDS - 1,
            below(
                "min_voting_period_seconds",
                FLOOR_VOTING_PERIOD_SECONDS - 1,
                FLOOR_VOTING_PERIOD_SECONDS,
            ),
        ),
        (
            |c| c.normal.quorum = Decimal::permille(99),
            below("normal quorum", Decimal::permille(99), FLOOR_QUORUM),
        ),
        (
            |c| c.expedited.quorum = Decimal::permille(1),
            below("expedited quorum", Decimal::permille(1), FLOOR_QUORUM),
        ),
        (
            |c| c.normal.threshold = Decimal::permille(499),
            below("normal threshold", Decimal::permille(499), FLOOR_THRESHOLD),
        ),
        (
            |c| c.expedited.threshold = Decimal::percent(1),
            below("expedited threshold", Decimal::percent(1), FLOOR_THRESHOLD),
        ),
        (
            |c| c.normal.veto_threshold = Decimal::permille(199),
            below(
                "normal veto_threshold",
                Decimal::permille(199),
                FLOOR_VETO_THRESHOLD,
            ),
        ),
        (
            |c| c.expedited.veto_threshold = Decimal::permille(1),
            below(
                "expedited veto_threshold",
                Decimal::permille(1),
                FLOOR_VETO_THRESHOLD,
            ),
        ),
        (
            |c| c.min_proposer_power = Uint128::zero(),
            ContractError::ZeroMinProposerPower {},
        ),
    ]
}

type TimelockEdit = fn(&mut TimelockSettings);

fn timelock_cases() -> Vec<(TimelockEdit, ContractError)> {
    vec![
        (
            |t| t.delay_seconds = FLOOR_TIMELOCK_DELAY_SECONDS - 1,
            below(
                "timelock delay_seconds",
                FLOOR_TIMELOCK_DELAY_SECONDS - 1,
                FLOOR_TIMELOCK_DELAY_SECONDS,
            ),
        ),
        (
            |t| t.min_delay_seconds = 0,
            below(
                "timelock min_delay_seconds",
                0,
                FLOOR_TIMELOCK_DELAY_SECONDS,
            ),
        ),
        (
            |t| t.min_delay_blocks = FLOOR_TIMELOCK_DELAY_BLOCKS - 1,
            below(
                "timelock min_delay_blocks",
                FLOOR_TIMELOCK_DELAY_BLOCKS - 1,
                FLOOR_TIMELOCK_DELAY_BLOCKS,
            ),
        ),
        (
            |t| t.grace_period_seconds = FLOOR_GRACE_PERIOD_SECONDS - 1,
            below(
                "timelock grace_period_seconds",
                FLOOR_GRACE_PERIOD_SECONDS - 1,
                FLOOR_GRACE_PERIOD_SECONDS,
            ),
        ),
    ]
}

/// Stores an `Executed` parameter proposal that skipped proposal-time validation, and
/// applies it as governance's own self-call does.
fn apply_unvalidated(change: ParameterChange) -> Result<cosmwasm_std::Response, ContractError> {
    let mut deps = mock_dependencies();
    let env = mock_env();
    let proposal = Proposal {
        id: 1,
        title: "t".into(),
        description: String::new(),
        proposer: deps.api.addr_make("proposer"),
        kind: ProposalKind::Parameters {
            changes: vec![change],
        },
        status: ProposalStatus::Executed,
        expedited: false,
        refund_failed_quorum: true,
        start_time: env.block.time,
        deposit: coin(1, "ugov"),
        winning_height: None,
        operation_id: None,
        execution_error: None,
    };
    proposals().save(&mut deps.storage, 1, &proposal).unwrap();
    let info = message_info(&env.contract.address, &[]);
    crate::execute::parameters::apply_parameters(deps.as_mut(), env, info, 1)
}

#[test]
fn b6_hard_floors_are_refused_at_instantiate_at_proposal_and_when_applied() {
    let mut suite = SuiteBuilder::new().build();
    suite.set_power("alice", 100);
    suite.advance_blocks(1);
    let api = MockApi::default();
    for (edit, err) in config_cases() {
        // Instantiate.
        let (mut app, codes, voting, _, _, targets) = SuiteBuilder::new().prepare();
        let mut config = default_config(&voting);
        edit(&mut config);
        let msg = SuiteBuilder::instantiate_msg(&app, &codes, config, &targets);
        let deployer = app.api().addr_make("deployer");
        assert_error(
            app.instantiate_contract(codes.governance, deployer, &msg, &[], "gov", None),
            &err,
        );
        // Proposal.
        let mut config = default_config(&suite.voting);
        edit(&mut config);
        let change = ParameterChange::UpdateConfig(config);
        assert_error(
            suite.propose("proposer", &Suite::parameters_msg(vec![change])),
            &err,
        );
        // Applied.
        let mut config = default_config(&api.addr_make("voting"));
        edit(&mut config);
        assert_eq!(
            apply_unvalidated(ParameterChange::UpdateConfig(config)).unwrap_err(),
            err
        );
    }
    for (edit, err) in timelock_cases() {
        let (mut app, codes, voting, _, _, targets) = SuiteBuilder::new().prepare();
        let mut msg =
            SuiteBuilder::instantiate_msg(&app, &codes, default_config(&voting), &targets);
        edit(&mut msg.timelock.settings);
        let deployer = app.api().addr_make("deployer");
        assert_error(
            app.instantiate_contract(codes.governance, deployer, &msg, &[], "gov", None),
            &err,
        );
        let mut settings = timelock_settings();
        edit(&mut settings);
        let change = ParameterChange::UpdateTimelock(settings.clone());
        assert_error(
            suite.propose("proposer", &Suite::parameters_msg(vec![change])),
            &err,
        );
        assert_eq!(
            apply_unvalidated(ParameterChange::UpdateTimelock(settings)).unwrap_err(),
            err
        );
    }
    // Exactly at every floor is accepted.
    let mut config = default_config(&suite.voting);
    for rules in [&mut config.normal, &mut config.expedited] {
        rules.voting_period_seconds = FLOOR_VOTING_PERIOD_SECONDS;
        rules.quorum = FLOOR_QUORUM;
        rules.threshold = FLOOR_THRESHOLD;
        rules.veto_threshold = FLOOR_VETO_THRESHOLD;
    }
    config.min_voting_period_seconds = FLOOR_VOTING_PERIOD_SECONDS;
    let mut settings = timelock_settings();
    settings.delay_seconds = FLOOR_TIMELOCK_DELAY_SECONDS;
    settings.min_delay_seconds = FLOOR_TIMELOCK_DELAY_SECONDS;
    settings.min_delay_blocks = FLOOR_TIMELOCK_DELAY_BLOCKS;
    settings.grace_period_seconds = FLOOR_GRACE_PERIOD_SECONDS;
    suite
        .propose(
            "proposer",
            &Suite::parameters_msg(vec![
                ParameterChange::UpdateConfig(config),
                ParameterChange::UpdateTimelock(settings),
            ]),
        )
        .unwrap();
}

fn rules_strategy() -> impl Strategy<Value = VotingRules> {
    (0u64..8 * 3_600, 0u64..=1_000, 0u64..=1_000, 0u64..=1_000).prop_map(|(p, q, t, v)| {
        VotingRules {
            voting_period_seconds: p,
            quorum: Decimal::permille(q),
            threshold: Decimal::permille(t),
            veto_threshold: Decimal::permille(v),
        }
    })
}

fn timelock_strategy() -> impl Strategy<Value = TimelockSettings> {
    (
        0u64..2 * 21_600,
        0u64..2 * 21_600,
        0u64..30,
        0u64..2 * 86_400,
    )
        .prop_map(|(delay, min_delay, blocks, grace)| {
            let mut settings = timelock_settings();
            settings.delay_seconds = delay;
            settings.min_delay_seconds = min_delay;
            settings.min_delay_blocks = blocks;
            settings.grace_period_seconds = grace;
            settings
        })
}

fn env_at(height: u64, time: Timestamp) -> Env {
    let mut env = mock_env();
    env.block.height = height;
    env.block.time = time;
    env
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]
    /// Whatever configuration the validation accepts, a restoration carried by all the
    /// power is still open one second before the voting floor, on either track, and cannot
    /// execute before the timelock floor after that; a minority below the quorum or
    /// threshold floors never passes.
    #[test]
    fn b6_no_accepted_config_lets_a_restoration_pass_within_the_floor_periods(
        normal in rules_strategy(),
        expedited in rules_strategy(),
        min_period in 0u64..2 * 3_600,
        settings in timelock_strategy(),
        minority_permille in 0u64..1_000,
    ) {
        let api = MockApi::default();
        let mut input = default_config(&api.addr_make("voting"));
        input.normal = normal;
        input.expedited = expedited;
        input.min_voting_period_seconds = min_period;
        let Ok(config) = validate_config(&api, &input) else {
            return Ok(());
        };
        let env = env_at(1_000, Timestamp::from_seconds(1_000_000));
        let total = Uint128::new(1_000_000);
        for track in [false, true] {
            let mut ballot = new_ballot(&config, &env, track, 999, total, vec![998]).unwrap();
            ballot.tally.for_options = vec![total];
            let just_before = env.block.time.plus_seconds(FLOOR_VOTING_PERIOD_SECONDS - 1);
            prop_assert_eq!(derive(&ballot, just_before).status, ProposalStatus::Open);
            // Long after: a minority below the quorum floor, or a for-share below the
            // threshold floor, never passes.
            let late = env.block.time.plus_seconds(365 * 86_400);
            let minority = total.multiply_ratio(minority_permille, 1_000u64);
            let quorum_floor = total.mul_floor(FLOOR_QUORUM);
            if minority < quorum_floor {
                ballot.tally.for_options = vec![minority];
                prop_assert_ne!(derive(&ballot, late).status, ProposalStatus::Passed);
            }
            // The leading candidate ahead of every other option but short of a majority.
            let mut split =
                new_ballot(&config, &env, track, 999, Uint128::new(1_000), vec![998, 997])
                    .unwrap();
            split.tally.for_options = vec![Uint128::new(400), Uint128::new(350)];
            split.tally.reject = Uint128::new(250);
            prop_assert_ne!(derive(&split, late).status, ProposalStatus::Passed);
        }
        if validate_timelock_floors(&settings).is_ok() {
            prop_assert!(settings.delay_seconds >= FLOOR_TIMELOCK_DELAY_SECONDS);
            prop_assert!(settings.min_delay_blocks >= FLOOR_TIMELOCK_DELAY_BLOCKS);
            prop_assert!(settings.grace_period_seconds >= FLOOR_GRACE_PERIOD_SECONDS);
        }
    }
}

// ---------------------------------------------------------------- D4

/// A storage that counts the bytes of every key and value read or written.
#[derive(Default)]
struct CountingStorage {
    inner: MockStorage,
    read: Cell<usize>,
    written: usize,
    ops: Cell<usize>,
}

impl CountingStorage {
    fn reset(&mut self) {
        self.read.set(0);
        self.written = 0;
        self.ops.set(0);
    }

    fn touched(&self) -> (usize, usize, usize) {
        (self.read.get(), self.written, self.ops.get())
    }
}

impl Storage for CountingStorage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        let value = self.inner.get(key);
        let bytes = key.len() + value.as_ref().map_or(0, Vec::len);
        self.read.set(self.read.get() + bytes);
        self.ops.set(self.ops.get() + 1);
        value
    }

    fn range<'a>(
        &'a self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'a> {
        let read = &self.read;
        let ops = &self.ops;
        Box::new(self.inner.range(start, end, order).inspect(move |(k, v)| {
            read.set(read.get() + k.len() + v.len());
            ops.set(ops.get() + 1);
        }))
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.written += key.len() + value.len();
        self.ops.set(self.ops.get() + 1);
        self.inner.set(key, value);
    }

    fn remove(&mut self, key: &[u8]) {
        self.written += key.len();
        self.ops.set(self.ops.get() + 1);
        self.inner.remove(key);
    }
}

fn voting_querier() -> MockQuerier<Empty> {
    let mut querier = MockQuerier::<Empty>::new(&[]);
    querier.update_wasm(|q| {
        let WasmQuery::Smart { msg, .. } = q else {
            panic!("unexpected {q:?}")
        };
        let answer: Binary = match from_json::<VotingModuleQueryMsg>(msg).unwrap() {
            VotingModuleQueryMsg::VotingPowerAtHeight { height, .. } => {
                to_json_binary(&VotingPowerAtHeightResponse {
                    power: Uint128::new(100),
                    height: height.unwrap(),
                })
            }
            VotingModuleQueryMsg::TotalPowerAtHeight { height } => {
                to_json_binary(&TotalPowerAtHeightResponse {
                    power: Uint128::new(1_000),
                    height: height.unwrap(),
                })
            }
        }
        .unwrap();
        SystemResult::Ok(ContractResult::Ok(answer))
    });
    querier
}

/// A restoration proposal with `exclusions` excluded accounts, stored body and ballot.
fn store_restoration(
    storage: &mut dyn Storage,
    api: &MockApi,
    env: &Env,
    id: u64,
    exclusions: usize,
) {
    let target = api.addr_make("target");
    let config =
        crate::config::validate_config(api, &default_config(&api.addr_make("voting"))).unwrap();
    let mut excluded: Vec<Addr> = (0..exclusions)
        .map(|i| api.addr_make(&format!("excluded-{i}")))
        .collect();
    excluded.sort();
    let body = Proposal {
        id,
        title: "Restore".into(),
        description: "x".repeat(1_000),
        proposer: api.addr_make("proposer"),
        kind: ProposalKind::Restoration {
            targets: vec![ProposedTarget {
                contract: target.to_string(),
                new_code: None,
                post_restore_config: None,
            }],
            candidates: vec![Candidate {
                height: env.block.height - 1,
                expected_digests: vec![HexBinary::from(vec![7u8; 32])],
            }],
            exclusions: excluded,
            shortfall_policy: ShortfallPolicy::ProRataHaircut,
            snapshots: vec![TargetSnapshot {
                contract: target,
                contract_name: "crates.io:target".into(),
                code_id: 1,
                checksum: HexBinary::from(vec![9u8; 32]),
            }],
        },
        status: ProposalStatus::Open,
        expedited: false,
        refund_failed_quorum: true,
        start_time: env.block.time,
        deposit: coin(1_000, "ugov"),
        winning_height: None,
        operation_id: None,
        execution_error: None,
    };
    proposals().save(storage, id, &body).unwrap();
    let ballot = new_ballot(
        &config,
        env,
        false,
        env.block.height,
        Uint128::new(1_000),
        vec![env.block.height - 1],
    )
    .unwrap();
    BALLOTS.save(storage, id, &ballot).unwrap();
}

#[test]
fn d4_a_vote_reads_and_writes_the_same_bytes_whatever_the_proposal_size() {
    let api = MockApi::default();
    let querier = voting_querier();
    let env = mock_env();
    let mut storage = CountingStorage::default();
    store_restoration(&mut storage, &api, &env, 1, 1);
    store_restoration(&mut storage, &api, &env, 2, 1_000);
    let body_bytes = |storage: &CountingStorage, id: u64| {
        to_json_binary(&proposals().load(storage, id).unwrap())
            .unwrap()
            .len()
    };
    assert!(body_bytes(&storage, 1) < 3_000);
    assert!(body_bytes(&storage, 2) > 60_000);
    let measure = |storage: &mut CountingStorage, id: u64, voter: &str| {
        storage.reset();
        let deps = DepsMut {
            storage,
            api: &api,
            querier: QuerierWrapper::new(&querier),
        };
        let info = message_info(&api.addr_make(voter), &[]);
        let vote = VoteOption::Candidate {
            height: env.block.height - 1,
        };
        crate::execute::vote::vote(deps, env.clone(), info, id, vote).unwrap();
        storage.touched()
    };
    // The same voter's first vote, then another voter's, on each proposal.
    let small = [
        measure(&mut storage, 1, "alice"),
        measure(&mut storage, 1, "bob"),
    ];
    let large = [
        measure(&mut storage, 2, "alice"),
        measure(&mut storage, 2, "bob"),
    ];
    assert_eq!(small, large, "(read, written, ops) of a vote");
    for (read, written, _) in large {
        assert!(read < 1_000 && written < 1_000, "{read} / {written}");
    }
}

#[test]
fn d4_status_filtered_listing_is_capped_and_resumable() {
    let mut deps = mock_dependencies();
    let env = mock_env();
    let count = MAX_PROPOSALS_SCANNED as u64 + 25;
    for id in 1..=count {
        store_restoration(&mut deps.storage, &deps.api, &env, id, 1);
    }
    let list = |deps: &cosmwasm_std::OwnedDeps<_, _, _>,
                status: Option<ProposalStatus>,
                start_after: Option<u64>,
                limit: Option<u32>| {
        let bin = crate::query::query(
            deps.as_ref(),
            env.clone(),
            QueryMsg::Proposals {
                status,
                start_after,
                limit,
            },
        )
        .unwrap();
        from_json::<ProposalsResponse>(bin).unwrap()
    };
    // No open proposal has been rejected: the scan stops at its cap and says where.
    let page = list(&deps, Some(ProposalStatus::Rejected), None, Some(100));
    assert!(page.proposals.is_empty());
    assert_eq!(page.next_start_after, Some(MAX_PROPOSALS_SCANNED as u64));
    let page = list(
        &deps,
        Some(ProposalStatus::Rejected),
        page.next_start_after,
        None,
    );
    assert!(page.proposals.is_empty());
    assert_eq!(page.next_start_after, None, "the end of the list");
    // Matches: a full page says where the next starts; the last page says none.
    let page = list(&deps, Some(ProposalStatus::Open), None, Some(10));
    let ids: Vec<u64> = page.proposals.iter().map(|p| p.id).collect();
    assert_eq!(ids, (1..=10).collect::<Vec<_>>());
    assert_eq!(page.next_start_after, Some(10));
    let page = list(&deps, None, Some(count - 3), Some(10));
    assert_eq!(page.proposals.len(), 3);
    assert_eq!(page.next_start_after, None);
}

#[test]
#[allow(deprecated)]
fn r6_the_queue_reply_reads_the_operation_id_from_the_data_only() {
    use cosmwasm_std::{Event, MsgResponse, Reply, SubMsgResponse, SubMsgResult};
    let mut deps = mock_dependencies();
    let env = mock_env();
    store_restoration(&mut deps.storage, &deps.api, &env, 1, 1);
    let reply = |events: Vec<Event>, data: Option<Binary>, msg_responses: Vec<MsgResponse>| Reply {
        id: crate::instantiate::REPLY_QUEUE,
        payload: Binary::from(1u64.to_be_bytes().to_vec()),
        gas_used: 0,
        result: SubMsgResult::Ok(SubMsgResponse {
            events,
            data,
            msg_responses,
        }),
    };
    // An `operation_id` attribute, even from a timelock-looking event, is not read.
    let spoof = Event::new("wasm")
        .add_attribute("_contract_address", "timelock")
        .add_attribute("operation_id", "7");
    assert_eq!(
        crate::reply::reply(deps.as_mut(), env.clone(), reply(vec![spoof], None, vec![]))
            .unwrap_err(),
        ContractError::MissingOperationId {}
    );
    // Data that is not a JSON id is refused.
    assert_eq!(
        crate::reply::reply(
            deps.as_mut(),
            env.clone(),
            reply(vec![], Some(Binary::from(b"nope".to_vec())), vec![])
        )
        .unwrap_err(),
        ContractError::MissingOperationId {}
    );
    // The execute response's data (as the chain returns it in `msg_responses`) is read.
    // MsgExecuteContractResponse { data = 1: bytes }, protobuf-encoded.
    let data = to_json_binary(&42u64).unwrap();
    let mut value = vec![0x0a, data.len() as u8];
    value.extend_from_slice(data.as_slice());
    let response = MsgResponse {
        type_url: "/cosmwasm.wasm.v1.MsgExecuteContractResponse".into(),
        value: Binary::from(value),
    };
    crate::reply::reply(deps.as_mut(), env, reply(vec![], None, vec![response])).unwrap();
    assert_eq!(
        proposals().load(&deps.storage, 1).unwrap().operation_id,
        Some(42)
    );
}

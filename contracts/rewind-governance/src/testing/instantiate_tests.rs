//! Instantiation (instantiate2 addresses), configuration validation (B4), replies (R6),
//! migrate (G7).

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::Api;
use cosmwasm_std::{
    coin, coins, from_json, Binary, Decimal, Event, Reply, SubMsgResponse, SubMsgResult,
};
use cw_multi_test::Executor;
use rewind_testing::assert_error;
use rewind_types::governance::{
    ConfigResponse, GovernanceConfigInput, MigrateMsg, QueryMsg, TargetsResponse,
};
use rewind_types::guardian;
use rewind_types::upgrade::UpgradeError;

use super::suite::{SuiteBuilder, DENOM};
use crate::state::NAMESPACES;
use crate::ContractError;

/// The `modules` field every module's instantiate message carries.
#[derive(serde::Deserialize)]
struct GivenModules {
    modules: rewind_types::ModuleAddresses,
}

#[test]
fn instantiate_predicts_modules_and_registers_targets() {
    let suite = SuiteBuilder::new().build();
    let cfg: ConfigResponse = suite.query(&QueryMsg::Config {});
    let modules = cfg.modules;
    assert_eq!(modules.governance, suite.gov);
    // Each module lives at the address governance predicted with instantiate2, was
    // instantiated with every address, and has governance as its wasm admin; so does
    // governance itself.
    for (module, salt) in [
        (&modules.timelock, crate::instantiate::TIMELOCK_SALT),
        (&modules.guardian, crate::instantiate::GUARDIAN_SALT),
        (&modules.executor, crate::instantiate::EXECUTOR_SALT),
    ] {
        let info = suite.app.wrap().query_wasm_contract_info(module).unwrap();
        assert_eq!(info.admin, Some(suite.gov.clone()), "governance is admin");
        let predicted = rewind_testing::predict_address(
            &suite.app,
            info.code_id,
            &suite.gov,
            std::str::from_utf8(salt).unwrap(),
        );
        assert_eq!(*module, predicted);
        let init: Binary = suite
            .app
            .wrap()
            .query_wasm_smart(module, &super::mocks::MockModuleQuery::Init {})
            .unwrap();
        let given: GivenModules = from_json(&init).unwrap();
        assert_eq!(given.modules, modules);
        assert!(suite.received(module).is_empty(), "no wiring message");
    }
    let own = suite
        .app
        .wrap()
        .query_wasm_contract_info(&suite.gov)
        .unwrap();
    assert_eq!(
        own.admin,
        Some(suite.gov.clone()),
        "governance is its own admin"
    );
    // The guardian got the genesis targets with their exit policy (its registry is the
    // one record of it).
    let init: Binary = suite
        .app
        .wrap()
        .query_wasm_smart(&modules.guardian, &super::mocks::MockModuleQuery::Init {})
        .unwrap();
    let guardian_init: guardian::InstantiateMsg = from_json(&init).unwrap();
    let mut given: Vec<String> = guardian_init
        .targets
        .iter()
        .map(|t| t.contract.clone())
        .collect();
    given.sort();
    let mut expected_targets: Vec<String> = suite.targets.iter().map(|t| t.to_string()).collect();
    expected_targets.sort();
    assert_eq!(given, expected_targets);
    let targets: TargetsResponse = suite.query(&QueryMsg::Targets {
        start_after: None,
        limit: None,
    });
    assert_eq!(targets.targets.len(), 2);
    assert!(targets.targets.iter().all(|t| t.active_proposal.is_none()));
    let version = cw2::query_contract_info(&suite.app.wrap(), &suite.gov).unwrap();
    assert_eq!(version.contract, "crates.io:rewind-governance");
}

fn instantiate_with(
    edit: impl FnOnce(&mut GovernanceConfigInput) + 'static,
) -> cosmwasm_std::StdResult<cosmwasm_std::Addr> {
    let (mut app, codes, _voting, _, config, targets) =
        SuiteBuilder::new().with_config(edit).prepare();
    let msg = SuiteBuilder::instantiate_msg(&app, &codes, config, &targets);
    let deployer = app.api().addr_make("deployer");
    app.instantiate_contract(codes.governance, deployer, &msg, &[], "governance", None)
}

type ConfigEdit = Box<dyn FnOnce(&mut GovernanceConfigInput)>;

#[test]
fn b4_degenerate_parameters_are_refused() {
    let track = |t: &str| t.to_string();
    let cases: Vec<(ConfigEdit, ContractError)> = vec![
        (
            Box::new(|c| c.min_voting_period_seconds = 0),
            ContractError::ZeroDuration {
                field: "min_voting_period_seconds".into(),
            },
        ),
        (
            Box::new(|c| c.normal.voting_period_seconds = 0),
            ContractError::ZeroDuration {
                field: "normal voting_period_seconds".into(),
            },
        ),
        (
            Box::new(|c| c.expedited.voting_period_seconds = 0),
            ContractError::ZeroDuration {
                field: "expedited voting_period_seconds".into(),
            },
        ),
        (
            Box::new(|c| c.normal.quorum = Decimal::zero()),
            ContractError::InvalidQuorum {
                track: track("normal"),
            },
        ),
        (
            Box::new(|c| c.expedited.quorum = Decimal::percent(101)),
            ContractError::InvalidQuorum {
                track: track("expedited"),
            },
        ),
        (
            Box::new(|c| c.normal.threshold = Decimal::zero()),
            ContractError::InvalidThreshold {
                track: track("normal"),
            },
        ),
        (
            Box::new(|c| c.normal.threshold = Decimal::percent(101)),
            ContractError::InvalidThreshold {
                track: track("normal"),
            },
        ),
        (
            Box::new(|c| c.expedited.veto_threshold = Decimal::zero()),
            ContractError::InvalidVetoThreshold {
                track: track("expedited"),
            },
        ),
        (
            Box::new(|c| c.normal.veto_threshold = Decimal::percent(150)),
            ContractError::InvalidVetoThreshold {
                track: track("normal"),
            },
        ),
        (
            Box::new(|c| c.expedited.voting_period_seconds = 1800),
            ContractError::VotingPeriodBelowMinimum {
                track: track("expedited"),
                period: 1800,
                min: 3600,
            },
        ),
        (
            Box::new(|c| c.expedited.voting_period_seconds = 4 * 86_400),
            ContractError::ExpeditedLongerThanNormal {
                expedited: 4 * 86_400,
                normal: 3 * 86_400,
            },
        ),
        (
            Box::new(|c| c.max_candidates = 0),
            ContractError::ZeroCap {
                field: "max_candidates".into(),
            },
        ),
        (
            Box::new(|c| c.max_targets = 0),
            ContractError::ZeroCap {
                field: "max_targets".into(),
            },
        ),
        (
            Box::new(|c| c.max_exclusions = 0),
            ContractError::ZeroCap {
                field: "max_exclusions".into(),
            },
        ),
        (
            Box::new(|c| c.max_candidates = 11),
            ContractError::CapAboveLimit {
                field: "max_candidates".into(),
                value: 11,
                max: 10,
            },
        ),
        (
            Box::new(|c| c.deposit = coin(0, DENOM)),
            ContractError::ZeroDeposit {},
        ),
    ];
    for (edit, expected) in cases {
        assert_error(instantiate_with(edit), expected);
    }
}

#[test]
fn b1_non_normalised_addresses_are_refused() {
    let (mut app, codes, voting, _, config, targets) = SuiteBuilder::new().prepare();
    let upper = targets[0].to_string().to_uppercase();
    let expected =
        rewind_testing::contract_error_text(&app.api().addr_validate(&upper).unwrap_err());
    let mut msg = SuiteBuilder::instantiate_msg(&app, &codes, config.clone(), &targets);
    msg.targets[0].contract = upper;
    let deployer = app.api().addr_make("deployer");
    assert_error(
        app.instantiate_contract(codes.governance, deployer.clone(), &msg, &[], "g", None),
        expected,
    );

    let upper_vm = voting.to_string().to_uppercase();
    let expected =
        rewind_testing::contract_error_text(&app.api().addr_validate(&upper_vm).unwrap_err());
    let mut msg = SuiteBuilder::instantiate_msg(&app, &codes, config, &targets);
    msg.config.voting_module = upper_vm;
    assert_error(
        app.instantiate_contract(codes.governance, deployer, &msg, &[], "g", None),
        expected,
    );
}

#[test]
fn duplicate_initial_target_is_refused() {
    let (mut app, codes, _, _, config, targets) = SuiteBuilder::new().prepare();
    let msg = SuiteBuilder::instantiate_msg(
        &app,
        &codes,
        config,
        &[targets[0].clone(), targets[0].clone()],
    );
    let deployer = app.api().addr_make("deployer");
    assert_error(
        app.instantiate_contract(codes.governance, deployer, &msg, &[], "g", None),
        ContractError::DuplicateTarget {
            target: targets[0].to_string(),
        },
    );
}

#[test]
fn b2_funds_on_instantiate_are_refused() {
    let (mut app, codes, _, _, config, targets) = SuiteBuilder::new().prepare();
    let msg = SuiteBuilder::instantiate_msg(&app, &codes, config, &targets);
    let funder = app.api().addr_make("proposer");
    assert_error(
        app.instantiate_contract(codes.governance, funder, &msg, &coins(5, DENOM), "g", None),
        ContractError::Payment(cw_utils::PaymentError::NonPayable {}),
    );
}

#[test]
fn d3_registry_cap_is_the_guardians() {
    // One more target than the guardian can register is refused at instantiate, with the
    // shared cap (governance used to accept 100 while the guardian stopped at 50).
    let (mut app, codes, _, _, config, _) = SuiteBuilder::new().prepare();
    let too_many: Vec<_> = (0..=rewind_types::MAX_REGISTERED_TARGETS)
        .map(|i| app.api().addr_make(&format!("target{i}")))
        .collect();
    let deployer = app.api().addr_make("deployer");
    let msg = SuiteBuilder::instantiate_msg(&app, &codes, config, &too_many);
    assert_error(
        app.instantiate_contract(codes.governance, deployer, &msg, &[], "g", None),
        ContractError::TooManyRegisteredTargets {
            max: rewind_types::MAX_REGISTERED_TARGETS,
        },
    );
}

// ---- unit tests on the entry points ----

fn instantiated() -> (
    cosmwasm_std::OwnedDeps<
        cosmwasm_std::testing::MockStorage,
        cosmwasm_std::testing::MockApi,
        cosmwasm_std::testing::MockQuerier,
    >,
    cosmwasm_std::Env,
) {
    let mut deps = mock_dependencies();
    let env = mock_env();
    let api = deps.api;
    // Governance reads each module code's checksum to predict its instantiate2 address.
    let creator = api.addr_make("uploader");
    deps.querier.update_wasm(move |query| match query {
        cosmwasm_std::WasmQuery::CodeInfo { code_id } => {
            let info = cosmwasm_std::CodeInfoResponse::new(
                *code_id,
                creator.clone(),
                cosmwasm_std::Checksum::generate(&code_id.to_be_bytes()),
            );
            cosmwasm_std::SystemResult::Ok(cosmwasm_std::ContractResult::Ok(
                cosmwasm_std::to_json_binary(&info).unwrap(),
            ))
        }
        _ => cosmwasm_std::SystemResult::Err(cosmwasm_std::SystemError::Unknown {}),
    });
    let voting = api.addr_make("voting");
    let config = super::suite::default_config(&voting);
    let msg = rewind_types::governance::InstantiateMsg {
        config,
        targets: vec![],
        timelock: rewind_types::wiring::ModuleInit {
            code_id: 1,
            label: "t".into(),
            settings: super::suite::timelock_settings(),
        },
        guardian: rewind_types::wiring::ModuleInit {
            code_id: 2,
            label: "g".into(),
            settings: super::suite::guardian_settings(&api.addr_make("g")),
        },
        executor: rewind_types::wiring::ModuleInit {
            code_id: 3,
            label: "e".into(),
            settings: super::suite::executor_settings(),
        },
    };
    let res = crate::contract::instantiate(
        deps.as_mut(),
        env.clone(),
        message_info(&api.addr_make("deployer"), &[]),
        msg,
    )
    .unwrap();
    assert_eq!(res.messages.len(), 3);
    (deps, env)
}

#[allow(deprecated)]
fn reply_with(id: u64) -> Reply {
    Reply {
        id,
        payload: Binary::default(),
        gas_used: 0,
        result: SubMsgResult::Ok(SubMsgResponse {
            events: vec![Event::new("instantiate")],
            data: None,
            msg_responses: vec![],
        }),
    }
}

#[test]
fn r6_unknown_reply_id_is_rejected() {
    let (mut deps, env) = instantiated();
    // Ids 1..=3 were the module instantiations' replies; none is sent any more.
    for id in [1, 2, 3, 99] {
        let err = crate::contract::reply(deps.as_mut(), env.clone(), reply_with(id)).unwrap_err();
        assert_eq!(err, ContractError::UnknownReplyId { id });
    }
}

#[test]
fn g7_migrate_checks_name_and_version_and_keeps_config() {
    let (mut deps, env) = instantiated();
    let before = crate::state::CONFIG.load(&deps.storage).unwrap();
    cw2::set_contract_version(&mut deps.storage, "crates.io:rewind-governance", "9.9.9").unwrap();
    let err =
        crate::contract::migrate(deps.as_mut(), env.clone(), MigrateMsg::Upgrade {}).unwrap_err();
    assert_eq!(
        err,
        ContractError::Upgrade(UpgradeError::Downgrade {
            stored: "9.9.9".into(),
            new: env!("CARGO_PKG_VERSION").into()
        })
    );
    cw2::set_contract_version(&mut deps.storage, "crates.io:other", "0.0.1").unwrap();
    let err =
        crate::contract::migrate(deps.as_mut(), env.clone(), MigrateMsg::Upgrade {}).unwrap_err();
    assert_eq!(
        err,
        ContractError::Upgrade(UpgradeError::WrongContract {
            expected: "crates.io:rewind-governance".into(),
            found: "crates.io:other".into()
        })
    );
    cw2::set_contract_version(&mut deps.storage, "crates.io:rewind-governance", "0.0.1").unwrap();
    let res = crate::contract::migrate(deps.as_mut(), env, MigrateMsg::Upgrade {}).unwrap();
    assert!(res
        .attributes
        .iter()
        .any(|a| a.key == "action" && a.value == "migrate"));
    assert_eq!(
        cw2::get_contract_version(&deps.storage).unwrap().version,
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(crate::state::CONFIG.load(&deps.storage).unwrap(), before);
}

#[test]
fn g7_instantiate_twice_is_impossible_and_apply_parameters_is_self_only() {
    let (mut deps, env) = instantiated();
    let stranger = deps.api.addr_make("stranger");
    let err = crate::contract::execute(
        deps.as_mut(),
        env,
        message_info(&stranger, &[]),
        rewind_types::governance::ExecuteMsg::ApplyParameters { proposal_id: 1 },
    )
    .unwrap_err();
    assert_eq!(err, ContractError::Unauthorized {});
}

#[test]
fn b5_namespaces_are_distinct() {
    let mut all: Vec<&str> = NAMESPACES.to_vec();
    all.push("contract_info"); // cw2
    let mut sorted = all.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), all.len());
}

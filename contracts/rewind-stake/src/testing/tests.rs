//! Every message and error of rewind-stake, and attack rows G1, B1, B2, B3, B4 and D3.

use cosmwasm_std::{coin, coins, Addr, Api, OverflowError, OverflowOperation, StdError, Uint128};
use cw_multi_test::{App, AppResponse, Executor};
use cw_utils::PaymentError;
use rewind_testing::SuiteBase;
use rewind_testing::{assert_error, contract_error_text};

use super::suite::{instantiate_msg, stake_contract, Suite, DAO, DENOM, UNBONDING};
use crate::msg::{
    ConfigResponse, DenomResponse, Duration, ExecuteMsg, Expiration, InfoResponse, InstantiateMsg,
    QueryMsg,
};
use crate::state::MAX_CLAIMS;
use crate::ContractError;

fn instantiate(msg: InstantiateMsg, funds: &[cosmwasm_std::Coin]) -> Result<AppResponse, StdError> {
    let mut app = App::default();
    let sender = app.api().addr_make("deployer");
    app.init_modules(|router, _, storage| {
        router
            .bank
            .init_balance(storage, &sender, coins(10, DENOM))
            .unwrap()
    });
    let code_id = app.store_code(stake_contract());
    app.instantiate_contract(code_id, sender, &msg, funds, "stake", None)
        .map(|_| AppResponse::default())
}

/// A time-based instantiate message for `denom`, served to a fixed DAO.
fn msg(denom: &str, unstaking_duration: Duration) -> InstantiateMsg {
    InstantiateMsg {
        dao: Some(App::default().api().addr_make(DAO).to_string()),
        denom: denom.into(),
        unstaking_duration,
    }
}

#[test]
fn instantiate_sets_config_dao_denom_and_cw2_info() {
    let suite = Suite::new(&["alice"], 100);
    let config: ConfigResponse = suite
        .app
        .wrap()
        .query_wasm_smart(&suite.contract, &QueryMsg::GetConfig {})
        .unwrap();
    assert_eq!(config.unstaking_duration, Some(Duration::Time(UNBONDING)));
    let denom: DenomResponse = suite
        .app
        .wrap()
        .query_wasm_smart(&suite.contract, &QueryMsg::Denom {})
        .unwrap();
    assert_eq!(denom.denom, DENOM);
    let dao: Addr = suite
        .app
        .wrap()
        .query_wasm_smart(&suite.contract, &QueryMsg::Dao {})
        .unwrap();
    assert_eq!(dao, suite.addr(DAO));
    let info: InfoResponse = suite
        .app
        .wrap()
        .query_wasm_smart(&suite.contract, &QueryMsg::Info {})
        .unwrap();
    assert_eq!(info.info.contract, "crates.io:rewind-stake");
    assert_eq!(info.info.version, env!("CARGO_PKG_VERSION"));
}

#[test]
fn without_a_dao_the_instantiating_sender_is_the_dao() {
    let suite = Suite::with(
        &["alice"],
        100,
        |app| InstantiateMsg {
            dao: None,
            ..instantiate_msg(app)
        },
        stake_contract(),
    );
    let dao: Addr = suite
        .app
        .wrap()
        .query_wasm_smart(&suite.contract, &QueryMsg::Dao {})
        .unwrap();
    assert_eq!(dao, suite.addr("deployer"));
}

#[test]
fn b1_a_non_normalised_dao_is_refused() {
    let upper = App::default()
        .api()
        .addr_make(DAO)
        .to_string()
        .to_uppercase();
    let expected = App::default().api().addr_validate(&upper).unwrap_err();
    let msg = InstantiateMsg {
        dao: Some(upper),
        ..msg(DENOM, Duration::Time(1))
    };
    // The error is `ContractError::Std` from the address check, whose text multi-test cuts
    // at its last "error: " as it cuts the contract's.
    assert_error(instantiate(msg, &[]), contract_error_text(&expected));
}

#[test]
fn b4_degenerate_instantiate_parameters_are_refused() {
    for zero in [Duration::Time(0), Duration::Height(0)] {
        assert_error(
            instantiate(msg(DENOM, zero), &[]),
            ContractError::ZeroUnstakingDuration {},
        );
    }
    let one = Duration::Time(1);
    for denom in ["", "ab", "1stake", "u stake", "ustake!", &"u".repeat(129)] {
        assert_error(
            instantiate(msg(denom, one), &[]),
            ContractError::InvalidDenom {
                denom: denom.into(),
            },
        );
    }
    // The boundaries of the denom rule are accepted, and a duration of one block.
    instantiate(msg("abc", one), &[]).unwrap();
    instantiate(
        msg(
            "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
            one,
        ),
        &[],
    )
    .unwrap();
    instantiate(msg(&"u".repeat(128), one), &[]).unwrap();
    instantiate(msg(DENOM, Duration::Height(1)), &[]).unwrap();
}

#[test]
fn stake_adds_power_from_the_next_block() {
    let mut suite = Suite::new(&["alice", "bob"], 1_000);
    let h = suite.height();
    let res = suite.stake("alice", 100).unwrap();
    assert!(res.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "stake")
            .add_attribute("amount", "100")
    ));
    suite.stake("bob", 50).unwrap();
    suite.stake("alice", 20).unwrap();
    // Same block: the power at h is the power at the start of h.
    assert_eq!(suite.power("alice", Some(h)), 0);
    assert_eq!(suite.total(Some(h)), 0);
    suite.next_block();
    assert_eq!(suite.power("alice", None), 120);
    assert_eq!(suite.power("bob", None), 50);
    assert_eq!(suite.total(None), 170);
    assert_eq!(suite.power("alice", Some(h + 1)), 120);
    assert_eq!(suite.balance("alice"), 880);
}

#[test]
fn g1_power_acquired_after_power_height_counts_zero() {
    let mut suite = Suite::new(&["holder", "flash"], 1_000_000);
    suite.stake("holder", 100).unwrap();
    suite.next_block();
    let power_height = suite.height();
    // A flash-loaned stake in the very block whose power is read, and after it.
    suite.stake("flash", 999_000).unwrap();
    suite.next_block();
    suite.stake("flash", 1_000).unwrap();
    suite.next_block();
    assert_eq!(suite.power("flash", Some(power_height)), 0);
    assert_eq!(suite.total(Some(power_height)), 100);
    assert_eq!(suite.power("holder", Some(power_height)), 100);
    assert_eq!(suite.power("flash", None), 1_000_000);
}

#[test]
fn unstake_removes_power_at_once_and_claim_pays_after_the_duration() {
    let mut suite = Suite::new(&["alice"], 1_000);
    suite.stake("alice", 300).unwrap();
    suite.next_block();
    let res = suite.unstake("alice", 100).unwrap();
    assert!(res.has_event(&cosmwasm_std::Event::new("wasm").add_attribute("action", "unstake")));
    let unstake_time = suite.app.block_info().time;
    suite.next_block();
    assert_eq!(suite.power("alice", None), 200);
    assert_eq!(suite.total(None), 200);
    let claims = suite.claims("alice").claims;
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].amount, Uint128::new(100));
    assert_eq!(
        claims[0].release_at,
        Expiration::AtTime(unstake_time.plus_seconds(UNBONDING))
    );

    assert_error(
        suite.claim("alice"),
        ContractError::UnstakingNotFinished {
            next_release: claims[0].release_at,
        },
    );
    suite.advance_by(UNBONDING, 10);
    suite.claim("alice").unwrap();
    assert_eq!(suite.balance("alice"), 800);
    assert!(suite.claims("alice").claims.is_empty());
    assert_error(suite.claim("alice"), ContractError::NothingToClaim {});
}

#[test]
fn claim_pays_only_finished_entries() {
    let mut suite = Suite::new(&["alice"], 1_000);
    suite.stake("alice", 300).unwrap();
    suite.unstake("alice", 100).unwrap();
    suite.advance_by(UNBONDING / 2, 1);
    suite.unstake("alice", 50).unwrap();
    suite.advance_by(UNBONDING / 2, 1);
    suite.claim("alice").unwrap();
    assert_eq!(suite.balance("alice"), 800);
    assert_eq!(suite.claims("alice").claims.len(), 1);
    suite.advance_by(UNBONDING, 1);
    suite.claim("alice").unwrap();
    assert_eq!(suite.balance("alice"), 850);
}

#[test]
fn unstake_errors() {
    let mut suite = Suite::new(&["alice"], 1_000);
    assert_error(suite.unstake("alice", 0), ContractError::ZeroAmount {});
    suite.stake("alice", 10).unwrap();
    assert_error(
        suite.unstake("alice", 11),
        ContractError::InsufficientStake {
            staked: Uint128::new(10),
            requested: Uint128::new(11),
        },
    );
}

#[test]
fn a_height_based_duration_releases_claims_at_a_height() {
    let mut suite = Suite::with(
        &["alice"],
        1_000,
        |app| InstantiateMsg {
            unstaking_duration: Duration::Height(10),
            ..instantiate_msg(app)
        },
        stake_contract(),
    );
    suite.stake("alice", 100).unwrap();
    let height = suite.height();
    suite.unstake("alice", 40).unwrap();
    let release_at = Expiration::AtHeight(height + 10);
    assert_eq!(suite.claims("alice").claims[0].release_at, release_at);
    // Time alone releases nothing.
    suite.advance_by(1_000_000, 9);
    assert_error(
        suite.claim("alice"),
        ContractError::UnstakingNotFinished {
            next_release: release_at,
        },
    );
    suite.advance_by(1, 1);
    suite.claim("alice").unwrap();
    assert_eq!(suite.balance("alice"), 940);
}

#[test]
fn b3_a_duration_beyond_the_clock_is_an_error_not_a_panic() {
    for huge in [Duration::Time(u64::MAX), Duration::Height(u64::MAX)] {
        let mut suite = Suite::with(
            &["alice"],
            1_000,
            |app| InstantiateMsg {
                unstaking_duration: huge,
                ..instantiate_msg(app)
            },
            stake_contract(),
        );
        suite.stake("alice", 100).unwrap();
        assert_error(
            suite.unstake("alice", 1),
            ContractError::Overflow(OverflowError::new(OverflowOperation::Add)),
        );
        // Nothing changed.
        suite.next_block();
        assert_eq!(suite.power("alice", None), 100);
        assert!(suite.claims("alice").claims.is_empty());
    }
}

#[test]
fn d3_open_claims_are_capped() {
    let mut suite = Suite::new(&["alice"], 1_000);
    suite.stake("alice", 200).unwrap();
    for _ in 0..MAX_CLAIMS {
        suite.unstake("alice", 1).unwrap();
    }
    assert_eq!(suite.claims("alice").claims.len() as u64, MAX_CLAIMS);
    assert_error(
        suite.unstake("alice", 1),
        ContractError::TooManyClaims { max: MAX_CLAIMS },
    );
    // The refused unstake kept the power; claiming frees the room again.
    suite.next_block();
    assert_eq!(suite.power("alice", None), 100);
    suite.advance_by(UNBONDING, 1);
    suite.claim("alice").unwrap();
    assert_eq!(suite.balance("alice"), 900);
    suite.unstake("alice", 1).unwrap();
    assert_eq!(suite.claims("alice").claims.len(), 1);
}

#[test]
fn full_unstake_removes_the_staker_from_the_list() {
    let mut suite = Suite::new(&["alice", "bob"], 1_000);
    suite.stake("alice", 10).unwrap();
    suite.stake("bob", 10).unwrap();
    suite.unstake("alice", 10).unwrap();
    let stakers = suite.stakers(None, None).stakers;
    assert_eq!(stakers.len(), 1);
    assert_eq!(stakers[0].address, suite.addr("bob").to_string());
    assert_eq!(stakers[0].balance, Uint128::new(10));
}

#[test]
fn d2_stakers_are_paginated_and_capped() {
    let users: Vec<String> = (0..120).map(|i| format!("user{i:03}")).collect();
    let names: Vec<&str> = users.iter().map(String::as_str).collect();
    let mut suite = Suite::new(&names, 10);
    for user in &names {
        suite.stake(user, 1).unwrap();
    }
    assert_eq!(
        suite.stakers(None, None).stakers.len(),
        rewind_types::DEFAULT_LIMIT as usize
    );
    let first = suite.stakers(None, Some(1000)).stakers;
    assert_eq!(first.len(), rewind_types::MAX_LIMIT as usize);
    let last = first.last().unwrap().address.to_string();
    let rest = suite.stakers(Some(last), Some(1000)).stakers;
    let all: Vec<_> = first
        .iter()
        .chain(&rest)
        .map(|s| s.address.clone())
        .collect();
    let mut sorted_unique = all.clone();
    sorted_unique.sort();
    sorted_unique.dedup();
    assert_eq!(all, sorted_unique);
    assert_eq!(all.len(), 120);
}

#[test]
fn b1_non_normalised_addresses_are_refused() {
    let mut suite = Suite::new(&["alice"], 1_000);
    suite.stake("alice", 10).unwrap();
    suite.next_block();
    let upper = suite.addr("alice").to_string().to_uppercase();
    for msg in [
        QueryMsg::VotingPowerAtHeight {
            address: upper.clone(),
            height: None,
        },
        QueryMsg::Claims {
            address: upper.clone(),
        },
        QueryMsg::ListStakers {
            start_after: Some(upper.clone()),
            limit: None,
        },
        QueryMsg::VotingPowerAtHeight {
            address: "not-an-address".into(),
            height: None,
        },
    ] {
        let result: Result<cosmwasm_std::Binary, _> =
            suite.app.wrap().query_wasm_smart(&suite.contract, &msg);
        assert!(result.is_err(), "{msg:?} was accepted");
    }
    // The normalised form works.
    assert_eq!(suite.power("alice", None), 10);
}

#[test]
fn b2_funds_are_checked_on_every_message() {
    let mut suite = Suite::new(&["alice"], 1_000);
    let stake = ExecuteMsg::Stake {};
    assert_error(
        suite.execute("alice", &stake, &[]),
        ContractError::Payment(PaymentError::NoFunds {}),
    );
    assert_error(
        suite.execute("alice", &stake, &coins(5, "other")),
        ContractError::Payment(PaymentError::MissingDenom(DENOM.into())),
    );
    assert_error(
        suite.execute("alice", &stake, &[coin(5, "other"), coin(5, DENOM)]),
        ContractError::Payment(PaymentError::MultipleDenoms {}),
    );
    suite.stake("alice", 10).unwrap();
    let unstake = ExecuteMsg::Unstake {
        amount: Uint128::new(1),
    };
    for msg in [unstake, ExecuteMsg::Claim {}] {
        assert_error(
            suite.execute("alice", &msg, &coins(1, DENOM)),
            ContractError::Payment(PaymentError::NonPayable {}),
        );
    }
    assert_error(
        instantiate(msg(DENOM, Duration::Time(1)), &coins(1, DENOM)),
        ContractError::Payment(PaymentError::NonPayable {}),
    );
}

#[test]
fn b3_overflow_returns_an_error_not_a_panic() {
    let half = u128::MAX / 2 + 1;
    let mut suite = Suite::new(&["whale", "minnow"], half);
    suite.stake("whale", half).unwrap();
    assert_error(
        suite.stake("minnow", half),
        ContractError::Overflow(OverflowError::new(OverflowOperation::Add)),
    );
    // Nothing changed.
    suite.next_block();
    assert_eq!(suite.total(None), half);
    assert_eq!(suite.power("minnow", None), 0);
    assert_eq!(suite.balance("minnow"), half);
}

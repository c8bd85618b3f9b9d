//! Every message and error of rewind-stake, and attack rows G1, B1, B2, B3 and B4.

use cosmwasm_std::{coin, coins, OverflowError, OverflowOperation, StdError, Uint128};
use cw_multi_test::{App, AppResponse, Executor};
use cw_utils::PaymentError;
use rewind_testing::assert_error;

use super::suite::{stake_contract, Suite, DENOM, UNBONDING};
use crate::msg::{ConfigResponse, ExecuteMsg, InfoResponse, InstantiateMsg, QueryMsg};
use crate::state::MAX_UNBONDING_ENTRIES;
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

#[test]
fn instantiate_sets_config_and_cw2_info() {
    let suite = Suite::new(&["alice"], 100);
    let config: ConfigResponse = suite
        .app
        .wrap()
        .query_wasm_smart(&suite.contract, &QueryMsg::Config {})
        .unwrap();
    assert_eq!(config.denom, DENOM);
    assert_eq!(config.unbonding_seconds, UNBONDING);
    let info: InfoResponse = suite
        .app
        .wrap()
        .query_wasm_smart(&suite.contract, &QueryMsg::Info {})
        .unwrap();
    assert_eq!(info.info.contract, "crates.io:rewind-stake");
    assert_eq!(info.info.version, env!("CARGO_PKG_VERSION"));
}

#[test]
fn b4_degenerate_instantiate_parameters_are_refused() {
    let msg = |denom: &str, unbonding_seconds| InstantiateMsg {
        denom: denom.into(),
        unbonding_seconds,
    };
    assert_error(
        instantiate(msg(DENOM, 0), &[]),
        ContractError::ZeroUnbondingPeriod {},
    );
    for denom in ["", "ab", "1stake", "u stake", "ustake!", &"u".repeat(129)] {
        assert_error(
            instantiate(msg(denom, 1), &[]),
            ContractError::InvalidDenom {
                denom: denom.into(),
            },
        );
    }
    // The boundaries of the denom rule are accepted.
    instantiate(msg("abc", 1), &[]).unwrap();
    instantiate(
        msg(
            "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
            1,
        ),
        &[],
    )
    .unwrap();
    instantiate(msg(&"u".repeat(128), 1), &[]).unwrap();
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
fn unstake_removes_power_at_once_and_claim_pays_after_unbonding() {
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
    assert_eq!(claims[0].release_at, unstake_time.plus_seconds(UNBONDING));

    assert_error(
        suite.claim("alice"),
        ContractError::UnbondingNotFinished {
            next_release: claims[0].release_at,
        },
    );
    suite.advance(10, UNBONDING);
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
    suite.advance(1, UNBONDING / 2);
    suite.unstake("alice", 50).unwrap();
    suite.advance(1, UNBONDING / 2);
    suite.claim("alice").unwrap();
    assert_eq!(suite.balance("alice"), 800);
    assert_eq!(suite.claims("alice").claims.len(), 1);
    suite.advance(1, UNBONDING);
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
fn d3_unbonding_entries_are_capped() {
    let mut suite = Suite::new(&["alice"], 1_000);
    suite.stake("alice", 100).unwrap();
    for _ in 0..MAX_UNBONDING_ENTRIES {
        suite.unstake("alice", 1).unwrap();
    }
    assert_error(
        suite.unstake("alice", 1),
        ContractError::TooManyUnbondingEntries {
            max: MAX_UNBONDING_ENTRIES,
        },
    );
}

#[test]
fn full_unstake_removes_the_staker_from_the_list() {
    let mut suite = Suite::new(&["alice", "bob"], 1_000);
    suite.stake("alice", 10).unwrap();
    suite.stake("bob", 10).unwrap();
    suite.unstake("alice", 10).unwrap();
    let stakers = suite.stakers(None, None).stakers;
    assert_eq!(stakers.len(), 1);
    assert_eq!(stakers[0].address, suite.addr("bob"));
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
        QueryMsg::Stakers {
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
    let msg = InstantiateMsg {
        denom: DENOM.into(),
        unbonding_seconds: 1,
    };
    assert_error(
        instantiate(msg, &coins(1, DENOM)),
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

//! The ledger: collateral, positions, PnL, liquidation, insurance.

use cosmwasm_std::{coins, Int128, Uint128};
use rewind_testing::SuiteBase;
use rewind_types::restorable::RestorableQueryMsg;
use rewind_types::vault::{ExecuteMsg, MigrateMsg, QueryMsg};

use super::suite::*;
use crate::error::ContractError;

#[test]
fn deposit_and_withdraw_move_collateral_and_bank() {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    s.deposit(&alice, 700, USDC).unwrap();
    s.exec(
        &alice,
        &ExecuteMsg::Deposit {},
        &[cosmwasm_std::coin(5, ATOM), cosmwasm_std::coin(9, USDC)],
    )
    .unwrap();
    assert_eq!(s.free(&alice, USDC), 709);
    assert_eq!(s.free(&alice, ATOM), 5);
    assert_eq!(s.totals(USDC), 709);
    let before = s.bank(&alice, USDC);
    s.withdraw(&alice, 200, USDC).unwrap();
    assert_eq!(s.bank(&alice, USDC), before + 200);
    assert_eq!(s.free(&alice, USDC), 509);
    expect_err(
        s.withdraw(&alice, 510, USDC),
        ContractError::InsufficientCollateral {
            account: alice.clone(),
            denom: USDC.into(),
            available: Uint128::new(509),
            needed: Uint128::new(510),
        },
    );
    assert_eq!(s.bank(&s.vault.clone(), USDC), 509);
}

#[test]
fn close_settles_pnl_into_collateral() {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    let bob = s.user("bob");
    s.push_price(BTC, "100").unwrap();
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.deposit(&bob, 1_000, USDC).unwrap();
    s.open(&alice, BTC, 10, 150).unwrap();
    s.open(&bob, BTC, -10, 150).unwrap();
    expect_err(
        s.open(&alice, BTC, 1, 100),
        ContractError::PositionExists {
            account: alice.clone(),
            market: BTC.into(),
        },
    );
    assert_eq!(s.free(&alice, USDC), 850);
    s.next_block();
    s.push_price(BTC, "110").unwrap();
    let a = s.account(&alice);
    assert_eq!(a.positions[0].pnl, Int128::new(100));
    assert_eq!(a.equity[0].equity, cosmwasm_std::Int256::from(1_100i128));
    s.close(&alice, BTC).unwrap();
    s.close(&bob, BTC).unwrap();
    assert_eq!(s.free(&alice, USDC), 1_100);
    assert_eq!(s.free(&bob, USDC), 900);
    assert_eq!(s.totals(USDC), 2_000);
    expect_err(
        s.close(&alice, BTC),
        ContractError::NoPosition {
            account: alice.clone(),
            market: BTC.into(),
        },
    );
}

#[test]
fn open_checks_initial_margin_and_collateral() {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    s.deposit(&alice, 100, USDC).unwrap();
    expect_err(
        s.open(&alice, BTC, 1, 10),
        ContractError::NoPrice { market: BTC.into() },
    );
    s.push_price(BTC, "100").unwrap();
    expect_err(
        s.open(&alice, BTC, 10, 99),
        ContractError::InsufficientMargin {
            market: BTC.into(),
            required: Uint128::new(100),
            provided: Uint128::new(99),
        },
    );
    expect_err(
        s.open(&alice, BTC, 20, 200),
        ContractError::InsufficientCollateral {
            account: alice.clone(),
            denom: USDC.into(),
            available: Uint128::new(100),
            needed: Uint128::new(200),
        },
    );
    expect_err(
        s.open(&alice, "NOPE", 1, 10),
        ContractError::UnknownMarket {
            market: "NOPE".into(),
        },
    );
    expect_err(
        s.open(&alice, BTC, 0, 10),
        ContractError::Zero {
            what: "position size".into(),
        },
    );
}

#[test]
fn liquidation_pays_reward_and_insurance_fee() {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    let liquidator = s.user("liquidator");
    let insurance = s.roles.insurance.clone();
    s.push_price(BTC, "100").unwrap();
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.open(&alice, BTC, 10, 200).unwrap();
    s.next_block();
    s.push_price(BTC, "90").unwrap(); // equity 100 >= maintenance 45
    expect_err(
        s.liquidate(&liquidator, &alice, BTC),
        ContractError::NotLiquidatable {
            account: alice.clone(),
            market: BTC.into(),
            equity: Int128::new(100),
            maintenance: Uint128::new(45),
        },
    );
    s.next_block();
    s.push_price(BTC, "84").unwrap(); // equity 40 < maintenance 42
    let a = s.account(&alice);
    assert!(a.positions[0].liquidatable);
    s.liquidate(&liquidator, &alice, BTC).unwrap();
    assert_eq!(s.free(&liquidator, USDC), 2);
    assert_eq!(s.free(&insurance, USDC), 2);
    assert_eq!(s.free(&alice, USDC), 800 + 36);
    assert_eq!(s.totals(USDC), 840);
    assert!(s.account(&alice).positions.is_empty());
    // The insurance account withdraws like any account.
    s.withdraw(&insurance, 2, USDC).unwrap();
}

#[test]
fn bad_debt_liquidation_pays_nothing() {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    let liquidator = s.user("liquidator");
    s.push_price(ETH, "10").unwrap();
    s.deposit(&alice, 1_000, ATOM).unwrap();
    s.open(&alice, ETH, -100, 100).unwrap();
    s.next_block();
    s.push_price(ETH, "12").unwrap(); // pnl -200, equity -100
    let res = s.liquidate(&liquidator, &alice, ETH).unwrap();
    let wasm = res.events.iter().find(|e| e.ty == "wasm").unwrap();
    assert!(wasm
        .attributes
        .iter()
        .any(|a| a.key == "bad_debt" && a.value == "100"));
    assert_eq!(s.free(&liquidator, ATOM), 0);
    assert_eq!(s.free(&alice, ATOM), 900);
    assert_eq!(s.totals(ATOM), 900);
}

#[test]
fn queries_answer() {
    let mut s = SuiteBuilder::default().build();
    s.push_price(BTC, "3").unwrap();
    let m: rewind_types::vault::MarketsResponse = s.query(&QueryMsg::Markets {
        start_after: None,
        limit: Some(1),
    });
    assert_eq!(m.markets.len(), 1);
    assert_eq!(m.markets[0].params.id, BTC);
    assert_eq!(m.markets[0].price.as_ref().unwrap().price, dec("3"));
    let m: rewind_types::vault::MarketsResponse = s.query(&QueryMsg::Markets {
        start_after: Some(BTC.into()),
        limit: None,
    });
    assert_eq!(m.markets[0].params.id, ETH);
    let c: rewind_types::vault::ConfigResponse = s.query(&QueryMsg::Config {});
    assert_eq!(c.denoms, vec![USDC.to_string(), ATOM.to_string()]);
    let r: Option<rewind_types::vault::RestorationReport> = s.query(&QueryMsg::RestorationReport {
        restoration_id: None,
    });
    assert!(r.is_none());
    let j: rewind_types::restorable::JournalInfoResponse =
        s.query(&RestorableQueryMsg::JournalInfo {});
    assert!(!j.restoring);
    let alice = s.user("alice");
    s.deposit(&alice, 5, USDC).unwrap();
    let a = s.account(&alice);
    assert_eq!(a.collateral, coins(5, USDC));
    assert!(a.claim.is_none());
    assert!(!a.frozen);
}

/// The feeder is rotated by a voted `Configure`, which only the wasm admin (the executor)
/// can send: no one else, governance's address included, changes the configuration.
#[test]
fn a_voted_configure_rotates_the_feeder() {
    let mut s = SuiteBuilder::default().build();
    let new_feeder = s.addr("new_feeder");
    let update = rewind_types::vault::VaultConfigUpdate {
        feeder: Some(new_feeder.to_string()),
        ..Default::default()
    };
    let msg = MigrateMsg::Configure {
        config: cosmwasm_std::to_json_binary(&update).unwrap(),
    };
    let feeder = s.roles.feeder.clone();
    for who in [feeder.clone(), s.roles.governance.clone()] {
        let err = s.migrate_as(&who, &msg).unwrap_err();
        assert!(err.to_string().contains("Only admin can migrate"), "{err}");
    }
    let res = s.configure(&update).unwrap();
    assert!(res.events.iter().any(|e| e
        .attributes
        .iter()
        .any(|a| a.key == "action" && a.value == "configure")));
    expect_err(
        s.push_price(BTC, "1"),
        ContractError::Unauthorized {
            action: "push_price".into(),
            sender: feeder,
        },
    );
    s.exec(
        &new_feeder,
        &ExecuteMsg::PushPrice {
            market: BTC.into(),
            price: dec("1"),
        },
        &[],
    )
    .unwrap();
}

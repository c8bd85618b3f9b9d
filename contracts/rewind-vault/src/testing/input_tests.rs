//! Bad input (rows B1-B5) and bounded work (rows D1, D2, D3).

use cosmwasm_std::{coin, coins, Int128, OverflowError, OverflowOperation, Uint128};
use cw_multi_test::Executor;
use rewind_testing::SuiteBase;
use rewind_types::restorable::RestorableExecuteMsg;
use rewind_types::restorable::RestorationPhase;
use rewind_types::vault::TRADE;
use rewind_types::vault::{ExecuteMsg, MigrateMsg, QueryMsg};
use rewind_types::{GateMsg, ShortfallPolicy};

use super::suite::*;
use crate::error::ContractError;
use crate::state::NAMESPACES;
use rewind_target::execute::{DEFAULT_CRANK_LIMIT, MAX_CRANK_LIMIT, REPLAY_WEIGHT};
use rewind_target::migrate::MAX_EXCLUSIONS;
use rewind_target::TargetError;

#[test]
fn b1_upper_case_and_invalid_addresses_are_refused() {
    let mut app = cw_multi_test::App::default();
    let roles = Roles::new(&app);
    let code_id = app.store_code(vault_contract());
    let mut msg = SuiteBuilder::default().instantiate_msg(&roles);
    msg.guardian = roles.guardian.to_string().to_uppercase();
    let err = app
        .instantiate_contract(code_id, roles.governance.clone(), &msg, &[], "v", None)
        .unwrap_err();
    assert!(err.to_string().contains("not normalized"), "{err}");
    msg.guardian = "not-an-address".into();
    assert!(app
        .instantiate_contract(code_id, roles.governance.clone(), &msg, &[], "v", None)
        .is_err());

    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    s.push_price(BTC, "100").unwrap();
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.open(&alice, BTC, 10, 100).unwrap();
    let upper = alice.to_string().to_uppercase();
    let err = s
        .exec(
            &alice,
            &ExecuteMsg::Liquidate {
                account: upper.clone(),
                market: BTC.into(),
            },
            &[],
        )
        .unwrap_err();
    assert!(err.to_string().contains("not normalized"), "{err}");
    let err = s
        .app
        .wrap()
        .query_wasm_smart::<rewind_types::vault::AccountResponse>(
            s.vault.clone(),
            &QueryMsg::Account {
                address: upper.clone(),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("not normalized"), "{err}");

    // Exclusions are validated too: an upper-case alias cannot dodge an exclusion.
    let h = s.height();
    s.next_block();
    let mut restore = s.restore_msg(h, &[], ShortfallPolicy::ProRataHaircut);
    if let MigrateMsg::Restore { exclusions, .. } = &mut restore {
        exclusions.push(upper);
    }
    let executor = s.roles.executor.clone();
    let err = s.migrate_as(&executor, &restore).unwrap_err();
    assert!(err.to_string().contains("not normalized"), "{err}");
    assert_eq!(s.status().phase, RestorationPhase::Idle);
}

#[test]
fn b2_funds_on_non_payable_messages_are_refused() {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    s.push_price(BTC, "100").unwrap();
    s.deposit(&alice, 1_000, USDC).unwrap();
    let until = s.app.block_info().time.plus_seconds(10);
    let msgs = vec![
        (
            alice.clone(),
            ExecuteMsg::Withdraw {
                denom: USDC.into(),
                amount: Uint128::new(1),
            },
        ),
        (
            alice.clone(),
            ExecuteMsg::OpenPosition {
                market: BTC.into(),
                size: Int128::new(1),
                margin: Uint128::new(50),
            },
        ),
        (
            alice.clone(),
            ExecuteMsg::ClosePosition { market: BTC.into() },
        ),
        (
            alice.clone(),
            ExecuteMsg::Liquidate {
                account: alice.to_string(),
                market: BTC.into(),
            },
        ),
        (
            s.roles.feeder.clone(),
            ExecuteMsg::PushPrice {
                market: BTC.into(),
                price: dec("1"),
            },
        ),
    ];
    for (sender, msg) in msgs {
        s.mint(&sender, coins(5, USDC));
        expect_err(
            s.exec(&sender, &msg, &coins(5, USDC)),
            ContractError::Payment(cw_utils::PaymentError::NonPayable {}),
        );
    }
    // Rewind's messages take no funds either (rewind-target refuses them).
    let rewind = [
        (
            alice.clone(),
            RestorableExecuteMsg::Prune { limit: None },
            "prune",
        ),
        (
            s.roles.guardian.clone(),
            RestorableExecuteMsg::Gate(GateMsg::SetPause {
                scope: TRADE,
                until,
            }),
            "gate",
        ),
        (
            alice.clone(),
            RestorableExecuteMsg::Crank { limit: None },
            "crank",
        ),
    ];
    for (sender, msg, action) in rewind {
        s.mint(&sender, coins(5, USDC));
        expect_rewind(
            s.exec(&sender, &msg, &coins(5, USDC)),
            TargetError::Funds { action },
        );
    }
    // Deposits: only configured denoms, and some funds.
    s.mint(&alice, coins(5, "uevil"));
    expect_err(
        s.exec(&alice, &ExecuteMsg::Deposit {}, &coins(5, "uevil")),
        ContractError::UnknownDenom {
            denom: "uevil".into(),
        },
    );
    expect_err(
        s.exec(&alice, &ExecuteMsg::Deposit {}, &[]),
        ContractError::Payment(cw_utils::PaymentError::NoFunds {}),
    );
    expect_err(
        s.withdraw(&alice, 1, "uevil"),
        ContractError::UnknownDenom {
            denom: "uevil".into(),
        },
    );
    expect_err(
        s.withdraw(&alice, 0, USDC),
        ContractError::Zero {
            what: "withdraw amount".into(),
        },
    );
    assert_eq!(s.free(&alice, USDC), 1_000);
}

#[test]
fn b3_overflow_returns_an_error() {
    let mut s = SuiteBuilder::default().build();
    let whale = s.addr("whale");
    let bob = s.user("bob");
    s.mint(&whale, vec![coin(u128::MAX, USDC)]);
    // No flows are recorded any more (a restoration replays the deposit itself), so a
    // deposit above i128::MAX is taken like any other.
    s.deposit(&whale, i128::MAX as u128, USDC).unwrap();
    s.deposit(&whale, i128::MAX as u128 + 1, USDC).unwrap();
    // The ledger's total would pass u128::MAX: a typed error, no panic.
    expect_err(
        s.deposit(&bob, 1, USDC),
        ContractError::Overflow(OverflowError::new(OverflowOperation::Add)),
    );
    // A notional beyond u128: a typed error.
    s.push_price(BTC, "1000000").unwrap();
    let err = s.open(&whale, BTC, i128::MAX, u128::MAX / 2).unwrap_err();
    assert!(err.to_string().contains("arithmetic:"), "{err}");
    assert_eq!(s.free(&whale, USDC), u128::MAX);
}

#[test]
fn b4_degenerate_parameters_are_refused() {
    let mut app = cw_multi_test::App::default();
    let roles = Roles::new(&app);
    let code_id = app.store_code(vault_contract());
    let base = SuiteBuilder::default().instantiate_msg(&roles);
    type Mutate = Box<dyn Fn(&mut rewind_types::vault::InstantiateMsg)>;
    let cases: Vec<(Mutate, &str)> = vec![
        (Box::new(|m| m.breaker_bound_bps = 0), "breaker_bound_bps"),
        (
            Box::new(|m| m.breaker_pause_seconds = 0),
            "breaker_pause_seconds",
        ),
        (
            Box::new(|m| m.breaker_pause_seconds = m.max_pause_seconds + 1),
            "breaker_pause_seconds",
        ),
        (Box::new(|m| m.retention_blocks = 0), "retention_blocks"),
        (Box::new(|m| m.denoms = vec![]), "denoms"),
        (
            Box::new(|m| m.denoms = vec![USDC.into(), USDC.into()]),
            "duplicate denom",
        ),
        (
            Box::new(|m| m.markets[0].maintenance_margin_ratio = dec("0.5")),
            "maintenance",
        ),
        (
            Box::new(|m| m.markets[0].initial_margin_ratio = dec("0")),
            "initial margin",
        ),
        (
            Box::new(|m| m.markets[0].liquidation_fee_ratio = dec("0.99")),
            "reward + fee",
        ),
        (
            Box::new(|m| m.markets[1].id = m.markets[0].id.clone()),
            "duplicate market",
        ),
        (
            Box::new(|m| m.markets[0].id = "bad id!".into()),
            "market id",
        ),
        (
            Box::new(|m| m.markets[0].denom = "uevil".into()),
            "unknown denom",
        ),
    ];
    for (mutate, needle) in cases {
        let mut msg = base.clone();
        mutate(&mut msg);
        let err = app
            .instantiate_contract(code_id, roles.governance.clone(), &msg, &[], "v", None)
            .unwrap_err();
        assert!(err.to_string().contains(needle), "{needle}: {err}");
    }
}

#[test]
fn b5_namespaces_are_distinct_and_apart_from_the_journal() {
    let mut all: Vec<&str> = NAMESPACES.to_vec();
    all.extend(rewind_journal::INTERNAL_NAMESPACES);
    let mut sorted = all.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), all.len());
    for ours in NAMESPACES {
        for theirs in rewind_journal::INTERNAL_NAMESPACES {
            assert!(!ours.starts_with(theirs) && !theirs.starts_with(ours));
        }
    }
}

/// rewind-target's crank: the default limit, and the cap every larger limit is clamped to
/// (a replayed execution weighs `REPLAY_WEIGHT` units).
#[test]
fn d1_crank_limit_is_capped() {
    assert_eq!(DEFAULT_CRANK_LIMIT, 50);
    assert_eq!(MAX_CRANK_LIMIT, 200);
    assert_eq!(REPLAY_WEIGHT, 8);
}

/// A crank's attribute as a number.
fn attr(res: &cw_multi_test::AppResponse, key: &str) -> u64 {
    res.events
        .iter()
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.parse().unwrap())
        .unwrap()
}

/// 1,000 accounts: the rollback, replay and settlement each take several bounded batches,
/// whatever limit the caller names.
#[test]
fn d1_a_thousand_accounts_settle_in_bounded_batches() {
    let mut s = SuiteBuilder::default().build();
    let n = 1_000u64;
    let users: Vec<_> = (0..n).map(|i| s.addr(&format!("user{i}"))).collect();
    for u in &users {
        s.mint(u, coins(2_000, USDC));
    }
    for (i, u) in users.iter().enumerate() {
        s.deposit(u, 100 + i as u128, USDC).unwrap();
        if i % 100 == 99 {
            s.next_block();
        }
    }
    let h = s.height();
    s.next_block();
    // After H: 250 more undo entries (one block each), and flows to replay.
    for u in users.iter().take(250) {
        s.withdraw(u, 50, USDC).unwrap();
        s.next_block();
    }
    // A thief drains the vault, excluded.
    let thief = s.user("thief");
    s.deposit(&thief, 10, USDC).unwrap();
    let vault = s.vault.clone();
    let stolen = s.bank(&vault, USDC) / 2;
    s.app
        .send_tokens(vault, thief.clone(), &coins(stolen, USDC))
        .unwrap();
    s.next_block();
    s.restore(h, &[&thief], ShortfallPolicy::ProRataHaircut)
        .unwrap();
    let mut cranks = 0;
    let mut undone = 0;
    while s.status().phase != RestorationPhase::Complete {
        let res = s.crank(Some(u32::MAX)).unwrap();
        // At most MAX_CRANK_LIMIT undo entries, or MAX_CRANK_LIMIT / REPLAY_WEIGHT replays.
        assert!(attr(&res, "undone_entries") - undone <= u64::from(MAX_CRANK_LIMIT));
        assert!(
            attr(&res, "replayed") + attr(&res, "skipped")
                <= u64::from(MAX_CRANK_LIMIT / REPLAY_WEIGHT)
        );
        undone = attr(&res, "undone_entries");
        cranks += 1;
        s.next_block();
    }
    // >= 500 undo entries, 251 flows, 1,000 balances: at least 9 batches of 200.
    assert!(cranks >= 9, "{cranks}");
    let p = s.progress();
    // The thief's balance was created after H: rolled back, its flow not replayed.
    assert_eq!(p.settled_balances, n);
    assert_eq!(p.replayed_flows, 250);
    let bank = s.bank(&s.vault.clone(), USDC);
    assert!(s.totals(USDC) <= bank);
    let claims = s.all_claims();
    assert_eq!(claims.len(), n as usize);
    assert!(s.account(&thief).frozen);
    assert_eq!(s.free(&thief, USDC), 0);
}

#[test]
fn d3_exclusions_are_capped_and_deduplicated() {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    s.deposit(&alice, 1, USDC).unwrap();
    let h = s.height();
    s.next_block();
    let many: Vec<_> = (0..=MAX_EXCLUSIONS)
        .map(|i| s.addr(&format!("x{i}")))
        .collect();
    let refs: Vec<&cosmwasm_std::Addr> = many.iter().collect();
    expect_rewind(
        s.restore(h, &refs, ShortfallPolicy::ProRataHaircut),
        TargetError::TooManyExclusions {
            count: MAX_EXCLUSIONS + 1,
            max: MAX_EXCLUSIONS,
        },
    );
    // Duplicates collapse: MAX_EXCLUSIONS distinct names, each given twice, is accepted
    // (each acted after the height, so none is a dormant account, row G14).
    for x in &many[..MAX_EXCLUSIONS] {
        s.mint(x, coins(1, USDC));
        s.deposit(x, 1, USDC).unwrap();
    }
    let mut twice: Vec<&cosmwasm_std::Addr> = refs[..MAX_EXCLUSIONS].to_vec();
    twice.extend(refs[..MAX_EXCLUSIONS].iter().copied());
    s.restore(h, &twice, ShortfallPolicy::ProRataHaircut)
        .unwrap();
    s.crank_to_end(&[200]);
    assert_eq!(s.report().unwrap().exclusions.len(), MAX_EXCLUSIONS);
}

#[test]
fn d2_claims_query_is_paginated() {
    let mut s = SuiteBuilder::default().build();
    for i in 0..150 {
        let u = s.user(&format!("u{i}"));
        s.deposit(&u, 10, USDC).unwrap();
    }
    let h = s.height();
    s.next_block();
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    s.crank_to_end(&[200]);
    let page: rewind_types::vault::ClaimsResponse = s.query(&QueryMsg::RestorationClaims {
        restoration_id: None,
        start_after: None,
        limit: Some(10_000),
    });
    assert_eq!(page.claims.len(), rewind_types::MAX_LIMIT as usize);
    assert_eq!(s.all_claims().len(), 150);
}

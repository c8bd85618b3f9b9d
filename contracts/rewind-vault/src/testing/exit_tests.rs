//! Issue 15, self-sovereign exits, on the vault: the offline clock and exit-only mode, the
//! fallback price, and moves to a checksum-pinned successor (the reference claims vault).

use cosmwasm_std::{coin, to_json_binary, Addr, Coin, Empty, HexBinary, StdResult, Uint256};
use cw_multi_test::{AppResponse, Contract, ContractWrapper, Executor};
use proptest::prelude::*;
use rewind_testing::SuiteBase;
use rewind_types::restorable::{RestorableExecuteMsg, RestorableQueryMsg};
use rewind_types::successor::{
    OfflineStatusResponse, RemainingClaimsResponse, RewindConfig, RewindConfigMsg, SuccessorPin,
};
use rewind_types::vault::MigrateMsg;
use rewind_types::{GateMsg, PauseScope, ShortfallPolicy};

use super::suite::*;

const MAX_OFFLINE: u64 = 4 * 3600;
const HOUR: u64 = 3600;

fn claims_vault() -> Box<dyn Contract<Empty>> {
    use claims_vault::contract as c;
    Box::new(ContractWrapper::new(c::execute, c::instantiate, c::query).with_migrate(c::migrate))
}

struct Exits {
    s: Suite,
    successor: Addr,
    /// A second claims-vault code: another checksum.
    other_code: u64,
}

fn checksum(s: &Suite, code_id: u64) -> HexBinary {
    let info = s.app.wrap().query_wasm_code_info(code_id).unwrap();
    HexBinary::from(info.checksum.as_slice())
}

fn rewind_config(s: &mut Suite, cfg: RewindConfig) -> StdResult<AppResponse> {
    let executor = s.roles.executor.clone();
    let config = to_json_binary(&RewindConfigMsg { rewind: cfg })?;
    s.migrate_as(&executor, &MigrateMsg::Configure { config })
}

/// A vault with `max_offline` = 4 h and a registered claims vault as its successor.
fn setup() -> Exits {
    let mut s = SuiteBuilder::default().build();
    let code = s.app.store_code(claims_vault());
    let other_code = s.app.store_code(claims_vault());
    let admin = s.addr("successor-admin");
    let successor = s
        .app
        .instantiate_contract(
            code,
            admin,
            &claims_vault::msg::InstantiateMsg {
                sources: vec![s.vault.to_string()],
            },
            &[],
            "claims-vault",
            Some(s.addr("successor-admin").to_string()),
        )
        .unwrap();
    let pin = SuccessorPin {
        address: successor.to_string(),
        checksum: checksum(&s, code),
    };
    rewind_config(
        &mut s,
        RewindConfig {
            max_offline: Some(MAX_OFFLINE),
            successor: Some(pin),
            reopen: false,
        },
    )
    .unwrap();
    // Prices stand while the vault runs normally: they are the fallback.
    s.push_price(BTC, "100").unwrap();
    s.push_price(ETH, "10").unwrap();
    s.next_block();
    Exits {
        s,
        successor,
        other_code,
    }
}

fn offline(s: &Suite) -> OfflineStatusResponse {
    s.query(&RestorableQueryMsg::OfflineStatus {})
}

fn remaining(s: &Suite) -> RemainingClaimsResponse {
    s.query(&RestorableQueryMsg::RemainingClaims {})
}

fn move_claim(s: &mut Suite, who: &Addr) -> StdResult<AppResponse> {
    s.exec(who, &RestorableExecuteMsg::MoveToSuccessor {}, &[])
}

fn lift(s: &mut Suite, scope: PauseScope) {
    let now = s.app.block_info().time;
    s.gate(GateMsg::SetPause { scope, until: now }).unwrap();
}

fn credited(s: &Suite, successor: &Addr, who: &Addr) -> Vec<Coin> {
    s.app
        .wrap()
        .query_wasm_smart(
            successor,
            &claims_vault::msg::QueryMsg::Claim {
                account: who.to_string(),
            },
        )
        .unwrap()
}

#[track_caller]
fn expect_text(res: StdResult<AppResponse>, text: &str) {
    let err = res.expect_err("expected a refusal").to_string();
    assert!(err.contains(text), "expected `{text}` in `{err}`");
}

fn attr(res: &AppResponse, key: &str) -> Option<String> {
    res.events
        .iter()
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

/// X1: one long pause past `max_offline` makes the vault exit-only by itself: no
/// transaction decides it. Not before.
#[test]
fn x1_exit_only_after_one_long_pause_not_before() {
    let Exits { mut s, .. } = setup();
    s.pause(PauseScope::ALL, 10 * HOUR).unwrap();
    s.advance_time(MAX_OFFLINE);
    let st = offline(&s);
    assert!(!st.exit_only, "exactly max_offline is not past it");
    assert_eq!(
        (st.stopped_seconds, st.max_offline),
        (MAX_OFFLINE, MAX_OFFLINE)
    );
    let alice = s.user("alice");
    expect_text(s.withdraw(&alice, 1, USDC), "paused");
    s.advance_time(1);
    let st = offline(&s);
    assert!(st.exit_only && st.stopped);
    let status = s.status();
    assert!(status.exit_only);
    assert_eq!(status.stopped_seconds, MAX_OFFLINE + 1);
    assert_eq!(status.max_offline, MAX_OFFLINE);
}

/// X2 (the reset attack): pausing and unpausing does not reset the clock; the stopped time
/// is cumulative since the last reopening, and exit-only mode stays after the last lift.
#[test]
fn x2_pause_unpause_cycles_are_cumulative() {
    let Exits { mut s, .. } = setup();
    for _ in 0..4 {
        s.pause(PauseScope::named("trade"), 10 * HOUR).unwrap();
        s.advance_time(HOUR);
        lift(&mut s, PauseScope::named("trade"));
        s.advance_time(2 * HOUR);
    }
    let st = offline(&s);
    assert_eq!(st.stopped_seconds, 4 * HOUR);
    assert!(!st.exit_only && !st.stopped);
    s.pause(PauseScope::named("trade"), 10 * HOUR).unwrap();
    s.advance_time(60);
    lift(&mut s, PauseScope::named("trade"));
    s.advance_time(HOUR);
    let st = offline(&s);
    assert_eq!(st.stopped_seconds, 4 * HOUR + 60);
    assert!(st.exit_only, "cumulative stop past max_offline");
    let alice = s.user("alice");
    s.deposit(&alice, 100, USDC).unwrap_err();
}

/// X1: a restoration stuck past its lock counts on the clock; past `max_offline` the vault is
/// exit-only by the clock (closes run at the fallback price).
#[test]
fn x1_stuck_restoration_lock_reaches_exit_only() {
    let Exits { mut s, .. } = setup();
    let alice = s.user("alice");
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.open(&alice, BTC, 1, 50).unwrap();
    s.next_block();
    let until = s.app.block_info().time.plus_seconds(HOUR);
    s.gate(GateMsg::SetRestorationLock { until: Some(until) })
        .unwrap();
    let h = s.height() - 1;
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    s.advance_time(HOUR / 2);
    assert!(
        !offline(&s).exit_only,
        "a restoration inside its lock holds the verdict"
    );
    expect_text(move_claim(&mut s, &alice), "not in exit-only mode");
    s.advance_time(MAX_OFFLINE);
    let st = offline(&s);
    assert!(st.exit_only && st.stopped_seconds > MAX_OFFLINE);
    // The stuck restoration cannot crank, and exits run.
    s.crank(Some(10)).unwrap_err();
    s.close(&alice, BTC).unwrap();
}

/// X3: in exit-only mode a position closes at the fallback price (the last price before the
/// stop), collateral withdraws, and nothing that adds risk runs; a feeder push during the
/// stop does not move the fallback, and in exit-only mode is refused.
#[test]
fn x3_close_at_fallback_and_withdraw_no_new_risk() {
    let Exits { mut s, .. } = setup();
    let alice = s.user("alice");
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.open(&alice, BTC, 2, 100).unwrap();
    s.next_block();
    s.pause(PauseScope::named("trade"), 10 * HOUR).unwrap();
    // `feed` is not paused: the feeder pushes during the stop.
    s.push_price(BTC, "60").unwrap();
    s.advance_time(MAX_OFFLINE + 1);
    assert!(offline(&s).exit_only);
    // `trade` is still paused: the pause refuses the open first (the paused check reads the
    // gate only); the unpaused deposit meets exit-only mode.
    expect_text(s.open(&alice, ETH, 1, 10), "scope trade is paused");
    expect_text(s.deposit(&alice, 10, USDC), "exit-only mode");
    expect_text(s.push_price(BTC, "50"), "exit-only mode");
    let res = s.close(&alice, BTC).unwrap();
    assert_eq!(attr(&res, "exit_price").as_deref(), Some("100"));
    assert_eq!(attr(&res, "payout").as_deref(), Some("100"));
    let before = s.bank(&alice, USDC);
    s.withdraw(&alice, 1_000, USDC).unwrap();
    assert_eq!(s.bank(&alice, USDC), before + 1_000);
    // Once the pause has ended, exit-only mode alone refuses the open.
    s.advance_time(10 * HOUR);
    expect_text(s.open(&alice, ETH, 1, 10), "exit-only mode");
}

/// X5: each user alone moves their own settled claim (positions closed at the fallback,
/// all free collateral) to the successor in one transaction; the successor credits it, the
/// owner withdraws it there; the remaining total is queryable and correct.
#[test]
fn x5_move_to_successor_each_user_alone() {
    let Exits {
        mut s, successor, ..
    } = setup();
    let alice = s.user("alice");
    let bob = s.user("bob");
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.deposit(&alice, 300, ATOM).unwrap();
    s.open(&alice, BTC, 2, 100).unwrap();
    s.deposit(&bob, 500, USDC).unwrap();
    s.next_block();
    expect_text(move_claim(&mut s, &alice), "not in exit-only mode");
    s.pause(PauseScope::ALL, 10 * HOUR).unwrap();
    s.advance_time(MAX_OFFLINE + 1);
    let r = remaining(&s);
    assert_eq!(r.remaining, vec![coin(300, ATOM), coin(1_500, USDC)]);
    let res = move_claim(&mut s, &alice).unwrap();
    assert_eq!(attr(&res, "action").as_deref(), Some("move_to_successor"));
    assert_eq!(attr(&res, "sequence").as_deref(), Some("1"));
    assert_eq!(
        credited(&s, &successor, &alice),
        vec![coin(300, ATOM), coin(1_000, USDC)]
    );
    assert!(
        credited(&s, &successor, &bob).is_empty(),
        "bob did not move"
    );
    assert_eq!(s.free(&bob, USDC), 500);
    let r = remaining(&s);
    assert_eq!(
        r.remaining,
        vec![coin(500, USDC)],
        "zero amounts are dropped"
    );
    assert_eq!(r.moved, vec![coin(300, ATOM), coin(1_000, USDC)]);
    assert_eq!(r.moves, 1);
    // Alice takes it out of the successor.
    let before = s.bank(&alice, USDC);
    s.app
        .execute_contract(
            alice.clone(),
            successor.clone(),
            &claims_vault::msg::ExecuteMsg::Withdraw { denom: None },
            &[],
        )
        .unwrap();
    assert_eq!(s.bank(&alice, USDC), before + 1_000);
}

/// X5: moving twice is refused (the claim is zeroed by the first move).
#[test]
fn x5_move_twice_refused() {
    let Exits { mut s, .. } = setup();
    let alice = s.user("alice");
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.pause(PauseScope::ALL, 10 * HOUR).unwrap();
    s.advance_time(MAX_OFFLINE + 1);
    move_claim(&mut s, &alice).unwrap();
    expect_text(move_claim(&mut s, &alice), "has no claim to move");
    let nobody = s.addr("nobody");
    expect_text(move_claim(&mut s, &nobody), "has no claim to move");
}

/// X4: a successor whose running code is not the pinned checksum is refused, at
/// registration and at the move (its admin migrated it after the vote).
#[test]
fn x4_successor_checksum_mismatch_refused() {
    let Exits {
        mut s,
        successor,
        other_code,
    } = setup();
    // Registration with a wrong pin: refused by CheckConfig and by Configure.
    let wrong = SuccessorPin {
        address: successor.to_string(),
        checksum: checksum(&s, other_code),
    };
    let cfg = RewindConfig {
        successor: Some(wrong.clone()),
        ..Default::default()
    };
    let json = to_json_binary(&RewindConfigMsg {
        rewind: cfg.clone(),
    })
    .unwrap();
    let answer = s.check_config(json.as_slice()).expect("refused");
    assert!(answer.contains("not the pinned"), "{answer}");
    expect_text(rewind_config(&mut s, cfg), "not the pinned");
    // The registered successor moves to other code: every move is refused.
    let alice = s.user("alice");
    s.deposit(&alice, 1_000, USDC).unwrap();
    let admin = s.addr("successor-admin");
    s.app
        .migrate_contract(
            admin,
            successor.clone(),
            &claims_vault::msg::MigrateMsg {},
            other_code,
        )
        .unwrap();
    s.pause(PauseScope::ALL, 10 * HOUR).unwrap();
    s.advance_time(MAX_OFFLINE + 1);
    expect_text(move_claim(&mut s, &alice), "not the pinned");
    assert_eq!(s.free(&alice, USDC), 1_000);
}

/// X6: an account a restoration excluded (frozen) cannot move.
#[test]
fn x6_frozen_account_cannot_move() {
    let Exits { mut s, .. } = setup();
    let alice = s.user("alice");
    let mallory = s.user("mallory");
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.next_block();
    let h = s.height() - 1;
    s.deposit(&mallory, 700, USDC).unwrap();
    s.next_block();
    s.restore(h, &[&mallory], ShortfallPolicy::ProRataHaircut)
        .unwrap();
    s.crank_to_end(&[200]);
    s.pause(PauseScope::ALL, 10 * HOUR).unwrap();
    s.advance_time(MAX_OFFLINE + 1);
    assert!(offline(&s).exit_only);
    expect_text(move_claim(&mut s, &mallory), "is frozen by a restoration");
    move_claim(&mut s, &alice).unwrap();
}

/// X7: a move while a restoration runs is refused (a restoration inside its lock holds the
/// clock's verdict), and a restoration may not roll back below a move.
#[test]
fn x7_move_during_running_restoration_refused() {
    let Exits { mut s, .. } = setup();
    let alice = s.user("alice");
    let bob = s.user("bob");
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.deposit(&bob, 1_000, USDC).unwrap();
    s.next_block();
    let before_move = s.height() - 1;
    s.pause(PauseScope::ALL, 10 * HOUR).unwrap();
    s.advance_time(MAX_OFFLINE + 1);
    s.next_block();
    move_claim(&mut s, &bob).unwrap();
    s.next_block();
    let executor = s.roles.executor.clone();
    let below = s.restore_msg(before_move, &[], ShortfallPolicy::ProRataHaircut);
    expect_text(
        s.migrate_as(&executor, &below),
        "a claim moved to the successor",
    );
    let until = s.app.block_info().time.plus_seconds(HOUR);
    s.gate(GateMsg::SetRestorationLock { until: Some(until) })
        .unwrap();
    let h = s.height() - 1;
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    assert!(!offline(&s).exit_only);
    expect_text(move_claim(&mut s, &alice), "not in exit-only mode");
}

/// X8: governance's reopening (`{"rewind": {"reopen": true}}`, a voted Configure) ends
/// exit-only mode; the clock restarts at zero.
#[test]
fn x8_governance_reopen_ends_exit_only() {
    let Exits { mut s, .. } = setup();
    s.pause(PauseScope::ALL, MAX_OFFLINE + 10).unwrap();
    s.advance_time(MAX_OFFLINE + 20);
    assert!(offline(&s).exit_only);
    let res = rewind_config(
        &mut s,
        RewindConfig {
            reopen: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(attr(&res, "reopened").as_deref(), Some("true"));
    let st = offline(&s);
    assert!(!st.exit_only);
    assert_eq!(st.stopped_seconds, 0);
    let alice = s.user("alice");
    s.deposit(&alice, 10, USDC).unwrap();
}

/// X8: a completed (and released) restoration ends exit-only mode.
#[test]
fn x8_completed_restoration_ends_exit_only() {
    let Exits { mut s, .. } = setup();
    let alice = s.user("alice");
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.next_block();
    let h = s.height() - 1;
    s.pause(PauseScope::ALL, MAX_OFFLINE + 10).unwrap();
    s.advance_time(MAX_OFFLINE + 20);
    assert!(offline(&s).exit_only);
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    s.crank_to_complete(&[200]);
    assert!(!offline(&s).exit_only, "completed");
    s.release().unwrap();
    let st = offline(&s);
    assert!(!st.exit_only);
    assert_eq!(st.stopped_seconds, 0);
    s.deposit(&alice, 10, USDC).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// X5: over random users, deposits and positions, every user moving alone: what moves
    /// equals each claim, never exceeds the bank balance, and the remaining total is the
    /// ledger's liabilities after each move (zero after the last).
    #[test]
    fn x5_total_moved_never_exceeds_bank(
        users in proptest::collection::vec((1u128..5_000, 0u128..3_000, 0i128..4), 1..6),
        drift in 1u64..300,
    ) {
        let Exits { mut s, successor, .. } = setup();
        let mut addrs = vec![];
        for (i, (usdc, atom, size)) in users.iter().enumerate() {
            let a = s.user(&format!("user{i}"));
            s.deposit(&a, *usdc, USDC).unwrap();
            if *atom > 0 {
                s.deposit(&a, *atom, ATOM).unwrap();
            }
            if *size > 0 && *usdc >= 1_000 {
                s.open(&a, BTC, *size, 100).unwrap();
            }
            addrs.push(a);
        }
        s.next_block();
        s.pause(PauseScope::named("trade"), 10 * HOUR).unwrap();
        s.push_price(BTC, &format!("{}", 100 + drift)).unwrap();
        s.advance_time(MAX_OFFLINE + 1);
        let bank_before = s.bank(&s.vault.clone(), USDC);
        let mut moved = 0u128;
        for (i, a) in addrs.iter().enumerate() {
            let res = move_claim(&mut s, a).unwrap();
            let got: u128 = credited(&s, &successor, a)
                .iter()
                .filter(|c| c.denom == USDC)
                .map(|c| cosmwasm_std::Uint128::try_from(c.amount).unwrap().u128())
                .sum();
            // The fallback is the price before the stop (100): the claim is the deposit.
            prop_assert_eq!(got, users[i].0);
            moved += got;
            prop_assert!(moved <= bank_before);
            prop_assert_eq!(s.bank(&s.vault.clone(), USDC), bank_before - moved);
            prop_assert!(attr(&res, "digest").is_some());
            let r = remaining(&s);
            let left = r
                .remaining
                .iter()
                .find(|c| c.denom == USDC)
                .map(|c| c.amount)
                .unwrap_or_default();
            prop_assert_eq!(left, Uint256::from(s.totals(USDC)));
        }
        let r = remaining(&s);
        prop_assert!(r.remaining.iter().all(|c| c.amount.is_zero()));
        prop_assert_eq!(r.moves, addrs.len() as u64);
    }
}

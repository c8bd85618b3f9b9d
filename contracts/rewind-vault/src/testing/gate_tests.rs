//! Row P3: every execute variant under every pause scope, the restoration lock and a
//! running restoration; exits; the circuit breaker.

use cosmwasm_std::{coins, Addr, Coin, Decimal, Timestamp, Uint128};
use rewind_journal::JournalError;
use rewind_target::{Gated, TargetError};
use rewind_testing::SuiteBase;
use rewind_types::restorable::{RestorableExecuteMsg, RestorableQueryMsg};
use rewind_types::vault::ExecuteMsg;
use rewind_types::vault::{DEPOSIT, FEED, LIQUIDATE, TRADE, WITHDRAW};
use rewind_types::{GateMsg, PauseScope, ScopeInfo, ShortfallPolicy};
use serde::Serialize;

use super::suite::*;
use crate::contract::entry::TARGET;
use crate::error::ContractError;
use crate::msg::VaultMsg;

/// An execute message of the vault's own, or one of Rewind's (rewind-target's entry point
/// takes both, by their top-level key).
#[derive(Serialize, Debug, Clone)]
#[serde(untagged)]
enum AnyMsg {
    Vault(ExecuteMsg),
    Rewind(RestorableExecuteMsg),
}

/// The snake_case name of a message (its top-level key).
fn action_name(msg: &AnyMsg) -> String {
    let json = cosmwasm_std::to_json_vec(msg).unwrap();
    let text = String::from_utf8(json).unwrap();
    text.trim_start_matches("{\"")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

/// The gate rewind-target checks for a vault message (its declared scope), or `None` for
/// Rewind's own messages, which are not gated (the library says why: the guardian must reach
/// the gate while paused, a restoration must progress while locked, pruning is upkeep the
/// journal itself refuses during a restoration).
fn gating(msg: &AnyMsg) -> Option<ScopeInfo> {
    match msg {
        AnyMsg::Vault(m) => Some(TARGET.declared(VaultMsg(m.clone()).scope())),
        AnyMsg::Rewind(_) => None,
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Cond {
    Open,
    Paused(PauseScope),
    Lock,
    Restoring,
}

struct Ctx {
    alice: Addr,
    bob: Addr,
    carol: Addr,
    dave: Addr,
}

fn reference_feeder() -> Addr {
    cw_multi_test::App::default()
        .api()
        .addr_make("reference-feeder")
}

fn push_reference(s: &mut Suite, price: &str) {
    let msg = ExecuteMsg::PushReferencePrice {
        market: BTC.into(),
        price: dec(price),
    };
    s.exec(&reference_feeder(), &msg, &[]).unwrap();
}

/// A vault where every variant succeeds when nothing is paused (the invariants on, so the
/// reference feeder's push and the reports are variants too).
fn setup() -> (Suite, Ctx) {
    let invariants = rewind_types::vault::InvariantSettings {
        solvency: true,
        reference_feeder: Some(reference_feeder().to_string()),
        oracle_bound_bps: 1_000,
        in_line: true,
    };
    let mut s = SuiteBuilder::default().with_invariants(invariants).build();
    let executor = s.roles.executor.clone();
    s.mint(&executor, coins(1_000, USDC));
    push_reference(&mut s, "100");
    let c = Ctx {
        alice: s.user("alice"),
        bob: s.user("bob"),
        carol: s.user("carol"),
        dave: s.user("dave"),
    };
    s.push_price(BTC, "100").unwrap();
    for who in [&c.alice, &c.bob, &c.carol] {
        s.deposit(who, 1_000, USDC).unwrap();
    }
    s.open(&c.alice, BTC, -10, 200).unwrap();
    s.open(&c.bob, BTC, 10, 100).unwrap();
    s.next_block();
    push_reference(&mut s, "92");
    s.push_price(BTC, "92").unwrap(); // bob: equity 20 < maintenance 46
    s.next_block();
    (s, c)
}

/// Every variant: (sender, message, funds).
fn variants(s: &Suite, c: &Ctx) -> Vec<(Addr, AnyMsg, Vec<Coin>)> {
    let now = s.app.block_info().time;
    vec![
        (
            c.alice.clone(),
            AnyMsg::Vault(ExecuteMsg::Deposit {}),
            coins(10, USDC),
        ),
        (
            c.alice.clone(),
            AnyMsg::Vault(ExecuteMsg::Withdraw {
                denom: USDC.into(),
                amount: Uint128::new(10),
            }),
            vec![],
        ),
        (
            c.carol.clone(),
            AnyMsg::Vault(ExecuteMsg::OpenPosition {
                market: BTC.into(),
                size: 1i128.into(),
                margin: Uint128::new(50),
            }),
            vec![],
        ),
        (
            c.alice.clone(),
            AnyMsg::Vault(ExecuteMsg::ClosePosition { market: BTC.into() }),
            vec![],
        ),
        (
            c.dave.clone(),
            AnyMsg::Vault(ExecuteMsg::Liquidate {
                account: c.bob.to_string(),
                market: BTC.into(),
            }),
            vec![],
        ),
        (
            s.roles.feeder.clone(),
            AnyMsg::Vault(ExecuteMsg::PushPrice {
                market: BTC.into(),
                price: Decimal::from_ratio(92u128, 1u128),
            }),
            vec![],
        ),
        (
            reference_feeder(),
            AnyMsg::Vault(ExecuteMsg::PushReferencePrice {
                market: BTC.into(),
                price: Decimal::from_ratio(92u128, 1u128),
            }),
            vec![],
        ),
        (
            c.dave.clone(),
            AnyMsg::Rewind(RestorableExecuteMsg::Prune { limit: Some(5) }),
            vec![],
        ),
        (
            c.dave.clone(),
            AnyMsg::Rewind(RestorableExecuteMsg::MoveToSuccessor {}),
            vec![],
        ),
        (
            // One position of two: the report keeps scanning (Ok).
            c.dave.clone(),
            AnyMsg::Rewind(RestorableExecuteMsg::Report {
                invariant: "solvency".into(),
                limit: Some(1),
            }),
            vec![],
        ),
        (
            s.roles.executor.clone(),
            AnyMsg::Rewind(RestorableExecuteMsg::FundBounty {
                per_incident: Some(Uint128::new(10)),
            }),
            coins(10, USDC),
        ),
        (
            s.roles.guardian.clone(),
            AnyMsg::Rewind(RestorableExecuteMsg::Gate(GateMsg::SetPause {
                scope: DEPOSIT,
                until: now.plus_seconds(10),
            })),
            vec![],
        ),
        (
            c.dave.clone(),
            AnyMsg::Rewind(RestorableExecuteMsg::Crank { limit: Some(5) }),
            vec![],
        ),
        (
            c.dave.clone(),
            AnyMsg::Rewind(RestorableExecuteMsg::CrankBefore {
                limit: Some(5),
                height: u64::MAX,
            }),
            vec![],
        ),
    ]
}

/// The expected gate, written out independently of `gate::gating`:
/// (action, scopes whose pause stops it, stopped by the restoration lock / restoring).
/// Exits are a scope like any other: whether a target's exits may be paused is decided by
/// the guardian's registry, which never sends the vault a pause it refused.
fn table(action: &str) -> (Vec<PauseScope>, bool) {
    const ALL: PauseScope = PauseScope::ALL;
    match action {
        "deposit" => (vec![ALL, DEPOSIT], true),
        "withdraw" => (vec![ALL, WITHDRAW], true),
        "open_position" | "close_position" => (vec![ALL, TRADE], true),
        "liquidate" => (vec![ALL, LIQUIDATE], true),
        "push_price" | "push_reference_price" => (vec![ALL, FEED], true),
        "prune" | "gate" | "crank" | "crank_before" | "fund_bounty" | "move_to_successor" => {
            (vec![], false)
        }
        // Not gated (a report must reach a paused vault), but refused while restoring.
        "report" => (vec![], true),
        other => panic!("variant {other} missing from the P3 table"),
    }
}

fn apply(s: &mut Suite, cond: Cond) -> Timestamp {
    let until = s.app.block_info().time.plus_seconds(600);
    match cond {
        Cond::Open => {}
        Cond::Paused(scope) => {
            s.gate(GateMsg::SetPause { scope, until }).unwrap();
        }
        Cond::Lock => {
            s.gate(GateMsg::SetRestorationLock { until: Some(until) })
                .unwrap();
        }
        Cond::Restoring => {
            let h = s.height() - 1;
            s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
        }
    }
    until
}

fn run_case(index: usize, cond: Cond) {
    let (mut s, c) = setup();
    let until = apply(&mut s, cond.clone());
    let (sender, msg, funds) = variants(&s, &c).swap_remove(index);
    let action = action_name(&msg);
    let (scopes, locked) = table(&action);
    let res = s.exec(&sender, &msg, &funds);
    let blocked = match cond {
        Cond::Paused(ref p) if scopes.contains(p) => {
            Some(ContractError::Journal(JournalError::Paused {
                scope: p.clone(),
                until,
            }))
        }
        Cond::Lock if locked => Some(ContractError::Journal(JournalError::RestorationLocked {
            until,
        })),
        Cond::Restoring if locked => Some(ContractError::Journal(JournalError::Restoring)),
        _ => None,
    };
    match blocked {
        Some(err) => expect_err(res, err),
        // Only in exit-only mode (issue 15), which none of these conditions is.
        None if action == "move_to_successor" => {
            let err = res.expect_err("a move outside exit-only mode").to_string();
            assert!(err.contains("not in exit-only mode"), "{err}");
        }
        None if (action == "crank" || action == "crank_before") && cond != Cond::Restoring => {
            expect_rewind(res, TargetError::NoRestorationRunning)
        }
        None => {
            res.unwrap_or_else(|e| panic!("{action} under {cond:?} should pass the gate: {e}"));
        }
    }
}

fn conditions() -> Vec<Cond> {
    let mut v = vec![Cond::Open, Cond::Lock, Cond::Restoring];
    v.extend([PauseScope::ALL, DEPOSIT, WITHDRAW, TRADE, LIQUIDATE, FEED].map(Cond::Paused));
    v
}

#[test]
fn p3_every_variant_under_every_scope() {
    let (s, c) = setup();
    let n = variants(&s, &c).len();
    for cond in conditions() {
        for i in 0..n {
            run_case(i, cond.clone());
        }
    }
}

/// Every message of the vault's own is gated by a declared scope; the ungated ones are
/// exactly Rewind's (`gate`, `crank`, `crank_before`, `prune`, `move_to_successor`, `report`,
/// `fund_bounty`), which rewind-target's entry point takes
/// before any gate. `push_price` is gated too now, by its own scope `feed`.
#[test]
fn p3_allowlist_is_explicit_and_matches_the_table() {
    let (s, c) = setup();
    let mut ungated: Vec<String> = variants(&s, &c)
        .iter()
        .filter(|(_, m, _)| gating(m).is_none())
        .map(|(_, m, _)| action_name(m))
        .collect();
    ungated.sort();
    assert_eq!(
        ungated,
        vec![
            "crank",
            "crank_before",
            "fund_bounty",
            "gate",
            "move_to_successor",
            "prune",
            "report"
        ]
    );
    let mut listed: Vec<&str> = <RestorableExecuteMsg as rewind_target::msg::Tagged>::KEYS.to_vec();
    listed.sort();
    assert_eq!(listed, ungated);
    for (_, msg, _) in variants(&s, &c) {
        if let AnyMsg::Vault(m) = &msg {
            let scope = VaultMsg(m.clone()).scope();
            assert!(TARGET.knows(&scope) && !scope.is_all(), "{m:?}");
        }
    }
}

/// The vault keeps no copy of the exit policy: the guardian's registry refuses a `Withdraw`
/// or `All` pause of a target whose exits are not pausable (`rewind-guardian`,
/// `execute/pause.rs`, `ExitsNotPausable`), so every pause that reaches the vault is one the
/// registry allowed, and it stops exits.
#[test]
fn p3_a_withdraw_pause_from_the_guardian_stops_exits_and_status_shows_it() {
    let (mut s, c) = setup();
    s.pause(WITHDRAW, 600).unwrap();
    let until = s.app.block_info().time.plus_seconds(600);
    expect_err(
        s.withdraw(&c.alice, 10, USDC),
        ContractError::Journal(JournalError::Paused {
            scope: WITHDRAW,
            until,
        }),
    );
    // Only exits: a deposit still passes.
    s.deposit(&c.alice, 10, USDC).unwrap();
    let status = s.pause_status();
    let scope = |scope| status.scopes.iter().find(|x| x.scope == scope).unwrap();
    assert!(scope(WITHDRAW).blocked);
    assert_eq!(scope(WITHDRAW).paused_until, Some(until));
    assert!(!scope(DEPOSIT).blocked);
}

#[test]
fn p3_an_all_pause_from_the_guardian_stops_exits_too() {
    let (mut s, c) = setup();
    s.pause(PauseScope::ALL, 600).unwrap();
    let until = s.app.block_info().time.plus_seconds(600);
    expect_err(
        s.withdraw(&c.alice, 10, USDC),
        ContractError::Journal(JournalError::Paused {
            scope: PauseScope::ALL,
            until,
        }),
    );
    let status = s.pause_status();
    assert!(status.scopes.iter().all(|x| x.blocked));
}

#[test]
fn p2_only_the_guardian_sets_the_gate() {
    let (mut s, c) = setup();
    let until = s.app.block_info().time.plus_seconds(60);
    for sender in [
        c.alice.clone(),
        s.roles.governance.clone(),
        s.roles.executor.clone(),
    ] {
        expect_rewind(
            s.exec(
                &sender,
                &RestorableExecuteMsg::Gate(GateMsg::SetPause {
                    scope: PauseScope::ALL,
                    until,
                }),
                &[],
            ),
            TargetError::NotGuardian {
                guardian: s.roles.guardian.clone(),
                sender: sender.clone(),
            },
        );
    }
}

#[test]
fn pause_expires_by_itself_and_status_counts_down() {
    let (mut s, c) = setup();
    s.pause(TRADE, 100).unwrap();
    let status = s.pause_status();
    let t = status.scopes.iter().find(|x| x.scope == TRADE).unwrap();
    assert!(t.blocked);
    assert_eq!(t.seconds_left, 100);
    s.advance_time(40);
    let t = s.pause_status().scopes[3].clone();
    assert_eq!((t.scope, t.seconds_left), (TRADE, 60));
    s.advance_time(60);
    assert!(!s.pause_status().scopes[3].blocked);
    s.close(&c.alice, BTC).unwrap();
}

#[test]
fn circuit_breaker_trips_and_expires_on_time() {
    let mut s = SuiteBuilder::default()
        .with_breaker_bound_bps(2_000)
        .build();
    let alice = s.user("alice");
    s.deposit(&alice, 10_000, USDC).unwrap();
    s.push_price(BTC, "100").unwrap();
    s.next_block();
    // Within the bound: no pause.
    let res = s.push_price(BTC, "119").unwrap();
    assert!(!res.events.iter().any(|e| e.ty == "wasm-circuit_breaker"));
    s.next_block();
    // 119 -> 150 is +26%: trips. The push is stored and evented anyway.
    let tripped_at = s.app.block_info().time;
    let res = s.push_price(BTC, "150").unwrap();
    let ev = res
        .events
        .iter()
        .find(|e| e.ty == "wasm-circuit_breaker")
        .expect("breaker event");
    assert!(ev
        .attributes
        .iter()
        .any(|a| a.key == "reference_price" && a.value == "119"));
    let price: rewind_types::vault::PriceResponse =
        s.query(&rewind_types::vault::QueryMsg::Price { market: BTC.into() });
    assert_eq!(price.price.unwrap().price, dec("150"));
    let until = tripped_at.plus_seconds(BREAKER_PAUSE);
    expect_err(
        s.open(&alice, BTC, 1, 100),
        ContractError::Journal(JournalError::Paused {
            scope: TRADE,
            until,
        }),
    );
    // Other scopes stay open; prices keep flowing.
    s.deposit(&alice, 1, USDC).unwrap();
    s.next_block();
    s.push_price(BTC, "151").unwrap();
    // Expires with no transaction: only time passes.
    s.advance_time(BREAKER_PAUSE - 10);
    assert!(s.open(&alice, BTC, 1, 100).is_err());
    s.advance_time(10);
    s.open(&alice, BTC, 1, 100).unwrap();
}

#[test]
fn circuit_breaker_reference_is_the_price_at_the_start_of_the_block() {
    let mut s = SuiteBuilder::default()
        .with_breaker_bound_bps(2_000)
        .build();
    s.push_price(BTC, "100").unwrap();
    s.next_block();
    // Two pushes of +10% each in one block: the second is +21% from the block start.
    s.push_price(BTC, "110").unwrap();
    let res = s.push_price(BTC, "121").unwrap();
    assert!(res.events.iter().any(|e| e.ty == "wasm-circuit_breaker"));
    assert!(s.pause_status().scopes[3].blocked);
}

#[test]
fn circuit_breaker_never_shortens_a_longer_pause() {
    let mut s = SuiteBuilder::default()
        .with_breaker_bound_bps(2_000)
        .build();
    s.push_price(BTC, "100").unwrap();
    s.pause(TRADE, 10 * BREAKER_PAUSE).unwrap();
    s.next_block();
    s.push_price(BTC, "200").unwrap();
    let t = s.pause_status().scopes[3].clone();
    assert!(t.seconds_left > 9 * BREAKER_PAUSE);
}

#[test]
fn push_price_only_from_the_feeder_and_refused_while_locked() {
    let mut s = SuiteBuilder::default().build();
    let mallory = s.user("mallory");
    expect_err(
        s.exec(
            &mallory,
            &ExecuteMsg::PushPrice {
                market: BTC.into(),
                price: dec("1"),
            },
            &[],
        ),
        ContractError::Unauthorized {
            action: "push_price".into(),
            sender: mallory.clone(),
        },
    );
    let until = s.app.block_info().time.plus_seconds(100);
    s.gate(GateMsg::SetRestorationLock { until: Some(until) })
        .unwrap();
    expect_err(
        s.push_price(BTC, "1"),
        ContractError::Journal(JournalError::RestorationLocked { until }),
    );
    s.gate(GateMsg::SetRestorationLock { until: None }).unwrap();
    s.push_price(BTC, "1").unwrap();
}

/// The vault declares the names of the first, closed scope list (`withdraw` its one exit),
/// answers them to `Scopes {}`, and lists them, after `all`, in its pause status; every
/// gated variant's scope is one of them (or `all`), with the exit flag of the declaration.
#[test]
fn p3_the_vault_declares_its_scopes_and_gates_by_them() {
    use rewind_types::vault::SCOPES;
    use rewind_types::{DeclaredScopes, ScopesResponse};
    let (s, c) = setup();
    let answer: ScopesResponse = s.query(&RestorableQueryMsg::Scopes {});
    assert_eq!(answer.scopes, SCOPES.to_vec());
    assert_eq!(
        cosmwasm_std::to_json_string(&answer).unwrap(),
        r#"{"scopes":[{"scope":"deposit","exit":false},{"scope":"withdraw","exit":true},{"scope":"trade","exit":false},{"scope":"liquidate","exit":false},{"scope":"feed","exit":false}]}"#
    );
    let declared = DeclaredScopes::new(answer.scopes).unwrap();
    let status: Vec<PauseScope> = s
        .pause_status()
        .scopes
        .into_iter()
        .map(|p| p.scope)
        .collect();
    assert_eq!(status, declared.all_scopes());
    for (_, msg, _) in variants(&s, &c) {
        if let Some(ScopeInfo { scope, exit }) = gating(&msg) {
            let own = declared.get(&scope).expect("a declared scope");
            assert_eq!(own.exit, exit, "{scope}");
        }
    }
    // The scopes `gated!` declares are the public ones, in order.
    assert_eq!(<VaultMsg as Gated>::SCOPES, &SCOPES[..]);
}

/// A pause of a scope the vault does not declare is refused (the guardian refuses it first);
/// a lift of one is taken, so a dropped scope can never stay paused.
#[test]
fn p3_a_pause_of_an_undeclared_scope_is_refused_and_its_lift_taken() {
    let (mut s, _) = setup();
    let now = s.app.block_info().time;
    let swap = PauseScope::named("swap");
    expect_rewind(
        s.gate(GateMsg::SetPause {
            scope: swap.clone(),
            until: now.plus_seconds(600),
        }),
        TargetError::UndeclaredScope {
            scope: swap.clone(),
        },
    );
    s.gate(GateMsg::SetPause {
        scope: swap,
        until: now,
    })
    .unwrap();
    assert!(s.pause_status().scopes.iter().all(|p| !p.blocked));
}

//! In-line invariants (issue 16, rows I1-I5): the demo's exploit refused in its own block,
//! solvency, the capped pause, the replay.

use cosmwasm_std::{Addr, Event};
use rewind_journal::JournalError;
use rewind_testing::SuiteBase;
use rewind_types::restorable::{ReplayOutcome, ReplayReportResponse, RestorableQueryMsg};
use rewind_types::vault::{
    ExecuteMsg, InvariantSettings, PriceResponse, QueryMsg, TRADE, WITHDRAW,
};
use rewind_types::ShortfallPolicy;

use super::suite::*;
use crate::error::ContractError;

/// The invariants on: solvency, and a reference feeder with a 5 % oracle bound.
fn on(reference: &Addr) -> InvariantSettings {
    InvariantSettings {
        solvency: true,
        reference_feeder: Some(reference.to_string()),
        oracle_bound_bps: 500,
        in_line: true,
    }
}

fn reference_feeder(s: &Suite) -> Addr {
    s.app.api().addr_make("reference-feeder")
}

fn push_reference(
    s: &mut Suite,
    market: &str,
    price: &str,
) -> cosmwasm_std::StdResult<cw_multi_test::AppResponse> {
    let reference = reference_feeder(s);
    let msg = ExecuteMsg::PushReferencePrice {
        market: market.into(),
        price: dec(price),
    };
    s.exec(&reference, &msg, &[])
}

fn last_price(s: &Suite, market: &str) -> String {
    let p: PriceResponse = s.query(&QueryMsg::Price {
        market: market.into(),
    });
    p.price.expect("a price").price.to_string()
}

/// The `invariant_refused` event of a response, if any.
fn refusal(events: &[Event]) -> Option<&Event> {
    events.iter().find(|e| e.ty == "wasm-invariant_refused")
}

fn attr<'a>(e: &'a Event, key: &str) -> &'a str {
    e.attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.as_str())
        .unwrap_or_else(|| panic!("no {key} in {e:?}"))
}

struct Demo {
    s: Suite,
    mallory: Addr,
    honest: Vec<Addr>,
}

/// The demo's story up to the end of block E-1 (scripts/toolkit/src/scenario.ts): BTC-PERP
/// at 100, the insurance fund and four users deposit, alice and bob trade, the price moves
/// to 102, alice closes, mallory deposits 12,000 and opens a long of 1,000 with 11,000 of
/// margin, erin deposits. With `invariants`, the reference feeder pushes the same honest
/// prices first.
fn demo_until_attack(invariants: bool) -> Demo {
    let reference = cw_multi_test::App::default()
        .api()
        .addr_make("reference-feeder");
    demo_with(invariants.then(|| on(&reference)))
}

/// [`demo_until_attack`] with these invariant settings (`None`: none declared).
fn demo_with(settings: Option<InvariantSettings>) -> Demo {
    let mut b = SuiteBuilder::default(); // the demo's 20 % breaker
    let invariants = settings.is_some();
    if let Some(settings) = settings {
        b = b.with_invariants(settings);
    }
    let mut s = b.build();
    let [alice, bob, carol, dave, erin, mallory] =
        ["alice", "bob", "carol", "dave", "erin", "mallory"].map(|n| s.user(n));
    let insurance = s.roles.insurance.clone();
    s.mint(&insurance, cosmwasm_std::coins(20_000, USDC));
    let price = |s: &mut Suite, p: &str| {
        if invariants {
            push_reference(s, BTC, p).unwrap();
        }
        s.push_price(BTC, p).unwrap();
        s.next_block();
    };
    price(&mut s, "100");
    for (who, amount) in [
        (&insurance, 20_000),
        (&alice, 50_000),
        (&bob, 30_000),
        (&carol, 20_000),
        (&dave, 10_000),
    ] {
        s.deposit(who, amount, USDC).unwrap();
        s.next_block();
    }
    s.open(&alice, BTC, 100, 2_000).unwrap();
    s.open(&bob, BTC, -50, 1_000).unwrap();
    s.next_block();
    price(&mut s, "102");
    s.close(&alice, BTC).unwrap();
    s.deposit(&mallory, 12_000, USDC).unwrap();
    s.next_block();
    s.open(&mallory, BTC, 1_000, 11_000).unwrap();
    s.deposit(&erin, 5_000, USDC).unwrap();
    s.next_block(); // block E
    Demo {
        s,
        mallory,
        honest: vec![alice, bob, carol, dave, erin, insurance],
    }
}

fn claims(s: &Suite, who: &[Addr]) -> Vec<u128> {
    who.iter().map(|a| s.claim_basis(a, USDC)).collect()
}

/// Row I1: the demo's exploit with the invariants on. The compromised feeder's +19.6 % push
/// (under the 20 % breaker) is more than 5 % from the reference price: it is refused in its
/// own transaction (Ok, its write dropped), which pauses `trade` and `withdraw`; mallory's
/// close and withdrawal are refused; she gains nothing and no honest claim moves.
#[test]
fn i1_the_demo_exploit_is_refused_in_its_own_block() {
    let Demo {
        mut s,
        mallory,
        honest,
    } = demo_until_attack(true);
    let bank_before = s.bank(&s.vault.clone(), USDC);
    let honest_before = claims(&s, &honest);
    let mallory_before = s.claim_basis(&mallory, USDC);
    assert_eq!(mallory_before, 12_000);

    let now = s.time();
    let push = s.push_price(BTC, "122").unwrap();
    let e = refusal(&push.events).expect("the push is refused by an invariant");
    assert_eq!(attr(e, "action"), "invariant_refused");
    assert_eq!(attr(e, "invariant"), "oracle_agreement");
    assert_eq!(attr(e, "scopes"), "trade,withdraw");
    let until = now.plus_seconds(BREAKER_PAUSE);
    assert_eq!(attr(e, "until"), until.seconds().to_string());
    // The refused push left nothing: the price is the honest one.
    assert_eq!(last_price(&s, BTC), "102");
    // Nor any price event of the handler's.
    assert!(!push
        .events
        .iter()
        .any(|e| e.attributes.iter().any(|a| a.value == "push_price")));

    // Same block: mallory's close and withdrawal are refused by the pause.
    expect_err(
        s.close(&mallory, BTC),
        ContractError::Journal(JournalError::Paused {
            scope: TRADE,
            until,
        }),
    );
    expect_err(
        s.withdraw(&mallory, 32_000, USDC),
        ContractError::Journal(JournalError::Paused {
            scope: WITHDRAW,
            until,
        }),
    );
    assert_eq!(
        s.claim_basis(&mallory, USDC),
        mallory_before,
        "mallory gains nothing"
    );
    assert_eq!(claims(&s, &honest), honest_before, "no honest claim moves");
    assert_eq!(
        s.bank(&s.vault.clone(), USDC),
        bank_before,
        "nothing left the vault"
    );
    // Deposits stay open during the pause; the vault is whole.
    assert_eq!(s.totals(USDC), bank_before + 200);
}

/// Row I1, the control: the same sequence with the invariants off reproduces today's loss:
/// the push lands, mallory closes at +20,000 and withdraws 32,000, and the honest claims
/// exceed what the vault holds by 20,200.
#[test]
fn i1_without_invariants_the_demo_exploit_drains_the_vault() {
    let Demo {
        mut s,
        mallory,
        honest,
    } = demo_until_attack(false);
    let honest_before: u128 = claims(&s, &honest).iter().sum();
    let push = s.push_price(BTC, "122").unwrap();
    assert!(refusal(&push.events).is_none());
    assert_eq!(last_price(&s, BTC), "122");
    s.close(&mallory, BTC).unwrap();
    assert_eq!(s.free(&mallory, USDC), 32_000);
    s.withdraw(&mallory, 32_000, USDC).unwrap();
    let bank = s.bank(&s.vault.clone(), USDC);
    // Bob's short lost 1,100 of its 1,000 margin at 122 (still open): his claim is 30,000.
    let honest_after: u128 = claims(&s, &honest).iter().sum();
    assert_eq!(honest_after, honest_before);
    assert_eq!(
        honest_after - bank,
        20_200,
        "the honest claims the vault cannot pay"
    );
}

/// Detect-only (`in_line: false`): the same +19.6 % push is taken (the in-line check holds
/// by itself), `Invariants {}` shows the watcher the price 19.6 % from its reference, and
/// anyone's `Report { invariant: "oracle_agreement" }` proves it: the incident names the
/// feeder and the height before its push, `trade` and `withdraw` are paused, and mallory's
/// close at the manipulated price is refused.
#[test]
fn i1_i9_detect_only_takes_the_push_and_a_report_proves_it() {
    let reference = cw_multi_test::App::default()
        .api()
        .addr_make("reference-feeder");
    let Demo { mut s, mallory, .. } = demo_with(Some(InvariantSettings {
        in_line: false,
        ..on(&reference)
    }));
    let push = s.push_price(BTC, "122").unwrap();
    assert!(
        refusal(&push.events).is_none(),
        "detect-only: the push is taken"
    );
    assert_eq!(last_price(&s, BTC), "122");
    let pushed_at = s.height();

    let seen: rewind_types::vault::InvariantsResponse = s.query(&QueryMsg::Invariants {});
    assert!(!seen.in_line && seen.solvency);
    assert_eq!(seen.reference_feeder, Some(reference));
    assert_eq!(seen.oracle_bound_bps, 500);
    let m = &seen.markets[0];
    assert_eq!((m.price, m.reference), (Some(dec("122")), Some(dec("102"))));
    assert_eq!((m.long.u128(), m.short.u128()), (1_000, 50));
    let usdc = &seen.denoms[0];
    assert_eq!(usdc.denom, USDC);
    assert_eq!(usdc.liabilities.u128(), s.totals(USDC));
    assert_eq!(
        usdc.bank,
        cosmwasm_std::Uint256::from(s.bank(&s.vault.clone(), USDC))
    );

    s.next_block();
    let carol = s.user("carol-reporter");
    let now = s.time();
    let r = report(&mut s, &carol, "oracle_agreement").unwrap();
    assert!(r.events.iter().any(|e| e.ty == "wasm-incident"));
    let incident: Incident = s.query(&RestorableQueryMsg::Incident { id: 1 });
    let until = now.plus_seconds(BREAKER_PAUSE);
    assert_eq!(incident.invariant, "oracle_agreement");
    assert_eq!(incident.last_held_height, Some(pushed_at - 1));
    assert_eq!(incident.accounts, vec![s.roles.feeder.to_string()]);
    assert_eq!(incident.paused_until, Some(until));
    expect_err(
        s.close(&mallory, BTC),
        ContractError::Journal(JournalError::Paused {
            scope: TRADE,
            until,
        }),
    );
}

/// The flag's default is `true`: settings written before it existed (no `in_line` in the
/// JSON) keep refusing the push in-line.
#[test]
fn i9_settings_without_in_line_refuse_in_line() {
    let reference = cw_multi_test::App::default()
        .api()
        .addr_make("reference-feeder");
    let json =
        format!(r#"{{"solvency":true,"reference_feeder":"{reference}","oracle_bound_bps":500}}"#);
    let settings: InvariantSettings = cosmwasm_std::from_json(json).unwrap();
    assert!(settings.in_line);
    let Demo { mut s, .. } = demo_with(Some(settings));
    let push = s.push_price(BTC, "122").unwrap();
    assert!(refusal(&push.events).is_some(), "refused in-line");
    assert_eq!(last_price(&s, BTC), "102");
}

/// A vault with the solvency invariant only (no reference feeder) and a breaker that never
/// trips, so only solvency refuses or reports.
fn solvency_only_suite() -> Suite {
    let settings = InvariantSettings {
        solvency: true,
        reference_feeder: None,
        oracle_bound_bps: 500,
        in_line: true,
    };
    SuiteBuilder::default()
        .with_breaker_bound_bps(100_000)
        .with_invariants(settings)
        .build()
}

/// A small vault: alice and the insurance fund deposit, mallory holds a long of 100 at 10.
fn small_vault(insurance_fund: u128) -> (Suite, Addr, Addr) {
    let mut s = solvency_only_suite();
    let alice = s.user("alice");
    let mallory = s.user("mallory");
    let insurance = s.roles.insurance.clone();
    s.push_price(BTC, "10").unwrap();
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.deposit(&mallory, 1_000, USDC).unwrap();
    if insurance_fund > 0 {
        s.mint(&insurance, cosmwasm_std::coins(insurance_fund, USDC));
        s.deposit(&insurance, insurance_fund, USDC).unwrap();
    }
    s.open(&mallory, BTC, 100, 500).unwrap();
    s.next_block();
    (s, alice, mallory)
}

/// Row I2: solvency. A push that makes the positions' unrealised profit exceed what the
/// vault holds plus the insurance claim is refused and pauses `trade` and `withdraw`; a
/// move the insurance fund covers is taken.
#[test]
fn i2_solvency_refuses_a_price_the_vault_cannot_pay() {
    let (mut s, _, mallory) = small_vault(1_000);
    // +400 of PnL: claims 3,400 <= bank 3,000 + insurance 1,000.
    let ok = s.push_price(BTC, "14").unwrap();
    assert!(refusal(&ok.events).is_none());
    s.next_block();
    // +1,100: 4,100 > 4,000.
    let now = s.time();
    let refused = s.push_price(BTC, "21").unwrap();
    let e = refusal(&refused.events).expect("refused");
    assert_eq!(attr(e, "invariant"), "solvency");
    assert!(attr(e, "reason").contains("4100 exceed bank plus insurance 4000"));
    assert_eq!(last_price(&s, BTC), "14");
    expect_err(
        s.close(&mallory, BTC),
        ContractError::Journal(JournalError::Paused {
            scope: TRADE,
            until: now.plus_seconds(BREAKER_PAUSE),
        }),
    );
}

/// Row I2: the check sees a withdrawal's bank send as gone. With +400 of unrealised profit
/// backed by the insurance fund, the fund may not withdraw 700 of it (claims 2,700 >
/// bank 2,300 + insurance 300), though the bank balance before the send would pass; 500
/// passes.
#[test]
fn i2_a_withdrawal_is_checked_after_its_bank_send() {
    let (mut s, _, _) = small_vault(1_000);
    s.push_price(BTC, "14").unwrap();
    s.next_block();
    let insurance = s.roles.insurance.clone();
    let bank = s.bank(&insurance, USDC);
    let refused = s.withdraw(&insurance, 700, USDC).unwrap();
    let e = refusal(&refused.events).expect("refused");
    assert_eq!(attr(e, "invariant"), "solvency");
    assert_eq!(s.bank(&insurance, USDC), bank, "no bank send");
    assert_eq!(s.free(&insurance, USDC), 1_000);
    // The pause stops exits too: wait for it to end, then a withdrawal that keeps the
    // vault solvent passes.
    s.advance_time(BREAKER_PAUSE + 1);
    let ok = s.withdraw(&insurance, 500, USDC).unwrap();
    assert!(refusal(&ok.events).is_none());
    assert_eq!(s.bank(&insurance, USDC), bank + 500);
}

/// Row I3: a refusal's pause is the breaker's, capped: when the breaker may not pause
/// (cooling down after its last pause), the breaking execution is refused with an error
/// and no pause.
#[test]
fn i3_a_refusal_without_a_pause_fails_when_the_breaker_cools_down() {
    let (mut s, _, _) = small_vault(0);
    let refused = s.push_price(BTC, "11").unwrap();
    assert!(refusal(&refused.events).is_some());
    let pause_end = s.time().plus_seconds(BREAKER_PAUSE);
    s.advance_time(BREAKER_PAUSE + 1); // the pause is over, the cooldown is not
    let err = s.push_price(BTC, "11").unwrap_err().to_string();
    let cool = pause_end.plus_seconds(BREAKER_COOLDOWN);
    let want = rewind_text(rewind_target::TargetError::InvariantViolated {
        invariant: "solvency".into(),
        reason: format!(
            "uusdc: claims with unrealised PnL 2100 exceed bank plus insurance 2000; no pause: {}",
            ContractError::BreakerCooldown {
                market: "invariant solvency".into(),
                until: cool,
            }
        ),
    });
    assert!(err.ends_with(&want), "{err}");
    assert!(
        s.pause_status().scopes.iter().all(|p| !p.blocked),
        "no pause in force"
    );
    assert_eq!(last_price(&s, BTC), "10");
}

/// Row I4: the oracle agreement needs a reference: only the reference feeder pushes it, a
/// reference push that breaks the agreement is refused like a price push.
#[test]
fn i4_only_the_reference_feeder_pushes_references_and_they_are_checked_too() {
    let reference = cw_multi_test::App::default()
        .api()
        .addr_make("reference-feeder");
    let settings = InvariantSettings {
        solvency: false,
        reference_feeder: Some(reference.to_string()),
        oracle_bound_bps: 500,
        in_line: true,
    };
    let mut s = SuiteBuilder::default().with_invariants(settings).build();
    let feeder = s.roles.feeder.clone();
    let msg = ExecuteMsg::PushReferencePrice {
        market: BTC.into(),
        price: dec("100"),
    };
    expect_err(
        s.exec(&feeder, &msg, &[]),
        ContractError::Unauthorized {
            action: "push_reference_price".into(),
            sender: feeder.clone(),
        },
    );
    push_reference(&mut s, BTC, "100").unwrap();
    s.push_price(BTC, "104").unwrap(); // within 5 %
    let refused = push_reference(&mut s, BTC, "110").unwrap();
    let e = refusal(&refused.events).expect("refused");
    assert_eq!(attr(e, "invariant"), "oracle_agreement");
    assert_eq!(attr(e, "scopes"), "trade,withdraw");
    // `feed` is not paused: an agreeing reference is taken.
    let ok = push_reference(&mut s, BTC, "105").unwrap();
    assert!(refusal(&ok.events).is_none());
}

/// Row I5: a restoration's replay never pauses: a replayed push that breaks the oracle
/// agreement (the reference feeder excluded, its reference pushes skipped: the feeder's two
/// 4 % steps each agreed with the reference live, the second is 8 % from the restored one)
/// is skipped and reported as failed, and no pause is set.
#[test]
fn i5_the_replay_skips_an_execution_that_breaks_an_invariant_without_pausing() {
    let reference = cw_multi_test::App::default()
        .api()
        .addr_make("reference-feeder");
    let mut s = SuiteBuilder::default()
        .with_invariants(on(&reference))
        .build();
    let alice = s.user("alice");
    push_reference(&mut s, BTC, "100").unwrap();
    s.push_price(BTC, "100").unwrap();
    s.deposit(&alice, 1_000, USDC).unwrap();
    let h = s.height();
    s.next_block();
    for step in ["104", "108"] {
        let r = push_reference(&mut s, BTC, step).unwrap();
        assert!(refusal(&r.events).is_none());
        let p = s.push_price(BTC, step).unwrap();
        assert!(refusal(&p.events).is_none());
        s.next_block();
    }
    s.deposit(&alice, 100, USDC).unwrap();
    s.next_block();
    s.restore(h, &[&reference], ShortfallPolicy::ProRataHaircut)
        .unwrap();
    s.crank_to_end(&[100]);
    let report: ReplayReportResponse = s.query(&RestorableQueryMsg::ReplayReport {
        start_after: None,
        limit: None,
    });
    let outcomes: Vec<&ReplayOutcome> = report.entries.iter().map(|e| &e.outcome).collect();
    assert_eq!(outcomes.len(), 3, "{report:?}");
    assert_eq!(outcomes[0], &ReplayOutcome::Excluded {});
    assert_eq!(outcomes[1], &ReplayOutcome::Excluded {});
    match outcomes[2] {
        ReplayOutcome::Failed { error } => assert!(
            error.contains("would break invariant oracle_agreement: BTC-PERP price 108"),
            "{error}"
        ),
        other => panic!("expected a failed replay, got {other:?}"),
    }
    assert_eq!(last_price(&s, BTC), "104", "the agreeing push is replayed");
    assert_eq!(
        s.claim_basis(&alice, USDC),
        1_100,
        "the honest deposit is replayed"
    );
    assert!(
        s.pause_status().scopes.iter().all(|p| !p.blocked),
        "no pause in force"
    );
}

// ---- Permissionless, rewarded reports (rows I6-I8) ----

use rewind_types::restorable::{Incident, IncidentsResponse, RestorableExecuteMsg};

/// A vault whose positions' linear PnL nets to zero, so the in-line solvency check holds,
/// while closing them all now would pay more than it holds: mallory's long of 100 at 10
/// (margin 500) and bob's short of 100 at 10 (margin 100) at 19 pay mallory 1,400 and bob 0
/// (his loss is floored at his margin): 3,800 of claims on 3,000. The bounty budget holds
/// 150, 100 per incident, funded by the wasm admin. Returns the suite, mallory, the height
/// before the price move and the opening height of mallory's position.
fn bad_debt_vault() -> (Suite, Addr, u64, u64) {
    let mut s = solvency_only_suite();
    let [alice, bob, mallory] = ["alice", "bob", "mallory"].map(|n| s.user(n));
    s.push_price(BTC, "10").unwrap();
    for who in [&alice, &bob, &mallory] {
        s.deposit(who, 1_000, USDC).unwrap();
    }
    let opened = s.height();
    s.open(&mallory, BTC, 100, 500).unwrap();
    s.open(&bob, BTC, -100, 100).unwrap();
    let executor = s.roles.executor.clone();
    s.mint(&executor, cosmwasm_std::coins(150, USDC));
    let fund = RestorableExecuteMsg::FundBounty {
        per_incident: Some(cosmwasm_std::Uint128::new(100)),
    };
    s.exec(&executor, &fund, &cosmwasm_std::coins(150, USDC))
        .unwrap();
    let h = s.height();
    s.next_block();
    let push = s.push_price(BTC, "19").unwrap();
    assert!(refusal(&push.events).is_none(), "the in-line check holds");
    s.next_block();
    (s, mallory, h, opened)
}

fn report(
    s: &mut Suite,
    who: &Addr,
    invariant: &str,
) -> cosmwasm_std::StdResult<cw_multi_test::AppResponse> {
    let msg = RestorableExecuteMsg::Report {
        invariant: invariant.into(),
        limit: None,
    };
    s.exec(who, &msg, &[])
}

fn incidents(s: &Suite) -> IncidentsResponse {
    s.query(&RestorableQueryMsg::Incidents {
        start_after: None,
        limit: None,
    })
}

/// Row I6: a true report. Anyone's report re-evaluates solvency over every position (in
/// batches: one position per call here), proves what the in-line check cannot see (the
/// floor of an underwater payout), records the incident, pauses `trade` and `withdraw` and
/// pays the reporter the bounty from the budget.
#[test]
fn i6_a_true_report_records_the_incident_pauses_and_pays_the_reporter() {
    let (mut s, mallory, _, opened) = bad_debt_vault();
    let carol = s.user("carol");
    let bank = s.bank(&carol, USDC);
    let batch = RestorableExecuteMsg::Report {
        invariant: "solvency".into(),
        limit: Some(1),
    };
    // Two positions, one per call: two scanning calls, then the proof.
    for _ in 0..2 {
        let r = s.exec(&carol, &batch, &[]).unwrap();
        assert!(r.events.iter().all(|e| e.ty != "wasm-incident"));
    }
    let now = s.time();
    let r = s.exec(&carol, &batch, &[]).unwrap();
    assert!(r.events.iter().any(|e| e.ty == "wasm-incident"));
    assert_eq!(s.bank(&carol, USDC), bank + 100, "the bounty is paid");
    let incident: Incident = s.query(&RestorableQueryMsg::Incident { id: 1 });
    assert_eq!(
        incident,
        Incident {
            id: 1,
            invariant: "solvency".into(),
            reason:
                "uusdc: claims with every position closed now 3800 exceed bank plus insurance 3000"
                    .into(),
            detected_height: s.height(),
            last_held_height: Some(opened - 1),
            accounts: vec![mallory.to_string()],
            reporter: carol.to_string(),
            bounty: Some(cosmwasm_std::coin(100, USDC)),
            paused_until: Some(now.plus_seconds(BREAKER_PAUSE)),
        }
    );
    expect_err(
        s.withdraw(&mallory, 1, USDC),
        ContractError::Journal(JournalError::Paused {
            scope: WITHDRAW,
            until: now.plus_seconds(BREAKER_PAUSE),
        }),
    );
    let all = incidents(&s);
    assert_eq!(all.incidents, vec![incident]);
    assert_eq!(all.budget, Some(cosmwasm_std::coin(50, USDC)));
}

/// Row I6: a false report changes nothing: refused while the invariant holds, and a
/// report of an undeclared invariant is refused too.
#[test]
fn i6_a_false_report_is_refused_and_changes_nothing() {
    let (mut s, _, _, _) = bad_debt_vault();
    let carol = s.user("carol");
    expect_rewind(
        report(&mut s, &carol, "oracle_agreement"),
        rewind_target::TargetError::ReportRefuted {
            invariant: "oracle_agreement".into(),
        },
    );
    expect_rewind(
        report(&mut s, &carol, "liveness"),
        rewind_target::TargetError::UnknownInvariant {
            invariant: "liveness".into(),
        },
    );
    // Back to a price at which every payout is covered: solvency holds in full too.
    s.push_price(BTC, "10").unwrap();
    s.next_block();
    expect_rewind(
        report(&mut s, &carol, "solvency"),
        rewind_target::TargetError::ReportRefuted {
            invariant: "solvency".into(),
        },
    );
    let all = incidents(&s);
    assert!(all.incidents.is_empty());
    assert_eq!(all.budget, Some(cosmwasm_std::coin(150, USDC)));
    assert!(s.pause_status().scopes.iter().all(|p| !p.blocked));
}

/// Row I7: a duplicate report of the open incident pays nothing; only the wasm admin sets
/// the bounty, anyone tops the budget up, and the budget is no user's claim (the in-line
/// solvency check leaves it out).
#[test]
fn i7_a_duplicate_report_pays_nothing() {
    let (mut s, _, _, _) = bad_debt_vault();
    let carol = s.user("carol");
    let dave = s.user("dave");
    report(&mut s, &carol, "solvency").unwrap();
    let bank = s.bank(&dave, USDC);
    expect_rewind(
        report(&mut s, &dave, "solvency"),
        rewind_target::TargetError::DuplicateReport {
            invariant: "solvency".into(),
            incident: 1,
        },
    );
    assert_eq!(s.bank(&dave, USDC), bank);
    assert_eq!(incidents(&s).incidents.len(), 1);
    let set = RestorableExecuteMsg::FundBounty {
        per_incident: Some(cosmwasm_std::Uint128::new(1_000)),
    };
    expect_rewind(
        s.exec(&dave, &set, &cosmwasm_std::coins(10, USDC)),
        rewind_target::TargetError::NotAdmin {
            sender: dave.clone(),
        },
    );
    let top_up = RestorableExecuteMsg::FundBounty { per_incident: None };
    s.exec(&dave, &top_up, &cosmwasm_std::coins(10, USDC))
        .unwrap();
    let all = incidents(&s);
    assert_eq!(all.budget, Some(cosmwasm_std::coin(60, USDC)));
    assert_eq!(all.per_incident, Some(cosmwasm_std::Uint128::new(100)));
}

/// Row I8: the budget runs out. A restoration closes the open incident; the replay lands
/// the same state (the feeder is honest here), so a new report is a new incident, paid what
/// is left (50 of 100); the next one is recorded and paid nothing.
#[test]
fn i8_the_bounty_budget_runs_out() {
    let (mut s, _, h, _) = bad_debt_vault();
    let carol = s.user("carol");
    report(&mut s, &carol, "solvency").unwrap();
    for expected in [Some(cosmwasm_std::coin(50, USDC)), None] {
        // Someone who acted after the height, so the restoration may exclude them.
        let extra = s.user(&format!("extra-{}", s.height()));
        s.deposit(&extra, 10, USDC).unwrap();
        s.next_block();
        s.restore(h, &[&extra], ShortfallPolicy::ProRataHaircut)
            .unwrap();
        s.crank_to_end(&[100]);
        s.next_block();
        let bank = s.bank(&carol, USDC);
        report(&mut s, &carol, "solvency").unwrap();
        let last = incidents(&s).incidents.pop().expect("an incident");
        assert_eq!(last.bounty, expected);
        let paid = expected.map_or(0, |c| {
            cosmwasm_std::Uint128::try_from(c.amount).unwrap().u128()
        });
        assert_eq!(s.bank(&carol, USDC), bank + paid);
    }
    let all = incidents(&s);
    assert_eq!(all.incidents.len(), 3);
    assert_eq!(all.budget, Some(cosmwasm_std::coin(0, USDC)));
}

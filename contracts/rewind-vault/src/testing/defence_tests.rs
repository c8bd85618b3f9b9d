//! This round's defences on the vault: history holds and retention in time (row G12),
//! account activity and dormant exclusions (G14), the bounded two-source breaker (P7),
//! inconsistent heights (R10), claims against the bank (R11), release after completion
//! (R12) and abandon / exit-only mode (R13).

use cosmwasm_std::testing::mock_env;
use cosmwasm_std::{Addr, Decimal, StdResult, Timestamp, Uint128};
use proptest::prelude::*;
use rewind_journal::{JournalError, JournaledStorage};
use rewind_testing::SuiteBase;
use rewind_types::restorable::{
    DigestAtOutcome, JournalInfoResponse, RestorationCheckResponse, RestorationPhase,
    MAX_RESTORATION_CHECK_ACCOUNTS,
};
use rewind_types::restorable::{RestorableExecuteMsg, RestorableQueryMsg};
use rewind_types::vault::{
    InstantiateMsg, MigrateMsg, PriceResponse, QueryMsg, RestorationStep, VaultConfigUpdate,
};
use rewind_types::vault::{LIQUIDATE, TRADE, WITHDRAW};
use rewind_types::{GateMsg, ShortfallPolicy};

use super::suite::*;
use crate::error::ContractError;
use crate::instantiate::{
    MAX_BREAKER_BUDGET_TRIPS, MAX_BREAKER_COOLDOWN_SECONDS, MAX_BREAKER_WINDOW_SECONDS,
    MAX_RETENTION_SECONDS,
};
use crate::math::moved_beyond;
use crate::state::{COLLATERAL, PLAIN};

const TRADE_AT: usize = 3;
const LIQUIDATE_AT: usize = 4;

fn journal_info(s: &Suite) -> JournalInfoResponse {
    s.query(&RestorableQueryMsg::JournalInfo {})
}

fn now(s: &Suite) -> Timestamp {
    s.app.block_info().time
}

fn stored_price(s: &Suite) -> Option<Decimal> {
    let p: PriceResponse = s.query(&QueryMsg::Price { market: BTC.into() });
    p.price.map(|r| r.price)
}

fn check(
    s: &Suite,
    heights: Vec<u64>,
    accounts: Vec<String>,
) -> StdResult<RestorationCheckResponse> {
    s.app.wrap().query_wasm_smart(
        s.vault.clone(),
        &RestorableQueryMsg::RestorationCheck { heights, accounts },
    )
}

#[track_caller]
fn expect_query_err<T: std::fmt::Debug>(res: StdResult<T>, expected: ContractError) {
    let err = res.expect_err("expected an error").to_string();
    // The restorable queries are rewind-target's: a journal refusal shows after `rewind: `.
    let want = match expected {
        ContractError::Journal(journal) => format!("rewind: {journal}"),
        other => other.to_string(),
    };
    assert!(err.ends_with(&want), "expected error `{want}`, got `{err}`");
}

// ---------------------------------------------------------------------------------------
// P7: the breaker
// ---------------------------------------------------------------------------------------

fn price_step() -> impl Strategy<Value = (&'static str, u64)> {
    (
        prop_oneof![
            Just("100"),
            Just("101"),
            Just("150"),
            Just("300"),
            Just("60")
        ],
        prop_oneof![1u64..120, 300u64..2_400, 3_000u64..20_000],
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Row P7: whatever the price sequence and timing, every accepted move beyond the bound
    /// is covered by a breaker pause of trade AND liquidate; one continuous breaker pause
    /// never lasts beyond its cap; no new one starts within the cooldown after the last
    /// ended, nor beyond the budget in the rolling window; a move the breaker may not answer
    /// is refused and the price does not land.
    #[test]
    fn p7_the_breaker_is_bounded_whatever_the_price_sequence(
        steps in proptest::collection::vec(price_step(), 5..45),
    ) {
        let mut s = SuiteBuilder::default().with_breaker_bound_bps(2_000).build();
        s.push_price(BTC, "100").unwrap();
        let mut stretch_start: Option<Timestamp> = None;
        let mut current_end: Option<Timestamp> = None;
        let mut last_end: Option<Timestamp> = None;
        let mut starts: Vec<Timestamp> = vec![];
        for (price, gap) in steps {
            s.advance_time(gap);
            let t = now(&s);
            if let Some(end) = current_end {
                if t >= end {
                    last_end = Some(end);
                    stretch_start = None;
                    current_end = None;
                }
            }
            let reference = stored_price(&s).unwrap();
            let pushed = dec(price);
            let res = s.push_price(BTC, price);
            let beyond = moved_beyond(reference, pushed, 2_000);
            match res {
                Ok(_) => prop_assert_eq!(stored_price(&s), Some(pushed)),
                Err(e) => {
                    prop_assert!(beyond, "a move within the bound was refused: {}", e);
                    prop_assert!(e.to_string().contains("circuit breaker"), "{}", e);
                    prop_assert_eq!(stored_price(&s), Some(reference), "a refused price landed");
                }
            }
            let st = s.pause_status();
            let trade = &st.scopes[TRADE_AT];
            let liq = &st.scopes[LIQUIDATE_AT];
            prop_assert_eq!(trade.paused_until, liq.paused_until);
            let blocked_until = trade.paused_until.filter(|u| t < *u);
            if beyond && stored_price(&s) == Some(pushed) {
                prop_assert!(blocked_until.is_some(), "an accepted move beyond the bound is not paused");
            }
            if let Some(until) = blocked_until {
                if stretch_start.is_none() {
                    // A new trip: after the cooldown, inside the budget.
                    if let Some(e) = last_end {
                        prop_assert!(t >= e.plus_seconds(BREAKER_COOLDOWN), "trip inside the cooldown");
                    }
                    starts.push(t);
                    let in_window = starts
                        .iter()
                        .filter(|x| x.plus_seconds(BREAKER_WINDOW) > t)
                        .count();
                    prop_assert!(in_window <= BREAKER_BUDGET as usize, "budget exceeded");
                    stretch_start = Some(t);
                }
                let start = stretch_start.unwrap();
                prop_assert!(
                    until <= start.plus_seconds(BREAKER_MAX_TRIP),
                    "a breaker pause beyond its cap"
                );
                current_end = Some(until);
            }
        }
    }
}

/// Row P7: per scope the latest end of the guardian's and the breaker's pauses wins, in
/// either order, including a guardian early end (`until` <= now).
#[test]
fn p7_guardian_and_breaker_pauses_never_shorten_each_other() {
    // Guardian pause length in seconds (0: an early end, i.e. a lift), and whether the
    // guardian acts before or after the trip.
    for guardian in [0u64, 60, BREAKER_PAUSE / 2, 10 * BREAKER_PAUSE] {
        for guardian_first in [true, false] {
            let mut s = SuiteBuilder::default()
                .with_breaker_bound_bps(2_000)
                .build();
            s.push_price(BTC, "100").unwrap();
            s.next_block();
            let t = now(&s);
            let guardian_until = t.plus_seconds(guardian);
            if guardian_first {
                s.gate(GateMsg::SetPause {
                    scope: TRADE,
                    until: guardian_until,
                })
                .unwrap();
            }
            s.push_price(BTC, "200").unwrap();
            if !guardian_first {
                s.gate(GateMsg::SetPause {
                    scope: TRADE,
                    until: guardian_until,
                })
                .unwrap();
            }
            let breaker_until = t.plus_seconds(BREAKER_PAUSE);
            let latest = breaker_until.max(guardian_until);
            let alice = s.user("alice");
            expect_err(
                s.open(&alice, BTC, 1, 100),
                ContractError::Journal(JournalError::Paused {
                    scope: TRADE,
                    until: latest,
                }),
            );
            assert_eq!(s.pause_status().scopes[TRADE_AT].paused_until, Some(latest));
            // The guardian's early end of Liquidate does not lift the breaker's either.
            s.gate(GateMsg::SetPause {
                scope: LIQUIDATE,
                until: t,
            })
            .unwrap();
            assert_eq!(
                s.pause_status().scopes[LIQUIDATE_AT].paused_until,
                Some(breaker_until),
                "guardian {guardian}, first {guardian_first}"
            );
        }
    }
}

/// Row P7: a trip stops liquidations, so none pays out at the tripping price.
#[test]
fn p7_a_trip_stops_liquidations_at_the_tripping_price() {
    let mut s = SuiteBuilder::default()
        .with_breaker_bound_bps(2_000)
        .build();
    let alice = s.user("alice");
    let bob = s.user("bob");
    s.deposit(&alice, 10_000, USDC).unwrap();
    s.push_price(BTC, "100").unwrap();
    s.next_block();
    s.open(&alice, BTC, 10, 100).unwrap();
    s.next_block();
    // -50%: alice's long is under water at this price, and the breaker trips.
    let t = now(&s);
    s.push_price(BTC, "50").unwrap();
    expect_err(
        s.liquidate(&bob, &alice, BTC),
        ContractError::Journal(JournalError::Paused {
            scope: LIQUIDATE,
            until: t.plus_seconds(BREAKER_PAUSE),
        }),
    );
    assert_eq!(s.account(&alice).positions.len(), 1);
    s.advance_time(BREAKER_PAUSE);
    s.liquidate(&bob, &alice, BTC).unwrap();
}

/// Row P7: the breaker's cap, cooldown and budget are validated and bounded, at instantiate
/// and on every config change.
#[test]
fn p7_breaker_bounds_are_validated() {
    type Set = fn(&mut InstantiateMsg);
    let cases: [(Set, &str); 9] = [
        (
            |m| m.breaker_max_trip_seconds = BREAKER_PAUSE - 1,
            "breaker_max_trip_seconds",
        ),
        (
            |m| m.breaker_max_trip_seconds = MAX_PAUSE + 1,
            "breaker_max_trip_seconds",
        ),
        (
            |m| m.breaker_cooldown_seconds = 0,
            "breaker_cooldown_seconds",
        ),
        (
            |m| m.breaker_cooldown_seconds = MAX_BREAKER_COOLDOWN_SECONDS + 1,
            "breaker_cooldown_seconds",
        ),
        (|m| m.breaker_budget_trips = 0, "breaker_budget_trips"),
        (
            |m| m.breaker_budget_trips = MAX_BREAKER_BUDGET_TRIPS + 1,
            "breaker_budget_trips",
        ),
        (|m| m.breaker_window_seconds = 0, "breaker_window_seconds"),
        (
            |m| m.breaker_window_seconds = MAX_BREAKER_WINDOW_SECONDS + 1,
            "breaker_window_seconds",
        ),
        (
            |m| m.retention_seconds = MAX_RETENTION_SECONDS + 1,
            "retention_seconds",
        ),
    ];
    let s = SuiteBuilder::default().build();
    let mut app = cw_multi_test::App::default();
    let code = app.store_code(vault_contract());
    for (set, field) in cases {
        let mut msg = SuiteBuilder::default().instantiate_msg(&s.roles);
        set(&mut msg);
        let err = cw_multi_test::Executor::instantiate_contract(
            &mut app,
            code,
            s.roles.governance.clone(),
            &msg,
            &[],
            "v",
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("invalid config") && err.contains(field),
            "{field}: {err}"
        );
    }
    // Through the voted `Configure` too, and `CheckConfig` says so first, writing nothing.
    let mut s = SuiteBuilder::default().build();
    let before: rewind_types::vault::ConfigResponse = s.query(&QueryMsg::Config {});
    for update in [
        VaultConfigUpdate {
            breaker_cooldown_seconds: Some(0),
            ..Default::default()
        },
        VaultConfigUpdate {
            breaker_budget_trips: Some(0),
            ..Default::default()
        },
        VaultConfigUpdate {
            breaker_max_trip_seconds: Some(1),
            ..Default::default()
        },
        VaultConfigUpdate {
            retention_seconds: Some(0),
            ..Default::default()
        },
    ] {
        let checked = s
            .check_config(&cosmwasm_std::to_json_vec(&update).unwrap())
            .unwrap();
        assert!(checked.contains("invalid config"), "{checked}");
        let err = s.configure(&update).unwrap_err().to_string();
        assert!(err.contains("invalid config"), "{err}");
    }
    let after: rewind_types::vault::ConfigResponse = s.query(&QueryMsg::Config {});
    assert_eq!(before, after);
}

// ---------------------------------------------------------------------------------------
// G12: history holds, retention in time
// ---------------------------------------------------------------------------------------

/// Row G12: only the guardian holds history; a hold keeps its heights restorable through
/// any pruning while in force; JournalInfo reports it and the retention in seconds.
#[test]
fn g12_a_guardian_hold_keeps_its_heights_through_pruning() {
    let mut s = SuiteBuilder::default().with_retention_blocks(3).build();
    let alice = s.user("alice");
    s.deposit(&alice, 10, USDC).unwrap();
    let held = s.height();
    s.next_block();
    let digest = s.digest_at(held);
    let until = now(&s).plus_seconds(3_600);
    let mallory = s.user("mallory");
    expect_rewind(
        s.exec(
            &mallory,
            &RestorableExecuteMsg::Gate(GateMsg::HoldHistory {
                from_height: held,
                until,
            }),
            &[],
        ),
        rewind_target::TargetError::NotGuardian {
            guardian: s.roles.guardian.clone(),
            sender: mallory.clone(),
        },
    );
    let res = s
        .gate(GateMsg::HoldHistory {
            from_height: held,
            until,
        })
        .unwrap();
    assert!(res.events.iter().any(|e| e
        .attributes
        .iter()
        .any(|a| a.key == "gate" && a.value == "hold_history")));
    for i in 0..30u128 {
        s.deposit(&alice, 1 + i, USDC).unwrap();
        s.exec(
            &alice,
            &RestorableExecuteMsg::Prune { limit: Some(100) },
            &[],
        )
        .unwrap();
        s.next_block();
    }
    let info = journal_info(&s);
    assert_eq!(info.history_held_from, Some(held));
    assert_eq!(info.retention_seconds, RETENTION_SECONDS);
    assert!(info.retained_from <= held);
    assert_eq!(s.digest_at(held), digest);
    // Once it ends, pruning goes on.
    s.advance_time(3_600);
    s.deposit(&alice, 1, USDC).unwrap();
    for _ in 0..5 {
        s.exec(
            &alice,
            &RestorableExecuteMsg::Prune { limit: Some(100) },
            &[],
        )
        .unwrap();
    }
    let info = journal_info(&s);
    assert_eq!(info.history_held_from, None);
    assert!(info.retained_from > held);
}

/// Row G12: the vault's retention in seconds keeps fast blocks restorable.
#[test]
fn g12_retention_in_seconds_is_configured_and_kept() {
    let mut s = SuiteBuilder::default().with_retention_blocks(2).build();
    s.configure(&VaultConfigUpdate {
        retention_seconds: Some(600),
        ..Default::default()
    })
    .unwrap();
    let cfg: rewind_types::vault::ConfigResponse = s.query(&QueryMsg::Config {});
    assert_eq!(cfg.retention_seconds, 600);
    assert_eq!(journal_info(&s).retention_seconds, 600);
    let alice = s.user("alice");
    let first = s.height();
    for _ in 0..40 {
        s.deposit(&alice, 1, USDC).unwrap();
        s.exec(
            &alice,
            &RestorableExecuteMsg::Prune { limit: Some(100) },
            &[],
        )
        .unwrap();
        s.next_block(); // 5 s per block: 40 blocks are 200 s < 600 s
    }
    assert!(journal_info(&s).retained_from <= first);
    s.digest_at(first);
}

// ---------------------------------------------------------------------------------------
// G14: account activity, dormant exclusions
// ---------------------------------------------------------------------------------------

fn activity(s: &Suite, who: &[&Addr]) -> Vec<Option<u64>> {
    let r = check(s, vec![], who.iter().map(|a| a.to_string()).collect()).unwrap();
    assert_eq!(r.activity.len(), who.len());
    r.activity
        .iter()
        .zip(who)
        .map(|(a, w)| {
            assert_eq!(a.account, w.to_string());
            a.last_acted_height
        })
        .collect()
}

/// Row G14: every gated user execution notes its sender (not the liquidated account, not
/// the feeder, not a cranker).
#[test]
fn g14_every_gated_user_execution_notes_its_sender() {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    let bob = s.user("bob");
    let carol = s.user("carol");
    let feeder = s.roles.feeder.clone();
    s.push_price(BTC, "100").unwrap();
    // The feeder's pushes are gated (`feed`) and noted like any user's: a compromised feeder
    // must be excludable, and only an account that acted after the height is (row G14).
    let h0 = s.height();
    assert_eq!(activity(&s, &[&alice, &feeder]), vec![None, Some(h0)]);
    s.deposit(&alice, 1_000, USDC).unwrap();
    let h1 = s.height();
    s.next_block();
    s.open(&alice, BTC, 10, 100).unwrap();
    let h2 = s.height();
    assert_eq!(activity(&s, &[&alice]), vec![Some(h2)]);
    s.next_block();
    s.push_price(BTC, "91").unwrap();
    s.next_block();
    s.liquidate(&bob, &alice, BTC).unwrap();
    let h3 = s.height();
    // The liquidated account did not act.
    assert_eq!(activity(&s, &[&alice, &bob]), vec![Some(h2), Some(h3)]);
    s.next_block();
    s.withdraw(&alice, 1, USDC).unwrap();
    let h4 = s.height();
    s.next_block();
    // A failed execution notes nothing; neither does a crank. The feeder last pushed at 91.
    assert!(s.withdraw(&carol, 1, USDC).is_err());
    assert!(s.crank(None).is_err());
    assert_eq!(
        activity(&s, &[&alice, &bob, &carol, &feeder]),
        vec![Some(h4), Some(h3), None, Some(h3 - 1)]
    );
    assert!(h1 < h2 && h3 < h4);
}

/// Row G14: `Restore` refuses to exclude an account that did not act after the height,
/// whether it acted before or never, naming it; an account that acted after is accepted.
#[test]
fn g14_restore_refuses_a_dormant_exclusion() {
    let mut s = SuiteBuilder::default().build();
    let dormant = s.user("dormant");
    let attacker = s.user("attacker");
    let never = s.addr("never");
    s.deposit(&dormant, 100, USDC).unwrap();
    s.deposit(&attacker, 100, USDC).unwrap();
    s.next_block();
    let h = s.height();
    s.deposit(&attacker, 1, USDC).unwrap(); // acts AT h: not after it
    s.next_block();
    for (who, last) in [
        (&dormant, Some(h - 1)),
        (&never, None),
        (&attacker, Some(h)),
    ] {
        expect_rewind(
            s.restore(h, &[who], ShortfallPolicy::ProRataHaircut),
            rewind_target::TargetError::DormantExclusion {
                account: who.clone(),
                last_acted_height: last,
                height: h,
            },
        );
    }
    s.deposit(&attacker, 1, USDC).unwrap();
    s.next_block();
    s.restore(h, &[&attacker], ShortfallPolicy::ProRataHaircut)
        .unwrap();
}

/// Row G14: RestorationCheck validates the accounts and caps them.
#[test]
fn g14_restoration_check_validates_and_caps_accounts() {
    let s = SuiteBuilder::default().build();
    let err = check(&s, vec![], vec!["not-an-address".into()])
        .unwrap_err()
        .to_string();
    assert!(!err.contains("too many accounts"), "{err}");
    let too_many = vec![s.addr("a").to_string(); MAX_RESTORATION_CHECK_ACCOUNTS + 1];
    expect_query_err(
        check(&s, vec![], too_many),
        ContractError::Journal(JournalError::TooManyAccounts {
            count: MAX_RESTORATION_CHECK_ACCOUNTS + 1,
            max: MAX_RESTORATION_CHECK_ACCOUNTS,
        }),
    );
    let full = vec![s.addr("a").to_string(); MAX_RESTORATION_CHECK_ACCOUNTS];
    assert_eq!(
        check(&s, vec![], full).unwrap().activity.len(),
        MAX_RESTORATION_CHECK_ACCOUNTS
    );
}

// ---------------------------------------------------------------------------------------
// R10: heights inside a restoration
// ---------------------------------------------------------------------------------------

fn busy(s: &mut Suite) -> (Addr, u64) {
    let alice = s.user("alice");
    let bob = s.user("bob");
    for i in 0..4u128 {
        s.deposit(&alice, 100 + i, USDC).unwrap();
        s.deposit(&bob, 50 + i, ATOM).unwrap();
        s.next_block();
    }
    let h = s.height() - 2;
    (alice, h)
}

fn digest_refusal(s: &Suite, t: u64) -> Option<String> {
    let r = check(s, vec![t], vec![]).unwrap();
    match &r.digests[0] {
        DigestAtOutcome::Refused { error, .. } => Some(error.clone()),
        DigestAtOutcome::Digest(_) => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Row R10: with random crank sizes and block spacing, every height from the block the
    /// restoration started in is refused while it runs (DigestAt, RestorationCheck), and
    /// after it completed every height up to the block before completion is refused by
    /// DigestAt, RestorationCheck and Restore, with `HeightInconsistent`.
    #[test]
    fn r10_every_height_inside_a_restoration_is_refused(
        limits in proptest::collection::vec(1u32..4, 1..6),
        gaps in proptest::collection::vec(0u64..3, 1..6),
    ) {
        let mut s = SuiteBuilder::default().build();
        let (_, h) = busy(&mut s);
        s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
        let started = s.height();
        let mut n = 0;
        while s.status().phase != RestorationPhase::Complete {
            let at = s.height();
            for t in started..at {
                let inconsistent = JournalError::HeightInconsistent {
                    height: t,
                    from: started,
                    until: None,
                };
                // RestorationCheck carries the journal's own text (rewind-target answers it).
                prop_assert_eq!(digest_refusal(&s, t), Some(inconsistent.to_string()));
                let want = ContractError::Journal(inconsistent);
                expect_query_err(
                    s.app.wrap().query_wasm_smart::<rewind_types::restorable::DigestAtResponse>(
                        s.vault.clone(),
                        &RestorableQueryMsg::DigestAt { height: t },
                    ),
                    want,
                );
            }
            s.crank(Some(limits[n % limits.len()])).unwrap();
            s.advance_blocks(gaps[n % gaps.len()]);
            n += 1;
        }
        let completed = s.report().unwrap().completed_at_height;
        s.release().unwrap();
        s.next_block();
        for t in started..completed {
            let inconsistent = JournalError::HeightInconsistent {
                height: t,
                from: started,
                until: Some(completed),
            };
            prop_assert_eq!(digest_refusal(&s, t), Some(inconsistent.to_string()));
            let want = ContractError::Journal(inconsistent);
            let executor = s.roles.executor.clone();
            let msg = MigrateMsg::Restore {
                height: t,
                exclusions: vec![],
                shortfall_policy: ShortfallPolicy::ProRataHaircut,
                expected_digest: cosmwasm_std::HexBinary::from(vec![0u8; 32]),
            };
            expect_err(s.migrate_as(&executor, &msg), want);
        }
        // The block it completed in is consistent.
        prop_assert_eq!(digest_refusal(&s, completed), None);
    }
}

// ---------------------------------------------------------------------------------------
// R11: claims against the bank
// ---------------------------------------------------------------------------------------

/// Row R11: a balance that was certified by the digest but never backed by the bank (state
/// corrupted before the height, outside every key rewritten after it) makes the settled
/// claims exceed the bank: the restoration fails and the vault stays locked.
#[test]
fn r11_claims_beyond_the_bank_fail_the_restoration_and_stay_locked() {
    for policy in [
        ShortfallPolicy::ProRataHaircut,
        ShortfallPolicy::InsuranceFirst,
    ] {
        let mut s = SuiteBuilder::default().build();
        let alice = s.user("alice");
        let ghost = s.addr("ghost");
        s.deposit(&alice, 1_000, USDC).unwrap();
        s.next_block();
        // Value out of nothing, journaled (so the digest certifies it), totals untouched.
        {
            let vault = s.vault.clone();
            let mut env = mock_env();
            env.block.height = s.height();
            env.block.time = now(&s);
            let mut store = s.app.contract_storage_mut(&vault);
            let mut journaled = JournaledStorage::new(&mut *store, &env, PLAIN, vec![]);
            COLLATERAL
                .save(
                    &mut journaled,
                    (ghost.clone(), USDC.to_string()),
                    &Uint128::new(5_000),
                )
                .unwrap();
            journaled.finish().unwrap();
        }
        s.next_block();
        let h = s.height();
        s.deposit(&alice, 10, USDC).unwrap();
        s.next_block();
        s.restore(h, &[], policy).unwrap();
        let mut last = None;
        for _ in 0..20 {
            match s.crank(Some(200)) {
                Ok(_) => {}
                Err(e) => {
                    last = Some(e);
                    break;
                }
            }
            s.next_block();
        }
        let vault = s.vault.clone();
        let bank = Uint128::new(s.bank(&vault, USDC));
        let err = last.expect("the restoration must fail");
        let want = ContractError::ClaimsExceedBank {
            denom: USDC.into(),
            claims: Uint128::new(1_010 + 5_000),
            bank,
        };
        assert!(err.to_string().ends_with(&want.to_string()), "{err}");
        assert_ne!(s.status().phase, RestorationPhase::Complete);
        expect_err(
            s.withdraw(&alice, 1, USDC),
            ContractError::Journal(JournalError::Restoring),
        );
    }
}

// ---------------------------------------------------------------------------------------
// R12: release after completion
// ---------------------------------------------------------------------------------------

/// Row R12: a completed restoration stays locked until `Release {}` (from the admin only);
/// a release before completion is refused.
#[test]
fn r12_release_before_completion_is_refused_and_completion_stays_locked() {
    let mut s = SuiteBuilder::default().build();
    let (alice, h) = busy(&mut s);
    expect_err(
        s.release(),
        ContractError::Journal(JournalError::NoRollbackRunning),
    );
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    s.crank(Some(1)).unwrap();
    expect_err(
        s.release(),
        ContractError::Journal(JournalError::RestorationNotComplete { height: h }),
    );
    s.crank_to_complete(&[3]);
    assert_eq!(s.progress().step, Some(RestorationStep::Complete));
    assert!(s.pause_status().restoring);
    for res in [
        s.deposit(&alice, 1, USDC),
        s.withdraw(&alice, 1, USDC),
        s.open(&alice, BTC, 1, 10),
        s.push_price(BTC, "1"),
    ] {
        expect_err(res, ContractError::Journal(JournalError::Restoring));
    }
    let mallory = s.user("mallory");
    let err = s
        .migrate_as(&mallory, &MigrateMsg::Release { config: None })
        .unwrap_err();
    assert!(err.to_string().contains("Only admin can migrate"), "{err}");
    let res = s.release().unwrap();
    assert!(res.events.iter().any(|e| e
        .attributes
        .iter()
        .any(|a| a.key == "action" && a.value == "release")));
    assert!(!s.pause_status().restoring);
    s.withdraw(&alice, 1, USDC).unwrap();
    expect_err(
        s.release(),
        ContractError::Journal(JournalError::NoRollbackRunning),
    );
}

// ---------------------------------------------------------------------------------------
// R13: abandon, exit-only
// ---------------------------------------------------------------------------------------

#[track_caller]
fn assert_exit_only(s: &mut Suite, alice: &Addr, until: Option<Timestamp>) {
    s.withdraw(alice, 1, USDC).unwrap();
    let exit_only = ContractError::Journal(JournalError::ExitOnly { until });
    expect_err(s.deposit(alice, 1, USDC), exit_only.clone_like());
    expect_err(s.open(alice, BTC, 1, 10), exit_only.clone_like());
    expect_err(s.close(alice, BTC), exit_only.clone_like());
    expect_err(s.push_price(BTC, "1"), exit_only);
    let st = s.pause_status();
    assert!(st.exit_only);
    for p in &st.scopes {
        assert_eq!(p.blocked, p.scope != WITHDRAW, "{:?}", p.scope);
    }
}

trait CloneLike {
    fn clone_like(&self) -> Self;
}

impl CloneLike for ContractError {
    fn clone_like(&self) -> Self {
        match self {
            ContractError::Journal(JournalError::ExitOnly { until }) => {
                ContractError::Journal(JournalError::ExitOnly { until: *until })
            }
            _ => unreachable!("only exit-only errors are cloned here"),
        }
    }
}

/// A vault whose rollback fails its digest check (alice's collateral inflated behind the
/// journal's back after the height).
fn stuck(s: &mut Suite, alice: &Addr, h: u64) {
    let key = raw_ledger_key(&COLLATERAL.key((alice.clone(), USDC.to_string())));
    {
        let vault = s.vault.clone();
        let mut store = s.app.contract_storage_mut(&vault);
        let mut raw = store.get(&key).unwrap();
        raw.truncate(9);
        raw.extend_from_slice(b"\"1000000\"");
        store.set(&key, &raw);
    }
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    // The verify pass finds the mismatch and records it, undoing nothing; settling the live
    // ledger then refuses: its inflated claim exceeds the bank (row R11), so it is stuck.
    s.crank(Some(200)).unwrap();
    let failure = s.status().failure.unwrap_or_default();
    assert!(failure.contains("digest mismatch"), "{failure}");
    let err = (0..5)
        .find_map(|_| s.crank(Some(200)).err())
        .expect("the settlement refuses");
    assert!(err.to_string().contains("exceed the bank balance"), "{err}");
}

/// Row R13: a voted abort, in every phase (running, stuck on a failed digest, complete
/// awaiting release), leaves the journal consistent, opens only exits until its end, and
/// ends by itself.
#[test]
fn r13_abandon_in_every_phase_opens_only_exits_until_its_end() {
    for phase in ["running", "stuck", "complete"] {
        let mut s = SuiteBuilder::default().build();
        let (alice, h) = busy(&mut s);
        expect_err(
            s.abandon(60),
            ContractError::Journal(JournalError::NoRollbackRunning),
        );
        match phase {
            "running" => {
                s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
                s.crank(Some(1)).unwrap();
            }
            "stuck" => stuck(&mut s, &alice, h),
            _ => {
                s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
                s.crank_to_complete(&[50]);
            }
        }
        s.next_block();
        let until = now(&s).plus_seconds(600);
        let res = s.abandon(600).unwrap();
        assert!(res.events.iter().any(|e| e
            .attributes
            .iter()
            .any(|a| a.key == "action" && a.value == "abandon")));
        assert_eq!(
            s.progress().step,
            Some(RestorationStep::Abandoned),
            "{phase}"
        );
        assert_eq!(s.status().phase, RestorationPhase::Idle);
        assert_eq!(journal_info(&s).exit_only_until, Some(until));
        assert!(!journal_info(&s).restoring);
        expect_rewind(
            s.crank(None),
            rewind_target::TargetError::NoRestorationRunning,
        );
        expect_err(
            s.abandon(60),
            ContractError::Journal(JournalError::NoRollbackRunning),
        );
        s.next_block();
        assert_exit_only(&mut s, &alice, Some(until));
        // It ends by itself; the journal is consistent: later heights have digests, and a new
        // restoration runs (after the tampered one, R11 refuses the inflated claims).
        s.advance_time(600);
        s.deposit(&alice, 1, USDC).unwrap();
        assert!(!s.pause_status().exit_only);
        let h2 = s.height();
        s.next_block();
        s.restore(h2, &[], ShortfallPolicy::ProRataHaircut).unwrap();
        if phase == "stuck" {
            let err = (0..10)
                .find_map(|_| s.crank(Some(200)).err())
                .expect("the tampered claims are refused")
                .to_string();
            assert!(err.contains("exceed the bank balance"), "{err}");
        } else {
            s.crank_to_end(&[50]);
        }
    }
}

/// Row R13: a `restoring` flag never outlives every lock: once the guardian's restoration
/// lock expired, the vault is exit-only and no crank may run (exits never interleave with
/// restoration steps) until the voted abort.
#[test]
fn r13_a_restoration_stuck_past_its_lock_is_exit_only_and_the_crank_is_refused() {
    let mut s = SuiteBuilder::default().build();
    let (alice, h) = busy(&mut s);
    let lock = now(&s).plus_seconds(100);
    s.gate(GateMsg::SetRestorationLock { until: Some(lock) })
        .unwrap();
    s.restore(h, &[], ShortfallPolicy::ProRataHaircut).unwrap();
    s.crank(Some(1)).unwrap();
    expect_err(
        s.withdraw(&alice, 1, USDC),
        ContractError::Journal(JournalError::Restoring),
    );
    s.advance_time(100);
    expect_err(
        s.crank(Some(1)),
        ContractError::Journal(JournalError::RestorationLockExpired { until: lock }),
    );
    assert_exit_only(&mut s, &alice, None);
    s.abandon(60).unwrap();
    s.next_block();
    let until = now(&s).plus_seconds(55);
    assert_exit_only(&mut s, &alice, Some(until));
}

//! The demo exploit: a compromised feeder, a profitable close, a withdrawal; then a
//! restoration to the block before it, with the attacker excluded (rows R1, R5, R9, G10).

use rewind_testing::SuiteBase;
use std::collections::{BTreeMap, BTreeSet};

use cosmwasm_std::{Addr, Uint128};
use cw_multi_test::Executor;
use rewind_journal::JournalError;
use rewind_types::restorable::RestorationPhase;
use rewind_types::vault::{AccountResponse, RestorationStep};
use rewind_types::ShortfallPolicy;

use super::model::{expected, FlowRec, Key};
use super::suite::*;
use crate::error::ContractError;

struct Actors {
    alice: Addr,
    bob: Addr,
    carol: Addr,
    dave: Addr,
    mallory: Addr,
}

fn u(c: &cosmwasm_std::Coin) -> u128 {
    Uint128::try_from(c.amount).unwrap().u128()
}

/// Runs the exploit and the restoration under `policy`, checking every invariant.
fn exploit(policy: ShortfallPolicy) {
    let mut s = SuiteBuilder::default()
        .with_breaker_bound_bps(100_000)
        .build();
    let a = Actors {
        alice: s.user("alice"),
        bob: s.user("bob"),
        carol: s.user("carol"),
        dave: s.user("dave"),
        mallory: s.user("mallory"),
    };
    let insurance = s.roles.insurance.clone();
    s.mint(&insurance, cosmwasm_std::coins(10_000, USDC));
    let mut flows: Vec<FlowRec> = vec![];
    macro_rules! dep {
        ($who:expr, $amt:expr) => {{
            s.deposit(&$who, $amt, USDC).unwrap();
            flows.push(FlowRec {
                height: s.height(),
                account: $who.clone(),
                denom: USDC.into(),
                amount: $amt as i128,
            });
        }};
    }
    macro_rules! wd {
        ($who:expr, $amt:expr) => {{
            s.withdraw(&$who, $amt, USDC).unwrap();
            flows.push(FlowRec {
                height: s.height(),
                account: $who.clone(),
                denom: USDC.into(),
                amount: -($amt as i128),
            });
        }};
    }

    // Honest activity over many blocks.
    s.push_price(BTC, "100").unwrap();
    s.next_block();
    dep!(a.alice, 1_000);
    dep!(a.bob, 1_500);
    dep!(a.carol, 800);
    dep!(a.mallory, 500);
    dep!(insurance, 300);
    s.next_block();
    s.open(&a.alice, BTC, 10, 200).unwrap();
    s.open(&a.bob, BTC, -5, 100).unwrap();
    s.next_block();
    s.push_price(BTC, "105").unwrap();
    dep!(a.carol, 200);
    s.next_block();
    s.close(&a.alice, BTC).unwrap();
    wd!(a.bob, 300);
    s.open(&a.carol, BTC, 20, 220).unwrap();
    s.next_block();
    s.push_price(BTC, "99").unwrap();
    // carol's long: equity 110 - 120 < 0 -> liquidated by dave; the fee goes to insurance.
    s.liquidate(&a.dave, &a.carol, BTC).unwrap_err();
    s.next_block();
    s.push_price(BTC, "103").unwrap();
    s.open(&a.mallory, BTC, 20, 300).unwrap();
    s.next_block();
    s.push_price(BTC, "96").unwrap();
    s.liquidate(&a.dave, &a.carol, BTC).unwrap();
    dep!(a.alice, 100);
    let h = s.height(); // E - 1: the last good block
    let users = [&a.alice, &a.bob, &a.carol, &a.dave, &a.mallory, &insurance];
    let snap_at_h: Vec<AccountResponse> = users.iter().map(|x| s.account(x)).collect();
    let mut basis: BTreeMap<Key, u128> = BTreeMap::new();
    for x in users {
        basis.insert(((*x).clone(), USDC.to_string()), s.claim_basis(x, USDC));
    }
    assert_eq!(
        basis.values().sum::<u128>(),
        s.totals(USDC),
        "liabilities = free collateral + margin"
    );

    // Block E: the compromised feeder, the profitable close, the withdrawal.
    s.next_block();
    s.push_price(BTC, "250").unwrap();
    let e = s.height();
    s.close(&a.mallory, BTC).unwrap();
    let loot = s.free(&a.mallory, USDC);
    assert!(loot > 3_000, "the exploit pays: {loot}");
    s.liquidate(&a.carol, &a.bob, BTC).unwrap();
    wd!(a.mallory, loot);
    // Honest users keep depositing and withdrawing after E.
    s.next_block();
    s.push_price(BTC, "104").unwrap();
    dep!(a.dave, 400);
    s.next_block();
    wd!(a.alice, 100);
    dep!(a.bob, 250);
    s.next_block();
    wd!(a.carol, 50);
    s.next_block();
    assert!(e == h + 1);

    // Restore to E - 1, attacker excluded. The test plays the executor (wasm admin).
    // The compromised feeder is excluded too: its pushes after H are never replayed (an
    // honest feeder's would be), so no replayed execution runs at the manipulated price.
    let digest = s.digest_at(h);
    let feeder = s.roles.feeder.clone();
    s.restore(h, &[&a.mallory, &feeder], policy).unwrap();
    assert_eq!(s.status().phase, RestorationPhase::RollingBack);
    // R1: locked between batches.
    expect_err(
        s.deposit(&a.alice, 1, USDC),
        ContractError::Journal(JournalError::Restoring),
    );
    let mut saw_state_at_h = false;
    let mut cranks = 0;
    while s.status().phase != RestorationPhase::Complete {
        s.crank(Some(3)).unwrap();
        cranks += 1;
        let p = s.progress();
        // The crank that reaches the height ends there, before any replay.
        if p.step == Some(RestorationStep::Replaying) && p.replayed_flows + p.skipped_flows == 0 {
            // The rollback is done and verified: the ledger is exactly the state at the end of
            // H (the excluded attacker frozen from that point on).
            let now: Vec<AccountResponse> = users.iter().map(|x| s.account(x)).collect();
            let mut at_h = snap_at_h.clone();
            for view in at_h.iter_mut() {
                view.frozen |= view.account == a.mallory || view.account == feeder;
            }
            assert_eq!(now, at_h);
            saw_state_at_h = true;
        }
        if s.status().phase != RestorationPhase::Complete {
            expect_err(
                s.withdraw(&a.alice, 1, USDC),
                ContractError::Journal(JournalError::Restoring),
            );
        }
        s.next_block();
    }
    assert!(saw_state_at_h);
    assert!(cranks > 3, "small batches: {cranks}");
    // Row R12: complete, but locked until the executor releases it.
    expect_err(
        s.withdraw(&a.alice, 1, USDC),
        ContractError::Journal(JournalError::Restoring),
    );
    s.release().unwrap();
    let status = s.status();
    assert!(status.digest_verified);
    assert_eq!(status.height, Some(h));
    assert_eq!(s.digest_at(h), digest);

    // Claims against the independent reference.
    let bank = s.bank(&s.vault.clone(), USDC);
    let excluded = BTreeSet::from([a.mallory.clone(), feeder.clone()]);
    let want = expected(
        &basis,
        &flows,
        h,
        &excluded,
        &insurance,
        policy,
        &BTreeMap::from([(USDC.to_string(), bank)]),
    );
    let report = s.report().unwrap();
    let d = report.denoms.iter().find(|d| d.denom == USDC).unwrap();
    assert_eq!(d.shortfall.u128(), want.shortfall[USDC]);
    assert!(d.shortfall.u128() > 0);
    assert_eq!(d.insurance_used.u128(), want.insurance_used[USDC]);
    assert_eq!(d.bank_balance.u128(), bank);
    let mut exclusions = vec![a.mallory.clone(), feeder.clone()];
    exclusions.sort();
    assert_eq!(report.exclusions, exclusions);
    // Replayed: the four honest deposits and withdrawals after E. Skipped: the feeder's two
    // pushes and mallory's close and withdrawal (excluded), and carol's liquidation of bob,
    // which at the price standing at H is no liquidation (it fails and is dropped).
    assert_eq!(report.replayed_flows, 4);
    assert_eq!(report.skipped_flows, 5);
    for x in users {
        let key = ((*x).clone(), USDC.to_string());
        if x.as_str() == a.mallory.as_str() {
            continue; // frozen: its settled claim is the restoration's record (below)
        }
        // Each honest claim = its claim at H + its replayed executions - its share of the
        // shortfall. Positions stand unless a cut closed them at entry price.
        assert_eq!(s.claim_basis(x, USDC), want.after[&key], "{x}");
    }
    let claims = s.all_claims();
    for c in &claims {
        let key = (c.account.clone(), USDC.to_string());
        assert_eq!(c.after.iter().map(u).sum::<u128>(), want.after[&key]);
        assert_eq!(c.before.iter().map(u).sum::<u128>(), want.before[&key]);
        assert_eq!(c.frozen, c.account == a.mallory);
    }
    // The attacker gets nothing beyond the policy: frozen, subordinated, absorbs first.
    let m_key = (a.mallory.clone(), USDC.to_string());
    assert_eq!(
        want.after[&m_key],
        basis[&m_key].saturating_sub(want.shortfall[USDC])
    );
    assert!(s.account(&a.mallory).frozen);
    expect_rewind(
        s.withdraw(&a.mallory, 1, USDC),
        rewind_target::TargetError::FrozenSender {
            account: a.mallory.clone(),
        },
    );
    // R5: sum of claims <= bank + insurance used.
    let sum_after: u128 = want.after.values().sum();
    assert_eq!(d.claims_after.u128(), sum_after);
    assert!(sum_after <= bank + d.insurance_used.u128());
    assert!(sum_after <= bank);
    // The ledger keeps the frozen claim as it stood at H (its keys are frozen) until a
    // sweep; its settled value is the restoration's record.
    assert_eq!(
        s.totals(USDC),
        sum_after + basis[&m_key] - want.after[&m_key]
    );
    // Unlocked: honest users can act, and withdraw their whole claim.
    let alice_claim = s.free(&a.alice, USDC);
    s.withdraw(&a.alice, alice_claim, USDC).unwrap();
    s.deposit(&a.bob, 1, USDC).unwrap();
    assert!(!s.pause_status().restoring);
}

#[test]
fn r9_exploit_restored_pro_rata_haircut() {
    exploit(ShortfallPolicy::ProRataHaircut);
}

#[test]
fn r9_exploit_restored_insurance_first() {
    exploit(ShortfallPolicy::InsuranceFirst);
}

/// Row R5: a donation is surplus, never a claim; with no shortfall nobody is cut, and under
/// `InsuranceFirst` the insurance claim covers a small shortfall before any honest cut.
#[test]
fn r5_donation_is_surplus_and_insurance_covers_first() {
    for (donation, theft) in [(5_000u128, 0u128), (0, 150)] {
        let mut s = SuiteBuilder::default().build();
        let alice = s.user("alice");
        let bob = s.user("bob");
        let insurance = s.roles.insurance.clone();
        s.mint(&insurance, cosmwasm_std::coins(1_000, USDC));
        s.deposit(&alice, 1_000, USDC).unwrap();
        s.deposit(&bob, 500, USDC).unwrap();
        s.deposit(&insurance, 200, USDC).unwrap();
        let h = s.height();
        s.next_block();
        s.deposit(&bob, 100, USDC).unwrap();
        let vault = s.vault.clone();
        let donor = s.user("donor");
        if donation > 0 {
            s.app
                .send_tokens(
                    donor.clone(),
                    vault.clone(),
                    &cosmwasm_std::coins(donation, USDC),
                )
                .unwrap();
        }
        if theft > 0 {
            // Funds leave the vault outside the ledger (the exploit's effect).
            s.app
                .send_tokens(vault.clone(), donor, &cosmwasm_std::coins(theft, USDC))
                .unwrap();
        }
        s.next_block();
        s.restore(h, &[], ShortfallPolicy::InsuranceFirst).unwrap();
        s.crank_to_end(&[2]);
        let d = s.report().unwrap().denoms[0].clone();
        assert_eq!(d.bank_balance.u128(), 1_800 + donation - theft);
        assert_eq!(d.claims_before.u128(), 1_800);
        assert_eq!(d.shortfall.u128(), theft);
        assert_eq!(d.surplus.u128(), donation);
        assert_eq!(d.insurance_used.u128(), theft);
        assert_eq!(d.haircut_ratio, cosmwasm_std::Decimal::zero());
        // Honest claims are whole: basis at H plus replayed flows.
        assert_eq!(s.free(&alice, USDC), 1_000);
        assert_eq!(s.free(&bob, USDC), 600);
        assert_eq!(s.free(&insurance, USDC), 200 - theft);
        assert!(d.claims_after.u128() <= d.bank_balance.u128());
    }
}

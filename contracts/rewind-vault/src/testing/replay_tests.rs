//! A vault restoration keeps the honest activity after its height: rewind-target replays
//! every recorded execution of an account not excluded (trades, closes, price pushes of an
//! honest feeder, deposits and withdrawals), skips the attacker's, and the vault settles.

use rewind_testing::SuiteBase;
use rewind_types::restorable::{
    ReplayOutcome, ReplayReportResponse, RestorableQueryMsg, RestorationPhase,
};
use rewind_types::vault::AccountResponse;
use rewind_types::ShortfallPolicy;

use super::suite::*;

/// Row R17 on the vault: after the height, alice opens and closes a long at a profit on an
/// honest price push while dave closes the opposite short at the same loss, bob opens a
/// short that stays open, carol deposits and withdraws, and
/// mallory (the attacker) withdraws her balance. Restored to the height with mallory
/// excluded: every honest execution is replayed (each account ends exactly as it stood
/// before the restoration), mallory's withdrawal is skipped and reported, and the
/// settlement is solvent (her frozen claim absorbs the shortfall her withdrawal left).
#[test]
fn r17_a_vault_restoration_replays_honest_trades_closes_and_transfers() {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    let bob = s.user("bob");
    let carol = s.user("carol");
    let dave = s.user("dave");
    let mallory = s.user("mallory");
    s.push_price(BTC, "100").unwrap();
    for (who, amount) in [
        (&alice, 1_000),
        (&bob, 1_000),
        (&carol, 500),
        (&dave, 1_000),
        (&mallory, 700),
    ] {
        s.deposit(who, amount, USDC).unwrap();
    }
    let h = s.height();
    s.next_block();
    // After H: honest trades, an honest price move, a close, transfers; the attack.
    s.open(&alice, BTC, 5, 100).unwrap();
    s.open(&dave, BTC, -5, 100).unwrap();
    s.open(&bob, BTC, -3, 60).unwrap();
    s.next_block();
    s.push_price(BTC, "110").unwrap();
    s.close(&alice, BTC).unwrap(); // +50
    s.close(&dave, BTC).unwrap(); // -50
    s.deposit(&carol, 250, USDC).unwrap();
    s.withdraw(&mallory, 700, USDC).unwrap();
    s.next_block();
    s.withdraw(&carol, 100, USDC).unwrap();
    s.next_block();
    let honest = [&alice, &bob, &carol, &dave];
    let present: Vec<AccountResponse> = honest.iter().map(|a| s.account(a)).collect();
    assert_eq!(s.claim_basis(&alice, USDC), 1_050);
    assert_eq!(s.claim_basis(&dave, USDC), 950);
    assert_eq!(s.claim_basis(&bob, USDC), 1_000);
    assert!(!s.account(&bob).positions.is_empty(), "bob's short is open");

    s.restore(h, &[&mallory], ShortfallPolicy::ProRataHaircut)
        .unwrap();
    s.crank_to_end(&[16]);

    // Status: the honest executions replayed, the attacker's one skipped.
    let status = s.status();
    assert_eq!(status.phase, RestorationPhase::Complete);
    assert!(status.digest_verified);
    assert_eq!(
        status.replayed_executions, 8,
        "3 opens, 1 push, 2 closes, 2 flows"
    );
    assert_eq!(status.skipped_executions, 1, "mallory's withdrawal");
    let report: ReplayReportResponse = s.query(&RestorableQueryMsg::ReplayReport {
        start_after: None,
        limit: None,
    });
    assert_eq!(report.entries.len(), 1, "{report:?}");
    let skipped = &report.entries[0];
    assert_eq!(skipped.sender, mallory.to_string());
    assert_eq!(skipped.outcome, ReplayOutcome::Excluded {});
    assert!(String::from_utf8_lossy(skipped.msg.as_slice()).contains("withdraw"));

    // Every honest account is exactly as it stood before the restoration: alice's profit,
    // dave's loss, bob's open short, carol's deposit and withdrawal (and, now, the claim the
    // restoration recorded for it: its whole balance).
    let restored: Vec<AccountResponse> = honest
        .iter()
        .map(|a| AccountResponse {
            claim: None,
            ..s.account(a)
        })
        .collect();
    assert_eq!(restored, present);
    let alice_claim = s.account(&alice).claim.unwrap();
    assert_eq!(alice_claim, cosmwasm_std::coins(1_050, USDC));
    assert!(s.account(&mallory).frozen);

    // Solvent: mallory's frozen claim (700 at H) absorbs the 700 her withdrawal took; no
    // honest claim is cut, and the settled claims are exactly the bank balance.
    let vault = s.vault.clone();
    let bank = s.bank(&vault, USDC);
    let d = s.report().unwrap().denoms[0].clone();
    assert_eq!(d.shortfall.u128(), 700);
    assert_eq!(d.frozen_before.u128(), 700);
    assert_eq!(d.frozen_after.u128(), 0);
    assert_eq!(d.haircut_shortfall.u128(), 0);
    assert!(d.claims_after.u128() <= bank + d.insurance_used.u128());
    let honest_sum: u128 = honest.iter().map(|a| s.claim_basis(a, USDC)).sum();
    assert_eq!(d.claims_after.u128(), honest_sum);
    assert_eq!(honest_sum, bank);
    let claims = s.all_claims();
    let mallory_claim = claims.iter().find(|c| c.account == mallory).unwrap();
    assert!(mallory_claim.frozen);
    assert!(
        mallory_claim.after.is_empty(),
        "nothing left for the attacker"
    );
    // Honest users act again, with their whole claims.
    s.withdraw(&alice, 1_050, USDC).unwrap();
}

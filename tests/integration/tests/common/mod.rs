//! Helpers shared by the integration tests: the claims model of DESIGN.md and a few
//! scenario steps.
#![allow(dead_code)]

use rewind_testing::SuiteBase;
use std::collections::{BTreeMap, BTreeSet};

use cosmwasm_std::Addr;
use rewind_testing::suite::{coin_u128, usdc, RestorationProposal, Suite, DAY, HOUR};
use rewind_types::executor::RestorationState;
use rewind_types::restorable::RestorationPhase;
use rewind_types::ShortfallPolicy;

/// Every account that may hold collateral in a suite's vaults.
pub fn accounts(suite: &Suite) -> Vec<Addr> {
    let mut all: Vec<Addr> = (0..suite.names.users.len())
        .map(|i| suite.user(i))
        .collect();
    all.extend((0..suite.names.holders.len()).map(|i| suite.holder(i)));
    all.push(suite.attacker());
    all.push(suite.insurance());
    all
}

/// Each account's collateral (free plus margin) in vault `vault` now: its claim were the
/// vault restored to the end of the current block.
pub fn snapshot(suite: &Suite, vault: usize) -> BTreeMap<Addr, u128> {
    accounts(suite)
        .into_iter()
        .map(|a| {
            let c = suite.collateral(vault, &a);
            (a, c)
        })
        .collect()
}

/// The claims model: what each account's claim must be after a restoration to H.
#[derive(Clone, Debug, Default)]
pub struct ClaimsModel {
    /// Each account's collateral at the end of H.
    pub at_h: BTreeMap<Addr, u128>,
    /// The deposits (+) and withdrawals (-) made after H, in order.
    pub flows: Vec<(Addr, i128)>,
}

impl ClaimsModel {
    /// Claims before settlement: at H plus the replayed flows of non-excluded accounts,
    /// each withdrawal clamped at zero (an honest withdrawal is never paid twice).
    pub fn before(&self, excluded: &BTreeSet<Addr>) -> BTreeMap<Addr, u128> {
        let mut claims = self.at_h.clone();
        for (who, amount) in &self.flows {
            if excluded.contains(who) {
                continue;
            }
            let c = claims.entry(who.clone()).or_default();
            if *amount >= 0 {
                *c += amount.unsigned_abs();
            } else {
                *c = c.saturating_sub(amount.unsigned_abs());
            }
        }
        claims.retain(|_, v| *v > 0);
        claims
    }
}

/// The settlement DESIGN.md and the vault README define, per account.
pub struct Settlement {
    /// Claims after settlement.
    pub after: BTreeMap<Addr, u128>,
    /// The shortfall.
    pub shortfall: u128,
    /// The insurance claim used.
    pub insurance_used: u128,
}

/// Settles `before` against `bank`: frozen claims absorb first, then (InsuranceFirst) the
/// insurance claim, then a pro-rata haircut of the honest claims; every kept value rounds
/// down.
pub fn settle(
    before: &BTreeMap<Addr, u128>,
    excluded: &BTreeSet<Addr>,
    insurance: &Addr,
    policy: ShortfallPolicy,
    bank: u128,
) -> Settlement {
    let total: u128 = before.values().sum();
    let s = total.saturating_sub(bank);
    let frozen: u128 = before
        .iter()
        .filter(|(a, _)| excluded.contains(*a))
        .map(|(_, v)| v)
        .sum();
    let f = s.min(frozen);
    let insurance_is_honest =
        policy == ShortfallPolicy::ProRataHaircut || excluded.contains(insurance);
    let i_claim = if insurance_is_honest {
        0
    } else {
        before.get(insurance).copied().unwrap_or(0)
    };
    let u = (s - f).min(i_claim);
    let h = s - f - u;
    let honest: u128 = total - frozen - i_claim;
    let after = before
        .iter()
        .map(|(a, &c)| {
            let kept = if excluded.contains(a) {
                mul_div(c, frozen - f, frozen)
            } else if !insurance_is_honest && a == insurance {
                c - u
            } else {
                mul_div(c, honest - h, honest)
            };
            (a.clone(), kept)
        })
        .collect();
    Settlement {
        after,
        shortfall: s,
        insurance_used: u,
    }
}

fn mul_div(c: u128, num: u128, den: u128) -> u128 {
    if den == 0 {
        return c;
    }
    // Amounts stay far below 2^64 in these tests, so the product fits.
    c.checked_mul(num).expect("small amounts") / den
}

/// Asserts the claims invariants of DESIGN.md on vault `vault` after a completed
/// restoration: each claim equals the model's (balance at H + replayed flows − share of
/// the shortfall), excluded accounts are frozen, nobody outside the model got a claim
/// (row G10), the sum of claims is at most the bank balance plus the insurance used (row
/// R5), and each honest account's collateral (free plus margin) is its claim.
pub fn assert_claims_invariants(
    suite: &Suite,
    vault: usize,
    model: &ClaimsModel,
    excluded: &[Addr],
    policy: ShortfallPolicy,
) {
    let excluded: BTreeSet<Addr> = excluded.iter().cloned().collect();
    let bank = suite.vault_bank(vault);
    let before = model.before(&excluded);
    let expected = settle(&before, &excluded, &suite.insurance(), policy, bank);

    let report = suite
        .restoration_report(vault)
        .expect("a completed restoration has a report");
    let d = &report.denoms[0];
    assert_eq!(
        d.bank_balance.u128(),
        bank,
        "reconciled against the real bank balance"
    );
    assert_eq!(
        d.claims_before.u128(),
        before.values().sum::<u128>(),
        "claims before"
    );
    assert_eq!(d.shortfall.u128(), expected.shortfall, "shortfall");
    assert_eq!(
        d.insurance_used.u128(),
        expected.insurance_used,
        "insurance used"
    );

    let claims = suite.restoration_claims(vault);
    let mut seen = BTreeSet::new();
    for claim in &claims {
        let who = &claim.account;
        let got_before = usdc(&claim.before);
        let got_after = usdc(&claim.after);
        assert_eq!(
            got_before,
            before.get(who).copied().unwrap_or(0),
            "claim before settlement of {who}"
        );
        assert_eq!(
            got_after,
            expected.after.get(who).copied().unwrap_or(0),
            "claim after settlement of {who}"
        );
        assert_eq!(claim.frozen, excluded.contains(who), "frozen flag of {who}");
        seen.insert(who.clone());
    }
    for (who, &c) in &before {
        assert!(
            seen.contains(who),
            "{who} with claim {c} has no claim record"
        );
    }
    let sum_after: u128 = claims.iter().map(|c| usdc(&c.after)).sum();
    assert!(
        sum_after <= bank + expected.insurance_used,
        "sum of claims {sum_after} exceeds bank {bank} + insurance used {}",
        expected.insurance_used
    );
    assert!(
        sum_after <= bank,
        "sum of claims {sum_after} exceeds bank {bank}"
    );
    assert_eq!(d.claims_after.u128(), sum_after, "report sums the claims");
    for who in accounts(suite) {
        let account = suite.account(vault, &who);
        assert_eq!(
            account.frozen,
            excluded.contains(&who),
            "frozen flag of {who}"
        );
        // The vault replays honest trades, so honest positions stand (they are closed at
        // their entry price only when a cut needs it): an honest account's collateral plus
        // margin is its settled claim. A frozen account's ledger stays as it was at H (its
        // keys are frozen); its settled claim is the restoration's record, swept later.
        let claim = match excluded.contains(&who) {
            true => before.get(&who).copied().unwrap_or(0),
            false => expected.after.get(&who).copied().unwrap_or(0),
        };
        let margin: u128 = account.positions.iter().map(|p| p.margin.u128()).sum();
        let free: u128 = account.collateral.iter().map(coin_u128).sum();
        assert_eq!(free + margin, claim, "{who}'s collateral is its claim");
    }
}

/// Votes every holder for `height`, waits out the voting period, closes and returns the
/// queued timelock operation.
pub fn pass_and_queue(suite: &mut Suite, proposal_id: u64, height: u64) -> u64 {
    suite.vote_all_holders(proposal_id, height);
    let end = suite.proposal(proposal_id).end_time;
    let wait = end.seconds().saturating_sub(suite.time().seconds());
    suite.advance_by(wait, wait / 5 + 1);
    suite.close(proposal_id).expect("close");
    suite.operation_of(proposal_id)
}

/// Waits until operation `operation_id` is due by time and blocks.
pub fn wait_until_due(suite: &mut Suite, operation_id: u64) {
    let op = suite.operation(operation_id);
    let secs = op.eta.seconds().saturating_sub(suite.time().seconds());
    let blocks = op.eta_height.saturating_sub(suite.height());
    suite.advance_by(secs, blocks.max(1));
}

/// Asserts restoration `id` completed at `height` with every target's digest verified.
pub fn assert_complete(suite: &Suite, id: u64, height: u64) {
    let r = suite.restoration(id);
    assert_eq!(r.state, RestorationState::Complete);
    for t in &r.targets {
        assert!(t.migrated);
        assert_eq!(t.status.phase, RestorationPhase::Complete);
        assert_eq!(t.status.height, Some(height));
        assert!(
            t.status.digest_verified,
            "digest of {} verified",
            t.contract
        );
    }
}

/// A default restoration proposal: one candidate; the attacker excluded when it acted after it.
pub fn proposal(
    suite: &Suite,
    vaults: Vec<usize>,
    height: u64,
    expedited: bool,
) -> RestorationProposal {
    // Only an account that acted after the height may be excluded (row G14).
    let attacker = suite.attacker();
    let acted = vaults
        .iter()
        .any(|&v| suite.last_acted(v, &attacker).is_some_and(|at| at > height));
    RestorationProposal {
        exclusions: if acted { vec![attacker] } else { vec![] },
        targets: vaults,
        heights: vec![height],
        policy: ShortfallPolicy::ProRataHaircut,
        expedited,
    }
}

/// Three days: the guardian's default cap.
pub const MAX_PAUSE: u64 = 72 * HOUR;
/// The expedited voting period.
pub const EXPEDITED: u64 = DAY;

//! Property test: random users and actions over many blocks, an exploit by a compromised
//! feeder, more honest activity, then a restoration to a random retained height with random
//! exclusions, policy, donation and batch sizes. Every invariant of the design must hold.
//!
//! The reference is the honest history: the same successful executions run on a fresh vault
//! without those of the excluded accounts after the height (nor an honest liquidation of an
//! excluded account, whose keys are frozen). Its ledger is what the replay must rebuild for
//! every honest account; the excluded ones keep their state at the height, frozen; then the
//! settlement model of `model.rs` applies to those claims and the real bank balance.

use rewind_testing::SuiteBase;
use std::collections::{BTreeMap, BTreeSet};

use cosmwasm_std::{coins, Addr, Uint128};
use cw_multi_test::Executor;
use proptest::prelude::*;
use rewind_types::restorable::RestorationPhase;
use rewind_types::vault::{AccountResponse, RestorationStep};
use rewind_types::ShortfallPolicy;

use super::model::{expected, FlowRec, Key};
use super::suite::*;

const DENOMS: [&str; 2] = [USDC, ATOM];
const MARKETS: [(&str, &str); 2] = [(BTC, USDC), (ETH, ATOM)];
const HONEST: usize = 4;

#[derive(Debug, Clone)]
enum Act {
    Deposit {
        u: usize,
        d: usize,
        amt: u128,
    },
    Withdraw {
        u: usize,
        d: usize,
        amt: u128,
    },
    Open {
        u: usize,
        m: usize,
        size: i128,
        extra: u128,
    },
    Close {
        u: usize,
        m: usize,
    },
    Liquidate {
        by: usize,
        u: usize,
        m: usize,
    },
    Price {
        m: usize,
        pct: i64,
    },
    NextBlock,
}

fn act(users: usize) -> impl Strategy<Value = Act> {
    prop_oneof![
        3 => (0..users, 0..2usize, 1..2_000u128).prop_map(|(u, d, amt)| Act::Deposit { u, d, amt }),
        2 => (0..users, 0..2usize, 1..1_500u128).prop_map(|(u, d, amt)| Act::Withdraw { u, d, amt }),
        2 => (0..users, 0..2usize, -40..40i128, 0..300u128)
            .prop_map(|(u, m, size, extra)| Act::Open { u, m, size, extra }),
        1 => (0..users, 0..2usize).prop_map(|(u, m)| Act::Close { u, m }),
        1 => (0..users, 0..users, 0..2usize).prop_map(|(by, u, m)| Act::Liquidate { by, u, m }),
        2 => (0..2usize, -15..15i64).prop_map(|(m, pct)| Act::Price { m, pct }),
        3 => Just(Act::NextBlock),
    ]
}

/// One successful execution, as a fresh vault can run it again.
#[derive(Debug, Clone)]
enum Op {
    Deposit(Addr, u128, &'static str),
    Withdraw(Addr, u128, &'static str),
    Open(Addr, usize, i128, u128),
    Close(Addr, usize),
    Liquidate(Addr, Addr, usize),
    Price(usize, u128),
    NextBlock,
}

struct World {
    s: Suite,
    users: Vec<Addr>,
    attacker: Addr,
    prices: [u128; 2],
    flows: Vec<FlowRec>,
    /// Every successful execution, with its height (and every block end).
    log: Vec<(u64, Op)>,
    /// End-of-block state: full account views and claim bases.
    snaps: BTreeMap<u64, (Vec<AccountResponse>, BTreeMap<Key, u128>)>,
}

impl World {
    fn accounts(&self) -> Vec<Addr> {
        let mut v = self.users.clone();
        v.push(self.attacker.clone());
        v.push(self.s.roles.insurance.clone());
        v
    }

    fn end_block(&mut self) {
        let accounts = self.accounts();
        let views: Vec<AccountResponse> = accounts.iter().map(|a| self.s.account(a)).collect();
        let mut basis = BTreeMap::new();
        for a in &accounts {
            for d in DENOMS {
                basis.insert((a.clone(), d.to_string()), self.s.claim_basis(a, d));
            }
        }
        for d in DENOMS {
            let sum: u128 = basis
                .iter()
                .filter(|((_, x), _)| x == d)
                .map(|(_, v)| *v)
                .sum();
            assert_eq!(sum, self.s.totals(d), "liabilities = collateral + margin");
        }
        self.snaps.insert(self.s.height(), (views, basis));
        self.log.push((self.s.height(), Op::NextBlock));
        self.s.next_block();
    }

    fn deposit(&mut self, who: &Addr, amt: u128, d: &'static str) {
        if self.s.deposit(who, amt, d).is_ok() {
            self.log
                .push((self.s.height(), Op::Deposit(who.clone(), amt, d)));
            self.flows.push(FlowRec {
                height: self.s.height(),
                account: who.clone(),
                denom: d.into(),
                amount: amt as i128,
            });
        }
    }

    fn withdraw(&mut self, who: &Addr, amt: u128, d: &'static str) {
        if self.s.withdraw(who, amt, d).is_ok() {
            self.log
                .push((self.s.height(), Op::Withdraw(who.clone(), amt, d)));
            self.flows.push(FlowRec {
                height: self.s.height(),
                account: who.clone(),
                denom: d.into(),
                amount: -(amt as i128),
            });
        }
    }

    fn price(&mut self, m: usize, p: u128) {
        self.prices[m] = p.max(1);
        let price = self.prices[m].to_string();
        self.s.push_price(MARKETS[m].0, &price).unwrap();
        self.log
            .push((self.s.height(), Op::Price(m, self.prices[m])));
    }

    fn open(&mut self, who: &Addr, m: usize, size: i128, margin: u128) -> bool {
        let ok = self.s.open(who, MARKETS[m].0, size, margin).is_ok();
        if ok {
            self.log
                .push((self.s.height(), Op::Open(who.clone(), m, size, margin)));
        }
        ok
    }

    fn close(&mut self, who: &Addr, m: usize) -> bool {
        let ok = self.s.close(who, MARKETS[m].0).is_ok();
        if ok {
            self.log.push((self.s.height(), Op::Close(who.clone(), m)));
        }
        ok
    }

    fn liquidate(&mut self, by: &Addr, who: &Addr, m: usize) {
        if self.s.liquidate(by, who, MARKETS[m].0).is_ok() {
            self.log
                .push((self.s.height(), Op::Liquidate(by.clone(), who.clone(), m)));
        }
    }

    fn run(&mut self, a: &Act, who: &[Addr]) {
        match *a {
            Act::Deposit { u, d, amt } => self.deposit(&who[u].clone(), amt, DENOMS[d]),
            Act::Withdraw { u, d, amt } => self.withdraw(&who[u].clone(), amt, DENOMS[d]),
            Act::Open { u, m, size, extra } => {
                // Initial margin 10% of the notional, plus a random cushion.
                let notional = size.unsigned_abs() * self.prices[m];
                let margin = notional.div_ceil(10) + extra;
                self.open(&who[u].clone(), m, size, margin.max(1));
            }
            Act::Close { u, m } => {
                self.close(&who[u].clone(), m);
            }
            Act::Liquidate { by, u, m } => self.liquidate(&who[by].clone(), &who[u].clone(), m),
            Act::Price { m, pct } => {
                let p = self.prices[m] as i128 * (100 + pct as i128) / 100;
                self.price(m, p.max(1) as u128);
            }
            Act::NextBlock => self.end_block(),
        }
    }
}

#[derive(Debug, Clone)]
struct Case {
    before: Vec<Act>,
    after: Vec<Act>,
    pump: u128,
    h_pick: usize,
    exclude_extra: Option<usize>,
    insurance_first: bool,
    donation: u128,
    batches: Vec<u32>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(act(HONEST + 1), 10..60),
        prop::collection::vec(act(HONEST), 0..25),
        2..6u128,
        any::<usize>(),
        prop::option::weighted(0.3, 0..HONEST),
        any::<bool>(),
        prop_oneof![Just(0u128), 1..3_000u128],
        prop::collection::vec(1..25u32, 1..4),
    )
        .prop_map(
            |(before, after, pump, h_pick, exclude_extra, insurance_first, donation, batches)| {
                Case {
                    before,
                    after,
                    pump,
                    h_pick,
                    exclude_extra,
                    insurance_first,
                    donation,
                    batches,
                }
            },
        )
}

/// A fresh vault with the users, the insurance funds and the first prices and block.
fn world() -> World {
    let mut s = SuiteBuilder::default()
        .with_breaker_bound_bps(100_000)
        .build();
    let users: Vec<Addr> = (0..HONEST).map(|i| s.user(&format!("user{i}"))).collect();
    let attacker = s.user("attacker");
    let insurance = s.roles.insurance.clone();
    s.mint(
        &insurance,
        vec![
            cosmwasm_std::coin(1_000, USDC),
            cosmwasm_std::coin(1_000, ATOM),
        ],
    );
    let mut w = World {
        s,
        users,
        attacker,
        prices: [100, 10],
        flows: vec![],
        log: vec![],
        snaps: BTreeMap::new(),
    };
    w.price(0, 100);
    w.price(1, 10);
    w.deposit(&insurance, 200, USDC);
    w.end_block();
    w
}

/// The honest history: `log` after the setup run on a fresh vault, without the excluded
/// accounts' executions after `h` nor an honest liquidation of one of them then. Returns
/// each (account, denom)'s claim basis (free collateral plus margin) at the end.
fn honest_history(
    log: &[(u64, Op)],
    h: u64,
    excluded: &BTreeSet<Addr>,
    accounts: &[Addr],
) -> BTreeMap<Key, u128> {
    let mut f = world();
    let setup = f.log.len();
    for (height, op) in &log[setup..] {
        assert_eq!(
            f.s.height(),
            *height,
            "the fresh vault runs at the same heights"
        );
        let after = *height > h;
        let skipped = |who: &Addr| after && excluded.contains(who);
        match op {
            Op::Deposit(who, amt, d) if !skipped(who) => {
                let _ = f.s.deposit(who, *amt, d);
            }
            Op::Withdraw(who, amt, d) if !skipped(who) => {
                // The ledger's history, not the bank's: a replayed withdrawal sends nothing
                // (it was paid when it ran, maybe from an excluded account's deposit), so
                // the fresh vault never refuses one for want of funds; the settlement
                // compares the ledger with the real bank.
                let vault = f.s.vault.clone();
                f.s.mint(&vault, coins(*amt, *d));
                let _ = f.s.withdraw(who, *amt, d);
            }
            Op::Open(who, m, size, margin) if !skipped(who) => {
                let _ = f.s.open(who, MARKETS[*m].0, *size, *margin);
            }
            Op::Close(who, m) if !skipped(who) => {
                let _ = f.s.close(who, MARKETS[*m].0);
            }
            Op::Liquidate(by, who, m) if !skipped(by) && !skipped(who) => {
                let _ = f.s.liquidate(by, who, MARKETS[*m].0);
            }
            Op::Price(m, price) => {
                f.s.push_price(MARKETS[*m].0, &price.to_string()).unwrap();
            }
            Op::NextBlock => f.s.next_block(),
            _ => {}
        }
    }
    let mut basis = BTreeMap::new();
    for a in accounts {
        for d in DENOMS {
            basis.insert((a.clone(), d.to_string()), f.s.claim_basis(a, d));
        }
    }
    basis
}

fn check(c: Case) {
    let mut w = world();
    let users = w.users.clone();
    let attacker = w.attacker.clone();
    let insurance = w.s.roles.insurance.clone();
    let mut everyone = users.clone();
    everyone.push(attacker.clone());
    for a in &c.before {
        w.run(a, &everyone);
    }
    w.end_block();

    // The exploit: a position, a manipulated price, a profitable close, a withdrawal.
    w.deposit(&attacker, 500, USDC);
    if w.s
        .account(&attacker)
        .positions
        .iter()
        .all(|p| p.market != BTC)
    {
        let margin = 20 * w.prices[0] / 10 + 1;
        assert!(w.open(&attacker, 0, 20, margin));
    }
    w.end_block();
    let honest_price = w.prices[0];
    w.price(0, honest_price * c.pump);
    if w.close(&attacker, 0) {
        let vault = w.s.vault.clone();
        let loot = w.s.free(&attacker, USDC).min(w.s.bank(&vault, USDC));
        if loot > 0 {
            w.withdraw(&attacker, loot, USDC);
        }
    }
    w.end_block();
    w.price(0, honest_price);
    for a in &c.after {
        w.run(a, &users);
    }
    w.end_block();

    // Restore to a random retained height.
    let heights: Vec<u64> = w.snaps.keys().copied().collect();
    let h = heights[c.h_pick % heights.len()];
    if c.donation > 0 {
        let donor = w.s.addr("donor");
        w.s.mint(&donor, coins(c.donation, USDC));
        let vault = w.s.vault.clone();
        w.s.app
            .send_tokens(donor, vault, &coins(c.donation, USDC))
            .unwrap();
    }
    let mut excluded = BTreeSet::from([attacker.clone()]);
    if let Some(i) = c.exclude_extra {
        excluded.insert(users[i].clone());
    }
    // Row G14: only accounts that acted after the height may be excluded (the vault refuses
    // a dormant one, see g14 tests).
    excluded.retain(|a| w.s.last_acted(a).is_some_and(|at| at > h));
    let policy = if c.insurance_first {
        ShortfallPolicy::InsuranceFirst
    } else {
        ShortfallPolicy::ProRataHaircut
    };
    let ex: Vec<&Addr> = excluded.iter().collect();
    w.s.restore(h, &ex, policy).unwrap();
    let accounts = w.accounts();
    let mut n = 0;
    let mut saw_h = false;
    while w.s.status().phase != RestorationPhase::Complete {
        w.s.crank(Some(c.batches[n % c.batches.len()])).unwrap();
        n += 1;
        let p = w.s.progress();
        // The crank that reaches the height ends there: the state before any replay.
        if p.step == Some(RestorationStep::Replaying) && p.replayed_flows + p.skipped_flows == 0 {
            let views: Vec<AccountResponse> = accounts.iter().map(|a| w.s.account(a)).collect();
            // The exclusions are frozen from that point on (rewind-target's freeze).
            let mut at_h = w.snaps[&h].0.clone();
            for view in at_h.iter_mut() {
                view.frozen |= excluded.contains(&view.account);
            }
            assert_eq!(views, at_h, "rollback(H) = state at the end of H");
            saw_h = true;
        }
        if w.s.status().phase != RestorationPhase::Complete {
            assert!(
                w.s.deposit(&users[0], 1, USDC).is_err(),
                "locked between batches"
            );
        }
        if n % 2 == 0 {
            w.s.next_block();
        }
    }
    // Row R12: complete, still locked until released.
    assert!(w.s.pause_status().restoring);
    assert!(w.s.deposit(&users[0], 1, USDC).is_err());
    w.s.release().unwrap();
    assert!(saw_h);
    let status = w.s.status();
    assert!(status.digest_verified);
    assert!(!w.s.pause_status().restoring);

    let vault = w.s.vault.clone();
    let bank: BTreeMap<String, u128> = DENOMS
        .iter()
        .map(|d| (d.to_string(), w.s.bank(&vault, d)))
        .collect();
    // Claims after the replay: the honest history for every honest account, the state at
    // the height for the excluded ones (frozen: nothing of theirs was replayed).
    let honest = honest_history(&w.log, h, &excluded, &accounts);
    let mut before = honest.clone();
    for ((a, d), v) in &w.snaps[&h].1 {
        if excluded.contains(a) {
            before.insert((a.clone(), d.clone()), *v);
        }
    }
    let want = expected(&before, &[], h, &excluded, &insurance, policy, &bank);
    let report = w.s.report().unwrap();
    for d in DENOMS {
        let r = report.denoms.iter().find(|x| x.denom == d).unwrap();
        assert_eq!(r.shortfall.u128(), want.shortfall[d], "{d} shortfall");
        assert_eq!(
            r.insurance_used.u128(),
            want.insurance_used[d],
            "{d} insurance"
        );
        assert_eq!(
            r.overdraft.u128(),
            want.overdraft.get(d).copied().unwrap_or(0)
        );
        let sum: u128 = want
            .after
            .iter()
            .filter(|((_, x), _)| x == d)
            .map(|(_, v)| *v)
            .sum();
        assert_eq!(r.claims_after.u128(), sum);
        // R5: sum of claims <= bank + insurance used; donations never break it.
        assert!(sum <= bank[d] + r.insurance_used.u128());
        assert!(sum <= bank[d]);
        let frozen_ledger: u128 = excluded
            .iter()
            .map(|a| {
                before
                    .get(&(a.clone(), d.to_string()))
                    .copied()
                    .unwrap_or(0)
            })
            .sum();
        let frozen_after: u128 = excluded
            .iter()
            .map(|a| {
                want.after
                    .get(&(a.clone(), d.to_string()))
                    .copied()
                    .unwrap_or(0)
            })
            .sum();
        assert_eq!(w.s.totals(d), sum - frozen_after + frozen_ledger);
    }
    for a in &accounts {
        let view = w.s.account(a);
        assert_eq!(view.frozen, excluded.contains(a));
        for d in DENOMS {
            let key = (a.clone(), d.to_string());
            // An honest claim: its honest history minus its share of the shortfall (positions
            // stand unless a cut closed them at entry price). A frozen one: its state at the
            // height, in the ledger until a sweep (its settled value is the claim record).
            let want_ledger = match excluded.contains(a) {
                true => before.get(&key).copied().unwrap_or(0),
                false => want.after.get(&key).copied().unwrap_or(0),
            };
            assert_eq!(w.s.claim_basis(a, d), want_ledger, "{a} {d}");
        }
    }
    for claim in w.s.all_claims() {
        for d in DENOMS {
            let key = (claim.account.clone(), d.to_string());
            let got = |coins: &[cosmwasm_std::Coin]| -> u128 {
                coins
                    .iter()
                    .filter(|x| x.denom == d)
                    .map(|x| Uint128::try_from(x.amount).unwrap().u128())
                    .sum()
            };
            assert_eq!(
                got(&claim.before),
                want.before.get(&key).copied().unwrap_or(0)
            );
            assert_eq!(
                got(&claim.after),
                want.after.get(&key).copied().unwrap_or(0)
            );
        }
    }
    // Unlocked for honest users.
    let honest = users.iter().find(|u| !excluded.contains(*u)).unwrap();
    w.s.deposit(honest, 1, USDC).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn r5_r9_restoration_invariants_hold_for_random_histories(c in case()) {
        check(c);
    }
}

//! Property test: random users and actions over many blocks, an exploit by a compromised
//! feeder, more honest activity, then a restoration to a random retained height with random
//! exclusions, policy, donation and batch sizes. Every invariant of the design must hold.

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

struct World {
    s: Suite,
    users: Vec<Addr>,
    attacker: Addr,
    prices: [u128; 2],
    flows: Vec<FlowRec>,
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
        self.s.next_block();
    }

    fn deposit(&mut self, who: &Addr, amt: u128, d: &str) {
        if self.s.deposit(who, amt, d).is_ok() {
            self.flows.push(FlowRec {
                height: self.s.height(),
                account: who.clone(),
                denom: d.into(),
                amount: amt as i128,
            });
        }
    }

    fn withdraw(&mut self, who: &Addr, amt: u128, d: &str) {
        if self.s.withdraw(who, amt, d).is_ok() {
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
    }

    fn run(&mut self, a: &Act, who: &[Addr]) {
        match *a {
            Act::Deposit { u, d, amt } => self.deposit(&who[u].clone(), amt, DENOMS[d]),
            Act::Withdraw { u, d, amt } => self.withdraw(&who[u].clone(), amt, DENOMS[d]),
            Act::Open { u, m, size, extra } => {
                // Initial margin 10% of the notional, plus a random cushion.
                let notional = size.unsigned_abs() * self.prices[m];
                let margin = notional.div_ceil(10) + extra;
                let _ = self.s.open(&who[u], MARKETS[m].0, size, margin.max(1));
            }
            Act::Close { u, m } => {
                let _ = self.s.close(&who[u], MARKETS[m].0);
            }
            Act::Liquidate { by, u, m } => {
                let _ = self.s.liquidate(&who[by], &who[u], MARKETS[m].0);
            }
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

fn check(c: Case) {
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
        users: users.clone(),
        attacker: attacker.clone(),
        prices: [100, 10],
        flows: vec![],
        snaps: BTreeMap::new(),
    };
    w.price(0, 100);
    w.price(1, 10);
    w.deposit(&insurance, 200, USDC);
    w.end_block();
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
        w.s.open(&attacker, BTC, 20, margin).unwrap();
    }
    w.end_block();
    let honest_price = w.prices[0];
    w.price(0, honest_price * c.pump);
    if w.s.close(&attacker, BTC).is_ok() {
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
        if p.step == Some(RestorationStep::Unwinding) && p.unwound_positions == 0 {
            let views: Vec<AccountResponse> = accounts.iter().map(|a| w.s.account(a)).collect();
            assert_eq!(views, w.snaps[&h].0, "rollback(H) = state at the end of H");
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
    let want = expected(
        &w.snaps[&h].1,
        &w.flows,
        h,
        &excluded,
        &insurance,
        policy,
        &bank,
    );
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
        assert_eq!(w.s.totals(d), sum);
    }
    for a in &accounts {
        let view = w.s.account(a);
        assert!(view.positions.is_empty());
        assert_eq!(view.frozen, excluded.contains(a));
        for d in DENOMS {
            let key = (a.clone(), d.to_string());
            // Honest claim = basis at H + replayed flows - share of the shortfall (G10: no
            // other change).
            assert_eq!(
                w.s.free(a, d),
                want.after.get(&key).copied().unwrap_or(0),
                "{a} {d}"
            );
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

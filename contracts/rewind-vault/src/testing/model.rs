//! A plain-integer reference of what a restoration must produce, written independently of
//! the contract: claims at H, replay (clamped at zero), subordination of excluded claims,
//! then the shortfall policy with every kept value rounded down.

use std::collections::{BTreeMap, BTreeSet};

use cosmwasm_std::Addr;
use rewind_types::ShortfallPolicy;

pub type Key = (Addr, String);

#[derive(Debug, Default, Clone)]
pub struct Expected {
    /// Claims after the replay, before settlement.
    pub before: BTreeMap<Key, u128>,
    /// Claims after settlement.
    pub after: BTreeMap<Key, u128>,
    /// Per denom: shortfall, insurance used.
    pub shortfall: BTreeMap<String, u128>,
    pub insurance_used: BTreeMap<String, u128>,
    pub overdraft: BTreeMap<String, u128>,
}

pub struct FlowRec {
    pub height: u64,
    pub account: Addr,
    pub denom: String,
    pub amount: i128,
}

#[allow(clippy::too_many_arguments)]
pub fn expected(
    basis_at_h: &BTreeMap<Key, u128>,
    flows: &[FlowRec],
    height: u64,
    excluded: &BTreeSet<Addr>,
    insurance: &Addr,
    policy: ShortfallPolicy,
    bank: &BTreeMap<String, u128>,
) -> Expected {
    let mut e = Expected {
        before: basis_at_h.clone(),
        ..Default::default()
    };
    for f in flows.iter().filter(|f| f.height > height) {
        if excluded.contains(&f.account) {
            continue;
        }
        let v = e
            .before
            .entry((f.account.clone(), f.denom.clone()))
            .or_default();
        if f.amount >= 0 {
            *v += f.amount as u128;
        } else {
            let out = f.amount.unsigned_abs();
            let taken = (*v).min(out);
            *v -= taken;
            *e.overdraft.entry(f.denom.clone()).or_default() += out - taken;
        }
    }
    for (denom, b) in bank {
        let of_denom = |pred: &dyn Fn(&Addr) -> bool| -> u128 {
            e.before
                .iter()
                .filter(|((a, d), _)| d == denom && pred(a))
                .map(|(_, v)| *v)
                .sum()
        };
        let claims = of_denom(&|_| true);
        let frozen = of_denom(&|a| excluded.contains(a));
        let ins_first = policy == ShortfallPolicy::InsuranceFirst && !excluded.contains(insurance);
        let insurance_claim = if ins_first {
            of_denom(&|a| a == insurance)
        } else {
            0
        };
        let shortfall = claims.saturating_sub(*b);
        let frozen_cut = shortfall.min(frozen);
        let used = (shortfall - frozen_cut).min(insurance_claim);
        let haircut = shortfall - frozen_cut - used;
        let honest = claims - frozen - insurance_claim;
        e.shortfall.insert(denom.clone(), shortfall);
        e.insurance_used.insert(denom.clone(), used);
        for ((a, d), v) in e.before.iter().filter(|((_, d), _)| d == denom) {
            let after = if excluded.contains(a) {
                (v * (frozen - frozen_cut))
                    .checked_div(frozen)
                    .unwrap_or(*v)
            } else if ins_first && a == insurance {
                insurance_claim - used
            } else {
                // u128 is enough for the amounts the tests use.
                (v * (honest - haircut)).checked_div(honest).unwrap_or(*v)
            };
            e.after.insert((a.clone(), d.clone()), after);
        }
    }
    e
}

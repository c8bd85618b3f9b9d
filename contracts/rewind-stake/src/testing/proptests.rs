//! Random stake/unstake/claim sequences against a model: the power at every past height
//! equals the model's, and the total equals the sum of powers.

use rewind_testing::SuiteBase;
use std::collections::BTreeMap;

use proptest::prelude::*;

use super::suite::{Suite, UNBONDING};

const USERS: [&str; 3] = ["alice", "bob", "carol"];

#[derive(Debug, Clone)]
enum Op {
    Stake(usize, u128),
    Unstake(usize, u128),
    Claim(usize),
    NextBlock(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..USERS.len(), 1..1_000u128).prop_map(|(u, a)| Op::Stake(u, a)),
        2 => (0..USERS.len(), 1..600u128).prop_map(|(u, a)| Op::Unstake(u, a)),
        1 => (0..USERS.len()).prop_map(Op::Claim),
        2 => (1..UNBONDING).prop_map(Op::NextBlock),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn power_at_every_past_height_matches_the_model(ops in prop::collection::vec(op(), 1..40)) {
        let mut suite = Suite::new(&USERS, 1_000_000);
        // staked[user] now, and the value at the START of each height.
        let mut staked = [0u128; 3];
        let mut history: BTreeMap<u64, [u128; 3]> = BTreeMap::new();
        history.insert(suite.height(), staked);
        for op in ops {
            match op {
                Op::Stake(u, amount) => {
                    suite.stake(USERS[u], amount).unwrap();
                    staked[u] += amount;
                }
                Op::Unstake(u, amount) => {
                    let result = suite.unstake(USERS[u], amount);
                    prop_assert_eq!(result.is_ok(), amount <= staked[u]);
                    if amount <= staked[u] {
                        staked[u] -= amount;
                    }
                }
                Op::Claim(u) => {
                    // Claims never change power.
                    let _ = suite.claim(USERS[u]);
                }
                Op::NextBlock(seconds) => {
                    suite.advance_by(seconds, 1);
                    history.insert(suite.height(), staked);
                }
            }
        }
        suite.advance_by(1, 1);
        history.insert(suite.height(), staked);
        for (&height, powers) in &history {
            let mut sum = 0;
            for (u, user) in USERS.iter().enumerate() {
                prop_assert_eq!(suite.power(user, Some(height)), powers[u], "{} at {}", user, height);
                sum += suite.power(user, Some(height));
            }
            prop_assert_eq!(suite.total(Some(height)), powers.iter().sum::<u128>());
            prop_assert_eq!(suite.total(Some(height)), sum);
        }
    }
}

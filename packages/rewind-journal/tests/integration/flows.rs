//! Flows: append-only, never rolled back, paged per account and globally.

use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{Addr, Int128, Uint128};
use rewind_journal::{
    account_flows_after, digest_at, flows_after, initialize, record_flow, rollback_step,
    start_rollback, Flow, Journal, JournaledMap, MAX_FLOW_PAGE,
};

use crate::common::env_at;

const BALANCES: JournaledMap<&Addr, Uint128> = JournaledMap::new("balances");

fn addr(s: &str) -> Addr {
    cosmwasm_std::testing::MockApi::default().addr_make(s)
}

/// Flows at heights 10..=14: alice +100 and bob -(h) every height, alice -1 at even heights.
fn flows() -> (MockStorage, Addr, Addr) {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 100, 1).unwrap();
    let (alice, bob) = (addr("alice"), addr("bob"));
    for h in 10..=14u64 {
        let env = env_at(h);
        record_flow(&mut store, &env, &alice, "uusd", Int128::new(100)).unwrap();
        record_flow(&mut store, &env, &bob, "uusd", Int128::new(-(h as i128))).unwrap();
        if h % 2 == 0 {
            record_flow(&mut store, &env, &alice, "uatom", Int128::new(-1)).unwrap();
        }
    }
    (store, alice, bob)
}

#[test]
fn flows_after_height_in_seq_order_with_pages() {
    let (store, _, bob) = flows();
    let all = flows_after(&store, 9, None, 100).unwrap();
    assert_eq!(all.len(), 13);
    assert!(all.windows(2).all(|w| w[0].seq + 1 == w[1].seq));
    assert_eq!(all[0].seq, 1);

    let after_12 = flows_after(&store, 12, None, 100).unwrap();
    assert!(after_12.iter().all(|f| f.height > 12));
    assert_eq!(after_12.len(), 5);
    assert_eq!(
        after_12[0],
        Flow {
            seq: 9,
            height: 13,
            account: addr("alice"),
            denom: "uusd".into(),
            amount: Int128::new(100)
        }
    );
    assert_eq!(after_12[1].account, bob);

    // Paging: any page size walks the same sequence.
    for page in [1u32, 2, 4] {
        let mut got: Vec<Flow> = vec![];
        let mut start_after = None;
        loop {
            let p = flows_after(&store, 11, start_after, page).unwrap();
            if p.is_empty() {
                break;
            }
            assert!(p.len() <= page as usize);
            start_after = p.last().map(|f| f.seq);
            got.extend(p);
        }
        assert_eq!(got, flows_after(&store, 11, None, 100).unwrap());
    }
    assert!(flows_after(&store, 14, None, 100).unwrap().is_empty());
    assert_eq!(
        flows_after(&store, 0, None, u32::MAX).unwrap().len(),
        13usize.min(MAX_FLOW_PAGE as usize)
    );
}

#[test]
fn account_flows_after_height_in_seq_order_with_pages() {
    let (store, alice, bob) = flows();
    let a = account_flows_after(&store, &alice, 11, None, 100).unwrap();
    assert_eq!(
        a.iter()
            .map(|f| (f.height, f.amount.i128()))
            .collect::<Vec<_>>(),
        vec![(12, 100), (12, -1), (13, 100), (14, 100), (14, -1)]
    );
    let page1 = account_flows_after(&store, &alice, 11, None, 2).unwrap();
    let page2 = account_flows_after(&store, &alice, 11, page1.last().map(|f| f.seq), 2).unwrap();
    assert_eq!([page1, page2].concat(), a[..4].to_vec());
    let b = account_flows_after(&store, &bob, 13, None, 100).unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].amount, Int128::new(-14));
    assert!(account_flows_after(&store, &addr("carol"), 0, None, 10)
        .unwrap()
        .is_empty());
}

#[test]
fn flows_are_not_rolled_back() {
    let (mut store, alice, _) = flows();
    let mut j = Journal::new(&env_at(11));
    BALANCES
        .save(&mut store, &mut j, &alice, &Uint128::new(1))
        .unwrap();
    j.flush(&mut store).unwrap();
    let mut j = Journal::new(&env_at(13));
    BALANCES
        .save(&mut store, &mut j, &alice, &Uint128::new(2))
        .unwrap();
    j.flush(&mut store).unwrap();
    let before = flows_after(&store, 0, None, 100).unwrap();

    let d = digest_at(&store, &env_at(15), 11).unwrap().digest;
    start_rollback(&mut store, &env_at(15), 11, &d).unwrap();
    while !rollback_step(&mut store, &env_at(15), 1).unwrap().done {}
    crate::common::finish_and_release(&mut store, &env_at(15)).unwrap();
    assert_eq!(BALANCES.load(&store, &alice).unwrap(), Uint128::new(1));
    assert_eq!(flows_after(&store, 0, None, 100).unwrap(), before);
    // The flows to replay after 11 are all there.
    assert_eq!(flows_after(&store, 11, None, 100).unwrap().len(), 8);
}

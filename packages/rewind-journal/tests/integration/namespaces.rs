//! Row B5: namespaces never collide.

use std::collections::BTreeSet;

use crate::common::scopes::*;
use cosmwasm_std::storage_keys::to_length_prefixed;
use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{Addr, Int128, Storage};
use rewind_journal::keys::{state_root, NS_STATE};
use rewind_journal::{
    gate_state, initialize, journal_info, live_digest, record_flow, set_pause, Journal,
    JournaledItem, JournaledMap, INTERNAL_NAMESPACES,
};

use crate::common::{dump, env_at};

#[test]
fn b5_internal_namespaces_are_distinct_and_prefix_free() {
    let set: BTreeSet<&str> = INTERNAL_NAMESPACES.iter().copied().collect();
    assert_eq!(set.len(), INTERNAL_NAMESPACES.len());
    // The raw keys they produce (length-prefixed for maps, bare for items) never nest.
    let mut roots: Vec<Vec<u8>> = vec![];
    for ns in INTERNAL_NAMESPACES {
        roots.push(ns.as_bytes().to_vec());
        roots.push(to_length_prefixed(ns.as_bytes()));
    }
    for (i, a) in roots.iter().enumerate() {
        for (j, b) in roots.iter().enumerate() {
            if i != j && i / 2 != j / 2 {
                assert!(!a.starts_with(b), "{a:?} starts with {b:?}");
            }
        }
    }
    assert!(INTERNAL_NAMESPACES.iter().all(|ns| ns.starts_with("rj/")));
}

#[test]
fn b5_journaled_namespaces_cannot_collide_with_journal_internals() {
    let mut store = MockStorage::new();
    let env = env_at(10);
    initialize(&mut store, &env, 10, 1).unwrap();
    set_pause(
        &mut store,
        &env,
        &TRADE.scope,
        env.block.time.plus_seconds(5),
    )
    .unwrap();
    record_flow(&mut store, &env, &Addr::unchecked("x"), "u", Int128::one()).unwrap();
    let internals_before: Vec<_> = dump(&store);
    let gate_before = gate_state(&store).unwrap();

    // Journaled namespaces named exactly like every internal one, items and maps.
    let mut j = Journal::new(&env);
    for (i, ns) in INTERNAL_NAMESPACES.iter().enumerate() {
        let ns: &'static str = ns;
        JournaledItem::<u64>::new(ns)
            .save(&mut store, &mut j, &(i as u64))
            .unwrap();
        let m: JournaledMap<&str, u64> = JournaledMap::new(ns);
        m.save(&mut store, &mut j, "", &1).unwrap();
        m.save(&mut store, &mut j, "k", &2).unwrap();
        let m2: JournaledMap<u64, u64> = JournaledMap::new(ns);
        m2.save(&mut store, &mut j, 7, &3).unwrap();
    }
    j.flush(&mut store).unwrap();

    // Every journaled value lives under the state root; every internal key stayed as it was.
    let root = state_root();
    for (k, v) in &internals_before {
        assert_eq!(
            store.get(k).as_ref(),
            Some(v),
            "internal key {k:?} overwritten"
        );
    }
    let new_keys: Vec<_> = dump(&store)
        .into_iter()
        .filter(|(k, _)| !internals_before.iter().any(|(b, _)| b == k))
        .map(|(k, _)| k)
        .collect();
    let undo = to_length_prefixed(b"rj/u");
    let records = to_length_prefixed(b"rj/d");
    for k in &new_keys {
        assert!(
            k.starts_with(&root) || k.starts_with(&undo) || k.starts_with(&records),
            "unexpected key {k:?}"
        );
    }
    assert_eq!(gate_state(&store).unwrap(), gate_before);
    journal_info(&store, &env).unwrap();
    assert_ne!(live_digest(&store).unwrap(), [0u8; 32]);
    assert_eq!(NS_STATE, "rj/s");
}

#[test]
fn b5_two_journaled_namespaces_never_share_a_key() {
    // "ab" + key "c" vs "a" + key "bc": the length prefix keeps them apart.
    let mut store = MockStorage::new();
    let mut j = Journal::new(&env_at(1));
    let m1: JournaledMap<&str, u8> = JournaledMap::new("ab");
    let m2: JournaledMap<&str, u8> = JournaledMap::new("a");
    m1.save(&mut store, &mut j, "c", &1).unwrap();
    m2.save(&mut store, &mut j, "bc", &2).unwrap();
    assert_eq!(m1.load(&store, "c").unwrap(), 1);
    assert_eq!(m2.load(&store, "bc").unwrap(), 2);
    assert_ne!(m1.storage_key(&"c"), m2.storage_key(&"bc"));
}

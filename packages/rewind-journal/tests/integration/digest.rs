//! The digest: recomputed from raw storage by an independent function (proving the recipe in
//! docs/JOURNAL.md), recorded per height, and unambiguous in how key and value are split.

use crate::common::scopes::*;
use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{Addr, Storage, Uint128};
use rewind_journal::{
    digest_at, entry_hash, initialize, live_digest, prune, recompute_digest, record_flow,
    set_pause, Journal, JournaledItem, JournaledMap,
};

use crate::common::{dump, env_at, independent_digest};

const CONFIG: JournaledItem<String> = JournaledItem::new("config");
const BALANCES: JournaledMap<&Addr, Uint128> = JournaledMap::new("balances");
const POSITIONS: JournaledMap<(&Addr, u64), String> = JournaledMap::new("positions");
const NAMES: JournaledMap<&str, u64> = JournaledMap::new("names");

fn addr(s: &str) -> Addr {
    cosmwasm_std::testing::MockApi::default().addr_make(s)
}

#[test]
fn digest_recomputed_from_raw_mock_storage_matches_live_and_recorded() {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 100, 1).unwrap();
    let (a, b) = (addr("a"), addr("b"));
    let mut tombstones_seen = 0;
    for h in 10..20u64 {
        let mut j = Journal::new(&env_at(h));
        CONFIG.save(&mut store, &mut j, &format!("v{h}")).unwrap();
        BALANCES
            .save(&mut store, &mut j, &a, &Uint128::new(h.into()))
            .unwrap();
        POSITIONS
            .save(&mut store, &mut j, (&b, h % 3), &"p".repeat(h as usize))
            .unwrap();
        if h % 4 == 0 {
            BALANCES.remove(&mut store, &mut j, &a).unwrap(); // leaves a tombstone
            POSITIONS.remove(&mut store, &mut j, (&b, 1)).unwrap();
        }
        j.flush(&mut store).unwrap();
        // Non-journaled state the recipe must ignore.
        record_flow(&mut store, &env_at(h), &a, "uatom", 5i128.into()).unwrap();
        set_pause(&mut store, &env_at(h), &TRADE.scope, env_at(h).block.time).unwrap();
        prune(&mut store, &env_at(h), 2).unwrap();

        let raw = dump(&store);
        tombstones_seen += raw
            .iter()
            .filter(|(k, v)| k.starts_with(&[0, 4, b'r', b'j', b'/', b's']) && v[8] == 0)
            .count();
        let independent = independent_digest(&raw);
        assert_eq!(live_digest(&store).unwrap(), independent, "height {h}");
        let pairs = raw.iter().map(|(k, v)| (k.as_slice(), v.as_slice()));
        assert_eq!(recompute_digest(pairs).unwrap(), independent);
        assert_eq!(
            digest_at(&store, &env_at(h + 1), h)
                .unwrap()
                .digest
                .to_vec(),
            independent.to_vec()
        );
    }
    // Tombstones really were in raw storage, and were skipped.
    assert!(tombstones_seen > 0);
}

#[test]
fn digest_at_uses_the_last_record_at_or_below() {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 100, 1).unwrap();
    let mut j = Journal::new(&env_at(12));
    CONFIG.save(&mut store, &mut j, &"x".to_string()).unwrap();
    j.flush(&mut store).unwrap();
    let d = digest_at(&store, &env_at(20), 17).unwrap();
    assert_eq!(d.height, 17);
    assert_eq!(d.recorded_at, 12);
    assert_eq!(d.digest.to_vec(), live_digest(&store).unwrap().to_vec());
}

#[test]
fn the_digest_is_order_independent_and_removal_cancels_insertion() {
    let a = addr("a");
    let mut s1 = MockStorage::new();
    let mut s2 = MockStorage::new();
    let mut j1 = Journal::new(&env_at(1));
    let mut j2 = Journal::new(&env_at(7));
    NAMES.save(&mut s1, &mut j1, "x", &1).unwrap();
    NAMES.save(&mut s1, &mut j1, "y", &2).unwrap();
    NAMES.save(&mut s2, &mut j2, "y", &2).unwrap();
    NAMES.save(&mut s2, &mut j2, "z", &3).unwrap();
    NAMES.save(&mut s2, &mut j2, "x", &1).unwrap();
    NAMES.remove(&mut s2, &mut j2, "z").unwrap();
    BALANCES
        .save(&mut s2, &mut j2, &a, &Uint128::one())
        .unwrap();
    BALANCES.remove(&mut s2, &mut j2, &a).unwrap();
    j1.flush(&mut s1).unwrap();
    j2.flush(&mut s2).unwrap();
    // Different heights, histories and tombstones; the same live entries.
    assert_eq!(live_digest(&s1).unwrap(), live_digest(&s2).unwrap());
}

#[test]
fn key_and_value_boundaries_are_unambiguous() {
    // Without the key length, key "a1" with value 5 and key "a" with value 15 would hash the
    // same bytes ("...a15").
    let k1 = NAMES.storage_key(&"a1");
    let k2 = NAMES.storage_key(&"a");
    assert_ne!(entry_hash(&k1, b"5"), entry_hash(&k2, b"15"));
    let mut s1 = MockStorage::new();
    let mut s2 = MockStorage::new();
    let mut j = Journal::new(&env_at(1));
    NAMES.save(&mut s1, &mut j, "a1", &5).unwrap();
    NAMES.save(&mut s2, &mut j, "a", &15).unwrap();
    let _ = j;
    assert_ne!(
        independent_digest(&dump(&s1)),
        independent_digest(&dump(&s2))
    );
    assert!(s1.get(&k1).is_some());
}

//! `JournaledStorage` (row R15: a protected contract must not be able to write part of its
//! state around the journal): plain cw-storage-plus through the wrapper behaves exactly as
//! on plain storage, every write lands under the state root with its header (except the
//! plain namespaces and cw2's record, which pass through raw), frozen accounts' keys are
//! refused, the read cache, the digest flush, and two property tests: the wrapper against a
//! `BTreeMap` model over random histories, and rollbacks through it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use cosmwasm_schema::cw_serde;
use cosmwasm_std::storage_keys::to_length_prefixed;
use cosmwasm_std::testing::{MockApi, MockStorage};
use cosmwasm_std::{Addr, Order, Record, StdError, StdResult, Storage};
use cw_storage_plus::{
    Bound, Index, IndexList, IndexedMap, Item, Map, MultiIndex, SnapshotMap,
    Strategy as SnapshotStrategy, UniqueIndex,
};
use proptest::prelude::*;
use rewind_journal::keys::{record_key, records_root, state_root, undo_root, HEADER_LEN};
use rewind_journal::{
    digest_at, initialize, live_digest, recompute_digest, rollback_step, start_rollback,
    JournalError, JournaledStorage, JournaledView, PlainNamespaces,
};

use crate::common::{copy_storage, dump, env_at, finish_and_release, independent_digest};

/// The plain namespaces of every test here: the `config` Item and the `config` Map.
const PLAIN: PlainNamespaces = PlainNamespaces(&["config"]);

/// A wrapper for one execution at `height`, nothing frozen.
fn wrap(store: &mut dyn Storage, height: u64) -> JournaledStorage<'_> {
    JournaledStorage::new(store, &env_at(height), PLAIN, vec![])
}

/// `00 04 "rj/s" ‖ key`: where the wrapper stores the contract's `key`.
fn journaled_key(key: &[u8]) -> Vec<u8> {
    [state_root(), key.to_vec()].concat()
}

/// Every digest record's height.
fn record_heights(store: &dyn Storage) -> Vec<u64> {
    let root = records_root();
    dump(store)
        .into_iter()
        .filter(|(k, _)| k.starts_with(&root))
        .map(|(k, _)| u64::from_be_bytes(k[root.len()..].try_into().unwrap()))
        .collect()
}

/// `recompute_digest` over the whole raw storage.
fn recomputed(store: &dyn Storage) -> [u8; 32] {
    let entries = dump(store);
    recompute_digest(entries.iter().map(|(k, v)| (k.as_slice(), v.as_slice()))).unwrap()
}

fn all(store: &dyn Storage, order: Order) -> Vec<Record> {
    store.range(None, None, order).collect()
}

// ---------------------------------------------------------------------------------------
// Unit level
// ---------------------------------------------------------------------------------------

#[test]
fn r15_get_set_remove_round_trip_and_a_removed_key_is_a_skipped_tombstone() {
    let mut store = MockStorage::new();
    {
        let mut w = wrap(&mut store, 10);
        assert_eq!(w.get(b"k1"), None);
        w.set(b"k1", b"v1");
        w.set(b"k2", b"v2");
        assert_eq!(w.get(b"k1"), Some(b"v1".to_vec()));
        w.set(b"k1", b"v1b");
        assert_eq!(w.get(b"k1"), Some(b"v1b".to_vec()));
        w.remove(b"k1");
        assert_eq!(w.get(b"k1"), None);
        assert_eq!(
            all(&w, Order::Ascending),
            vec![(b"k2".to_vec(), b"v2".to_vec())]
        );
        assert_eq!(
            all(&w, Order::Descending),
            vec![(b"k2".to_vec(), b"v2".to_vec())]
        );
        w.finish().unwrap();
    }
    // The removed key is a tombstone in the raw storage: header only, flag 0, height 10.
    let raw = store.get(&journaled_key(b"k1")).unwrap();
    assert_eq!(raw.len(), HEADER_LEN);
    assert_eq!(raw[..8], 10u64.to_be_bytes());
    assert_eq!(raw[8], 0);
    // Live values carry the header: height, flag 1, then the contract's bytes.
    assert_eq!(
        store.get(&journaled_key(b"k2")).unwrap(),
        [&10u64.to_be_bytes()[..], &[1], b"v2"].concat()
    );
    // The contract's keys never appear raw.
    assert_eq!(store.get(b"k1"), None);
    assert_eq!(store.get(b"k2"), None);

    // A later execution and a query see the same: the tombstone is skipped everywhere.
    {
        let mut w = wrap(&mut store, 11);
        assert_eq!(w.get(b"k1"), None);
        assert_eq!(w.range(None, None, Order::Ascending).count(), 1);
        w.set(b"k1", b"back");
        assert_eq!(w.get(b"k1"), Some(b"back".to_vec()));
        w.finish().unwrap();
    }
    let view = JournaledView::new(&store, PLAIN);
    assert_eq!(view.get(b"k1"), Some(b"back".to_vec()));
    assert_eq!(
        all(&view, Order::Ascending),
        vec![
            (b"k1".to_vec(), b"back".to_vec()),
            (b"k2".to_vec(), b"v2".to_vec())
        ]
    );
}

/// Journaled keys, some prefixes of others, some sorting around the bounds.
const RANGE_KEYS: [&[u8]; 10] = [
    b"",
    b"a",
    b"ab",
    b"abc",
    b"abd",
    b"b",
    b"\x00\x03bal",
    b"\x00\x03bal\x01",
    b"\xff",
    b"\xff\xff",
];

/// The same writes, in two executions, on the wrapper and on plain storage.
fn range_fixture() -> (MockStorage, MockStorage) {
    let mut plain = MockStorage::new();
    let mut raw = MockStorage::new();
    for (i, k) in RANGE_KEYS.iter().enumerate() {
        plain.set(k, format!("v{i}").as_bytes());
    }
    plain.remove(b"ab");
    plain.remove(b"\xff");
    plain.set(b"abc", b"again");
    {
        let mut w = wrap(&mut raw, 5);
        for (i, k) in RANGE_KEYS.iter().enumerate() {
            w.set(k, format!("v{i}").as_bytes());
        }
        w.finish().unwrap();
    }
    {
        let mut w = wrap(&mut raw, 6);
        w.remove(b"ab");
        w.remove(b"\xff");
        w.set(b"abc", b"again");
        w.finish().unwrap();
    }
    (plain, raw)
}

#[test]
fn r15_range_in_both_orders_with_bounds_matches_plain_storage() {
    let (plain, mut raw) = range_fixture();
    let mut bounds: Vec<Option<&[u8]>> = vec![None, Some(b"aa"), Some(b"\x00"), Some(b"c")];
    bounds.extend(RANGE_KEYS.iter().map(|k| Some(*k)));
    let mut compared = 0;
    let mut check = |s: &dyn Storage| {
        for start in &bounds {
            for end in &bounds {
                for order in [Order::Ascending, Order::Descending] {
                    let want: Vec<Record> = plain.range(*start, *end, order).collect();
                    let got: Vec<Record> = s.range(*start, *end, order).collect();
                    assert_eq!(got, want, "range({start:?}, {end:?}, {order:?})");
                    compared += 1;
                }
            }
        }
    };
    check(&JournaledView::new(&raw, PLAIN));
    check(&wrap(&mut raw, 7));
    assert_eq!(compared, 2 * 14 * 14 * 2);
    // Not vacuous: the full range returns the live keys only, without prefix or header.
    let full = all(&JournaledView::new(&raw, PLAIN), Order::Ascending);
    assert_eq!(full.len(), RANGE_KEYS.len() - 2);
    assert_eq!(full[0], (b"".to_vec(), b"v0".to_vec()));
    assert!(full.contains(&(b"abc".to_vec(), b"again".to_vec())));
}

#[cw_serde]
struct Token {
    owner: String,
    id: u64,
    amount: u64,
}

struct TokenIndexes<'a> {
    owner: MultiIndex<'a, String, Token, String>,
    id: UniqueIndex<'a, u64, Token, String>,
}

impl IndexList<Token> for TokenIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Token>> + '_> {
        let v: Vec<&dyn Index<Token>> = vec![&self.owner, &self.id];
        Box::new(v.into_iter())
    }
}

fn tokens<'a>() -> IndexedMap<&'a str, Token, TokenIndexes<'a>> {
    IndexedMap::new(
        "tokens",
        TokenIndexes {
            owner: MultiIndex::new(|_pk, t: &Token| t.owner.clone(), "tokens", "tokens__owner"),
            id: UniqueIndex::new(|t: &Token| t.id, "tokens__id"),
        },
    )
}

const STATE: Item<u64> = Item::new("state");
const CONFIG: Item<String> = Item::new("config");
const CONFIG_MAP: Map<&str, String> = Map::new("config");
const BAL: Map<&str, u64> = Map::new("bal");
const POS: Map<(&str, u64), String> = Map::new("pos");
const SNAP: SnapshotMap<&str, u64> = SnapshotMap::new(
    "snap",
    "snap__check",
    "snap__change",
    SnapshotStrategy::EveryBlock,
);

fn tok(owner: &str, id: u64, amount: u64) -> Token {
    Token {
        owner: owner.to_string(),
        id,
        amount,
    }
}

/// The first execution: writes through every type, recording what each read returns.
fn phase1(s: &mut dyn Storage, out: &mut Vec<String>) {
    let mut log = |x: String| out.push(x);
    STATE.save(s, &1).unwrap();
    log(format!(
        "{:?}",
        STATE.update(s, |v| Ok::<_, StdError>(v + 41))
    ));
    CONFIG.save(s, &"cfg".to_string()).unwrap();
    CONFIG_MAP.save(s, "k", &"cfgk".to_string()).unwrap();
    for (i, name) in ["alice", "bob", "carol", "dave", "erin", "frank"]
        .iter()
        .enumerate()
    {
        BAL.save(s, name, &(i as u64 * 10)).unwrap();
    }
    log(format!(
        "{:?}",
        BAL.update(s, "bob", |v| Ok::<_, StdError>(v.unwrap_or(0) + 5))
    ));
    log(format!(
        "{:?}",
        BAL.update(s, "zed", |v| Ok::<_, StdError>(v.unwrap_or(0) + 7))
    ));
    BAL.remove(s, "carol");
    for owner in ["alice", "bob"] {
        for id in 0..14u64 {
            POS.save(s, (owner, id), &format!("{owner}-{id}")).unwrap();
        }
    }
    POS.remove(s, ("alice", 3));
    let t = tokens();
    t.save(s, "t1", &tok("alice", 1, 5)).unwrap();
    t.save(s, "t2", &tok("bob", 2, 6)).unwrap();
    t.save(s, "t3", &tok("alice", 3, 7)).unwrap();
    // A unique-index violation fails the same way (its message: a `StdError`'s Debug
    // carries a backtrace when RUST_BACKTRACE is set).
    let violation = t
        .save(s, "t4", &tok("carol", 2, 8))
        .map_err(|e| e.to_string());
    log(format!("{violation:?}"));
    t.replace(s, "t3", Some(&tok("bob", 33, 7)), Some(&tok("alice", 3, 7)))
        .unwrap();
    log(format!(
        "{:?}",
        t.update(s, "t1", |v| Ok::<_, StdError>(Token {
            amount: v.unwrap().amount + 1,
            ..tok("alice", 1, 0)
        }))
    ));
    SNAP.save(s, "x", &1, 100).unwrap();
    SNAP.save(s, "y", &2, 100).unwrap();
    SNAP.save(s, "x", &3, 101).unwrap();
    reads(s, out);
}

/// The second execution, at a later block: more writes, a clear, snapshot reads.
fn phase2(s: &mut dyn Storage, out: &mut Vec<String>) {
    reads(s, out);
    SNAP.save(s, "x", &5, 105).unwrap();
    SNAP.remove(s, "y", 106).unwrap();
    POS.prefix("bob").clear(s, Some(3));
    BAL.clear(s);
    out.push(format!("bal empty {}", BAL.is_empty(s)));
    POS.clear(s);
    out.push(format!("pos empty {}", POS.is_empty(s)));
    tokens().remove(s, "t2").unwrap();
    CONFIG.save(s, &"cfg2".to_string()).unwrap();
    STATE.remove(s);
    reads(s, out);
}

/// Every read the tests compare.
fn reads(s: &dyn Storage, out: &mut Vec<String>) {
    let mut log = |x: String| out.push(x);
    log(format!("state {:?}", STATE.may_load(s)));
    log(format!("config {:?}", CONFIG.may_load(s)));
    log(format!("config map {:?}", CONFIG_MAP.may_load(s, "k")));
    let cfg_all: Vec<_> = CONFIG_MAP.range(s, None, None, Order::Ascending).collect();
    log(format!("config range {cfg_all:?}"));
    for order in [Order::Ascending, Order::Descending] {
        let r: Vec<_> = BAL.range(s, None, None, order).collect();
        log(format!("bal {order:?} {r:?}"));
        let r: Vec<_> = BAL
            .range(
                s,
                Some(Bound::inclusive("bob")),
                Some(Bound::exclusive("frank")),
                order,
            )
            .collect();
        log(format!("bal bounded {order:?} {r:?}"));
        let k: Vec<_> = BAL.keys(s, None, None, order).collect();
        log(format!("bal keys {order:?} {k:?}"));
        let p: Vec<_> = POS.prefix("alice").range(s, None, None, order).collect();
        log(format!("pos alice {order:?} {p:?}"));
        let p: Vec<_> = POS
            .prefix("bob")
            .keys(s, Some(Bound::exclusive(4u64)), None, order)
            .collect();
        log(format!("pos bob keys {order:?} {p:?}"));
        let p: Vec<_> = POS
            .sub_prefix(())
            .range(
                s,
                Some(Bound::inclusive(("alice", 10))),
                Some(Bound::inclusive(("bob", 2))),
                order,
            )
            .collect();
        log(format!("pos sub {order:?} {p:?}"));
        let t = tokens();
        let r: Vec<_> = t.range(s, None, None, order).collect();
        log(format!("tokens {order:?} {r:?}"));
        let r: Vec<_> = t
            .idx
            .owner
            .prefix("alice".to_string())
            .range(s, None, None, order)
            .collect();
        log(format!("tokens of alice {order:?} {r:?}"));
        let r: Vec<_> = t
            .idx
            .owner
            .prefix("bob".to_string())
            .keys(s, None, None, order)
            .collect();
        log(format!("tokens of bob {order:?} {r:?}"));
        let r: Vec<_> = t.idx.id.range(s, None, None, order).collect();
        log(format!("tokens by id {order:?} {r:?}"));
        let r: Vec<_> = SNAP.range(s, None, None, order).collect();
        log(format!("snap {order:?} {r:?}"));
    }
    log(format!(
        "bal first {:?} last {:?}",
        BAL.first(s),
        BAL.last(s)
    ));
    log(format!("token id 2 {:?}", tokens().idx.id.item(s, 2)));
    log(format!("token id 33 {:?}", tokens().idx.id.item(s, 33)));
    let bob_raw = tokens()
        .idx
        .owner
        .prefix("bob".into())
        .keys_raw(s, None, None, Order::Ascending)
        .count();
    log(format!("bob tokens {bob_raw}"));
    for key in ["x", "y"] {
        for h in 99..=107u64 {
            log(format!(
                "snap {key}@{h} {:?}",
                SNAP.may_load_at_height(s, key, h)
            ));
        }
    }
}

#[test]
fn r15_cw_storage_plus_types_through_the_wrapper_behave_as_on_plain_storage() {
    let mut plain = MockStorage::new();
    let mut want = vec![];
    phase1(&mut plain, &mut want);
    phase2(&mut plain, &mut want);
    reads(&plain, &mut want);

    let mut raw = MockStorage::new();
    initialize(&mut raw, &env_at(100), 1_000, 1_000_000).unwrap();
    let mut got = vec![];
    {
        let mut w = wrap(&mut raw, 101);
        phase1(&mut w, &mut got);
        w.finish().unwrap();
    }
    {
        let mut w = wrap(&mut raw, 106);
        phase2(&mut w, &mut got);
        w.finish().unwrap();
    }
    reads(&JournaledView::new(&raw, PLAIN), &mut got);
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
    // Not vacuous: the reads saw real data and the clears cleared.
    assert!(want
        .iter()
        .any(|l| l.contains("Violates unique constraint")));
    assert!(want.contains(&"bal empty true".to_string()));
    assert!(want.iter().any(|l| l.starts_with("snap x@104 Ok(Some(3))")));
    assert!(want
        .iter()
        .any(|l| l.contains("tokens of bob Ascending [Ok(\"t2\"), Ok(\"t3\")]")));
    // The plain namespace kept its raw entries; everything else is journaled only.
    assert_eq!(
        recomputed(&raw),
        independent_digest(&dump(&raw)),
        "the digest covers the journaled entries"
    );
    assert_eq!(live_digest(&raw).unwrap(), recomputed(&raw));
}

/// cw2's record, as cw2 stores it (`Item::new("contract_info")`).
#[cw_serde]
struct ContractVersion {
    contract: String,
    version: String,
}
const CW2: Item<ContractVersion> = Item::new("contract_info");

#[test]
fn r15_plain_namespaces_and_cw2_are_stored_raw_everything_else_under_the_state_root() {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 100, 1_000_000).unwrap();
    let before = dump(&store);
    let version = ContractVersion {
        contract: "crates.io:x".into(),
        version: "1.0.0".into(),
    };
    {
        let mut w = wrap(&mut store, 12);
        CONFIG.save(&mut w, &"cfg".to_string()).unwrap();
        CONFIG_MAP.save(&mut w, "k", &"cfgk".to_string()).unwrap();
        CW2.save(&mut w, &version).unwrap();
        STATE.save(&mut w, &7).unwrap();
        BAL.save(&mut w, "alice", &3).unwrap();
        // Names that only look like the plain namespace are journaled.
        Item::<u8>::new("configx").save(&mut w, &1).unwrap();
        Map::<&str, u8>::new("confi")
            .save(&mut w, "gk", &2)
            .unwrap();
        w.finish().unwrap();
    }
    // Raw, exactly as cw-storage-plus writes them on plain storage: no header, no prefix.
    assert_eq!(store.get(b"config"), Some(b"\"cfg\"".to_vec()));
    let cfg_key = [to_length_prefixed(b"config"), b"k".to_vec()].concat();
    assert_eq!(cfg_key, CONFIG_MAP.key("k").to_vec());
    assert_eq!(store.get(&cfg_key), Some(b"\"cfgk\"".to_vec()));
    assert_eq!(
        store.get(b"contract_info"),
        Some(cosmwasm_std::to_json_vec(&version).unwrap())
    );
    for k in [
        b"config".to_vec(),
        cfg_key.clone(),
        b"contract_info".to_vec(),
    ] {
        assert_eq!(store.get(&journaled_key(&k)), None, "{k:?} journaled too");
    }
    // Everything else under 00 04 "rj/s" with the 9-byte header (height 12, flag 1).
    let header = [&12u64.to_be_bytes()[..], &[1]].concat();
    assert_eq!(&state_root(), b"\x00\x04rj/s");
    let expect = [
        (b"state".to_vec(), b"7".to_vec()),
        (BAL.key("alice").to_vec(), b"3".to_vec()),
        (b"configx".to_vec(), b"1".to_vec()),
        (
            Map::<&str, u8>::new("confi").key("gk").to_vec(),
            b"2".to_vec(),
        ),
    ];
    for (k, json) in &expect {
        assert_eq!(store.get(k), None, "{k:?} stored raw");
        assert_eq!(
            store.get(&journaled_key(k)),
            Some([header.clone(), json.clone()].concat()),
            "{k:?}"
        );
    }
    // Exactly these new raw keys: the 3 plain ones, the 4 journaled ones, their 4 undo
    // entries and one digest record.
    let added: Vec<Vec<u8>> = dump(&store)
        .into_iter()
        .filter(|e| !before.contains(e))
        .map(|(k, _)| k)
        .collect();
    let undo = undo_root();
    assert_eq!(added.iter().filter(|k| k.starts_with(&undo)).count(), 4);
    assert_eq!(
        added
            .iter()
            .filter(|k| k.starts_with(&state_root()))
            .count(),
        4
    );
    assert!(added.contains(&record_key(12)));
    assert_eq!(added.len(), 3 + 4 + 4 + 1);
    // The digest is the journaled entries' only.
    let journaled: Vec<Record> = expect
        .iter()
        .map(|(k, json)| (journaled_key(k), [header.clone(), json.clone()].concat()))
        .collect();
    assert_eq!(live_digest(&store).unwrap(), independent_digest(&journaled));
    // Plain entries read back raw, through the wrapper and the view alike.
    let view = JournaledView::new(&store, PLAIN);
    assert_eq!(CONFIG.load(&view).unwrap(), "cfg");
    assert_eq!(CW2.load(&view).unwrap(), version);
    assert_eq!(
        CONFIG_MAP
            .range(&view, None, None, Order::Ascending)
            .collect::<StdResult<Vec<_>>>()
            .unwrap(),
        vec![("k".to_string(), "cfgk".to_string())]
    );
}

const ACCOUNT_BAL: Map<&Addr, u64> = Map::new("abal");
const ACCOUNT_POS: Map<(u64, &Addr), u64> = Map::new("apos");

#[test]
fn r15_a_write_to_a_frozen_accounts_key_is_refused_and_finish_fails() {
    let api = MockApi::default();
    let frozen = api.addr_make("frozen");
    let alice = api.addr_make("alice");
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 100, 1_000_000).unwrap();
    {
        let mut w = wrap(&mut store, 11);
        ACCOUNT_BAL.save(&mut w, &frozen, &5).unwrap();
        ACCOUNT_BAL.save(&mut w, &alice, &1).unwrap();
        ACCOUNT_POS.save(&mut w, (3, &frozen), &9).unwrap();
        w.finish().unwrap();
    }
    let records = record_heights(&store);

    // Each way of touching a frozen key: save, remove, a tuple key with the address inside.
    type Touch = fn(&mut dyn Storage, &Addr);
    let touches: [Touch; 4] = [
        |s, a| ACCOUNT_BAL.save(s, a, &100).unwrap(),
        |s, a| ACCOUNT_BAL.remove(s, a),
        |s, a| {
            ACCOUNT_BAL
                .update(s, a, |v| Ok::<_, StdError>(v.unwrap_or(0) + 1))
                .map(|_| ())
                .unwrap()
        },
        |s, a| ACCOUNT_POS.save(s, (3, a), &0).unwrap(),
    ];
    for touch in touches {
        // Each refused execution on its own copy: the chain reverts it as a whole.
        let mut s = copy_storage(&store);
        let mut w = JournaledStorage::new(&mut s, &env_at(12), PLAIN, vec![frozen.clone()]);
        // Other accounts write freely, and reads of the frozen account work.
        ACCOUNT_BAL.save(&mut w, &alice, &2).unwrap();
        assert_eq!(ACCOUNT_BAL.load(&w, &frozen).unwrap(), 5);
        touch(&mut w, &frozen);
        // The execution is refused with the first reason, whatever the handler does next
        // (the chain then reverts every write of it, the touch included).
        assert_eq!(
            w.finish(),
            Err(JournalError::FrozenAccount {
                account: frozen.clone()
            })
        );
        // The failed finish flushed no digest.
        assert_eq!(record_heights(&s), records);
    }
    // Without the freeze, the same write goes through.
    let mut w = wrap(&mut store, 13);
    ACCOUNT_BAL.save(&mut w, &frozen, &100).unwrap();
    w.finish().unwrap();
    assert_eq!(
        ACCOUNT_BAL
            .load(&JournaledView::new(&store, PLAIN), &frozen)
            .unwrap(),
        100
    );
}

#[test]
fn r15_after_a_refused_write_the_execution_still_fails_and_loops_end() {
    let api = MockApi::default();
    let frozen = api.addr_make("frozen");
    let alice = api.addr_make("alice");
    let mut store = MockStorage::new();
    {
        let mut w = JournaledStorage::new(&mut store, &env_at(4), PLAIN, vec![]);
        for i in 0..12u64 {
            ACCOUNT_BAL
                .save(&mut w, &api.addr_make(&format!("holder{i}")), &i)
                .unwrap();
        }
        ACCOUNT_BAL.save(&mut w, &frozen, &1).unwrap();
        w.finish().unwrap();
    }
    let before = dump(&store);
    let mut w = JournaledStorage::new(&mut store, &env_at(5), PLAIN, vec![frozen.clone()]);
    ACCOUNT_BAL.save(&mut w, &frozen, &2).unwrap();
    // Later writes still show, so a handler that waits for its own removes ends.
    ACCOUNT_BAL.save(&mut w, &alice, &1).unwrap();
    assert_eq!(ACCOUNT_BAL.may_load(&w, &alice).unwrap(), Some(1));
    ACCOUNT_BAL.clear(&mut w);
    assert!(ACCOUNT_BAL.is_empty(&w));
    assert_eq!(
        w.finish(),
        Err(JournalError::FrozenAccount { account: frozen })
    );
    // The entry point fails the execution, so the chain keeps `before`; the refusal is what
    // the caller sees (the storage here is a plain MockStorage, which does not revert).
    assert!(!before.is_empty());
}

/// A storage that counts `get`s per raw key (the counts are shared, so they can be read
/// while a wrapper holds the storage).
#[derive(Default)]
struct KeyReads {
    inner: MockStorage,
    reads: Rc<RefCell<BTreeMap<Vec<u8>, u32>>>,
}

/// A handle on the counts of a [`KeyReads`].
struct ReadCounts(Rc<RefCell<BTreeMap<Vec<u8>, u32>>>);

impl ReadCounts {
    fn of(&self, key: &[u8]) -> u32 {
        self.0.borrow().get(key).copied().unwrap_or(0)
    }
}

impl Storage for KeyReads {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        *self.reads.borrow_mut().entry(key.to_vec()).or_default() += 1;
        self.inner.get(key)
    }

    fn range<'a>(
        &'a self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'a> {
        self.inner.range(start, end, order)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.inner.set(key, value);
    }

    fn remove(&mut self, key: &[u8]) {
        self.inner.remove(key);
    }
}

#[test]
fn r15_the_read_cache_reads_a_key_once_and_a_get_after_a_set_sees_the_new_value() {
    let mut store = KeyReads::default();
    let counts = ReadCounts(store.reads.clone());
    {
        let mut w = wrap(&mut store, 3);
        w.set(b"k", b"1");
        w.finish().unwrap();
    }
    let raw = journaled_key(b"k");
    let before = counts.of(&raw);
    {
        let mut w = wrap(&mut store, 4);
        // A get then a set of the same key: one read of the chain.
        assert_eq!(w.get(b"k"), Some(b"1".to_vec()));
        assert_eq!(counts.of(&raw), before + 1);
        assert_eq!(w.get(b"k"), Some(b"1".to_vec()));
        w.set(b"k", b"2");
        assert_eq!(counts.of(&raw), before + 1);
        // A get after the set returns the new value (the write dropped the cache entry).
        assert_eq!(w.get(b"k"), Some(b"2".to_vec()));
        w.remove(b"k");
        assert_eq!(w.get(b"k"), None);
        w.set(b"k", b"3");
        assert_eq!(w.get(b"k"), Some(b"3".to_vec()));
        w.finish().unwrap();
    }
    // The journal recorded the first value of the block, not a cached later one.
    assert_eq!(
        store
            .inner
            .get(&rewind_journal::keys::undo_key(4, &raw))
            .unwrap(),
        [&3u64.to_be_bytes()[..], &[1], b"1"].concat()
    );
    assert_eq!(
        JournaledView::new(&store.inner, PLAIN).get(b"k"),
        Some(b"3".to_vec())
    );

    // Map::update of a new key: one read of the chain, and a load after it sees the value.
    let zoe = journaled_key(&BAL.key("zoe"));
    {
        let mut w = wrap(&mut store, 5);
        BAL.update(&mut w, "zoe", |v| Ok::<_, StdError>(v.unwrap_or(0) + 4))
            .unwrap();
        assert_eq!(counts.of(&zoe), 1);
        assert_eq!(BAL.load(&w, "zoe").unwrap(), 4);
        BAL.update(&mut w, "zoe", |v| Ok::<_, StdError>(v.unwrap_or(0) + 1))
            .unwrap();
        assert_eq!(BAL.load(&w, "zoe").unwrap(), 5);
        w.finish().unwrap();
    }
    assert_eq!(
        BAL.load(&JournaledView::new(&store.inner, PLAIN), "zoe")
            .unwrap(),
        5
    );
    // The cache does not outlive its execution: a new one reads the chain again.
    let n = counts.of(&raw);
    let w = wrap(&mut store, 6);
    assert_eq!(w.get(b"k"), Some(b"3".to_vec()));
    w.finish().unwrap();
    assert_eq!(counts.of(&raw), n + 1);
}

#[test]
fn r15_finish_flushes_one_digest_record_and_finish_and_record_records_without_writes() {
    let mut store = MockStorage::new();
    initialize(&mut store, &env_at(10), 100, 1_000_000).unwrap();
    // Instantiation: nothing journaled, the height is still recorded.
    wrap(&mut store, 10).finish_and_record().unwrap();
    assert_eq!(record_heights(&store), vec![10]);
    assert_eq!(live_digest(&store).unwrap(), [0u8; 32]);
    // No write: finish records nothing.
    wrap(&mut store, 11).finish().unwrap();
    assert_eq!(record_heights(&store), vec![10]);
    // A write of only plain keys journals nothing either.
    {
        let mut w = wrap(&mut store, 11);
        CONFIG.save(&mut w, &"c".to_string()).unwrap();
        w.finish().unwrap();
    }
    assert_eq!(record_heights(&store), vec![10]);
    // Many writes: exactly one record for the height, and it is the digest of the state.
    {
        let mut w = wrap(&mut store, 12);
        for i in 0..20u64 {
            BAL.save(&mut w, &format!("k{i}"), &i).unwrap();
        }
        BAL.remove(&mut w, "k3");
        w.finish().unwrap();
    }
    assert_eq!(record_heights(&store), vec![10, 12]);
    let d12 = live_digest(&store).unwrap();
    assert_eq!(d12, recomputed(&store));
    assert_ne!(d12, [0u8; 32]);
    // A second execution in the same block rewrites the same record.
    {
        let mut w = wrap(&mut store, 12);
        BAL.save(&mut w, "k3", &3).unwrap();
        w.finish().unwrap();
    }
    assert_eq!(record_heights(&store), vec![10, 12]);
    assert_ne!(live_digest(&store).unwrap(), d12);
    assert_eq!(live_digest(&store).unwrap(), recomputed(&store));
    // finish_and_record with a write records once too.
    {
        let mut w = wrap(&mut store, 13);
        BAL.save(&mut w, "k0", &100).unwrap();
        w.finish_and_record().unwrap();
    }
    assert_eq!(record_heights(&store), vec![10, 12, 13]);
    assert_eq!(live_digest(&store).unwrap(), recomputed(&store));
    // And a refused execution's finish_and_record records nothing.
    let frozen = MockApi::default().addr_make("frozen");
    let mut w = JournaledStorage::new(&mut store, &env_at(14), PLAIN, vec![frozen.clone()]);
    ACCOUNT_BAL.save(&mut w, &frozen, &1).unwrap();
    assert!(matches!(
        w.finish_and_record(),
        Err(JournalError::FrozenAccount { .. })
    ));
    assert_eq!(record_heights(&store), vec![10, 12, 13]);
}

#[test]
fn r15_a_journaled_map_whose_range_ends_at_a_plain_namespace_still_ranges_its_entries() {
    // `confif` sorts just before `config`: a Map `confif`'s range ends (exclusive) at
    // `00 06 "config"`, the first key of the plain Map `config`, yet holds no plain key.
    // The same with one-letter names: a Map "a" ends where a plain Map "b" starts.
    const CONFIF: Map<&str, u64> = Map::new("confif");
    const A: Map<u64, u64> = Map::new("a");
    const B: Map<u64, u64> = Map::new("b");
    let one_letter = PlainNamespaces(&["b"]);
    let mut plain = MockStorage::new();
    let mut raw = MockStorage::new();
    let config_side = |s: &mut dyn Storage| {
        CONFIF.save(s, "x", &1).unwrap();
        CONFIF.save(s, "y", &2).unwrap();
        CONFIG_MAP.save(s, "k", &"c".to_string()).unwrap();
    };
    let letter_side = |s: &mut dyn Storage| {
        A.save(s, 1, &10).unwrap();
        A.save(s, 2, &20).unwrap();
        B.save(s, 1, &30).unwrap();
    };
    config_side(&mut plain);
    letter_side(&mut plain);
    let mut w = JournaledStorage::new(&mut raw, &env_at(1), PLAIN, vec![]);
    config_side(&mut w);
    w.finish().unwrap();
    let mut w = JournaledStorage::new(&mut raw, &env_at(1), one_letter, vec![]);
    letter_side(&mut w);
    w.finish().unwrap();
    assert_eq!(raw.get(&B.key(1)), Some(b"30".to_vec()), "b is plain");
    let both = |s: &dyn Storage, order: Order| {
        let c: Vec<_> = CONFIF
            .range(s, None, None, order)
            .collect::<StdResult<_>>()
            .unwrap();
        let k: Vec<_> = CONFIF
            .keys(s, None, None, order)
            .collect::<StdResult<_>>()
            .unwrap();
        (c, k, CONFIF.is_empty(s), CONFIF.last(s).unwrap())
    };
    let letters = |s: &dyn Storage, order: Order| {
        let a: Vec<_> = A
            .range(s, None, None, order)
            .collect::<StdResult<_>>()
            .unwrap();
        let b: Vec<_> = B
            .range(s, None, None, order)
            .collect::<StdResult<_>>()
            .unwrap();
        (a, b)
    };
    for order in [Order::Ascending, Order::Descending] {
        let want = both(&plain, order);
        assert_eq!(want.0.len(), 2);
        assert_eq!(both(&JournaledView::new(&raw, PLAIN), order), want);
        assert_eq!(both(&wrap(&mut raw, 2), order), want);
        let want = letters(&plain, order);
        assert_eq!(want.0.len(), 2);
        assert_eq!(letters(&JournaledView::new(&raw, one_letter), order), want);
    }
    // And `clear` of such a map clears it through the wrapper.
    let mut w = wrap(&mut raw, 3);
    CONFIF.clear(&mut w);
    assert!(CONFIF.is_empty(&w));
    w.finish().unwrap();
    assert_eq!(
        CONFIG_MAP
            .load(&JournaledView::new(&raw, PLAIN), "k")
            .unwrap(),
        "c"
    );
}

// ---------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------

/// Journaled keys: the empty key, keys that are prefixes of each other, keys that look
/// like cw-storage-plus namespaces, and one that sorts right before the plain Map `config`.
const MODEL_KEYS: [&[u8]; 9] = [
    b"",
    b"a",
    b"ab",
    b"abc",
    b"b",
    b"\x00\x03bal",
    b"\x00\x03bal\x00",
    b"\x00\x06confif",
    b"\xff",
];
/// Plain keys: the `config` Item, an entry of the `config` Map, cw2's record.
const PLAIN_KEYS: [&[u8]; 3] = [b"config", b"\x00\x06configk", b"contract_info"];
/// Range bounds: the journaled keys, and the first key of the plain Map (as an end: every
/// contract key below it is journaled).
const END_BOUNDS: [&[u8]; 2] = [b"\x00\x06config", b"aa"];
const START: u64 = 100;

#[derive(Debug, Clone)]
enum Op {
    Set(usize, Vec<u8>),
    Remove(usize),
    Get(usize),
    /// start (index into MODEL_KEYS), end (index into MODEL_KEYS ++ END_BOUNDS), descending
    Range(Option<usize>, Option<usize>, bool),
    SetPlain(usize, Vec<u8>),
    RemovePlain(usize),
    /// End the execution (finish) and start another in the same block.
    EndExec,
    /// End the block and move 1..=3 heights on.
    EndBlock(u64),
}

fn op() -> impl Strategy<Value = Op> {
    let k = 0..MODEL_KEYS.len();
    let bound = prop::option::of(0..MODEL_KEYS.len() + END_BOUNDS.len());
    prop_oneof![
        6 => (k.clone(), prop::collection::vec(any::<u8>(), 0..4)).prop_map(|(k, v)| Op::Set(k, v)),
        3 => k.clone().prop_map(Op::Remove),
        2 => k.clone().prop_map(Op::Get),
        2 => (prop::option::of(k), bound, any::<bool>()).prop_map(|(s, e, d)| Op::Range(s, e, d)),
        2 => (0..PLAIN_KEYS.len(), prop::collection::vec(any::<u8>(), 1..4))
            .prop_map(|(k, v)| Op::SetPlain(k, v)),
        1 => (0..PLAIN_KEYS.len()).prop_map(Op::RemovePlain),
        2 => Just(Op::EndExec),
        3 => (1u64..4).prop_map(Op::EndBlock),
    ]
}

type Kv = BTreeMap<Vec<u8>, Vec<u8>>;

/// The digest of a model state, from the documented layout (the header's height is not
/// part of the digest).
fn model_digest(model: &Kv) -> [u8; 32] {
    let entries: Vec<Record> = model
        .iter()
        .map(|(k, v)| (journaled_key(k), [&[0u8; 8][..], &[1], v].concat()))
        .collect();
    independent_digest(&entries)
}

fn bound(i: usize) -> &'static [u8] {
    MODEL_KEYS
        .get(i)
        .copied()
        .unwrap_or_else(|| END_BOUNDS[i - MODEL_KEYS.len()])
}

struct Sim {
    store: MockStorage,
    height: u64,
    model: Kv,
    plain: Kv,
    /// The journaled view at the end of each block that ended.
    snapshots: BTreeMap<u64, Kv>,
}

impl Sim {
    /// Initialized at START, instantiated (recorded) at START.
    fn new() -> Sim {
        let mut store = MockStorage::new();
        initialize(&mut store, &env_at(START), 100_000, 1_000_000_000).unwrap();
        wrap(&mut store, START).finish_and_record().unwrap();
        Sim {
            store,
            height: START,
            model: Kv::new(),
            plain: Kv::new(),
            snapshots: BTreeMap::new(),
        }
    }

    /// Runs `ops` as one execution, checking every read against the model as it goes.
    fn execute(&mut self, ops: &[Op]) {
        let mut w = wrap(&mut self.store, self.height);
        for op in ops {
            match op {
                Op::Set(k, v) => {
                    w.set(MODEL_KEYS[*k], v);
                    self.model.insert(MODEL_KEYS[*k].to_vec(), v.clone());
                }
                Op::Remove(k) => {
                    w.remove(MODEL_KEYS[*k]);
                    self.model.remove(MODEL_KEYS[*k]);
                }
                Op::Get(k) => assert_eq!(
                    w.get(MODEL_KEYS[*k]),
                    self.model.get(MODEL_KEYS[*k]).cloned(),
                    "get {:?}",
                    MODEL_KEYS[*k]
                ),
                Op::Range(start, end, desc) => {
                    let (start, end) = (start.map(bound), end.map(bound));
                    let order = if *desc {
                        Order::Descending
                    } else {
                        Order::Ascending
                    };
                    let got: Vec<Record> = w.range(start, end, order).collect();
                    let mut want: Vec<Record> = self
                        .model
                        .iter()
                        .filter(|(k, _)| start.is_none_or(|s| k.as_slice() >= s))
                        .filter(|(k, _)| end.is_none_or(|e| k.as_slice() < e))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    if *desc {
                        want.reverse();
                    }
                    assert_eq!(got, want, "range({start:?}, {end:?}, {order:?})");
                }
                Op::SetPlain(k, v) => {
                    w.set(PLAIN_KEYS[*k], v);
                    self.plain.insert(PLAIN_KEYS[*k].to_vec(), v.clone());
                }
                Op::RemovePlain(k) => {
                    w.remove(PLAIN_KEYS[*k]);
                    self.plain.remove(PLAIN_KEYS[*k]);
                }
                Op::EndExec | Op::EndBlock(_) => unreachable!("split off by run"),
            }
        }
        w.finish().unwrap();
        self.check();
    }

    /// The wrapper's view equals the model, the plain keys are raw, and the live digest is
    /// the digest of the raw storage and of the model.
    fn check(&self) {
        let view = JournaledView::new(&self.store, PLAIN);
        let want: Vec<Record> = self
            .model
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert_eq!(all(&view, Order::Ascending), want);
        let mut rev = want;
        rev.reverse();
        assert_eq!(all(&view, Order::Descending), rev);
        for k in PLAIN_KEYS {
            assert_eq!(view.get(k), self.plain.get(k).cloned(), "plain {k:?}");
            assert_eq!(self.store.get(k), self.plain.get(k).cloned(), "raw {k:?}");
        }
        let live = live_digest(&self.store).unwrap();
        assert_eq!(live, recomputed(&self.store));
        assert_eq!(live, model_digest(&self.model));
    }

    fn end_block(&mut self, advance: u64) {
        self.snapshots.insert(self.height, self.model.clone());
        self.height += advance;
    }

    /// Runs a history: executions split at EndExec / EndBlock; ends the last block.
    fn run(&mut self, ops: &[Op]) {
        for segment in ops.split_inclusive(|o| matches!(o, Op::EndExec | Op::EndBlock(_))) {
            let (last, body) = segment.split_last().unwrap();
            match last {
                Op::EndExec => self.execute(body),
                Op::EndBlock(n) => {
                    self.execute(body);
                    self.end_block(*n);
                }
                _ => self.execute(segment),
            }
        }
        self.end_block(1);
    }

    /// The view at the end of `h`.
    fn snapshot_at(&self, h: u64) -> Kv {
        self.snapshots
            .range(..=h)
            .next_back()
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn r15_the_wrapper_matches_a_model_over_random_histories(
        ops in prop::collection::vec(op(), 0..120),
    ) {
        let mut sim = Sim::new();
        sim.run(&ops);
        sim.check();
        // Every ended block's digest is the digest of its snapshot.
        let env = env_at(sim.height);
        for h in START..sim.height {
            let d = digest_at(&sim.store, &env, h).unwrap().digest;
            prop_assert_eq!(d.to_vec(), model_digest(&sim.snapshot_at(h)).to_vec());
        }
    }

    #[test]
    fn r15_a_rollback_through_the_wrapper_restores_every_key_of_the_height(
        ops in prop::collection::vec(op(), 0..120),
        target in any::<prop::sample::Index>(),
        limits in prop::collection::vec(0u32..5, 1..5),
        after in (0..MODEL_KEYS.len(), prop::collection::vec(any::<u8>(), 0..3)),
    ) {
        let mut sim = Sim::new();
        sim.run(&ops);
        let now = sim.height;
        let h = START + target.index((now - START) as usize) as u64;
        let expected = sim.snapshot_at(h);
        let env = env_at(now);
        let digest = digest_at(&sim.store, &env, h).unwrap().digest;
        prop_assert_eq!(digest.to_vec(), model_digest(&expected).to_vec());

        start_rollback(&mut sim.store, &env, h, &digest).unwrap();
        let mut limits = limits;
        limits[0] = limits[0].max(1);
        let mut i = 0usize;
        while !rollback_step(&mut sim.store, &env, limits[i % limits.len()]).unwrap().done {
            i += 1;
            prop_assert!(i < 100_000, "the rollback does not progress");
        }
        // Every journaled key is back to the end of h; the plain ones kept their latest value.
        sim.model = expected;
        sim.check();
        prop_assert_eq!(live_digest(&sim.store).unwrap().to_vec(), digest.to_vec());

        // The journal stays usable: the next execution through the wrapper journals again.
        finish_and_release(&mut sim.store, &env).unwrap();
        sim.height = now + 1;
        sim.execute(&[Op::Set(after.0, after.1), Op::Get(after.0)]);
    }
}

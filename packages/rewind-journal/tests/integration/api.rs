//! The cw-storage-plus-like API of journaled items and maps.

use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{Addr, Order, StdError, StdResult, Uint128};
use cw_storage_plus::Bound;
use rewind_journal::{Journal, JournalError, JournaledItem, JournaledMap};

use crate::common::env_at;

const CONFIG: JournaledItem<String> = JournaledItem::new("config");
const BALANCES: JournaledMap<&Addr, Uint128> = JournaledMap::new("balances");
const POSITIONS: JournaledMap<(&Addr, u64), u32> = JournaledMap::new("positions");
const BY_ID: JournaledMap<u64, String> = JournaledMap::new("by_id");

fn addr(s: &str) -> Addr {
    cosmwasm_std::testing::MockApi::default().addr_make(s)
}

#[test]
fn item_save_load_update_remove() {
    let mut store = MockStorage::new();
    let mut j = Journal::new(&env_at(10));
    assert_eq!(CONFIG.may_load(&store).unwrap(), None);
    assert!(CONFIG.load(&store).is_err());
    assert!(!CONFIG.exists(&store));

    CONFIG.save(&mut store, &mut j, &"a".to_string()).unwrap();
    assert_eq!(CONFIG.load(&store).unwrap(), "a");
    assert!(CONFIG.exists(&store));

    let new = CONFIG
        .update(&mut store, &mut j, |old| -> StdResult<String> {
            Ok(format!("{}b", old.unwrap_or_default()))
        })
        .unwrap();
    assert_eq!(new, "ab");
    assert_eq!(CONFIG.load(&store).unwrap(), "ab");

    CONFIG.remove(&mut store, &mut j).unwrap();
    assert_eq!(CONFIG.may_load(&store).unwrap(), None);
    assert!(!CONFIG.exists(&store));
    assert!(j.is_dirty());
    j.flush(&mut store).unwrap();
}

#[test]
fn update_error_leaves_value_and_journal_untouched() {
    let mut store = MockStorage::new();
    let mut j = Journal::new(&env_at(10));
    CONFIG.save(&mut store, &mut j, &"a".to_string()).unwrap();
    j.flush(&mut store).unwrap();
    let before = crate::common::dump(&store);

    let mut j = Journal::new(&env_at(11));
    let err = CONFIG
        .update(&mut store, &mut j, |_| -> Result<String, JournalError> {
            Err(JournalError::NoRollbackRunning)
        })
        .unwrap_err();
    assert_eq!(err, JournalError::NoRollbackRunning);
    assert!(!j.is_dirty());
    j.flush(&mut store).unwrap();
    assert_eq!(before, crate::common::dump(&store));
}

#[test]
fn map_api_matches_cw_storage_plus() {
    let mut store = MockStorage::new();
    let mut j = Journal::new(&env_at(10));
    let (a, b, c) = (addr("a"), addr("b"), addr("c"));
    BALANCES
        .save(&mut store, &mut j, &a, &Uint128::new(1))
        .unwrap();
    BALANCES
        .save(&mut store, &mut j, &b, &Uint128::new(2))
        .unwrap();
    BALANCES
        .save(&mut store, &mut j, &c, &Uint128::new(3))
        .unwrap();
    assert!(BALANCES.has(&store, &a));
    assert_eq!(BALANCES.load(&store, &b).unwrap(), Uint128::new(2));
    let err = BALANCES.load(&store, &addr("nobody")).unwrap_err();
    assert!(err.to_string().contains("not found"), "{err}");

    BALANCES
        .update(&mut store, &mut j, &a, |v| -> StdResult<_> {
            Ok(v.unwrap_or_default() + Uint128::new(10))
        })
        .unwrap();
    assert_eq!(BALANCES.load(&store, &a).unwrap(), Uint128::new(11));

    BALANCES.remove(&mut store, &mut j, &b).unwrap();
    assert!(!BALANCES.has(&store, &b));
    assert_eq!(BALANCES.may_load(&store, &b).unwrap(), None);

    // Range skips the tombstone, in both orders, and honours bounds.
    let mut sorted = vec![a.clone(), c.clone()];
    sorted.sort();
    let asc: Vec<(Addr, Uint128)> = BALANCES
        .range(&store, None, None, Order::Ascending)
        .collect::<StdResult<_>>()
        .unwrap();
    assert_eq!(
        asc.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
        sorted
    );
    let desc: Vec<Addr> = BALANCES
        .keys(&store, None, None, Order::Descending)
        .collect::<StdResult<_>>()
        .unwrap();
    assert_eq!(desc, sorted.iter().rev().cloned().collect::<Vec<_>>());
    let after_first: Vec<Addr> = BALANCES
        .keys(
            &store,
            Some(Bound::exclusive(&sorted[0])),
            None,
            Order::Ascending,
        )
        .collect::<StdResult<_>>()
        .unwrap();
    assert_eq!(after_first, vec![sorted[1].clone()]);

    // Saving after a remove in the same block brings the key back.
    BALANCES
        .save(&mut store, &mut j, &b, &Uint128::new(5))
        .unwrap();
    assert_eq!(BALANCES.load(&store, &b).unwrap(), Uint128::new(5));
    j.flush(&mut store).unwrap();
}

#[test]
fn composite_keys_prefix_and_bounds() {
    let mut store = MockStorage::new();
    let mut j = Journal::new(&env_at(10));
    let (a, b) = (addr("a"), addr("b"));
    for id in 0..4u64 {
        POSITIONS
            .save(&mut store, &mut j, (&a, id), &(id as u32))
            .unwrap();
        POSITIONS
            .save(&mut store, &mut j, (&b, id), &(100 + id as u32))
            .unwrap();
    }
    POSITIONS.remove(&mut store, &mut j, (&a, 2)).unwrap();

    let a_ids: Vec<(u64, u32)> = POSITIONS
        .prefix(&a)
        .range(&store, None, None, Order::Ascending)
        .collect::<StdResult<_>>()
        .unwrap();
    assert_eq!(a_ids, vec![(0, 0), (1, 1), (3, 3)]);
    let b_from_2: Vec<(u64, u32)> = POSITIONS
        .prefix(&b)
        .range(
            &store,
            Some(Bound::inclusive(2u64)),
            None,
            Order::Descending,
        )
        .collect::<StdResult<_>>()
        .unwrap();
    assert_eq!(b_from_2, vec![(3, 103), (2, 102)]);
    let all = POSITIONS
        .range(&store, None, None, Order::Ascending)
        .count();
    assert_eq!(all, 7);

    // Integer keys range in numeric order.
    for id in [300u64, 2, 70_000] {
        BY_ID.save(&mut store, &mut j, id, &id.to_string()).unwrap();
    }
    let ids: Vec<u64> = BY_ID
        .keys(&store, None, None, Order::Ascending)
        .collect::<StdResult<_>>()
        .unwrap();
    assert_eq!(ids, vec![2, 300, 70_000]);
    j.flush(&mut store).unwrap();
}

#[test]
fn corrupt_value_is_a_std_error() {
    let mut store = MockStorage::new();
    let key = CONFIG.storage_key();
    cosmwasm_std::Storage::set(&mut store, &key, b"\x01\x02");
    let err = CONFIG.may_load(&store).unwrap_err();
    assert!(err.to_string().contains("corrupt journaled value"), "{err}");
    let as_journal: JournalError = StdError::msg("x").into();
    assert_eq!(as_journal, JournalError::Std(StdError::msg("x")));
}

#[test]
fn flush_without_writes_writes_nothing() {
    let mut store = MockStorage::new();
    let j = Journal::new(&env_at(10));
    assert!(!j.is_dirty());
    j.flush(&mut store).unwrap();
    assert!(crate::common::dump(&store).is_empty());

    // Removing an absent key is not a write either.
    let mut j = Journal::new(&env_at(10));
    BALANCES.remove(&mut store, &mut j, &addr("a")).unwrap();
    assert!(!j.is_dirty());
    assert!(crate::common::dump(&store).is_empty());
}

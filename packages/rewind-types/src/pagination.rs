//! One limit policy for every list query (row D2), and one page reader for the lists kept
//! by id.

use cosmwasm_std::{Order, StdResult, Storage};
use cw_storage_plus::{Bound, KeyDeserialize, Map, Prefix, PrimaryKey};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Items returned when a query names no limit.
pub const DEFAULT_LIMIT: u32 = 10;
/// The most items any list query returns, whatever limit it names.
pub const MAX_LIMIT: u32 = 100;

/// The limit a list query uses: the default when none is given, never above [`MAX_LIMIT`].
pub fn clamp_limit(limit: Option<u32>) -> usize {
    limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

/// One page of any map, ascending from after `start_after`, at most
/// [`clamp_limit`]`(limit)` items, each mapped by `f` from its key and value. The one page
/// reader of every list query.
pub fn page<'a, K, T, R>(
    map: &Map<K, T>,
    storage: &dyn Storage,
    start_after: Option<K>,
    limit: Option<u32>,
    mut f: impl FnMut(K::Output, T) -> R,
) -> StdResult<Vec<R>>
where
    K: PrimaryKey<'a> + KeyDeserialize,
    K::Output: 'static,
    T: Serialize + DeserializeOwned,
{
    map.range(
        storage,
        start_after.map(Bound::exclusive),
        None,
        Order::Ascending,
    )
    .take(clamp_limit(limit))
    .map(|item| item.map(|(key, value)| f(key, value)))
    .collect()
}

/// One page of a map's prefix (e.g. one proposal's votes), ascending from after
/// `start_after`, at most [`clamp_limit`]`(limit)` items, each mapped by `f`.
pub fn page_prefix<'b, K, T, B, R>(
    prefix: &Prefix<K, T, B>,
    storage: &dyn Storage,
    start_after: Option<B>,
    limit: Option<u32>,
    f: impl FnMut(K::Output, T) -> R,
) -> StdResult<Vec<R>>
where
    B: PrimaryKey<'b>,
    K: KeyDeserialize,
    K::Output: 'static,
    T: Serialize + DeserializeOwned,
{
    let min = start_after.map(Bound::exclusive);
    prefix_page(prefix, storage, (min, None, Order::Ascending), limit, f)
}

/// One page of a map's prefix (e.g. one target's records), newest first: descending from
/// before `start_before`, at most [`clamp_limit`]`(limit)` items, each mapped by `f`.
pub fn page_newest_first<'b, K, T, B, R>(
    prefix: &Prefix<K, T, B>,
    storage: &dyn Storage,
    start_before: Option<B>,
    limit: Option<u32>,
    f: impl FnMut(K::Output, T) -> R,
) -> StdResult<Vec<R>>
where
    B: PrimaryKey<'b>,
    K: KeyDeserialize,
    K::Output: 'static,
    T: Serialize + DeserializeOwned,
{
    let max = start_before.map(Bound::exclusive);
    prefix_page(prefix, storage, (None, max, Order::Descending), limit, f)
}

/// The bounds and order of a prefix page.
type PrefixRange<'b, B> = (Option<Bound<'b, B>>, Option<Bound<'b, B>>, Order);

fn prefix_page<'b, K, T, B, R>(
    prefix: &Prefix<K, T, B>,
    storage: &dyn Storage,
    (min, max, order): PrefixRange<'b, B>,
    limit: Option<u32>,
    mut f: impl FnMut(K::Output, T) -> R,
) -> StdResult<Vec<R>>
where
    B: PrimaryKey<'b>,
    K: KeyDeserialize,
    K::Output: 'static,
    T: Serialize + DeserializeOwned,
{
    prefix
        .range(storage, min, max, order)
        .take(clamp_limit(limit))
        .map(|item| item.map(|(key, value)| f(key, value)))
        .collect()
}

/// [`page`] for a map keyed by id, mapping values only.
pub fn page_by_id<T, R>(
    map: &Map<u64, T>,
    storage: &dyn Storage,
    start_after: Option<u64>,
    limit: Option<u32>,
    mut f: impl FnMut(T) -> R,
) -> StdResult<Vec<R>>
where
    T: Serialize + DeserializeOwned,
{
    page(map, storage, start_after, limit, |_, value| f(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockStorage;
    use cosmwasm_std::Addr;

    #[test]
    fn d2_pages_by_id_resume_after_the_last_id_and_are_capped() {
        const ITEMS: Map<u64, u64> = Map::new("items");
        let mut storage = MockStorage::new();
        for id in 1..=150u64 {
            ITEMS.save(&mut storage, id, &(id * 10)).unwrap();
        }
        let first = page_by_id(&ITEMS, &storage, None, Some(3), |v| v).unwrap();
        assert_eq!(first, vec![10, 20, 30]);
        let next = page_by_id(&ITEMS, &storage, Some(3), Some(2), |v| v + 1).unwrap();
        assert_eq!(next, vec![41, 51]);
        let capped = page_by_id(&ITEMS, &storage, None, Some(u32::MAX), |v| v).unwrap();
        assert_eq!(capped.len(), MAX_LIMIT as usize);
        let default = page_by_id(&ITEMS, &storage, Some(145), None, |v| v).unwrap();
        assert_eq!(default, vec![1460, 1470, 1480, 1490, 1500]);
    }

    #[test]
    fn d2_pages_by_address_give_key_and_value() {
        const OWNERS: Map<&Addr, u64> = Map::new("owners");
        let mut storage = MockStorage::new();
        let names: Vec<Addr> = (0..20)
            .map(|i| Addr::unchecked(format!("a{i:02}")))
            .collect();
        for (i, name) in names.iter().enumerate() {
            OWNERS.save(&mut storage, name, &(i as u64)).unwrap();
        }
        let first = page(&OWNERS, &storage, None, Some(2), |k, v| (k, v)).unwrap();
        assert_eq!(first, vec![(names[0].clone(), 0), (names[1].clone(), 1)]);
        let next = page(&OWNERS, &storage, Some(&names[1]), Some(1), |k, _| k).unwrap();
        assert_eq!(next, vec![names[2].clone()]);
    }

    #[test]
    fn d2_prefix_pages_newest_first_resume_before_the_last_id() {
        const RECORDS: Map<(&str, u64), u64> = Map::new("records");
        let mut storage = MockStorage::new();
        for id in 1..=5u64 {
            RECORDS.save(&mut storage, ("a", id), &id).unwrap();
            RECORDS.save(&mut storage, ("b", id), &(id * 100)).unwrap();
        }
        let first = page_newest_first(&RECORDS.prefix("a"), &storage, None, Some(2), |_, v| v);
        assert_eq!(first.unwrap(), vec![5, 4]);
        let next = page_newest_first(&RECORDS.prefix("a"), &storage, Some(4), Some(10), |k, _| k);
        assert_eq!(next.unwrap(), vec![3, 2, 1]);
        let oldest = page_prefix(&RECORDS.prefix("b"), &storage, Some(2), Some(2), |_, v| v);
        assert_eq!(oldest.unwrap(), vec![300, 400]);
    }

    #[test]
    fn d2_limits_are_capped() {
        assert_eq!(clamp_limit(None), DEFAULT_LIMIT as usize);
        assert_eq!(clamp_limit(Some(3)), 3);
        assert_eq!(clamp_limit(Some(u32::MAX)), MAX_LIMIT as usize);
    }
}

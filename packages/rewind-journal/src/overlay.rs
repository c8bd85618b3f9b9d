//! A write buffer over read-only storage: reads see the buffered writes, nothing reaches the
//! storage beneath until [`Overlay::commit`]. A restoration replays each recorded execution
//! on one, so a replay that fails is dropped whole, as the chain drops a failed transaction.
//! The base cannot change while the overlay borrows it, so each key is read from it at most
//! once: the handler, the journal and the invariant checks that follow read the same
//! records (configuration, totals, the gate), and every chain read costs gas.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Bound;

use cosmwasm_std::{Order, Record, Storage};

/// Buffered writes (`None`: removed) over a read-only base.
pub struct Overlay<'a> {
    base: &'a dyn Storage,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    /// What `get` read from the base, by key (`None`: absent there).
    read: RefCell<BTreeMap<Vec<u8>, Option<Vec<u8>>>>,
}

/// A buffered entry: the key and its value (`None`: removed).
type Buffered<'b> = (&'b Vec<u8>, &'b Option<Vec<u8>>);

/// What an overlay wrote, ready to apply.
pub struct Writes(BTreeMap<Vec<u8>, Option<Vec<u8>>>);

impl<'a> Overlay<'a> {
    /// An empty buffer over `base`.
    pub fn new(base: &'a dyn Storage) -> Self {
        Overlay {
            base,
            writes: BTreeMap::new(),
            read: RefCell::new(BTreeMap::new()),
        }
    }

    /// Ends the buffer, keeping its writes (apply them with [`Writes::commit`]).
    pub fn into_writes(self) -> Writes {
        Writes(self.writes)
    }
}

impl Writes {
    /// Applies the writes, in key order.
    pub fn commit(self, store: &mut dyn Storage) {
        for (key, value) in self.0 {
            match value {
                Some(v) => store.set(&key, &v),
                None => store.remove(&key),
            }
        }
    }

    /// How many keys were written.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Storage for Overlay<'_> {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        if let Some(buffered) = self.writes.get(key) {
            return buffered.clone();
        }
        if let Some(seen) = self.read.borrow().get(key) {
            return seen.clone();
        }
        let value = self.base.get(key);
        self.read.borrow_mut().insert(key.to_vec(), value.clone());
        value
    }

    fn range<'b>(
        &'b self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'b> {
        let low = start.map_or(Bound::Unbounded, |s| Bound::Included(s.to_vec()));
        let high = end.map_or(Bound::Unbounded, |e| Bound::Excluded(e.to_vec()));
        let empty = matches!((start, end), (Some(s), Some(e)) if s >= e);
        let buffered: Box<dyn Iterator<Item = Buffered<'b>> + 'b> = if empty {
            Box::new(std::iter::empty())
        } else {
            let range = self.writes.range((low, high));
            match order {
                Order::Ascending => Box::new(range),
                Order::Descending => Box::new(range.rev()),
            }
        };
        Box::new(Merged {
            base: self.base.range(start, end, order).peekable(),
            buffered: buffered.peekable(),
            order,
        })
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.writes.insert(key.to_vec(), Some(value.to_vec()));
    }

    fn remove(&mut self, key: &[u8]) {
        self.writes.insert(key.to_vec(), None);
    }
}

/// The base range and the buffered range merged in order; a buffered entry hides the base
/// entry of its key, and a buffered removal hides it altogether.
struct Merged<
    'b,
    B: Iterator<Item = Record>,
    W: Iterator<Item = (&'b Vec<u8>, &'b Option<Vec<u8>>)>,
> {
    base: Peekable<B>,
    buffered: Peekable<W>,
    order: Order,
}

impl<'b, B, W> Iterator for Merged<'b, B, W>
where
    B: Iterator<Item = Record>,
    W: Iterator<Item = Buffered<'b>>,
{
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            // (take the buffered entry next, it hides the base entry of the same key)
            let (take_buffered, same_key) = match (self.base.peek(), self.buffered.peek()) {
                (None, None) => return None,
                (Some(_), None) => (false, false),
                (None, Some(_)) => (true, false),
                (Some((base_key, _)), Some((key, _))) => {
                    let first = match self.order {
                        Order::Ascending => *key <= base_key,
                        Order::Descending => *key >= base_key,
                    };
                    (first, *key == base_key)
                }
            };
            if same_key {
                self.base.next();
            }
            if !take_buffered {
                return self.base.next();
            }
            let (key, value) = self.buffered.next()?;
            if let Some(v) = value {
                return Some((key.clone(), v.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockStorage;
    use proptest::prelude::*;

    /// Random writes into an overlay behave exactly like the same writes into a copy of
    /// the base, for gets and for ranges in both orders with any bounds.
    fn check(base_entries: Vec<(u8, u8)>, ops: Vec<(u8, Option<u8>)>, bounds: (u8, u8)) {
        let mut base = MockStorage::new();
        let mut model = MockStorage::new();
        for (k, v) in &base_entries {
            base.set(&[*k], &[*v]);
            model.set(&[*k], &[*v]);
        }
        let mut overlay = Overlay::new(&base);
        for (k, v) in &ops {
            // Read before each write too: a cached base read never hides a later write.
            assert_eq!(overlay.get(&[*k]), model.get(&[*k]));
            match v {
                Some(v) => {
                    overlay.set(&[*k], &[*v]);
                    model.set(&[*k], &[*v]);
                }
                None => {
                    overlay.remove(&[*k]);
                    model.remove(&[*k]);
                }
            }
        }
        for k in 0..=16u8 {
            assert_eq!(overlay.get(&[k]), model.get(&[k]));
        }
        let (s, e) = bounds;
        for (start, end) in [
            (None, None),
            (Some(vec![s]), None),
            (None, Some(vec![e])),
            (Some(vec![s]), Some(vec![e])),
        ] {
            for order in [Order::Ascending, Order::Descending] {
                let got: Vec<Record> = overlay
                    .range(start.as_deref(), end.as_deref(), order)
                    .collect();
                let want: Vec<Record> = model
                    .range(start.as_deref(), end.as_deref(), order)
                    .collect();
                assert_eq!(got, want, "range {start:?}..{end:?} {order:?}");
            }
        }
        let writes = overlay.into_writes();
        let mut applied = base;
        writes.commit(&mut applied);
        let all = |s: &MockStorage| s.range(None, None, Order::Ascending).collect::<Vec<_>>();
        assert_eq!(all(&applied), all(&model));
    }

    proptest! {
        #[test]
        fn an_overlay_reads_and_ranges_like_the_storage_it_will_become(
            base in proptest::collection::vec((0..16u8, any::<u8>()), 0..12),
            ops in proptest::collection::vec((0..16u8, proptest::option::of(any::<u8>())), 0..12),
            bounds in (0..17u8, 0..17u8),
        ) {
            check(base, ops, bounds);
        }
    }

    /// A storage that counts its reads.
    struct Counting {
        inner: MockStorage,
        reads: std::cell::Cell<u32>,
    }

    impl Storage for Counting {
        fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
            self.reads.set(self.reads.get() + 1);
            self.inner.get(key)
        }
        fn range<'b>(
            &'b self,
            start: Option<&[u8]>,
            end: Option<&[u8]>,
            order: Order,
        ) -> Box<dyn Iterator<Item = Record> + 'b> {
            self.inner.range(start, end, order)
        }
        fn set(&mut self, key: &[u8], value: &[u8]) {
            self.inner.set(key, value)
        }
        fn remove(&mut self, key: &[u8]) {
            self.inner.remove(key)
        }
    }

    #[test]
    fn each_key_is_read_from_the_base_at_most_once() {
        let mut inner = MockStorage::new();
        inner.set(b"config", b"c");
        let base = Counting {
            inner,
            reads: std::cell::Cell::new(0),
        };
        let mut overlay = Overlay::new(&base);
        for _ in 0..3 {
            assert_eq!(overlay.get(b"config").as_deref(), Some(&b"c"[..]));
            assert_eq!(overlay.get(b"absent"), None);
        }
        assert_eq!(base.reads.get(), 2, "one base read per key");
        overlay.set(b"config", b"new");
        assert_eq!(overlay.get(b"config").as_deref(), Some(&b"new"[..]));
        overlay.remove(b"config");
        assert_eq!(overlay.get(b"config"), None);
        assert_eq!(base.reads.get(), 2);
    }

    #[test]
    fn nothing_reaches_the_base_until_commit() {
        let mut base = MockStorage::new();
        base.set(b"k", b"old");
        let mut overlay = Overlay::new(&base);
        overlay.set(b"k", b"new");
        overlay.remove(b"gone");
        assert_eq!(overlay.get(b"k").as_deref(), Some(&b"new"[..]));
        let writes = overlay.into_writes();
        assert_eq!(writes.len(), 2);
        assert_eq!(base.get(b"k").as_deref(), Some(&b"old"[..]));
    }
}

//! Shadow-model property test: random writes over three namespaces (an item, a map, a map
//! with composite keys) at random heights, repeated writes inside blocks, prune steps, then
//! rollbacks with random batch sizes and interruptions, checked against a plain model.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::scopes::*;
use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{Order, StdError, StdResult, Storage};
use proptest::prelude::*;
use rewind_journal::{
    digest_at, ensure_open, initialize, journal_info, live_digest, prune, rollback_step,
    start_rollback, Journal, JournalError, JournaledItem, JournaledMap,
};

use crate::common::{copy_storage, dump, env_at, independent_digest};

const CFG: JournaledItem<u64> = JournaledItem::new("cfg");
const BAL: JournaledMap<&str, u64> = JournaledMap::new("bal");
const POS: JournaledMap<(&str, u64), String> = JournaledMap::new("pos");

const KEYS: [&str; 4] = ["alice", "bob", "carol", "dave"];
const START: u64 = 100;

#[derive(Debug, Clone)]
enum Op {
    CfgSave(u64),
    CfgUpdate(u64),
    CfgRemove,
    BalSave(usize, u64),
    BalUpdate(usize, u64),
    BalRemove(usize),
    PosSave(usize, u64, u8),
    PosRemove(usize, u64),
    /// End the execution (flush) and start a new one in the same block.
    Flush,
    /// End the block and move 1..=3 heights on.
    NextBlock(u64),
    /// A prune step with this limit, as its own execution.
    Prune(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0u64..50).prop_map(Op::CfgSave),
        1 => (0u64..50).prop_map(Op::CfgUpdate),
        1 => Just(Op::CfgRemove),
        4 => (0usize..4, 0u64..1000).prop_map(|(k, v)| Op::BalSave(k, v)),
        3 => (0usize..4, 0u64..1000).prop_map(|(k, v)| Op::BalUpdate(k, v)),
        3 => (0usize..4).prop_map(Op::BalRemove),
        3 => (0usize..4, 0u64..3, 0u8..5).prop_map(|(k, i, s)| Op::PosSave(k, i, s)),
        2 => (0usize..4, 0u64..3).prop_map(|(k, i)| Op::PosRemove(k, i)),
        2 => Just(Op::Flush),
        5 => (1u64..4).prop_map(Op::NextBlock),
        2 => (0u32..6).prop_map(Op::Prune),
    ]
}

/// The plain model of the journaled state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct State {
    cfg: Option<u64>,
    bal: BTreeMap<String, u64>,
    pos: BTreeMap<(String, u64), String>,
}

impl State {
    fn read(store: &dyn Storage) -> StdResult<State> {
        Ok(State {
            cfg: CFG.may_load(store)?,
            bal: BAL
                .range(store, None, None, Order::Ascending)
                .collect::<StdResult<_>>()?,
            pos: POS
                .range(store, None, None, Order::Ascending)
                .collect::<StdResult<_>>()?,
        })
    }
}

struct Sim {
    store: MockStorage,
    height: u64,
    retention: u64,
    journal: Journal,
    dirty: bool,
    model: State,
    /// State at the end of each height that ended (heights without an entry equal the last
    /// one below them).
    history: BTreeMap<u64, State>,
    /// Heights whose flush recorded a digest (what a digest record exists for).
    recorded: BTreeSet<u64>,
    /// Ranges [start, end) erased by completed rollbacks.
    gaps: Vec<(u64, u64)>,
}

impl Sim {
    fn new(retention: u64) -> Sim {
        let mut store = MockStorage::new();
        initialize(&mut store, &env_at(START), retention, 1).unwrap();
        Sim {
            store,
            height: START,
            retention,
            journal: Journal::new(&env_at(START)),
            dirty: false,
            model: State::default(),
            history: BTreeMap::new(),
            recorded: BTreeSet::new(),
            gaps: vec![],
        }
    }

    fn flush(&mut self) {
        let j = std::mem::replace(&mut self.journal, Journal::new(&env_at(self.height)));
        j.flush(&mut self.store).unwrap();
        if self.dirty {
            self.recorded.insert(self.height);
        }
        self.dirty = false;
    }

    fn end_block(&mut self, advance: u64) {
        self.flush();
        self.history.insert(self.height, self.model.clone());
        self.height += advance;
        self.journal = Journal::new(&env_at(self.height));
    }

    fn apply(&mut self, op: &Op) {
        let s = &mut self.store;
        let j = &mut self.journal;
        match op.clone() {
            Op::CfgSave(v) => {
                CFG.save(s, j, &v).unwrap();
                self.model.cfg = Some(v);
                self.dirty = true;
            }
            Op::CfgUpdate(v) => {
                let new = CFG
                    .update(s, j, |old| Ok::<_, StdError>(old.unwrap_or(0) + v))
                    .unwrap();
                self.model.cfg = Some(self.model.cfg.unwrap_or(0) + v);
                assert_eq!(Some(new), self.model.cfg);
                self.dirty = true;
            }
            Op::CfgRemove => {
                CFG.remove(s, j).unwrap();
                self.dirty |= self.model.cfg.take().is_some();
            }
            Op::BalSave(k, v) => {
                BAL.save(s, j, KEYS[k], &v).unwrap();
                self.model.bal.insert(KEYS[k].to_string(), v);
                self.dirty = true;
            }
            Op::BalUpdate(k, v) => {
                BAL.update(s, j, KEYS[k], |old| Ok::<_, StdError>(old.unwrap_or(0) + v))
                    .unwrap();
                *self.model.bal.entry(KEYS[k].to_string()).or_default() += v;
                self.dirty = true;
            }
            Op::BalRemove(k) => {
                BAL.remove(s, j, KEYS[k]).unwrap();
                self.dirty |= self.model.bal.remove(KEYS[k]).is_some();
            }
            Op::PosSave(k, i, size) => {
                let v = "x".repeat(size as usize);
                POS.save(s, j, (KEYS[k], i), &v).unwrap();
                self.model.pos.insert((KEYS[k].to_string(), i), v);
                self.dirty = true;
            }
            Op::PosRemove(k, i) => {
                POS.remove(s, j, (KEYS[k], i)).unwrap();
                self.dirty |= self.model.pos.remove(&(KEYS[k].to_string(), i)).is_some();
            }
            Op::Flush => self.flush(),
            Op::NextBlock(n) => self.end_block(n),
            Op::Prune(limit) => {
                self.flush();
                let env = env_at(self.height);
                prune(&mut self.store, &env, limit).unwrap();
                // The window stays restorable right after pruning.
                let info = journal_info(&self.store, &env).unwrap();
                let window_start = START.max(self.height.saturating_sub(self.retention));
                assert!(
                    info.retained_from <= window_start
                        || (window_start..info.retained_from).all(|t| self.in_gap(t)),
                    "retained_from {} above the window start {window_start}",
                    info.retained_from
                );
            }
        }
    }

    fn in_gap(&self, h: u64) -> bool {
        self.gaps.iter().any(|&(s, e)| s <= h && h < e)
    }

    fn state_at(&self, h: u64) -> State {
        self.history
            .range(..=h)
            .next_back()
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }

    /// Checks what the journal says about every height against the model, and returns the
    /// heights a rollback may target.
    fn check_heights(&self) -> Vec<u64> {
        let env = env_at(self.height);
        let info = journal_info(&self.store, &env).unwrap();
        let window_start = START.max(self.height.saturating_sub(self.retention));
        let mut targets = vec![];
        for t in START - 2..self.height + 2 {
            let got = digest_at(&self.store, &env, t);
            if t >= self.height {
                assert!(
                    matches!(got, Err(JournalError::HeightNotInPast { .. })),
                    "{t}: {got:?}"
                );
                continue;
            }
            if t < info.retained_from {
                // Pruning never removes what a height inside the window needs.
                assert!(t < window_start || self.in_gap(t), "window height {t} lost");
                assert!(
                    matches!(
                        got,
                        Err(JournalError::BeforeRetainedHistory { .. })
                            | Err(JournalError::HeightRolledBack { .. })
                            | Err(JournalError::HeightInconsistent { .. })
                    ),
                    "{t}: {got:?}"
                );
                continue;
            }
            if self.in_gap(t) {
                // Erased by a rollback; from the rollback's start on, inconsistent (row R10).
                assert!(
                    matches!(
                        got,
                        Err(JournalError::HeightRolledBack { .. })
                            | Err(JournalError::HeightInconsistent { .. })
                    ),
                    "{t}: {got:?}"
                );
                continue;
            }
            if self.recorded.range(..=t).next().is_none() {
                assert!(
                    matches!(got, Err(JournalError::NoDigestRecorded { .. })),
                    "{t}: {got:?}"
                );
                assert_eq!(self.state_at(t), State::default());
                continue;
            }
            // The recorded digest is the digest of the model's state at t.
            let d = got.unwrap_or_else(|e| panic!("{t}: {e:?}"));
            assert_eq!(
                d.digest.to_vec(),
                model_digest(&self.state_at(t)).to_vec(),
                "{t}"
            );
            targets.push(t);
        }
        targets
    }

    /// Rolls back to `h` with `sizes` (cycled), advancing blocks as `advance` says, checking
    /// the lock and the state on the way, against a copy rolled back with `other_sizes`.
    fn rollback(&mut self, h: u64, sizes: &[u32], other_sizes: &[u32], advance: &[bool]) {
        // Started in the current block, after its writes (which the rollback also undoes).
        self.flush();
        let env = env_at(self.height);
        let expected = digest_at(&self.store, &env, h).unwrap().digest;
        start_rollback(&mut self.store, &env, h, &expected).unwrap();
        let mut twin = copy_storage(&self.store);

        let mut i = 0usize;
        loop {
            let env = env_at(self.height);
            // R1: locked while it runs; pruning stops.
            assert_eq!(
                ensure_open(&self.store, &env, &TRADE),
                Err(JournalError::Restoring)
            );
            let before = dump(&self.store);
            assert_eq!(prune(&mut self.store, &env, 100).unwrap(), 0);
            assert_eq!(before, dump(&self.store));

            let step = rollback_step(&mut self.store, &env, sizes[i % sizes.len()]).unwrap();
            if step.done {
                break;
            }
            if advance[i % advance.len()] {
                self.height += 1;
            }
            i += 1;
            assert!(i < 10_000, "rollback does not progress");
        }
        let completed_at = self.height;
        // Any batch sizes, in any block: the same journaled state, byte for byte.
        let twin_env = env_at(self.height);
        let mut k = 0usize;
        while !rollback_step(&mut twin, &twin_env, other_sizes[k % other_sizes.len()])
            .unwrap()
            .done
        {
            k += 1;
            assert!(k < 10_000, "twin rollback does not progress");
        }
        assert_eq!(comparable(&dump(&self.store)), comparable(&dump(&twin)));

        // Exactly the state at the end of h, and the digest recorded at h.
        let expected_state = self.state_at(h);
        assert_eq!(State::read(&self.store).unwrap(), expected_state);
        let live = live_digest(&self.store).unwrap();
        assert_eq!(live.to_vec(), expected.to_vec());
        assert_eq!(live, independent_digest(&dump(&self.store)));
        assert_eq!(live, model_digest(&expected_state));

        crate::common::finish_and_release(&mut self.store, &env_at(self.height)).unwrap();
        ensure_open(&self.store, &env_at(self.height), &TRADE).unwrap();

        // The model: back to h; heights h+1 .. completed_at are erased.
        self.model = expected_state;
        self.history.retain(|&t, _| t <= h);
        self.recorded.retain(|&t| t <= h);
        self.gaps.retain(|&(s, _)| s <= h);
        if h + 1 < completed_at {
            self.gaps.push((h + 1, completed_at));
        }
        self.journal = Journal::new(&env_at(self.height));
        self.dirty = false;
    }
}

/// Storage minus what legitimately depends on the block the rollback completed in.
fn comparable(entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let gaps = cosmwasm_std::storage_keys::to_length_prefixed(b"rj/x");
    entries
        .iter()
        .filter(|(k, _)| k.as_slice() != b"rj/r" && !k.starts_with(&gaps))
        .cloned()
        .collect()
}

/// The digest of a model state, from the documented key and value encoding.
fn model_digest(state: &State) -> [u8; 32] {
    use cosmwasm_std::storage_keys::{namespace_with_key, to_length_prefixed_nested};
    let mut entries: Vec<(Vec<u8>, Vec<u8>)> = vec![];
    let header = [0u8, 0, 0, 0, 0, 0, 0, 0, 1];
    let value = |json: Vec<u8>| [header.to_vec(), json].concat();
    if let Some(c) = state.cfg {
        let key = to_length_prefixed_nested(&[b"rj/s", b"cfg"]);
        entries.push((key, value(c.to_string().into_bytes())));
    }
    for (k, v) in &state.bal {
        let key = [
            to_length_prefixed_nested(&[b"rj/s", b"bal"]),
            k.as_bytes().to_vec(),
        ]
        .concat();
        entries.push((key, value(v.to_string().into_bytes())));
    }
    for ((owner, id), v) in &state.pos {
        let key = [
            to_length_prefixed_nested(&[b"rj/s", b"pos"]),
            namespace_with_key(&[owner.as_bytes()], &id.to_be_bytes()),
        ]
        .concat();
        entries.push((key, value(format!("\"{v}\"").into_bytes())));
    }
    independent_digest(&entries)
}

fn run_case(
    retention: u64,
    phase1: Vec<Op>,
    phase2: Vec<Op>,
    picks: (prop::sample::Index, prop::sample::Index),
    sizes: (Vec<u32>, Vec<u32>),
    advance: Vec<bool>,
) {
    let mut sim = Sim::new(retention);
    for op in &phase1 {
        sim.apply(op);
    }
    sim.flush();
    let targets = sim.check_heights();
    if !targets.is_empty() {
        let h = pick(&targets, &picks.0);
        sim.rollback(h, &sizes.0, &sizes.1, &advance);
    }
    for op in &phase2 {
        sim.apply(op);
    }
    sim.flush();
    let targets = sim.check_heights();
    if !targets.is_empty() {
        let h = pick(&targets, &picks.1);
        sim.rollback(h, &sizes.1, &sizes.0, &advance);
        sim.end_block(1);
        sim.check_heights();
    }
}

/// A target; one time in four the lowest one, the edge of the retained history.
fn pick(targets: &[u64], index: &prop::sample::Index) -> u64 {
    let i = index.index(targets.len() * 4);
    targets[if i >= targets.len() { 0 } else { i }]
}

fn sizes() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(0u32..7, 1..5).prop_map(|mut v| {
        v[0] = v[0].max(1);
        v
    })
}

macro_rules! model_test {
    ($(#[$attr:meta])* $name:ident, $cases:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases($cases))]
            #[test]
            $(#[$attr])*
            fn $name(
                retention in 2u64..40,
                phase1 in prop::collection::vec(op(), 0..120),
                phase2 in prop::collection::vec(op(), 0..80),
                picks in (any::<prop::sample::Index>(), any::<prop::sample::Index>()),
                sizes in (sizes(), sizes()),
                advance in prop::collection::vec(any::<bool>(), 1..4),
            ) {
                run_case(retention, phase1, phase2, picks, sizes, advance);
            }
        }
    };
}

model_test!(rollback_matches_shadow_model, 256);
model_test!(
    /// The long run documented in docs/JOURNAL.md:
    /// `cargo test -p rewind-journal --test integration -- --ignored rollback_matches_shadow_model_10k`
    #[ignore = "10,000 cases: run on demand, see docs/JOURNAL.md"]
    rollback_matches_shadow_model_10k,
    10_000
);

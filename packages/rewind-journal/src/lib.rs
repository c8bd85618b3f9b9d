//! # rewind-journal: the storage layer that makes a CosmWasm contract restorable
//!
//! Replace a contract's `Item`s and `Map`s with [`JournaledItem`] and [`JournaledMap`]
//! (same API as cw-storage-plus, plus a [`Journal`] argument on writes). The journal then
//! keeps, for a retention window of blocks, enough history to roll the contract back to the
//! end of any retained block, and a state digest that proves the rollback reached it.
//!
//! ## Costs
//! - A read costs what a plain read costs: one `get`, then the 9-byte header is stripped.
//! - The first write of a key in a block: one read, the undo entry, the value (1 read +
//!   2 writes). Later writes of that key in the same block: 1 read + 1 write. Plus one digest
//!   flush per execution ([`Journal::flush`]: 1 iterator seek + 1 write).
//! - [`ensure_open`] is exactly one read, of a 98-byte binary record.
//!
//! ## How it works
//! - Stored value = `u64be(last-journaled height) ‖ flag (1 present, 0 tombstone) ‖ JSON`.
//!   The height beside the value says whether this block already has the key's undo entry,
//!   so deciding costs no extra read.
//! - The first write of a key at height `h` records the undo entry `(h, raw key) -> old raw
//!   value` (or an "absent" marker). `remove` writes a tombstone rather than deleting, so a
//!   save after a remove in the same block does not journal twice and overwrite the entry.
//! - [`start_rollback`] then [`rollback_step`] apply the undo entries above the target
//!   newest-first and delete them, so any sequence of batch sizes ends at the same,
//!   byte-exact state. Restored raw values carry their old headers. While it runs the gate's
//!   `restoring` flag locks every gated action; [`finish_restoration`] completes and
//!   [`release_restoration`] unlocks (or [`abandon_restoration`] stops it, exit-only).
//! - The digest is `Σ SHA-256(u32be(len raw_key) ‖ raw_key ‖ JSON) mod 2^256` over every live
//!   journaled entry, kept incrementally: each write updates an in-memory delta, each
//!   execution flushes once, and each height that wrote is recorded. The newest record is the
//!   live digest: a flush adds its delta to it and writes the record of its height. A
//!   rollback must end on the digest recorded at its target, or it fails and the contract
//!   stays locked.
//! - [`record_flow`] appends deposits and withdrawals to a log that rollbacks never touch;
//!   the restoration replays the flows after the target ([`flows_after`],
//!   [`account_flows_after`]).
//! - [`record_execution`] appends each successful execution of a restorable contract to a
//!   redo log that rollbacks never touch; the restoration re-executes the records after the
//!   target of every sender it does not exclude ([`executions_after`]), each on an
//!   [`Overlay`] so a replay that fails leaves nothing behind.
//! - [`prune`] deletes, in bounded steps, what no height inside the window (in blocks AND
//!   seconds), no history hold and no incident freeze needs, and does nothing while a
//!   restoration is pending.
//!
//! ## Recomputing the digest off-chain
//! Take every raw key of the contract's state that starts with `00 04 72 6a 2f 73`
//! (`u16be(4) ‖ "rj/s"`). Its value is `header(9 bytes) ‖ JSON`; skip it if byte 8 (the
//! flag) is `00` (a tombstone). Otherwise add `SHA-256(u32be(len key) ‖ key ‖ value[9..])`,
//! read as a big-endian 256-bit integer, to a sum modulo 2^256. The 32 big-endian bytes of
//! the sum are the digest ([`recompute_digest`] does exactly this; `docs/JOURNAL.md` has the
//! full recipe and a test proves it against raw `MockStorage`). It equals the newest digest
//! record of the same state (the last key under `00 04 72 6a 2f 64`, `u16be(4) ‖ "rj/d"`).
//!
//! ## Example: an embedding contract's execute
//! ```
//! use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
//! use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Uint128};
//! use rewind_journal::{ensure_open, initialize, prune, Journal, JournalError, JournaledMap};
//! use rewind_types::{PauseScope, ScopeInfo};
//!
//! /// The contract's own scope, declared once with its exit flag.
//! const DEPOSIT: ScopeInfo = ScopeInfo::action(PauseScope::named("deposit"));
//! const BALANCES: JournaledMap<&Addr, Uint128> = JournaledMap::new("balances");
//!
//! fn execute_deposit(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, JournalError> {
//!     ensure_open(deps.storage, &env, &DEPOSIT)?; // one read
//!     let store = deps.storage;
//!     let addr = info.sender;
//!     let amount = Uint128::new(100);
//!     let mut j = Journal::new(&env);
//!     BALANCES.save(store, &mut j, &addr, &amount)?;
//!     j.flush(store)?;
//!     prune(store, &env, 5)?; // bounded housekeeping alongside normal writes
//!     Ok(Response::new().add_attribute("action", "deposit"))
//! }
//!
//! let mut deps = mock_dependencies();
//! let env = mock_env();
//! initialize(deps.as_mut().storage, &env, 1_000, 86_400).unwrap();
//! let alice = deps.api.addr_make("alice");
//! execute_deposit(deps.as_mut(), env.clone(), message_info(&alice, &[])).unwrap();
//! assert_eq!(BALANCES.load(deps.as_ref().storage, &alice).unwrap(), Uint128::new(100));
//! ```

mod activity;
mod digest;
mod error;
mod flows;
mod gate;
mod history;
mod item;
mod journal;
pub mod keys;
mod map;
mod overlay;
mod prune;
mod redo;
mod rollback;
mod storage;

pub use activity::{account_activity, last_acted_height, note_activity};
pub use digest::{entry_hash, live_digest, recompute_digest};
pub use error::JournalError;
pub use flows::{account_flows_after, flows_after, record_flow, Flow, MAX_FLOW_PAGE};
pub use gate::{
    check_gate, ensure_crank_allowed, ensure_exit_not_locked, ensure_not_locked, ensure_open,
    gate_state, set_pause, set_pause_from, set_restoration_lock, GateState, PauseSource,
    ScopePause, MAX_GATE_SCOPES,
};
pub use history::{
    digest_at, hold_history, initialize, journal_info, set_retention, HistoryHold, JournalMeta,
    MAX_HISTORY_HOLDS,
};
pub use item::JournaledItem;
pub use journal::Journal;
pub use keys::INTERNAL_NAMESPACES;
pub use map::{JournaledMap, JournaledPrefix};
pub use overlay::Overlay;
pub use prune::prune;
pub use redo::{
    execution_exists, executions_after, record_execution, remove_execution, Execution, ExecutionId,
    NewRecord, RecordKind, MAX_EXECUTION_PAGE,
};
pub use rollback::{
    abandon_restoration, abandon_rollback, finish_restoration, release_restoration,
    rollback_status, rollback_step, start_rollback, RollbackStatus, RollbackStep,
};
pub use storage::{JournaledStorage, JournaledView, PlainNamespaces};

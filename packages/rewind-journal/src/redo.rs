//! The redo log: every successful execution of a restorable contract, in order, with what it
//! needs to run again (block, sender, funds, message). Rollbacks never touch it; after a
//! rollback to H the restoration re-executes the records above H of every sender it does not
//! exclude. Pruned with the undo log: a record at or below the watermark can never be
//! replayed again.
//!
//! Records are a compact binary encoding, not JSON: one write per execution, and no
//! deserialiser per field (the record is read only by the crank and the report queries).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Binary, Coin, Env, Order, StdError, StdResult, Storage, Timestamp};
use rewind_types::codec::{Reader, Writer};

pub use rewind_types::restorable::ExecutionId;

use crate::keys::{execution_key, executions_root, prefix_end};

/// The most records one page returns, whatever limit is asked for.
pub const MAX_EXECUTION_PAGE: u32 = 100;

/// One recorded execution.
#[cw_serde]
pub struct Execution {
    /// Where it sits in the log.
    pub id: ExecutionId,
    /// The block time it ran at.
    pub time: Timestamp,
    /// The transaction's index in its block, when the chain gave one.
    pub tx_index: Option<u32>,
    /// Who sent it.
    pub sender: Addr,
    /// The funds sent with it (already in the contract's bank balance).
    pub funds: Vec<Coin>,
    /// The contract's own execute message, as JSON.
    pub msg: Binary,
    /// False when the contract marked the message as never to be replayed.
    pub replayable: bool,
    /// An execute message, or a reply to one of the contract's submessages (`msg` is then
    /// the `Reply` as JSON).
    pub kind: RecordKind,
    /// The record this one followed from, in the same block: the execution whose submessage
    /// this reply answers, or whose message to the contract itself this execution is. A
    /// restoration replays it only if it replayed its parent.
    pub parent: Option<ExecutionId>,
}

/// What a record holds.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum RecordKind {
    /// One of the contract's own execute messages.
    Execute,
    /// A reply to one of its submessages.
    Reply,
}

/// A record to append: see [`Execution`] for the fields.
pub struct NewRecord<'a> {
    /// What it holds.
    pub kind: RecordKind,
    /// Who sent it (the contract itself, for a reply).
    pub sender: &'a Addr,
    /// The funds sent with it.
    pub funds: &'a [Coin],
    /// The message or reply, as JSON.
    pub msg: &'a [u8],
    /// False when the contract marked the message as never to be replayed.
    pub replayable: bool,
    /// It followed from the block's last record so far (a reply, or the contract's message
    /// to itself): that record is its parent.
    pub follows_last: bool,
}

/// What a corrupt record is called in its error.
const WHAT: &str = "redo record";

/// Appends a successful execution (or reply) at the current block; returns its id. Costs
/// one iterator step (the block's last record, to number this one) and one write.
pub fn record_execution(
    store: &mut dyn Storage,
    env: &Env,
    record: &NewRecord,
) -> StdResult<ExecutionId> {
    let height = env.block.height;
    let last = last_index_at(store, height)?;
    let index = match last {
        None => 0,
        Some(last) => last
            .checked_add(1)
            .ok_or_else(|| StdError::msg("redo index overflow"))?,
    };
    let parent = last.filter(|_| record.follows_last);
    let tx_index = env.transaction.as_ref().map(|t| t.index);
    let value = encode(env.block.time, tx_index, record, parent);
    store.set(&execution_key(height, index), &value);
    Ok(ExecutionId { height, index })
}

/// Whether a record is still in the log (a record a restoration skipped is deleted).
pub fn execution_exists(store: &dyn Storage, id: ExecutionId) -> bool {
    store.get(&execution_key(id.height, id.index)).is_some()
}

fn last_index_at(store: &dyn Storage, height: u64) -> StdResult<Option<u32>> {
    let from = execution_key(height, 0);
    let to = execution_key(height, u32::MAX);
    if let Some((key, _)) = store
        .range(Some(&from), Some(&to), Order::Descending)
        .next()
    {
        return split_key(&key).map(|id| Some(id.index));
    }
    // `to` itself is excluded by the range: the u32::MAX-th record, if any, is the last.
    Ok(store.get(&to).map(|_| u32::MAX))
}

/// The records after `start_after` (or from the first one above `height`), in order, at
/// most `limit` (capped at [`MAX_EXECUTION_PAGE`]).
pub fn executions_after(
    store: &dyn Storage,
    height: u64,
    start_after: Option<ExecutionId>,
    limit: u32,
) -> StdResult<Vec<Execution>> {
    let first = match height.checked_add(1) {
        Some(above) => execution_key(above, 0),
        None => return Ok(vec![]),
    };
    let from = match start_after {
        Some(after) => {
            let mut k = execution_key(after.height, after.index);
            k.push(0); // the smallest key after it
            k.max(first)
        }
        None => first,
    };
    store
        .range(
            Some(&from),
            Some(&prefix_end(&executions_root())),
            Order::Ascending,
        )
        .take(limit.min(MAX_EXECUTION_PAGE) as usize)
        .map(|(k, v)| decode(split_key(&k)?, &v))
        .collect()
}

/// Deletes a record (an execution a restoration did not replay: it never happened).
pub fn remove_execution(store: &mut dyn Storage, id: ExecutionId) {
    store.remove(&execution_key(id.height, id.index));
}

/// Deletes at most `limit` records at heights at or below `watermark`, oldest first;
/// returns how many.
pub(crate) fn prune_executions(
    store: &mut dyn Storage,
    watermark: u64,
    limit: usize,
) -> StdResult<usize> {
    if limit == 0 {
        return Ok(0);
    }
    let Some(end) = watermark.checked_add(1).map(|h| execution_key(h, 0)) else {
        return Ok(0);
    };
    let keys: Vec<Vec<u8>> = store
        .range_keys(Some(&executions_root()), Some(&end), Order::Ascending)
        .take(limit)
        .collect();
    for k in &keys {
        store.remove(k);
    }
    Ok(keys.len())
}

fn split_key(key: &[u8]) -> StdResult<ExecutionId> {
    let root = executions_root().len();
    let rest = key
        .get(root..)
        .filter(|r| r.len() == 12)
        .ok_or_else(|| StdError::msg("corrupt redo key"))?;
    let (h, i) = rest.split_at(8);
    Ok(ExecutionId {
        height: u64::from_be_bytes(h.try_into().map_err(|_| corrupt())?),
        index: u32::from_be_bytes(i.try_into().map_err(|_| corrupt())?),
    })
}

fn corrupt() -> StdError {
    StdError::msg(format!("corrupt {WHAT}"))
}

// Layout (the shared codec): u64(time nanos) ‖ u8(flags) ‖ [u32(tx index)] ‖
// [u32(parent index, same block)] ‖ str(sender) ‖ list(coin) ‖ the message, to the end.
const HAS_TX_INDEX: u8 = 1;
const HAS_PARENT: u8 = 2;
const NOT_REPLAYABLE: u8 = 4;
const REPLY: u8 = 8;

fn encode(time: Timestamp, tx_index: Option<u32>, r: &NewRecord, parent: Option<u32>) -> Vec<u8> {
    let mut w = Writer::default();
    w.u64(time.nanos());
    let flag = |on: bool, bit: u8| if on { bit } else { 0 };
    w.u8(flag(tx_index.is_some(), HAS_TX_INDEX)
        | flag(parent.is_some(), HAS_PARENT)
        | flag(!r.replayable, NOT_REPLAYABLE)
        | flag(r.kind == RecordKind::Reply, REPLY));
    for v in [tx_index, parent].into_iter().flatten() {
        w.u32(v);
    }
    w.str(r.sender.as_str());
    w.list(r.funds, Writer::coin);
    w.tail(r.msg);
    w.0
}

fn decode(id: ExecutionId, bytes: &[u8]) -> StdResult<Execution> {
    let mut r = Reader::new(bytes, WHAT);
    let time = r.time()?;
    let flags = r.u8()?;
    if flags & !(HAS_TX_INDEX | HAS_PARENT | NOT_REPLAYABLE | REPLY) != 0 {
        return Err(r.corrupt());
    }
    let tx_index = match flags & HAS_TX_INDEX {
        0 => None,
        _ => Some(r.u32()?),
    };
    let parent = match flags & HAS_PARENT {
        0 => None,
        _ => Some(ExecutionId {
            height: id.height,
            index: r.u32()?,
        }),
    };
    let kind = match flags & REPLY {
        0 => RecordKind::Execute,
        _ => RecordKind::Reply,
    };
    let sender = r.addr()?;
    let funds = r.list(Reader::coin)?;
    Ok(Execution {
        id,
        time,
        tx_index,
        sender,
        funds,
        msg: Binary::from(r.tail().to_vec()),
        replayable: flags & NOT_REPLAYABLE == 0,
        kind,
        parent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::{mock_env, MockStorage};
    use cosmwasm_std::TransactionInfo;

    fn env_at(height: u64, tx: Option<u32>) -> Env {
        let mut env = mock_env();
        env.block.height = height;
        env.block.time = Timestamp::from_seconds(height * 5);
        env.transaction = tx.map(|i| TransactionInfo::new(i, Binary::default()));
        env
    }

    fn execute<'a>(sender: &'a Addr, funds: &'a [Coin], replayable: bool) -> NewRecord<'a> {
        NewRecord {
            kind: RecordKind::Execute,
            sender,
            funds,
            msg: b"{\"a\":{}}",
            replayable,
            follows_last: false,
        }
    }

    #[test]
    fn records_round_trip_in_order_and_page_after_a_height() {
        let mut store = MockStorage::new();
        let alice = Addr::unchecked("alice");
        let funds = vec![Coin::new(7u128, "uatom"), Coin::new(u128::MAX, "ibc/XYZ")];
        for (h, tx) in [(5, Some(0)), (5, None), (6, Some(3)), (9, Some(1))] {
            let record = execute(&alice, &funds, h != 6);
            record_execution(&mut store, &env_at(h, tx), &record).unwrap();
        }
        let contract = Addr::unchecked("contract");
        let reply = NewRecord {
            kind: RecordKind::Reply,
            follows_last: true,
            ..execute(&contract, &[], true)
        };
        record_execution(&mut store, &env_at(9, Some(1)), &reply).unwrap();
        let all = executions_after(&store, 0, None, 10).unwrap();
        let ids: Vec<_> = all.iter().map(|e| (e.id.height, e.id.index)).collect();
        assert_eq!(ids, vec![(5, 0), (5, 1), (6, 0), (9, 0), (9, 1)]);
        assert_eq!(all[0].tx_index, Some(0));
        assert_eq!(all[1].tx_index, None);
        assert_eq!(all[0].funds, funds);
        assert_eq!(all[0].time, Timestamp::from_seconds(25));
        assert_eq!(all[0].msg.as_slice(), b"{\"a\":{}}");
        assert!(!all[2].replayable && all[3].replayable);
        assert_eq!((all[0].kind, all[0].parent), (RecordKind::Execute, None));
        assert_eq!(
            (all[4].kind, all[4].parent),
            (RecordKind::Reply, Some(all[3].id))
        );
        assert!(execution_exists(&store, all[3].id));

        let above_5 = executions_after(&store, 5, None, 10).unwrap();
        assert_eq!(above_5.len(), 3);
        let page = executions_after(&store, 0, Some(all[1].id), 1).unwrap();
        assert_eq!(page[0].id, all[2].id);
        // A cursor below the height does not reach under it.
        let page = executions_after(&store, 5, Some(all[0].id), 10).unwrap();
        assert_eq!(page.len(), 3);
    }

    #[test]
    fn prune_and_remove_delete_only_what_they_name() {
        let mut store = MockStorage::new();
        let bob = Addr::unchecked("bob");
        for h in [3, 3, 4, 8] {
            record_execution(&mut store, &env_at(h, None), &execute(&bob, &[], true)).unwrap();
        }
        assert_eq!(prune_executions(&mut store, 3, 1).unwrap(), 1);
        assert_eq!(prune_executions(&mut store, 4, 10).unwrap(), 2);
        let left = executions_after(&store, 0, None, 10).unwrap();
        assert_eq!(left.len(), 1);
        remove_execution(&mut store, left[0].id);
        assert!(!execution_exists(&store, left[0].id));
        assert!(executions_after(&store, 0, None, 10).unwrap().is_empty());
        // Numbering restarts from the block's last surviving record.
        let record = execute(&bob, &[], true);
        let id = record_execution(&mut store, &env_at(8, None), &record).unwrap();
        assert_eq!(id.index, 0);
    }

    #[test]
    fn a_corrupt_record_is_an_error_not_a_panic() {
        let id = ExecutionId {
            height: 1,
            index: 0,
        };
        assert!(decode(id, &[0, 1, 2]).is_err());
        let sender = Addr::unchecked("a");
        let mut ok = encode(
            Timestamp::from_nanos(1),
            None,
            &execute(&sender, &[], true),
            None,
        );
        ok[10] = 9; // the sender's length (bytes 9..13) beyond the record
        assert!(decode(id, &ok).is_err());
        let mut bad_kind = encode(
            Timestamp::from_nanos(1),
            None,
            &execute(&sender, &[], true),
            None,
        );
        bad_kind[8] = 0x80; // an unknown flag
        assert!(decode(id, &bad_kind).is_err());
    }
}

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
}

/// What a corrupt record is called in its error.
const WHAT: &str = "redo record";

/// Appends a successful execution at the current block; returns its id. Costs one iterator
/// step (the block's last record, to number this one) and one write.
pub fn record_execution(
    store: &mut dyn Storage,
    env: &Env,
    sender: &Addr,
    funds: &[Coin],
    msg: &[u8],
    replayable: bool,
) -> StdResult<ExecutionId> {
    let height = env.block.height;
    let index = match last_index_at(store, height)? {
        None => 0,
        Some(last) => last
            .checked_add(1)
            .ok_or_else(|| StdError::msg("redo index overflow"))?,
    };
    let tx_index = env.transaction.as_ref().map(|t| t.index);
    let value = encode(env.block.time, tx_index, sender, funds, msg, replayable)?;
    store.set(&execution_key(height, index), &value);
    Ok(ExecutionId { height, index })
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

// Layout (the shared codec): u64(time nanos) ‖ opt tx index (flag, u64) ‖ bool(replayable) ‖
// str(sender) ‖ list(coin) ‖ the message, unprefixed, to the end.
fn encode(
    time: Timestamp,
    tx_index: Option<u32>,
    sender: &Addr,
    funds: &[Coin],
    msg: &[u8],
    replayable: bool,
) -> StdResult<Vec<u8>> {
    let mut w = Writer::default();
    w.u64(time.nanos());
    w.opt_u64(tx_index.map(u64::from));
    w.bool(replayable);
    w.str(sender.as_str());
    w.list(funds, Writer::coin);
    w.tail(msg);
    Ok(w.0)
}

fn decode(id: ExecutionId, bytes: &[u8]) -> StdResult<Execution> {
    let mut r = Reader::new(bytes, WHAT);
    let time = r.time()?;
    let tx_index = match r.opt_u64()? {
        Some(i) => Some(u32::try_from(i).map_err(|_| r.corrupt())?),
        None => None,
    };
    let replayable = r.bool()?;
    let sender = r.addr()?;
    let funds = r.list(Reader::coin)?;
    Ok(Execution {
        id,
        time,
        tx_index,
        sender,
        funds,
        msg: Binary::from(r.tail().to_vec()),
        replayable,
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

    #[test]
    fn records_round_trip_in_order_and_page_after_a_height() {
        let mut store = MockStorage::new();
        let alice = Addr::unchecked("alice");
        let funds = vec![Coin::new(7u128, "uatom"), Coin::new(u128::MAX, "ibc/XYZ")];
        for (h, tx) in [(5, Some(0)), (5, None), (6, Some(3)), (9, Some(1))] {
            record_execution(
                &mut store,
                &env_at(h, tx),
                &alice,
                &funds,
                b"{\"a\":{}}",
                h != 6,
            )
            .unwrap();
        }
        let all = executions_after(&store, 0, None, 10).unwrap();
        let ids: Vec<_> = all.iter().map(|e| (e.id.height, e.id.index)).collect();
        assert_eq!(ids, vec![(5, 0), (5, 1), (6, 0), (9, 0)]);
        assert_eq!(all[0].tx_index, Some(0));
        assert_eq!(all[1].tx_index, None);
        assert_eq!(all[0].funds, funds);
        assert_eq!(all[0].time, Timestamp::from_seconds(25));
        assert_eq!(all[0].msg.as_slice(), b"{\"a\":{}}");
        assert!(!all[2].replayable && all[3].replayable);

        let above_5 = executions_after(&store, 5, None, 10).unwrap();
        assert_eq!(above_5.len(), 2);
        let page = executions_after(&store, 0, Some(all[1].id), 1).unwrap();
        assert_eq!(page[0].id, all[2].id);
        // A cursor below the height does not reach under it.
        let page = executions_after(&store, 5, Some(all[0].id), 10).unwrap();
        assert_eq!(page.len(), 2);
    }

    #[test]
    fn prune_and_remove_delete_only_what_they_name() {
        let mut store = MockStorage::new();
        let bob = Addr::unchecked("bob");
        for h in [3, 3, 4, 8] {
            record_execution(&mut store, &env_at(h, None), &bob, &[], b"{}", true).unwrap();
        }
        assert_eq!(prune_executions(&mut store, 3, 1).unwrap(), 1);
        assert_eq!(prune_executions(&mut store, 4, 10).unwrap(), 2);
        let left = executions_after(&store, 0, None, 10).unwrap();
        assert_eq!(left.len(), 1);
        remove_execution(&mut store, left[0].id);
        assert!(executions_after(&store, 0, None, 10).unwrap().is_empty());
        // Numbering restarts from the block's last surviving record.
        let id = record_execution(&mut store, &env_at(8, None), &bob, &[], b"{}", true).unwrap();
        assert_eq!(id.index, 0);
    }

    #[test]
    fn a_corrupt_record_is_an_error_not_a_panic() {
        let id = ExecutionId {
            height: 1,
            index: 0,
        };
        assert!(decode(id, &[0, 1, 2]).is_err());
        let mut ok = encode(
            Timestamp::from_nanos(1),
            None,
            &Addr::unchecked("a"),
            &[],
            b"",
            true,
        )
        .unwrap();
        ok[20] = 9; // the sender's length (bytes 18..22) beyond the record
        assert!(decode(id, &ok).is_err());
    }
}

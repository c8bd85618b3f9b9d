//! External flows: an append-only log of deposits (+) and withdrawals (-) per account and
//! denom. Flows are never rolled back: after a rollback to H, the restoration replays the
//! flows recorded after H for every account not excluded.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Env, Int128, Order, StdError, StdResult, Storage};
use cw_storage_plus::{Bound, Item, Map};

use crate::keys::{NS_ACCOUNT_FLOWS, NS_FLOWS, NS_FLOW_COUNTER, NS_FLOW_HEIGHTS};

/// The most flows one page returns, whatever limit is asked for.
pub const MAX_FLOW_PAGE: u32 = 500;

pub(crate) const FLOWS: Map<u64, Flow> = Map::new(NS_FLOWS);
pub(crate) const ACCOUNT_FLOWS: Map<(&Addr, u64), Flow> = Map::new(NS_ACCOUNT_FLOWS);
/// height -> seq of the first flow recorded at that height.
pub(crate) const FLOW_HEIGHTS: Map<u64, u64> = Map::new(NS_FLOW_HEIGHTS);
pub(crate) const FLOW_COUNTER: Item<FlowCounter> = Item::new(NS_FLOW_COUNTER);

/// One external flow.
#[cw_serde]
pub struct Flow {
    /// Position in the log, from 1, strictly increasing with time.
    pub seq: u64,
    /// The block it was recorded in.
    pub height: u64,
    /// The account whose funds moved.
    pub account: Addr,
    /// The native denom.
    pub denom: String,
    /// Positive into the contract (deposit), negative out of it (withdrawal).
    pub amount: Int128,
}

#[cw_serde]
#[derive(Default)]
pub(crate) struct FlowCounter {
    /// The seq of the last flow recorded (0: none yet).
    pub last_seq: u64,
    /// The height of the last flow recorded.
    pub last_height: Option<u64>,
}

/// Appends a flow at the current height and notes the account's activity. Returns its seq.
pub fn record_flow(
    store: &mut dyn Storage,
    env: &Env,
    account: &Addr,
    denom: &str,
    amount: Int128,
) -> StdResult<u64> {
    let mut counter = FLOW_COUNTER.may_load(store)?.unwrap_or_default();
    let seq = counter
        .last_seq
        .checked_add(1)
        .ok_or_else(|| StdError::msg("flow seq overflow"))?;
    let height = env.block.height;
    if counter.last_height != Some(height) {
        FLOW_HEIGHTS.save(store, height, &seq)?;
    }
    let flow = Flow {
        seq,
        height,
        account: account.clone(),
        denom: denom.to_string(),
        amount,
    };
    FLOWS.save(store, seq, &flow)?;
    ACCOUNT_FLOWS.save(store, (account, seq), &flow)?;
    counter.last_seq = seq;
    counter.last_height = Some(height);
    FLOW_COUNTER.save(store, &counter)?;
    crate::activity::note_activity(store, env, account)?;
    Ok(seq)
}

/// The first seq of the flows recorded at heights above `height`.
fn first_seq_after(store: &dyn Storage, height: u64) -> StdResult<Option<u64>> {
    FLOW_HEIGHTS
        .range(
            store,
            Some(Bound::exclusive(height)),
            None,
            Order::Ascending,
        )
        .next()
        .transpose()
        .map(|r| r.map(|(_, seq)| seq))
}

fn start_seq(store: &dyn Storage, height: u64, start_after: Option<u64>) -> StdResult<Option<u64>> {
    Ok(
        first_seq_after(store, height)?.map(|first| match start_after {
            Some(after) => first.max(after.saturating_add(1)),
            None => first,
        }),
    )
}

/// Flows recorded at heights above `height`, in seq order, after seq `start_after`, at most
/// `limit` (capped at [`MAX_FLOW_PAGE`]).
pub fn flows_after(
    store: &dyn Storage,
    height: u64,
    start_after: Option<u64>,
    limit: u32,
) -> StdResult<Vec<Flow>> {
    let Some(start) = start_seq(store, height, start_after)? else {
        return Ok(vec![]);
    };
    FLOWS
        .range(store, Some(Bound::inclusive(start)), None, Order::Ascending)
        .take(limit.min(MAX_FLOW_PAGE) as usize)
        .map(|r| r.map(|(_, f)| f))
        .collect()
}

/// `account`'s flows recorded at heights above `height`, in seq order, after seq
/// `start_after`, at most `limit` (capped at [`MAX_FLOW_PAGE`]).
pub fn account_flows_after(
    store: &dyn Storage,
    account: &Addr,
    height: u64,
    start_after: Option<u64>,
    limit: u32,
) -> StdResult<Vec<Flow>> {
    let Some(start) = start_seq(store, height, start_after)? else {
        return Ok(vec![]);
    };
    ACCOUNT_FLOWS
        .prefix(account)
        .range(store, Some(Bound::inclusive(start)), None, Order::Ascending)
        .take(limit.min(MAX_FLOW_PAGE) as usize)
        .map(|r| r.map(|(_, f)| f))
        .collect()
}

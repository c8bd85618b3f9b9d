//! The library's own records: raw, under the journal's reserved `rj/` names, never rolled
//! back and not in the digest.

use cosmwasm_std::storage_keys::to_length_prefixed;
use cosmwasm_std::{Addr, Order, StdResult, Storage};
use cw_storage_plus::Item;
use rewind_journal::keys::prefix_end;
use rewind_journal::keys::{
    NS_EXCLUSIONS, NS_FROZEN, NS_REPLAY, NS_REPLAY_REPORT, NS_SETTLEMENT, NS_TARGET_SETTINGS,
    NS_TARGET_STATUS,
};
use rewind_types::codec::{decode_all, encode_all, Reader, Record, RecordItem, Writer};
use rewind_types::restorable::{decode_policy, encode_policy};
use rewind_types::restorable::{
    ExecutionId, HoldingsSettlement, ReplayEntry, RestorationPhase, RestorationStatusResponse,
};
use rewind_types::restoration::ShortfallPolicy;

use crate::msg::StoredSettings;

/// The guardian.
pub const SETTINGS: Item<StoredSettings> = Item::new(NS_TARGET_SETTINGS);
/// The current or last restoration, as `RestorationStatus` answers it.
pub const STATUS: Item<RestorationStatusResponse> = Item::new(NS_TARGET_STATUS);
/// Every account a restoration excluded: its keys are frozen and it may not execute.
pub const FROZEN: Item<Vec<Addr>> = Item::new(NS_FROZEN);
/// The running restoration's exclusions: frozen (and handed to the freeze hook) when its
/// rollback completes, dropped if it is abandoned.
pub const EXCLUSIONS: Item<Vec<Addr>> = Item::new(NS_EXCLUSIONS);

// The replay's records are in the shared binary codec, not JSON: only the library reads them,
// and each JSON type would cost its own deserialiser in every protected contract.

/// The running restoration's replay: where it is in the redo log, and the voted rule its
/// settlement applies.
pub const REPLAY: RecordItem<ReplayState> = RecordItem::new(NS_REPLAY);

/// The last settlement of the contract's holdings (a contract that declares them).
pub const SETTLEMENT: RecordItem<HoldingsSettlement> = RecordItem::new(NS_SETTLEMENT);

/// Each restoration's replay report, by its height: every recorded execution it skipped, and
/// every one whose outgoing messages it did not send again. Key: `rj/k` (length-prefixed) ‖
/// u64be(restoration height) ‖ u64be(record height) ‖ u32be(record index).
fn report_key(restoration: u64, id: Option<ExecutionId>) -> Vec<u8> {
    let mut key = to_length_prefixed(NS_REPLAY_REPORT.as_bytes());
    key.extend_from_slice(&restoration.to_be_bytes());
    if let Some(id) = id {
        key.extend_from_slice(&id.height.to_be_bytes());
        key.extend_from_slice(&id.index.to_be_bytes());
    }
    key
}

/// Adds an entry to the report of the restoration to `restoration`.
pub fn save_report(
    store: &mut dyn Storage,
    restoration: u64,
    entry: &ReplayEntry,
) -> StdResult<()> {
    store.set(
        &report_key(restoration, Some(entry.id)),
        &encode_all(entry)?,
    );
    Ok(())
}

/// At most `limit` entries of that report, in log order, after `start_after`.
pub fn report_page(
    store: &dyn Storage,
    restoration: u64,
    start_after: Option<ExecutionId>,
    limit: usize,
) -> StdResult<Vec<ReplayEntry>> {
    let from = match start_after {
        Some(id) => {
            let mut k = report_key(restoration, Some(id));
            k.push(0); // just after it
            k
        }
        None => report_key(restoration, None),
    };
    let end = prefix_end(&report_key(restoration, None));
    store
        .range(Some(&from), Some(&end), Order::Ascending)
        .take(limit)
        .map(|(_, v)| decode_all(&v, NS_REPLAY_REPORT))
        .collect()
}

/// See [`REPLAY`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayState {
    /// The last recorded execution handled (replayed or skipped); `None`: none yet.
    pub cursor: Option<ExecutionId>,
    /// How the settlement hook settles a shortfall.
    pub shortfall_policy: ShortfallPolicy,
    /// Every recorded execution is handled; the settlement hook runs (again) on each crank
    /// until it is done.
    pub settling: bool,
}

impl Record for ReplayState {
    fn encode(&self, w: &mut Writer) -> StdResult<()> {
        w.bool(self.cursor.is_some());
        if let Some(cursor) = self.cursor {
            cursor.encode(w);
        }
        encode_policy(w, self.shortfall_policy);
        w.bool(self.settling);
        Ok(())
    }

    fn decode(r: &mut Reader) -> StdResult<Self> {
        let cursor = match r.bool()? {
            true => Some(ExecutionId::decode(r)?),
            false => None,
        };
        Ok(ReplayState {
            cursor,
            shortfall_policy: decode_policy(r)?,
            settling: r.bool()?,
        })
    }
}

/// The status before any restoration, and the shape of every status the library writes: the
/// library replays executions, not flows, and keeps no claims of its own.
pub fn status(phase: RestorationPhase, height: Option<u64>) -> RestorationStatusResponse {
    RestorationStatusResponse::at(phase, height)
}

/// The current status (idle if no restoration ever ran).
pub fn load_status(store: &dyn Storage) -> StdResult<RestorationStatusResponse> {
    Ok(STATUS
        .may_load(store)?
        .unwrap_or_else(|| status(RestorationPhase::Idle, None)))
}

/// The frozen accounts (none if no restoration excluded any).
pub fn frozen(store: &dyn Storage) -> StdResult<Vec<Addr>> {
    Ok(FROZEN.may_load(store)?.unwrap_or_default())
}

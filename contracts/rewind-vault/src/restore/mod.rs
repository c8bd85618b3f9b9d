//! Restoration, the vault's part. rewind-target runs the restoration: `Restore { .. }` checks
//! the exclusions and starts the journal's rollback, `Crank { limit }` rolls back to the
//! height (the journal verifies the digest recorded there), then replays every recorded
//! execution after the height of every account not excluded (deposits, withdrawals, trades,
//! closes, liquidations, price pushes of an honest feeder; each with its original block,
//! sender and funds, on an overlay, a failing one dropped and reported; bank sends not sent
//! again). The vault adds two hooks:
//! - [`freeze::freeze`], once per excluded account when the rollback reached the height:
//!   the account joins this restoration's record (its state at the height stays as it is:
//!   rewind-target freezes every key holding its address);
//! - [`settle::settle`], when the replay is done, called by one crank after another until it
//!   is (each call bounded by the crank's limit): reconcile the ledger with the bank per
//!   denom and settle a shortfall by the voted policy, store the report and the claims the
//!   restoration queries answer.

pub mod freeze;
pub mod settle;

use cosmwasm_std::{Addr, Order, Storage};
use rewind_journal::rollback_status;
use rewind_types::vault::RestorationStep;

use crate::error::ContractError;
use crate::state::{Restoration, RESTORATION};

/// The vault's record of the restoration the library is running: the stored one if it
/// belongs to this restoration (same rollback start), else a new one (id + 1).
pub fn current(store: &dyn Storage) -> Result<Restoration, ContractError> {
    let rollback = rollback_status(store)?.ok_or(ContractError::NoRestorationRunning {})?;
    let stored = RESTORATION.may_load(store)?;
    if let Some(r) = stored.as_ref().filter(|r| {
        r.started_at_height == rollback.started_at_height && r.height == rollback.height
    }) {
        return Ok(r.clone());
    }
    Ok(Restoration {
        id: stored.map_or(1, |r| r.id.saturating_add(1)),
        height: rollback.height,
        started_at_height: rollback.started_at_height,
        exclusions: vec![],
        policy: None,
        step: RestorationStep::Replaying,
        cursor: None,
        positions_next: false,
        unwound_positions: 0,
        settled_balances: 0,
        denoms: vec![],
        completed_at_height: None,
    })
}

/// The newest report's id, if any restoration completed.
pub fn last_report_id(store: &dyn Storage) -> Result<Option<u64>, ContractError> {
    Ok(crate::state::REPORTS
        .keys(store, None, None, Order::Descending)
        .next()
        .transpose()?)
}

/// Whether `account` is one of `accounts` (sorted).
pub fn listed(accounts: &[Addr], account: &Addr) -> bool {
    accounts.binary_search(account).is_ok()
}

//! Account activity (row G14): the newest height at which each account acted on the
//! contract, so a restoration cannot exclude (confiscate) a dormant honest account.
//!
//! A small plain map (`"rj/l"`), not journaled and not in the digest: a rollback never
//! rewinds it, so after a restoration it still says who acted after the restoration height.

use cosmwasm_std::{Addr, Api, Env, StdResult, Storage};
use cw_storage_plus::Map;
use rewind_types::restorable::{AccountActivity, MAX_RESTORATION_CHECK_ACCOUNTS};

use crate::error::JournalError;
use crate::keys::NS_ACTIVITY;

pub(crate) const ACTIVITY: Map<&Addr, u64> = Map::new(NS_ACTIVITY);

/// Notes that `account` acted at the current height: the embedding contract calls it for the
/// sender of every gated execution (`record_flow` calls it for the flow's account). One read,
/// and one write the first time in a block.
pub fn note_activity(store: &mut dyn Storage, env: &Env, account: &Addr) -> StdResult<()> {
    let height = env.block.height;
    if ACTIVITY.may_load(store, account)? != Some(height) {
        ACTIVITY.save(store, account, &height)?;
    }
    Ok(())
}

/// The newest height `account` acted at, if it ever did (since activity is recorded).
pub fn last_acted_height(store: &dyn Storage, account: &Addr) -> StdResult<Option<u64>> {
    ACTIVITY.may_load(store, account)
}

/// The activity of each account, in order: what `RestorationCheck { accounts }` answers.
/// Every address is validated; more than `MAX_RESTORATION_CHECK_ACCOUNTS` is an error.
pub fn account_activity(
    store: &dyn Storage,
    api: &dyn Api,
    accounts: &[String],
) -> Result<Vec<AccountActivity>, JournalError> {
    if accounts.len() > MAX_RESTORATION_CHECK_ACCOUNTS {
        return Err(JournalError::TooManyAccounts {
            count: accounts.len(),
            max: MAX_RESTORATION_CHECK_ACCOUNTS,
        });
    }
    accounts
        .iter()
        .map(|a| {
            let addr = api.addr_validate(a)?;
            Ok(AccountActivity {
                account: a.clone(),
                last_acted_height: last_acted_height(store, &addr)?,
            })
        })
        .collect()
}

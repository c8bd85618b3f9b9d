//! Running a contract's own handler on journaled storage.

use cosmwasm_std::{Addr, DepsMut, Env};
use rewind_journal::JournaledStorage;

use crate::error::ContractError;
use crate::target::Target;

/// Runs `handler` with `deps.storage` replaced by a [`JournaledStorage`] (writes to keys of
/// `frozen` accounts refused), then flushes the digest once. A refused write fails the whole
/// execution with its own reason, whatever the handler made of the missing write.
pub fn run_journaled<E, R>(
    deps: DepsMut,
    env: &Env,
    target: &Target<E>,
    frozen: Vec<Addr>,
    handler: impl FnOnce(DepsMut) -> Result<R, E>,
) -> Result<R, ContractError<E>> {
    run(deps, env, target, frozen, false, handler)
}

/// [`run_journaled`] for the instantiation: the digest is recorded even if nothing was
/// journaled, so the instantiation height is a restoration point.
pub(crate) fn run_first<E, R>(
    deps: DepsMut,
    env: &Env,
    target: &Target<E>,
    handler: impl FnOnce(DepsMut) -> Result<R, E>,
) -> Result<R, ContractError<E>> {
    run(deps, env, target, vec![], true, handler)
}

fn run<E, R>(
    deps: DepsMut,
    env: &Env,
    target: &Target<E>,
    frozen: Vec<Addr>,
    record: bool,
    handler: impl FnOnce(DepsMut) -> Result<R, E>,
) -> Result<R, ContractError<E>> {
    let DepsMut {
        storage,
        api,
        querier,
    } = deps;
    let mut store = JournaledStorage::new(storage, env, target.plain, frozen);
    let result = handler(DepsMut {
        storage: &mut store,
        api,
        querier,
    });
    let response = match result {
        // A failed execution is reverted: nothing to flush, only its reason to pick.
        Err(e) => {
            return Err(store
                .into_refusal()
                .map_or(ContractError::Contract(e), Into::into))
        }
        Ok(response) => response,
    };
    if record {
        store.finish_and_record()?;
    } else {
        store.finish()?;
    }
    Ok(response)
}

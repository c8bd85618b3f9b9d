//! Entry points. Each operation touches exactly the storage it names and nothing else, so the
//! harness can subtract the `Noop {}` baseline and compare the three storage types.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Deps, DepsMut, Env, HexBinary, MessageInfo, Response, StdResult,
    Timestamp, Uint128,
};
use rewind_journal::{Journal, JournalError};
use rewind_types::PauseScope;

use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg, StoreKind};
use crate::state::{account, JOURNALED, PLAIN, SNAPSHOT};

/// Instantiates the benchmark contract.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, JournalError> {
    // A one-second window in time: the bench measures per-block costs, the window in blocks
    // decides as before retention in seconds existed.
    rewind_journal::initialize(deps.storage, &env, msg.retention_blocks, 1)?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

/// Runs one benchmark operation.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, JournalError> {
    match msg {
        ExecuteMsg::Noop {} => Ok(Response::new().add_attribute("action", "noop")),
        ExecuteMsg::Write {
            store,
            first,
            count,
            amount,
        } => write(deps, env, store, first, count, amount),
        ExecuteMsg::Read {
            store,
            first,
            count,
        } => read(deps, store, first, count),
        ExecuteMsg::SetPause { scope, until } => set_pause(deps, &env, scope, until),
        ExecuteMsg::Gated { scope } => {
            // Benchmark only: the scope is gated as a plain (non-exit) action.
            rewind_journal::ensure_open(
                deps.storage,
                &env,
                &rewind_types::ScopeInfo::action(scope),
            )?;
            Ok(Response::new().add_attribute("action", "gated"))
        }
        ExecuteMsg::StartRollback {
            height,
            expected_digest,
        } => start_rollback(deps, env, height, expected_digest),
        ExecuteMsg::RollbackStep { limit } => {
            let step = rewind_journal::rollback_step(deps.storage, &env, limit)?;
            Ok(Response::new()
                .add_attribute("action", "rollback_step")
                .add_attribute("undone", step.undone.to_string())
                .add_attribute("done", step.done.to_string()))
        }
    }
}

fn write(
    deps: DepsMut,
    env: Env,
    store: StoreKind,
    first: u32,
    count: u32,
    amount: Uint128,
) -> Result<Response, JournalError> {
    let accounts = (first..first.saturating_add(count)).map(account);
    match store {
        StoreKind::Plain => {
            for a in accounts {
                PLAIN.save(deps.storage, &a, &amount)?;
            }
        }
        StoreKind::Snapshot => {
            for a in accounts {
                SNAPSHOT.save(deps.storage, &a, &amount, env.block.height)?;
            }
        }
        StoreKind::Journaled => {
            let mut j = Journal::new(&env);
            for a in accounts {
                JOURNALED.save(deps.storage, &mut j, &a, &amount)?;
            }
            j.flush(deps.storage)?;
        }
    }
    Ok(Response::new()
        .add_attribute("action", "write")
        .add_attribute("count", count.to_string()))
}

fn read(deps: DepsMut, store: StoreKind, first: u32, count: u32) -> Result<Response, JournalError> {
    let mut total = Uint128::zero();
    for a in (first..first.saturating_add(count)).map(account) {
        let balance = load(deps.as_ref(), store, &a)?;
        total = total
            .checked_add(balance)
            .map_err(cosmwasm_std::StdError::from)?;
    }
    Ok(Response::new()
        .add_attribute("action", "read")
        .add_attribute("total", total))
}

fn load(deps: Deps, store: StoreKind, a: &Addr) -> StdResult<Uint128> {
    Ok(match store {
        StoreKind::Plain => PLAIN.may_load(deps.storage, a)?,
        StoreKind::Snapshot => SNAPSHOT.may_load(deps.storage, a)?,
        StoreKind::Journaled => JOURNALED.may_load(deps.storage, a)?,
    }
    .unwrap_or_default())
}

fn set_pause(
    deps: DepsMut,
    env: &Env,
    scope: PauseScope,
    until: Timestamp,
) -> Result<Response, JournalError> {
    rewind_journal::set_pause(deps.storage, env, &scope, until)?;
    Ok(Response::new().add_attribute("action", "set_pause"))
}

fn start_rollback(
    deps: DepsMut,
    env: Env,
    height: u64,
    expected_digest: HexBinary,
) -> Result<Response, JournalError> {
    rewind_journal::start_rollback(deps.storage, &env, height, expected_digest.as_slice())?;
    Ok(Response::new()
        .add_attribute("action", "start_rollback")
        .add_attribute("height", height.to_string()))
}

/// Answers the benchmark queries.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, JournalError> {
    match msg {
        QueryMsg::DigestAt { height } => Ok(to_json_binary(&rewind_journal::digest_at(
            deps.storage,
            &env,
            height,
        )?)?),
        QueryMsg::Balance { store, index } => {
            Ok(to_json_binary(&load(deps, store, &account(index))?)?)
        }
    }
}

//! One module per action, plus what they share: the role check, loading and closing an
//! operation, scheduling a new one, and the guardian lock messages.

pub mod cancel;
pub mod execute_op;
pub mod expire;
pub mod override_delay;
pub mod queue;
pub mod queue_upgrade;
pub mod update_settings;

use cosmwasm_std::{
    to_json_binary, Addr, Deps, DepsMut, Env, HexBinary, Response, Storage, Timestamp, WasmMsg,
};
use rewind_types::governance::{FAST_TRACK_MAX_VETO_SECONDS, FAST_TRACK_MIN_VETO_SECONDS};
use rewind_types::guardian::ExecuteMsg as GuardianMsg;
use rewind_types::timelock::{OperationStatus, TimelockSettings};
use rewind_types::{wiring, ModuleAddresses, ACTION};

use crate::error::ContractError;
use crate::state::{Operation, OperationKind, BY_HASH, MODULES, NEXT_ID, OPERATIONS, SETTINGS};

/// Refuses anyone but governance; returns the module addresses.
pub fn ensure_governance(deps: Deps, sender: &Addr) -> Result<ModuleAddresses, ContractError> {
    let modules = MODULES.load(deps.storage)?;
    wiring::ensure_governance(&modules, sender)?;
    Ok(modules)
}

/// Loads an operation or refuses with `OperationNotFound`.
pub fn load_operation(deps: Deps, operation_id: u64) -> Result<Operation, ContractError> {
    OPERATIONS
        .may_load(deps.storage, operation_id)?
        .ok_or(ContractError::OperationNotFound { operation_id })
}

/// Refuses unless the operation is Queued and inside its grace window at `now` (row T2).
pub fn ensure_queued(op: &Operation, now: Timestamp) -> Result<(), ContractError> {
    match op.effective_status(now) {
        OperationStatus::Queued => Ok(()),
        OperationStatus::Expired => Err(ContractError::Expired {
            operation_id: op.id,
            expires_at: op.expires_at,
        }),
        status => Err(ContractError::NotQueued {
            operation_id: op.id,
            status,
        }),
    }
}

/// `t + seconds`, refusing overflow (row B3).
pub fn plus_seconds(t: Timestamp, seconds: u64) -> Result<Timestamp, ContractError> {
    seconds
        .checked_mul(1_000_000_000)
        .and_then(|nanos| t.nanos().checked_add(nanos))
        .map(Timestamp::from_nanos)
        .ok_or(ContractError::Overflow {})
}

/// The delay and block floor of an operation: the configured ones, or a fast track's veto
/// window (bounded in code whatever governance sends, row F6) with the block floor scaled
/// by the same ratio, rounded up, so a chain halt cannot skip the veto window either.
fn delay(
    settings: &TimelockSettings,
    veto_window_seconds: Option<u64>,
) -> Result<(u64, u64), ContractError> {
    let Some(seconds) = veto_window_seconds else {
        return Ok((settings.delay_seconds, settings.min_delay_blocks));
    };
    let (min, max) = (FAST_TRACK_MIN_VETO_SECONDS, FAST_TRACK_MAX_VETO_SECONDS);
    if !(min..=max).contains(&seconds) {
        return Err(ContractError::InvalidVetoWindow { seconds, min, max });
    }
    let scaled = u128::from(settings.min_delay_blocks) * u128::from(seconds);
    let blocks = scaled.div_ceil(u128::from(settings.delay_seconds.max(1)));
    Ok((
        seconds,
        u64::try_from(blocks).map_err(|_| ContractError::Overflow {})?,
    ))
}

/// Schedules a new Queued operation of `kind` under `content_hash`, with the current delay
/// (or a fast track's veto window), block count and grace window, and stores it. Refuses a
/// content hash queued before, whatever became of it (rows T2, R2).
pub fn schedule(
    deps: DepsMut,
    env: &Env,
    kind: OperationKind,
    content_hash: HexBinary,
    veto_window_seconds: Option<u64>,
) -> Result<Operation, ContractError> {
    if let Some(operation_id) = BY_HASH.may_load(deps.storage, content_hash.as_slice())? {
        let existing = OPERATIONS.load(deps.storage, operation_id)?;
        return Err(ContractError::AlreadyQueued {
            operation_id,
            status: existing.effective_status(env.block.time),
        });
    }
    let settings = SETTINGS.load(deps.storage)?;
    let (delay_seconds, delay_blocks) = delay(&settings, veto_window_seconds)?;
    let eta = plus_seconds(env.block.time, delay_seconds)?;
    let expires_at = plus_seconds(eta, settings.grace_period_seconds)?;
    let eta_height = env
        .block
        .height
        .checked_add(delay_blocks)
        .ok_or(ContractError::Overflow {})?;
    let id = NEXT_ID.load(deps.storage)?;
    NEXT_ID.save(
        deps.storage,
        &id.checked_add(1).ok_or(ContractError::Overflow {})?,
    )?;
    let operation = Operation {
        id,
        kind,
        content_hash,
        status: OperationStatus::Queued,
        queued_at: env.block.time,
        queued_height: env.block.height,
        eta,
        eta_height,
        expires_at,
        closed_by: None,
        guardian_delay: None,
    };
    OPERATIONS.save(deps.storage, id, &operation)?;
    BY_HASH.save(deps.storage, operation.content_hash.as_slice(), &id)?;
    Ok(operation)
}

/// The guardian message locking a waiting restoration's targets until its (possibly moved)
/// expiry; `None` for an upgrade, which locks nothing.
pub fn set_lock(
    modules: &ModuleAddresses,
    op: &Operation,
) -> Result<Option<WasmMsg>, ContractError> {
    let targets = op.lock_targets();
    if targets.is_empty() {
        return Ok(None);
    }
    Ok(Some(WasmMsg::Execute {
        contract_addr: modules.guardian.to_string(),
        msg: to_json_binary(&GuardianMsg::SetRestorationLock {
            operation_id: op.id,
            targets,
            until: op.expires_at,
        })?,
        funds: vec![],
    }))
}

/// The guardian message releasing a waiting restoration's lock; `None` for an upgrade.
pub fn clear_lock(
    modules: &ModuleAddresses,
    op: &Operation,
) -> Result<Option<WasmMsg>, ContractError> {
    let targets = op.lock_targets();
    if targets.is_empty() {
        return Ok(None);
    }
    Ok(Some(WasmMsg::Execute {
        contract_addr: modules.guardian.to_string(),
        msg: to_json_binary(&GuardianMsg::ClearRestorationLock {
            operation_id: op.id,
            targets,
        })?,
        funds: vec![],
    }))
}

/// The attribute value naming an operation's kind.
pub fn kind_name(op: &Operation) -> &'static str {
    match op.kind {
        OperationKind::Restoration { .. } => "restoration",
        OperationKind::Upgrade { .. } => "upgrade",
    }
}

/// Closes `op` for good with `status`, recording `by` as the closer, and answers with `msg`
/// if any (saved before dispatch: a re-entrant call sees the operation closed, rows T2, R7).
pub fn close_operation(
    storage: &mut dyn Storage,
    mut op: Operation,
    status: OperationStatus,
    by: Addr,
    msg: Option<WasmMsg>,
    action: &str,
    by_key: &str,
) -> Result<Response, ContractError> {
    op.status = status;
    op.closed_by = Some(by.clone());
    OPERATIONS.save(storage, op.id, &op)?;
    Ok(Response::new()
        .add_messages(msg)
        .add_attribute(ACTION, action)
        .add_attribute("operation_id", op.id.to_string())
        .add_attribute("kind", kind_name(&op))
        .add_attribute(by_key, by))
}

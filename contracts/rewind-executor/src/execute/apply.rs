//! The timelock hands over a due operation: verify every target, then migrate each one.

use std::collections::BTreeSet;

use cosmwasm_std::{
    to_json_binary, Deps, DepsMut, Env, HexBinary, MessageInfo, Response, SubMsg, WasmMsg,
};
use rewind_types::executor::RestorationState;
use rewind_types::guardian::ExecuteMsg as GuardianMsg;
use rewind_types::{RestorableMigrateMsg, RestorationSpec, RestorationTarget, ACTION};

use super::plus_seconds;
use crate::error::ContractError;
use crate::progress::set_state;
use crate::reply::MIGRATE_REPLY_ID;
use crate::settings::MAX_TARGETS;
use crate::state::{
    idle_status, ReplyContext, Restoration, TargetState, ACTIVE_TARGETS, LAST_APPLIED, MODULES,
    RESTORATIONS, SETTINGS,
};

/// Checks, through the chain's own queries, that the target is the one voted and that the
/// executor may migrate it: admin (R8), code checksum (G6) and cw2 name (R8).
pub fn verify_target(deps: Deps, env: &Env, t: &RestorationTarget) -> Result<(), ContractError> {
    let info = deps
        .querier
        .query_wasm_contract_info(t.contract.to_string())?;
    if info.admin.as_ref() != Some(&env.contract.address) {
        return Err(ContractError::NotAdmin {
            target: t.contract.clone(),
            admin: info.admin,
        });
    }
    let code = deps.querier.query_wasm_code_info(t.code_id)?;
    if code.checksum.as_slice() != t.checksum.as_slice() {
        return Err(ContractError::ChecksumMismatch {
            code_id: t.code_id,
            expected: t.checksum.clone(),
            actual: HexBinary::from(code.checksum.as_slice()),
        });
    }
    let version = cw2::query_contract_info(&deps.querier, t.contract.to_string())?;
    if version.contract != t.contract_name {
        return Err(ContractError::ContractNameMismatch {
            target: t.contract.clone(),
            expected: t.contract_name.clone(),
            actual: version.contract,
        });
    }
    Ok(())
}

/// The restore migration of target `index`, replying always so a failure is recorded
/// instead of half-reverting (row R6).
pub fn migrate_submsg(
    spec: &RestorationSpec,
    restoration_id: u64,
    index: usize,
) -> Result<SubMsg, ContractError> {
    let t = &spec.targets[index];
    let msg = RestorableMigrateMsg::Restore {
        height: spec.height,
        exclusions: spec.exclusions.iter().map(|a| a.to_string()).collect(),
        shortfall_policy: spec.shortfall_policy,
        expected_digest: t.expected_digest.clone(),
    };
    let ctx = ReplyContext {
        restoration_id,
        target_index: u32::try_from(index).map_err(|_| ContractError::Overflow {})?,
    };
    Ok(SubMsg::reply_always(
        WasmMsg::Migrate {
            contract_addr: t.contract.to_string(),
            new_code_id: t.code_id,
            msg: to_json_binary(&msg)?,
        },
        MIGRATE_REPLY_ID,
    )
    .with_payload(to_json_binary(&ctx)?))
}

/// The guardian message that (re)locks every target for `lock_seconds` from now; records
/// the lock's end in `r` (a Running restoration past it may be aborted, row R13). The
/// caller saves `r`.
pub fn lock_msg(deps: Deps, env: &Env, r: &mut Restoration) -> Result<WasmMsg, ContractError> {
    let modules = MODULES.load(deps.storage)?;
    let lock_seconds = SETTINGS.load(deps.storage)?.lock_seconds;
    let until = plus_seconds(env.block.time, lock_seconds)?;
    r.lock_until = Some(until);
    Ok(WasmMsg::Execute {
        contract_addr: modules.guardian.to_string(),
        msg: to_json_binary(&GuardianMsg::SetRestorationLock {
            operation_id: r.id,
            targets: r.targets.iter().map(|t| t.contract.to_string()).collect(),
            until,
        })?,
        funds: vec![],
    })
}

/// `Apply { operation_id, spec, content_hash }`, from the timelock only: re-computes the
/// content hash (row G6), refuses an operation applied before (row R2), bounds and dedupes
/// the targets (rows D3, R4), refuses a target another unfinished restoration holds (row
/// R1), verifies every target (rows G6, R8), then stores the restoration (with the spec:
/// from here on the executor is the one place it is stored), locks the targets and migrates
/// each one, replying always (row R6).
pub fn apply(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operation_id: u64,
    spec: RestorationSpec,
    content_hash: HexBinary,
) -> Result<Response, ContractError> {
    let modules = MODULES.load(deps.storage)?;
    if info.sender != modules.timelock {
        return Err(ContractError::Unauthorized {
            sender: info.sender,
            required: "the timelock".to_string(),
        });
    }
    let computed = spec.content_hash()?;
    if computed != content_hash {
        return Err(ContractError::ContentHashMismatch {
            sent: content_hash,
            computed,
        });
    }
    if RESTORATIONS.has(deps.storage, operation_id) {
        return Err(ContractError::AlreadyApplied {
            restoration_id: operation_id,
        });
    }
    let count = spec.targets.len() as u64;
    if count == 0 || count > MAX_TARGETS {
        return Err(ContractError::InvalidTargetCount {
            count,
            max: MAX_TARGETS,
        });
    }
    let mut seen = BTreeSet::new();
    for t in &spec.targets {
        let contract = deps.api.addr_validate(t.contract.as_str())?;
        if !seen.insert(contract.clone()) {
            return Err(ContractError::DuplicateTarget { target: contract });
        }
        if let Some(restoration_id) = ACTIVE_TARGETS.may_load(deps.storage, &contract)? {
            return Err(ContractError::TargetBusy {
                target: contract,
                restoration_id,
            });
        }
        verify_target(deps.as_ref(), &env, t)?;
    }
    let mut r = Restoration {
        id: operation_id,
        spec,
        state: RestorationState::Running,
        targets: Vec::new(),
        started_at: env.block.time,
        finished_at: None,
        lock_until: None,
        exit_only_until: None,
    };
    r.targets = r
        .spec
        .targets
        .iter()
        .map(|t| TargetState {
            contract: t.contract.clone(),
            migrated: false,
            status: idle_status(),
            released: false,
            abandoned: false,
            abandon_error: None,
        })
        .collect();
    for t in &r.targets {
        ACTIVE_TARGETS.save(deps.storage, &t.contract, &operation_id)?;
        LAST_APPLIED.save(deps.storage, &t.contract, &operation_id)?;
    }
    set_state(deps.storage, &env, &mut r, RestorationState::Running)?;
    let lock = lock_msg(deps.as_ref(), &env, &mut r)?;
    RESTORATIONS.save(deps.storage, operation_id, &r)?;
    let mut res = Response::new().add_message(lock);
    for index in 0..r.targets.len() {
        res = res.add_submessage(migrate_submsg(&r.spec, operation_id, index)?);
    }
    Ok(res
        .add_attribute(ACTION, "apply")
        .add_attribute("restoration_id", operation_id.to_string())
        .add_attribute("height", r.spec.height.to_string())
        .add_attribute("targets", count.to_string()))
}

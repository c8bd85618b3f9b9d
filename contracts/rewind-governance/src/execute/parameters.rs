//! Parameter proposals: validated at proposal, applied all-or-nothing when passed.
//! There is no free-form message execution: each change maps to one governance-local
//! update or one typed message to a module.

use cosmwasm_std::{
    to_json_binary, Addr, CosmosMsg, Deps, DepsMut, Env, MessageInfo, Order, Response, StdResult,
    SubMsg, WasmMsg,
};
use rewind_types::governance::TargetRegistration;
use rewind_types::governance::{ParameterChange, ProposalKind, ProposalStatus};
use rewind_types::restorable::RestorableQueryMsg;
use rewind_types::{
    executor, guardian, timelock, DeclaredScopes, ModuleAddresses, ScopeInfo, ScopesResponse,
};

use crate::config::{
    required_retention_seconds, validate_config, validate_timelock_floors, MAX_CHANGES,
    MAX_GUARDIAN_CHANGES,
};
use crate::execute::propose_fast_track::check_playbook;
use crate::execute::target_changes::check_config;
use crate::execute::target_changes::{
    check_track, configure_msg, sweep_msg, upgrade_msg, validate_configure, validate_sweep,
    validate_upgrade,
};
use crate::execute::{check_text, store_proposal, take_deposit, NewProposal};
use crate::instantiate::{register_target, REPLY_CONFIGURED};
use crate::state::{load_proposal, CONFIG, MODULES, TARGETS, TARGET_COUNT};
use crate::ContractError;

/// Checks every change as far as it can be checked before it passes.
pub fn validate_changes(
    deps: Deps,
    env: &Env,
    changes: &[ParameterChange],
) -> Result<(), ContractError> {
    if changes.is_empty() {
        return Err(ContractError::NoChanges {});
    }
    if changes.len() > MAX_CHANGES {
        return Err(ContractError::TooManyChanges {
            max: MAX_CHANGES,
            got: changes.len(),
        });
    }
    for change in changes {
        match change {
            ParameterChange::UpdateConfig(input) => {
                validate_config(deps.api, input)?;
            }
            ParameterChange::UpdateGuardians { add, remove } => {
                let got = add.len().saturating_add(remove.len());
                if got > MAX_GUARDIAN_CHANGES {
                    return Err(ContractError::TooManyGuardianChanges {
                        max: MAX_GUARDIAN_CHANGES,
                        got,
                    });
                }
                for a in add.iter().chain(remove) {
                    deps.api.addr_validate(a)?;
                }
            }
            ParameterChange::RegisterTarget(reg) => {
                check_scopes(deps, reg)?;
            }
            ParameterChange::RemoveTarget { contract } => {
                deps.api.addr_validate(contract)?;
            }
            ParameterChange::ExtendPause { target, until, .. } => {
                deps.api.addr_validate(target)?;
                if *until <= env.block.time {
                    return Err(ContractError::PauseEndNotInFuture { until: *until });
                }
            }
            ParameterChange::LiftPause { target, .. } => {
                deps.api.addr_validate(target)?;
            }
            ParameterChange::UpgradeTarget { contract, new_code } => {
                validate_upgrade(deps, contract, new_code)?;
            }
            ParameterChange::ConfigureTarget { contract, config } => {
                validate_configure(deps, contract, config)?;
            }
            ParameterChange::UpdateTimelock(settings) => {
                validate_timelock_floors(settings)?;
            }
            ParameterChange::SweepFrozen { target, to } => {
                validate_sweep(deps, target, to.as_deref())?;
            }
            ParameterChange::SetPlaybook { target, playbook } => {
                validate_playbook(deps, target, playbook.as_ref())?;
            }
            ParameterChange::UpdatePausePolicy(_)
            | ParameterChange::UpdateExecutor(_)
            | ParameterChange::CancelOperation { .. }
            | ParameterChange::OverrideGuardianDelay { .. }
            | ParameterChange::RetryRestoration { .. }
            | ParameterChange::AbortRestoration { .. }
            | ParameterChange::CancelSweep { .. } => {}
        }
    }
    check_retention(deps, changes)
}

/// A playbook for a registered target: bounded (row F6), and any post-restore
/// configuration accepted by the target now. Checked at proposal and when applied.
fn validate_playbook(
    deps: Deps,
    target: &str,
    playbook: Option<&rewind_types::governance::Playbook>,
) -> Result<Addr, ContractError> {
    let addr = deps.api.addr_validate(target)?;
    if !TARGETS.has(deps.storage, &addr) {
        return Err(ContractError::TargetNotRegistered {
            target: addr.to_string(),
        });
    }
    if let Some(playbook) = playbook {
        check_playbook(&addr, playbook)?;
        if let Some(config) = &playbook.post_restore_config {
            check_config(deps, &addr, config)?;
        }
    }
    Ok(addr)
}

/// `scopes` as the errors show them: `swap, remove_liquidity (exit)`.
fn show(scopes: &[ScopeInfo]) -> String {
    scopes
        .iter()
        .map(|s| {
            if s.exit {
                format!("{} (exit)", s.scope)
            } else {
                s.scope.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A registration's scopes are data the guardian pauses by, so they must be a valid
/// declaration and exactly what the target itself answers to `Scopes {}` (same scopes,
/// same exit flags, same order). Checked at proposal and again when applied, against the
/// target as it is then. Returns the target's address.
pub fn check_scopes(deps: Deps, reg: &TargetRegistration) -> Result<Addr, ContractError> {
    let target = deps.api.addr_validate(&reg.contract)?;
    DeclaredScopes::new(reg.scopes.clone()).map_err(|error| ContractError::InvalidScopes {
        target: target.to_string(),
        error,
    })?;
    let answer: ScopesResponse = deps
        .querier
        .query_wasm_smart(&target, &RestorableQueryMsg::Scopes {})?;
    if answer.scopes != reg.scopes {
        return Err(ContractError::ScopesMismatch {
            target: target.to_string(),
            declared: show(&answer.scopes),
            registered: show(&reg.scopes),
        });
    }
    Ok(target)
}

/// Row G12, retention in time: when the changes touch the voting periods, the timelock's
/// delay or grace, or the targets, every target registered after them must keep at least
/// the normal voting period + the timelock delay + grace of history (its journal's
/// `retention_seconds`), so a restoration proposed now can still execute. Checked against
/// the state of the moment: at proposal and again when applied. A target the same proposal
/// configures is skipped here: its configuration is its own JSON, so only the target can
/// say what retention it leaves; it is checked once every change has applied
/// ([`check_configured_retention`]).
pub fn check_retention(deps: Deps, changes: &[ParameterChange]) -> Result<(), ContractError> {
    let touches = changes.iter().any(|c| {
        matches!(
            c,
            ParameterChange::UpdateConfig(_)
                | ParameterChange::UpdateTimelock(_)
                | ParameterChange::RegisterTarget(_)
        )
    });
    if !touches {
        return Ok(());
    }
    let mut settings = timelock_settings(deps)?;
    let mut normal = CONFIG.load(deps.storage)?.normal.voting_period_seconds;
    // The registry is capped (MAX_REGISTERED_TARGETS), so this set is bounded.
    // Kept sorted and without duplicates, like a set (keys come in ascending order).
    let mut targets = TARGETS
        .keys(deps.storage, None, None, Order::Ascending)
        .collect::<StdResult<Vec<Addr>>>()?;
    let configured = configured_targets(deps, changes)?;
    for change in changes {
        match change {
            ParameterChange::UpdateConfig(input) => normal = input.normal.voting_period_seconds,
            ParameterChange::UpdateTimelock(s) => settings = s.clone(),
            ParameterChange::RegisterTarget(reg) => {
                let target = deps.api.addr_validate(&reg.contract)?;
                if let Err(at) = targets.binary_search(&target) {
                    targets.insert(at, target);
                }
            }
            ParameterChange::RemoveTarget { contract } => {
                if let Ok(at) = targets.binary_search(&deps.api.addr_validate(contract)?) {
                    targets.remove(at);
                }
            }
            _ => {}
        }
    }
    let required = required_retention_seconds(normal, &settings)?;
    for target in targets
        .iter()
        .filter(|t| configured.binary_search(t).is_err())
    {
        ensure_retention(deps, target, required)?;
    }
    Ok(())
}

/// Row G12 after a proposal's changes applied (from the reply to its last module message):
/// every still-registered target it configured reports enough retention for the tracks and
/// the timelock now in force. A failure reverts the whole proposal.
pub fn check_configured_retention(
    deps: Deps,
    changes: &[ParameterChange],
) -> Result<(), ContractError> {
    let configured = configured_targets(deps, changes)?;
    if configured.is_empty() {
        return Ok(());
    }
    let normal = CONFIG.load(deps.storage)?.normal.voting_period_seconds;
    let required = required_retention_seconds(normal, &timelock_settings(deps)?)?;
    for target in configured.iter().filter(|t| TARGETS.has(deps.storage, t)) {
        ensure_retention(deps, target, required)?;
    }
    Ok(())
}

/// The targets `changes` configure, sorted and without duplicates.
fn configured_targets(deps: Deps, changes: &[ParameterChange]) -> Result<Vec<Addr>, ContractError> {
    let mut configured = changes
        .iter()
        .filter_map(|c| match c {
            ParameterChange::ConfigureTarget { contract, .. } => Some(contract),
            _ => None,
        })
        .map(|contract| Ok(deps.api.addr_validate(contract)?))
        .collect::<Result<Vec<Addr>, ContractError>>()?;
    configured.sort_unstable();
    configured.dedup();
    Ok(configured)
}

fn timelock_settings(deps: Deps) -> Result<timelock::TimelockSettings, ContractError> {
    let timelock_addr = MODULES.load(deps.storage)?.timelock;
    Ok(deps
        .querier
        .query_wasm_smart::<crate::answers::TimelockConfig>(
            timelock_addr,
            &timelock::QueryMsg::Config {},
        )?
        .settings)
}

/// The target's journal keeps `required` seconds of history, or `RetentionTooShort`.
fn ensure_retention(deps: Deps, target: &Addr, required: u64) -> Result<(), ContractError> {
    let check: crate::answers::RestorationCheck = deps.querier.query_wasm_smart(
        target,
        &RestorableQueryMsg::RestorationCheck {
            heights: vec![],
            accounts: vec![],
        },
    )?;
    let retention_seconds = check.journal.retention_seconds;
    if retention_seconds < required {
        return Err(ContractError::RetentionTooShort {
            target: target.to_string(),
            retention_seconds,
            required,
        });
    }
    Ok(())
}

/// `ProposeParameters` logic. Parameter proposals use the normal track only (there is no
/// expedited parameter proposal), with power read at the proposal's start height. They
/// apply at close without the timelock; for `UpgradeTarget` the full normal-track vote is
/// what makes that acceptable (see `target_changes::check_track`).
pub fn propose_parameters(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    title: String,
    description: String,
    changes: Vec<ParameterChange>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let deposit = take_deposit(&info, &config)?;
    check_text(&title, &description)?;
    validate_changes(deps.as_ref(), &env, &changes)?;
    let changes_count = changes.len();
    let new = NewProposal {
        title,
        description,
        kind: ProposalKind::Parameters { changes },
        expedited: false,
        power_height: env.block.height,
        candidate_heights: vec![],
        fast_track: None,
    };
    let (proposal, ballot) = store_proposal(deps, &env, info.sender, &config, deposit, new)?;
    Ok(Response::new()
        .add_attribute("action", "propose_parameters")
        .add_attribute("proposal_id", proposal.id.to_string())
        .add_attribute("proposer", proposal.proposer.as_str())
        .add_attribute("power_height", ballot.power_height.to_string())
        .add_attribute("changes", changes_count.to_string())
        .add_attribute("end_time", ballot.end_time.to_string()))
}

fn exec<T: serde::Serialize>(contract: &Addr, msg: &T) -> StdResult<CosmosMsg> {
    Ok(WasmMsg::Execute {
        contract_addr: contract.to_string(),
        msg: to_json_binary(msg)?,
        funds: vec![],
    }
    .into())
}

fn modules(deps: &DepsMut) -> Result<ModuleAddresses, ContractError> {
    Ok(MODULES.load(deps.storage)?)
}

/// Applies one change: updates governance's own state, returns the module message if any.
fn apply_change(
    deps: &mut DepsMut,
    change: ParameterChange,
) -> Result<Option<CosmosMsg>, ContractError> {
    let msg = match change {
        ParameterChange::UpdateConfig(input) => {
            let config = validate_config(deps.api, &input)?;
            CONFIG.save(deps.storage, &config)?;
            return Ok(None);
        }
        ParameterChange::UpdateGuardians { add, remove } => exec(
            &modules(deps)?.guardian,
            &guardian::ExecuteMsg::UpdateGuardians { add, remove },
        )?,
        ParameterChange::UpdatePausePolicy(policy) => exec(
            &modules(deps)?.guardian,
            &guardian::ExecuteMsg::UpdatePolicy(policy),
        )?,
        ParameterChange::RegisterTarget(reg) => {
            let addr = check_scopes(deps.as_ref(), &reg)?;
            register_target(deps.storage, &addr)?;
            exec(
                &modules(deps)?.guardian,
                &guardian::ExecuteMsg::SetTarget {
                    target: addr.to_string(),
                    exits_pausable: reg.exits_pausable,
                    scopes: reg.scopes,
                },
            )?
        }
        ParameterChange::RemoveTarget { contract } => {
            let addr = deps.api.addr_validate(&contract)?;
            if !TARGETS.has(deps.storage, &addr) {
                return Err(ContractError::TargetNotRegistered {
                    target: addr.to_string(),
                });
            }
            TARGETS.remove(deps.storage, &addr);
            let count = TARGET_COUNT.load(deps.storage)?.saturating_sub(1);
            TARGET_COUNT.save(deps.storage, &count)?;
            exec(
                &modules(deps)?.guardian,
                &guardian::ExecuteMsg::RemoveTarget {
                    target: addr.to_string(),
                },
            )?
        }
        ParameterChange::UpdateTimelock(settings) => {
            validate_timelock_floors(&settings)?;
            exec(
                &modules(deps)?.timelock,
                &timelock::ExecuteMsg::UpdateSettings(settings),
            )?
        }
        ParameterChange::UpdateExecutor(settings) => exec(
            &modules(deps)?.executor,
            &executor::ExecuteMsg::UpdateSettings(settings),
        )?,
        ParameterChange::ExtendPause {
            target,
            scope,
            until,
        } => exec(
            &modules(deps)?.guardian,
            &guardian::ExecuteMsg::ExtendPause {
                target,
                scope,
                until,
            },
        )?,
        ParameterChange::LiftPause { target, scope } => exec(
            &modules(deps)?.guardian,
            &guardian::ExecuteMsg::LiftPause { target, scope },
        )?,
        ParameterChange::CancelOperation { operation_id } => exec(
            &modules(deps)?.timelock,
            &timelock::ExecuteMsg::Cancel { operation_id },
        )?,
        ParameterChange::OverrideGuardianDelay { operation_id } => exec(
            &modules(deps)?.timelock,
            &timelock::ExecuteMsg::OverrideDelay { operation_id },
        )?,
        ParameterChange::RetryRestoration { restoration_id } => exec(
            &modules(deps)?.executor,
            &executor::ExecuteMsg::Retry { restoration_id },
        )?,
        ParameterChange::AbortRestoration { restoration_id } => exec(
            &modules(deps)?.executor,
            &executor::ExecuteMsg::Abort { restoration_id },
        )?,
        ParameterChange::UpgradeTarget { contract, new_code } => {
            upgrade_msg(deps.as_ref(), &contract, new_code)?
        }
        ParameterChange::ConfigureTarget { contract, config } => {
            configure_msg(deps.as_ref(), &contract, config)?
        }
        ParameterChange::SweepFrozen { target, to } => sweep_msg(deps.as_ref(), &target, to)?,
        ParameterChange::SetPlaybook { target, playbook } => {
            let addr = validate_playbook(deps.as_ref(), &target, playbook.as_ref())?;
            let mut state = TARGETS.load(deps.storage, &addr)?;
            state.playbook = playbook;
            TARGETS.save(deps.storage, &addr, &state)?;
            return Ok(None);
        }
        ParameterChange::CancelSweep { id } => exec(
            &modules(deps)?.executor,
            &executor::ExecuteMsg::CancelSweep { id },
        )?,
    };
    Ok(Some(msg))
}

/// `ApplyParameters`: governance calls itself from `Close` in a sub-message, so a failing
/// change (here or in a module) reverts every change of the proposal (row R6).
pub fn apply_parameters(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    proposal_id: u64,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if info.sender != env.contract.address {
        return Err(ContractError::Unauthorized {});
    }
    let proposal = load_proposal(deps.storage, proposal_id)?;
    let ProposalKind::Parameters { changes } = proposal.kind else {
        return Err(ContractError::NotApplicable { id: proposal_id });
    };
    if proposal.status != ProposalStatus::Executed {
        return Err(ContractError::NotApplicable { id: proposal_id });
    }
    check_track(proposal_id, proposal.expedited, &changes)?;
    let mut msgs = Vec::with_capacity(changes.len());
    for change in changes.iter().cloned() {
        if let Some(msg) = apply_change(&mut deps, change)? {
            msgs.push(msg);
        }
    }
    // After the local changes (the simulation re-applies them idempotently) and before any
    // module message runs: the whole proposal reverts if a target's retention is too short.
    check_retention(deps.as_ref(), &changes)?;
    let mut res = Response::new();
    // A configured target reports its new retention only once its `Configure` ran: the
    // reply to the last module message (every change applied by then) checks it.
    let configures = changes
        .iter()
        .any(|c| matches!(c, ParameterChange::ConfigureTarget { .. }));
    let last = if configures { msgs.pop() } else { None };
    res = res.add_messages(msgs);
    if let Some(last) = last {
        res = res.add_submessage(
            SubMsg::reply_on_success(last, REPLY_CONFIGURED)
                .with_payload(proposal_id.to_be_bytes().to_vec()),
        );
    }
    Ok(res
        .add_attribute("action", "apply_parameters")
        .add_attribute("proposal_id", proposal_id.to_string()))
}

//! `ProposeFastTrack` (issue 16): the optimistic track for an incident a `Report` proved.
//! A guardian proposes; the target's pre-approved playbook fixes the veto window, the veto
//! threshold, the shortfall rule and any post-restore configuration; the incident fixes
//! the height (its last invariant-holding height) and bounds the exclusions (the accounts
//! it names). The restoration is queued in the timelock at once, with the veto window as
//! its delay, and executes then unless holders veto it (rows F1-F9).

use cosmwasm_std::{
    coin, to_json_binary, Addr, Binary, DepsMut, Env, MessageInfo, Response, SubMsg, WasmMsg,
};
use rewind_types::governance::{Candidate, Playbook, ProposalKind, ProposedTarget};
use rewind_types::restorable::RestorableQueryMsg;
use rewind_types::{guardian, timelock};
use serde::Deserialize;

use crate::answers::TimelockConfig;
use crate::config::MAX_DESCRIPTION_LEN;
use crate::execute::close::{build_spec, still_reserved};
use crate::execute::propose_restoration::{
    after, check_candidate_age, check_exclusions, snapshot_target,
};
use crate::execute::target_changes::check_config;
use crate::execute::{store_proposal, NewProposal};
use crate::instantiate::REPLY_QUEUE;
use crate::power::restoration_power_height;
use crate::state::{CONFIG, FAST_TRACKED, MODULES, TARGETS};
use crate::ContractError;

/// What governance reads of a target's `Incident` (only the fields it uses).
#[derive(Deserialize)]
struct IncidentAnswer {
    invariant: String,
    reason: String,
    last_held_height: Option<u64>,
    accounts: Vec<String>,
}

/// The guardian's answer to `IsGuardian`.
fn is_guardian(deps: &DepsMut, guardian: &Addr, address: &Addr) -> Result<bool, ContractError> {
    Ok(deps.querier.query_wasm_smart(
        guardian,
        &guardian::QueryMsg::IsGuardian {
            address: address.to_string(),
        },
    )?)
}

/// The exclusions: the incident's accounts, or the subset asked for (row F3). Sorted and
/// without duplicates, like every proposal's.
fn exclusions(
    deps: &DepsMut,
    incident_id: u64,
    named: &[String],
    asked: Option<Vec<String>>,
) -> Result<Vec<Addr>, ContractError> {
    let named = named
        .iter()
        .map(|a| deps.api.addr_validate(a))
        .collect::<Result<Vec<Addr>, _>>()?;
    let mut chosen = match asked {
        None => named,
        Some(asked) => asked
            .iter()
            .map(|a| {
                let account = deps.api.addr_validate(a)?;
                match named.contains(&account) {
                    true => Ok(account),
                    false => Err(ContractError::ExclusionNotInIncident {
                        account: account.to_string(),
                        incident_id,
                    }),
                }
            })
            .collect::<Result<Vec<Addr>, ContractError>>()?,
    };
    chosen.sort_unstable();
    chosen.dedup();
    Ok(chosen)
}

/// A playbook governance may pre-approve (row F6): its window within the bounds in code
/// (the timelock checks them again), a veto threshold a minority can reach.
pub fn check_playbook(target: &Addr, playbook: &Playbook) -> Result<(), ContractError> {
    use rewind_types::governance::{FAST_TRACK_MAX_VETO_SECONDS, FAST_TRACK_MIN_VETO_SECONDS};
    let invalid = |reason: String| ContractError::InvalidPlaybook {
        target: target.to_string(),
        reason,
    };
    let window = playbook.veto_window_seconds;
    if !(FAST_TRACK_MIN_VETO_SECONDS..=FAST_TRACK_MAX_VETO_SECONDS).contains(&window) {
        return Err(invalid(format!(
            "veto window {window}s is outside {FAST_TRACK_MIN_VETO_SECONDS}s..={FAST_TRACK_MAX_VETO_SECONDS}s"
        )));
    }
    let threshold = playbook.veto_threshold;
    if threshold.is_zero() || threshold > cosmwasm_std::Decimal::percent(50) {
        return Err(invalid(format!(
            "veto threshold {threshold} must be above 0 and at most 0.5"
        )));
    }
    Ok(())
}

/// The description: the incident's invariant and reason, cut to the cap.
fn describe(incident: &IncidentAnswer) -> String {
    let mut text = format!("{}: {}", incident.invariant, incident.reason);
    if text.len() > MAX_DESCRIPTION_LEN {
        let mut end = MAX_DESCRIPTION_LEN;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// `ProposeFastTrack` logic.
pub fn propose_fast_track(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    target: String,
    incident_id: u64,
    asked: Option<Vec<String>>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    let modules = MODULES.load(deps.storage)?;
    // Row F4: a guardian, for a target with a playbook.
    if !is_guardian(&deps, &modules.guardian, &info.sender)? {
        return Err(ContractError::NotAGuardian {
            sender: info.sender.to_string(),
        });
    }
    let target = deps.api.addr_validate(&target)?;
    let mut state =
        TARGETS
            .may_load(deps.storage, &target)?
            .ok_or(ContractError::TargetNotRegistered {
                target: target.to_string(),
            })?;
    let playbook = state.playbook.clone().ok_or(ContractError::NoPlaybook {
        target: target.to_string(),
    })?;
    // Row F7: one fast track per incident, and none while another restoration holds it.
    if let Some(proposal_id) = FAST_TRACKED.may_load(deps.storage, (&target, incident_id))? {
        return Err(ContractError::IncidentAlreadyFastTracked {
            target: target.to_string(),
            incident_id,
            proposal_id,
        });
    }
    if let Some(holder) = state.active_proposal {
        if still_reserved(deps.as_ref(), holder)? {
            return Err(ContractError::TargetReserved {
                target: target.to_string(),
                proposal_id: holder,
            });
        }
    }
    // Rows F1, F2: only an incident the target recorded (a proven report) and only its
    // height. The target refuses an unknown id.
    let incident: IncidentAnswer = deps
        .querier
        .query_wasm_smart(&target, &RestorableQueryMsg::Incident { id: incident_id })?;
    let height = incident
        .last_held_height
        .ok_or(ContractError::IncidentWithoutHeight {
            target: target.to_string(),
            incident_id,
        })?;
    // Row G13 and D3 as for every restoration.
    let current = env.block.height;
    check_candidate_age(&config, height, current)?;
    let exclusions = exclusions(&deps, incident_id, &incident.accounts, asked)?;
    if exclusions.len() > config.max_exclusions as usize {
        return Err(ContractError::TooManyExclusions {
            max: config.max_exclusions,
            got: exclusions.len(),
        });
    }
    // The digest at the height is the target's own (nobody supplies one), with the checks
    // of every restoration: journal, admin, cw2 name, code (rows R3, R8, G6), G14.
    let read = snapshot_target(
        deps.as_ref(),
        &modules.executor,
        &target,
        &None,
        &[(height, None)],
        &exclusions,
    )?;
    check_exclusions(&exclusions, &[read.activity], height)?;
    if let Some(post) = &playbook.post_restore_config {
        check_config(deps.as_ref(), &target, post)?;
    }

    // Row G12: the history stays restorable until the operation can no longer execute.
    let settings = deps
        .querier
        .query_wasm_smart::<TimelockConfig>(&modules.timelock, &timelock::QueryMsg::Config {})?
        .settings;
    let until = after(
        env.block.time,
        playbook
            .veto_window_seconds
            .saturating_add(settings.grace_period_seconds),
    )?;
    let hold = WasmMsg::Execute {
        contract_addr: modules.guardian.to_string(),
        msg: to_json_binary(&guardian::ExecuteMsg::HoldHistory {
            targets: vec![target.to_string()],
            from_height: height,
            until,
        })?,
        funds: vec![],
    };

    let power_height = restoration_power_height(current, &[height]);
    let new = NewProposal {
        title: format!("Fast track: incident {incident_id}"),
        description: describe(&incident),
        kind: ProposalKind::Restoration {
            targets: vec![ProposedTarget {
                contract: target.to_string(),
                new_code: None,
                post_restore_config: playbook.post_restore_config.clone(),
            }],
            candidates: vec![Candidate {
                height,
                expected_digests: read.digests,
            }],
            exclusions,
            shortfall_policy: playbook.shortfall_policy,
            snapshots: vec![read.snapshot],
        },
        expedited: false,
        power_height,
        candidate_heights: vec![height],
        fast_track: Some((playbook.veto_window_seconds, playbook.veto_threshold)),
    };
    let no_deposit = coin(0, config.deposit.denom.clone());
    let (proposal, ballot) =
        store_proposal(deps.branch(), &env, info.sender, &config, no_deposit, new)?;
    state.active_proposal = Some(proposal.id);
    TARGETS.save(deps.storage, &target, &state)?;
    FAST_TRACKED.save(deps.storage, (&target, incident_id), &proposal.id)?;

    let spec = build_spec(&proposal, 0).ok_or(ContractError::NotApplicable { id: proposal.id })?;
    let content_hash = spec.content_hash()?;
    let queue = WasmMsg::Execute {
        contract_addr: modules.timelock.to_string(),
        msg: to_json_binary(&timelock::ExecuteMsg::Queue {
            spec,
            content_hash: content_hash.clone(),
            veto_window_seconds: Some(playbook.veto_window_seconds),
        })?,
        funds: vec![],
    };
    // A refused queue fails the whole proposal: the guardian sees why, nothing is kept.
    let payload = Binary::from(proposal.id.to_be_bytes().to_vec());
    Ok(Response::new()
        .add_message(hold)
        .add_submessage(SubMsg::reply_on_success(queue, REPLY_QUEUE).with_payload(payload))
        .add_attribute("action", "propose_fast_track")
        .add_attribute("proposal_id", proposal.id.to_string())
        .add_attribute("proposer", proposal.proposer.as_str())
        .add_attribute("target", target.as_str())
        .add_attribute("incident_id", incident_id.to_string())
        .add_attribute("height", height.to_string())
        .add_attribute("power_height", power_height.to_string())
        .add_attribute("total_power", ballot.total_power.to_string())
        .add_attribute(
            "veto_window_seconds",
            playbook.veto_window_seconds.to_string(),
        )
        .add_attribute("end_time", ballot.end_time.to_string())
        .add_attribute("content_hash", content_hash.to_hex()))
}

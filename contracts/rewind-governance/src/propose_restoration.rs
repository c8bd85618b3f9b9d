//! `ProposeRestoration`: validate, check every target on chain, mark targets active.

use std::collections::BTreeSet;

use cosmwasm_std::{
    from_json, Addr, Deps, DepsMut, Env, HexBinary, MessageInfo, Response, StdError, Storage,
};
use rewind_types::governance::{
    Candidate, GovernanceConfig, ProposalKind, ProposalStatus, ProposedTarget, TargetSnapshot,
};
use rewind_types::restorable::{
    DigestAtOutcome, RestorableQueryMsg, RestorationCheckResponse, MAX_RESTORATION_CHECK_HEIGHTS,
};
use rewind_types::timelock::{self, OperationResponse, OperationStatus};
use rewind_types::voting::ContractVersion;
use rewind_types::ShortfallPolicy;

use crate::config::HARD_MAX_CANDIDATES;
use crate::power::restoration_power_height;
use crate::propose::{check_text, store_proposal, take_deposit, NewProposal};
use crate::state::{load_proposal, Proposal, CONFIG, MODULES, TARGETS};
use crate::ContractError;

/// The raw storage key cw2 keeps the contract version under.
const CW2_KEY: &[u8] = b"contract_info";

/// The arguments of `ProposeRestoration`.
pub struct RestorationInput {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Targets.
    pub targets: Vec<ProposedTarget>,
    /// Candidates.
    pub candidates: Vec<Candidate>,
    /// Exclusions, unchecked.
    pub exclusions: Vec<String>,
    /// Shortfall policy.
    pub shortfall_policy: ShortfallPolicy,
    /// Expedited track.
    pub expedited: bool,
}

/// Releases the active mark of every target this proposal holds.
pub fn release_targets(
    storage: &mut dyn Storage,
    proposal: &Proposal,
) -> Result<(), ContractError> {
    let ProposalKind::Restoration { snapshots, .. } = &proposal.kind else {
        return Ok(());
    };
    for snap in snapshots {
        if let Some(mut state) = TARGETS.may_load(storage, &snap.contract)? {
            if state.active_proposal == Some(proposal.id) {
                state.active_proposal = None;
                TARGETS.save(storage, &snap.contract, &state)?;
            }
        }
    }
    Ok(())
}

/// Whether the restoration `holder` still holds its targets (row G11). A failed proposal
/// releases them at close. A passed one holds them until its timelock operation is final
/// (executed, cancelled or expired); a target still restoring after execution is refused
/// by the `RestorationCheck`'s `restoring` flag.
fn still_active(deps: Deps, holder: u64) -> Result<bool, ContractError> {
    let p = load_proposal(deps.storage, holder)?;
    match (p.status, p.operation_id) {
        (ProposalStatus::Closed | ProposalStatus::ExecutionFailed, _) => Ok(false),
        (ProposalStatus::Executed, Some(operation_id)) => {
            let timelock = MODULES.load(deps.storage)?.timelock;
            let op: OperationResponse = deps
                .querier
                .query_wasm_smart(timelock, &timelock::QueryMsg::Operation { operation_id })?;
            Ok(op.status == OperationStatus::Queued)
        }
        _ => Ok(true),
    }
}

/// Governance's cap on candidates always fits in one `RestorationCheck`.
const _: () = assert!(HARD_MAX_CANDIDATES as usize <= MAX_RESTORATION_CHECK_HEIGHTS);

/// Checks a target's journal and its digest at every candidate with ONE smart query,
/// `RestorationCheck`, refusing in the order the separate `JournalInfo` and per-candidate
/// `DigestAt` checks did: restoring, then per candidate retained history, `DigestAt`'s own
/// refusal, digest mismatch (rows R3, G6).
fn check_journal(
    deps: Deps,
    contract: &Addr,
    candidates: &[(u64, HexBinary)],
) -> Result<(), ContractError> {
    let target = contract.to_string();
    let heights = candidates.iter().map(|(h, _)| *h).collect();
    let check: RestorationCheckResponse = deps.querier.query_wasm_smart(
        contract,
        &RestorableQueryMsg::RestorationCheck {
            heights,
            accounts: vec![],
        },
    )?;
    let info = check.journal;
    if info.restoring {
        return Err(ContractError::TargetRestoring { target });
    }
    if check.digests.len() != candidates.len() {
        return Err(StdError::msg(format!(
            "target {target} answered {} digests for {} candidates",
            check.digests.len(),
            candidates.len()
        ))
        .into());
    }
    for ((height, expected), outcome) in candidates.iter().zip(check.digests) {
        if *height < info.retained_from {
            return Err(ContractError::CandidateBeforeRetained {
                target,
                height: *height,
                retained_from: info.retained_from,
            });
        }
        let at = match outcome {
            DigestAtOutcome::Digest(at) => at,
            // The error a failed `DigestAt` smart query raised: the querier's, with the
            // target's own text.
            DigestAtOutcome::Refused { error, .. } => {
                return Err(StdError::msg(format!("Querier contract error: {error}")).into())
            }
        };
        if at.digest != *expected {
            return Err(ContractError::DigestMismatch {
                target,
                height: *height,
                expected: expected.clone(),
                actual: at.digest,
            });
        }
    }
    Ok(())
}

/// Reads one target: retained history, digests, admin, cw2 name and code (rows R3, R8, G6).
fn snapshot_target(
    deps: Deps,
    executor: &Addr,
    contract: &Addr,
    new_code: &Option<rewind_types::PinnedCode>,
    candidates: &[(u64, HexBinary)],
) -> Result<TargetSnapshot, ContractError> {
    check_journal(deps, contract, candidates)?;
    let target = contract.to_string();
    let contract_info = deps.querier.query_wasm_contract_info(contract)?;
    if contract_info.admin.as_ref() != Some(executor) {
        return Err(ContractError::TargetAdminNotExecutor {
            target,
            admin: contract_info.admin.map(|a| a.to_string()),
        });
    }
    let raw = deps.querier.query_wasm_raw(contract, CW2_KEY)?.ok_or(
        ContractError::MissingContractVersion {
            target: target.clone(),
        },
    )?;
    let version: ContractVersion = from_json(raw)?;
    let (code_id, checksum) = match new_code {
        Some(pinned) => {
            let actual = HexBinary::from(
                deps.querier
                    .query_wasm_code_info(pinned.code_id)?
                    .checksum
                    .as_slice(),
            );
            if actual != pinned.checksum {
                return Err(ContractError::ChecksumMismatch {
                    code_id: pinned.code_id,
                    expected: pinned.checksum.clone(),
                    actual,
                });
            }
            (pinned.code_id, actual)
        }
        None => {
            let code = deps.querier.query_wasm_code_info(contract_info.code_id)?;
            (
                contract_info.code_id,
                HexBinary::from(code.checksum.as_slice()),
            )
        }
    };
    Ok(TargetSnapshot {
        contract: contract.clone(),
        contract_name: version.contract,
        code_id,
        checksum,
    })
}

fn check_sizes(
    config: &GovernanceConfig,
    input: &RestorationInput,
    current: u64,
) -> Result<(), ContractError> {
    if input.targets.is_empty() {
        return Err(ContractError::NoTargets {});
    }
    if input.targets.len() > config.max_targets as usize {
        return Err(ContractError::TooManyTargets {
            max: config.max_targets,
            got: input.targets.len(),
        });
    }
    if input.candidates.is_empty() {
        return Err(ContractError::NoCandidates {});
    }
    if input.candidates.len() > config.max_candidates as usize {
        return Err(ContractError::TooManyCandidates {
            max: config.max_candidates,
            got: input.candidates.len(),
        });
    }
    if input.exclusions.len() > config.max_exclusions as usize {
        return Err(ContractError::TooManyExclusions {
            max: config.max_exclusions,
            got: input.exclusions.len(),
        });
    }
    let mut heights = BTreeSet::new();
    for c in &input.candidates {
        if !heights.insert(c.height) {
            return Err(ContractError::DuplicateCandidate { height: c.height });
        }
        if c.height >= current {
            return Err(ContractError::CandidateNotInPast {
                height: c.height,
                current,
            });
        }
        if c.expected_digests.len() != input.targets.len() {
            return Err(ContractError::DigestCountMismatch {
                height: c.height,
                expected: input.targets.len(),
                got: c.expected_digests.len(),
            });
        }
    }
    Ok(())
}

/// `ProposeRestoration` logic.
pub fn propose_restoration(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    input: RestorationInput,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let deposit = take_deposit(&info, &config)?;
    check_text(&input.title, &input.description)?;
    check_sizes(&config, &input, env.block.height)?;
    let executor = MODULES
        .may_load(deps.storage)?
        .ok_or(ContractError::ModulesNotWired {})?
        .executor;

    let mut exclusions = input
        .exclusions
        .iter()
        .map(|a| deps.api.addr_validate(a))
        .collect::<Result<Vec<Addr>, _>>()?;
    exclusions.sort();
    exclusions.dedup();

    let mut targets = Vec::with_capacity(input.targets.len());
    let mut snapshots = Vec::with_capacity(input.targets.len());
    for (i, t) in input.targets.iter().enumerate() {
        let addr = deps.api.addr_validate(&t.contract)?;
        if targets
            .iter()
            .any(|p: &ProposedTarget| p.contract == addr.as_str())
        {
            return Err(ContractError::DuplicateTarget {
                target: addr.to_string(),
            });
        }
        let state =
            TARGETS
                .may_load(deps.storage, &addr)?
                .ok_or(ContractError::TargetNotRegistered {
                    target: addr.to_string(),
                })?;
        if let Some(holder) = state.active_proposal {
            if still_active(deps.as_ref(), holder)? {
                return Err(ContractError::ActiveRestoration {
                    target: addr.to_string(),
                    proposal_id: holder,
                });
            }
        }
        let digests: Vec<(u64, HexBinary)> = input
            .candidates
            .iter()
            .map(|c| (c.height, c.expected_digests[i].clone()))
            .collect();
        snapshots.push(snapshot_target(
            deps.as_ref(),
            &executor,
            &addr,
            &t.new_code,
            &digests,
        )?);
        targets.push(ProposedTarget {
            contract: addr.to_string(),
            new_code: t.new_code.clone(),
        });
    }

    let heights: Vec<u64> = input.candidates.iter().map(|c| c.height).collect();
    let power_height = restoration_power_height(env.block.height, &heights);
    let options = input.candidates.len();
    let new = NewProposal {
        title: input.title,
        description: input.description,
        kind: ProposalKind::Restoration {
            targets,
            candidates: input.candidates,
            exclusions,
            shortfall_policy: input.shortfall_policy,
            snapshots,
        },
        expedited: input.expedited,
        power_height,
        options,
    };
    let proposal = store_proposal(deps.branch(), &env, info.sender, &config, deposit, new)?;
    if let ProposalKind::Restoration { snapshots, .. } = &proposal.kind {
        for snap in snapshots {
            let mut state = TARGETS.load(deps.storage, &snap.contract)?;
            state.active_proposal = Some(proposal.id);
            TARGETS.save(deps.storage, &snap.contract, &state)?;
        }
    }
    Ok(Response::new()
        .add_attribute("action", "propose_restoration")
        .add_attribute("proposal_id", proposal.id.to_string())
        .add_attribute("proposer", proposal.proposer.as_str())
        .add_attribute("power_height", power_height.to_string())
        .add_attribute("total_power", proposal.total_power.to_string())
        .add_attribute("expedited", proposal.expedited.to_string())
        .add_attribute("end_time", proposal.end_time.to_string()))
}

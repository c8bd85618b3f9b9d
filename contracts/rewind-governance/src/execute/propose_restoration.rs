//! `ProposeRestoration`: validate, check every target on chain (its journal, admin, code and
//! any post-restore configuration), mark targets active.

use cosmwasm_std::{
    from_json, to_json_binary, Addr, Deps, DepsMut, Env, HexBinary, MessageInfo, Response,
    StdError, StdResult, Storage, Timestamp, WasmMsg,
};
use rewind_types::governance::{
    Candidate, GovernanceConfig, ProposalKind, ProposedTarget, TargetSnapshot,
};
use rewind_types::restorable::{
    RestorableQueryMsg, MAX_RESTORATION_CHECK_ACCOUNTS, MAX_RESTORATION_CHECK_HEIGHTS,
};
use rewind_types::voting::ContractVersion;
use rewind_types::{guardian, timelock, ShortfallPolicy};

use crate::answers::{DigestOutcome, RestorationCheck, TimelockConfig};
use crate::config::{required_retention_seconds, HARD_MAX_CANDIDATES, HARD_MAX_EXCLUSIONS};
use crate::execute::target_changes::check_config;
use crate::execute::{check_text, store_proposal, take_deposit, NewProposal};
use crate::power::{effective_power, restoration_power_height};
use crate::state::{Proposal, CONFIG, MODULES, TARGETS};
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

/// Governance's cap on candidates always fits in one `RestorationCheck`.
const _: () = assert!(HARD_MAX_CANDIDATES as usize <= MAX_RESTORATION_CHECK_HEIGHTS);
/// Governance's cap on exclusions is within what a target answers.
const _: () = assert!(HARD_MAX_EXCLUSIONS as usize <= MAX_RESTORATION_CHECK_ACCOUNTS);
/// Exclusions asked per `RestorationCheck`: the VM caps a query request at 64 KiB, and 200
/// addresses (about 70 bytes each in JSON) keep a request near 14 KiB.
const ACTIVITY_CHUNK: usize = 200;

/// What [`snapshot_target`] read of one target.
pub struct TargetRead {
    /// Its cw2 name and code.
    pub snapshot: TargetSnapshot,
    /// Per candidate, the digest it recorded there.
    pub digests: Vec<HexBinary>,
    /// Per excluded account in order, the newest height it acted at (row G14).
    pub activity: Vec<Option<u64>>,
}

/// Checks a target's journal and its digest at every candidate with ONE smart query,
/// `RestorationCheck`, refusing in the order the separate `JournalInfo` and per-candidate
/// `DigestAt` checks did: restoring, then per candidate retained history, `DigestAt`'s own
/// refusal, digest mismatch where a digest is expected (rows R3, G6). Returns the digests
/// and, per excluded account in order, the newest height it acted at on this target (row
/// G14).
fn check_journal(
    deps: Deps,
    contract: &Addr,
    candidates: &[(u64, Option<HexBinary>)],
    exclusions: &[Addr],
) -> Result<(Vec<HexBinary>, Vec<Option<u64>>), ContractError> {
    let target = contract.to_string();
    let ask = |heights: Vec<u64>, accounts: &[Addr]| -> StdResult<RestorationCheck> {
        deps.querier.query_wasm_smart(
            contract,
            &RestorableQueryMsg::RestorationCheck {
                heights,
                accounts: accounts.iter().map(Addr::to_string).collect(),
            },
        )
    };
    let mut chunks = exclusions.chunks(ACTIVITY_CHUNK);
    let heights = candidates.iter().map(|(h, _)| *h).collect();
    let check = ask(heights, chunks.next().unwrap_or_default())?;
    let mut answers = check.activity;
    for chunk in chunks {
        answers.extend(ask(vec![], chunk)?.activity);
    }
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
    let mut digests = Vec::with_capacity(candidates.len());
    for ((height, expected), outcome) in candidates.iter().zip(check.digests) {
        if *height < info.retained_from {
            return Err(ContractError::CandidateBeforeRetained {
                target,
                height: *height,
                retained_from: info.retained_from,
            });
        }
        let at = match outcome {
            DigestOutcome::Digest(at) => at,
            // The error a failed `DigestAt` smart query raised: the querier's, with the
            // target's own text.
            DigestOutcome::Refused { error } => {
                return Err(StdError::msg(format!("Querier contract error: {error}")).into())
            }
        };
        match expected {
            Some(expected) if at.digest != *expected => {
                return Err(ContractError::DigestMismatch {
                    target,
                    height: *height,
                    expected: expected.clone(),
                    actual: at.digest,
                })
            }
            _ => digests.push(at.digest),
        }
    }
    // Row G14: one activity answer per asked account, in order, naming it.
    let mut activity = answers.into_iter();
    let activity = exclusions
        .iter()
        .map(|account| match activity.next() {
            Some(a) if a.account == account.as_str() => Ok(a.last_acted_height),
            other => Err(ContractError::ActivityMismatch {
                target: target.clone(),
                expected: account.to_string(),
                got: other.map(|a| a.account),
            }),
        })
        .collect::<Result<_, _>>()?;
    Ok((digests, activity))
}

/// Reads one target: retained history, digests (compared where expected), admin, cw2 name
/// and code (rows R3, R8, G6), and the excluded accounts' last activity on it (row G14).
pub fn snapshot_target(
    deps: Deps,
    executor: &Addr,
    contract: &Addr,
    new_code: &Option<rewind_types::PinnedCode>,
    candidates: &[(u64, Option<HexBinary>)],
    exclusions: &[Addr],
) -> Result<TargetRead, ContractError> {
    let (digests, activity) = check_journal(deps, contract, candidates, exclusions)?;
    let target = contract.to_string();
    let contract_info = crate::answers::contract_info(deps, contract)?;
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
            let actual = crate::answers::code_checksum(deps, pinned.code_id)?;
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
            let checksum = crate::answers::code_checksum(deps, contract_info.code_id)?;
            (contract_info.code_id, checksum)
        }
    };
    let snapshot = TargetSnapshot {
        contract: contract.clone(),
        contract_name: version.contract,
        code_id,
        checksum,
    };
    Ok(TargetRead {
        snapshot,
        digests,
        activity,
    })
}

/// A candidate height is in the past and, row G13, no older than the configured age.
pub fn check_candidate_age(
    config: &GovernanceConfig,
    height: u64,
    current: u64,
) -> Result<(), ContractError> {
    if height >= current {
        return Err(ContractError::CandidateNotInPast { height, current });
    }
    if current.saturating_sub(height) > config.max_candidate_age_blocks {
        return Err(ContractError::CandidateTooOld {
            height,
            current,
            max_age: config.max_candidate_age_blocks,
        });
    }
    Ok(())
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
    for (i, c) in input.candidates.iter().enumerate() {
        // At most HARD_MAX_CANDIDATES candidates: a scan of the ones before is enough.
        if input.candidates[..i].iter().any(|p| p.height == c.height) {
            return Err(ContractError::DuplicateCandidate { height: c.height });
        }
        check_candidate_age(config, c.height, current)?;
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

/// Row G12: the proposer holds `min_proposer_power`, counted as a vote would count it.
fn check_proposer_power(
    deps: Deps,
    config: &GovernanceConfig,
    proposer: &Addr,
    power_height: u64,
    start_height: u64,
) -> Result<(), ContractError> {
    let power = effective_power(
        deps,
        &config.voting_module,
        proposer,
        power_height,
        start_height,
    )?;
    if power < config.min_proposer_power {
        return Err(ContractError::ProposerPowerTooLow {
            proposer: proposer.to_string(),
            power,
            min: config.min_proposer_power,
            height: power_height,
        });
    }
    Ok(())
}

/// Row G14: every excluded account acted on some target of the proposal after the highest
/// candidate height; `activity[t][i]` is account `i`'s last activity on target `t`.
pub fn check_exclusions(
    exclusions: &[Addr],
    activity: &[Vec<Option<u64>>],
    highest_candidate: u64,
) -> Result<(), ContractError> {
    for (i, account) in exclusions.iter().enumerate() {
        let acted_after = activity
            .iter()
            .filter_map(|per_target| per_target.get(i).copied().flatten())
            .any(|h| h > highest_candidate);
        if !acted_after {
            return Err(ContractError::ExclusionNotActive {
                account: account.to_string(),
                after_height: highest_candidate,
            });
        }
    }
    Ok(())
}

/// When the history hold of a proposal created at `now` ends (row G12): after the normal
/// voting period (the longest track, also an expedited proposal's fallback end), the
/// timelock's delay and its grace window.
fn hold_until(
    deps: Deps,
    config: &GovernanceConfig,
    now: Timestamp,
) -> Result<Timestamp, ContractError> {
    let timelock_addr = MODULES.load(deps.storage)?.timelock;
    let settings = deps
        .querier
        .query_wasm_smart::<TimelockConfig>(timelock_addr, &timelock::QueryMsg::Config {})?
        .settings;
    let seconds = required_retention_seconds(config.normal.voting_period_seconds, &settings)?;
    after(now, seconds)
}

/// `now + seconds`, refusing overflow.
pub fn after(now: Timestamp, seconds: u64) -> Result<Timestamp, ContractError> {
    let nanos = seconds
        .checked_mul(1_000_000_000)
        .and_then(|n| n.checked_add(now.nanos()))
        .ok_or(ContractError::Overflow(cosmwasm_std::OverflowError::new(
            cosmwasm_std::OverflowOperation::Add,
        )))?;
    Ok(Timestamp::from_nanos(nanos))
}

/// `ProposeRestoration` logic. Competing restorations of one target coexist: a target is
/// reserved only when a passed one is queued (row G12, see `close`).
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
    let modules = MODULES.load(deps.storage)?;

    let heights: Vec<u64> = input.candidates.iter().map(|c| c.height).collect();
    let power_height = restoration_power_height(env.block.height, &heights);

    let mut exclusions = input
        .exclusions
        .iter()
        .map(|a| deps.api.addr_validate(a))
        .collect::<Result<Vec<Addr>, _>>()?;
    exclusions.sort_unstable();
    exclusions.dedup();

    let mut targets = Vec::with_capacity(input.targets.len());
    let mut snapshots = Vec::with_capacity(input.targets.len());
    let mut activity = Vec::with_capacity(input.targets.len());
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
        if !TARGETS.has(deps.storage, &addr) {
            return Err(ContractError::TargetNotRegistered {
                target: addr.to_string(),
            });
        }
        let digests: Vec<(u64, Option<HexBinary>)> = input
            .candidates
            .iter()
            .map(|c| (c.height, Some(c.expected_digests[i].clone())))
            .collect();
        let read = snapshot_target(
            deps.as_ref(),
            &modules.executor,
            &addr,
            &t.new_code,
            &digests,
            &exclusions,
        )?;
        // A post-restore configuration the target would refuse now is refused here; it is
        // applied with the target's `Release` at completion, all targets or none.
        if let Some(config) = &t.post_restore_config {
            check_config(deps.as_ref(), &addr, config)?;
        }
        snapshots.push(read.snapshot);
        activity.push(read.activity);
        targets.push(ProposedTarget {
            contract: addr.to_string(),
            new_code: t.new_code.clone(),
            post_restore_config: t.post_restore_config.clone(),
        });
    }
    let highest = heights.iter().copied().max().unwrap_or_default();
    let lowest = heights.iter().copied().min().unwrap_or_default();
    check_exclusions(&exclusions, &activity, highest)?;
    check_proposer_power(
        deps.as_ref(),
        &config,
        &info.sender,
        power_height,
        env.block.height,
    )?;

    // Row G12: the history from the lowest candidate stays restorable until the proposal
    // can no longer execute.
    let until = hold_until(deps.as_ref(), &config, env.block.time)?;
    let hold = WasmMsg::Execute {
        contract_addr: modules.guardian.to_string(),
        msg: to_json_binary(&guardian::ExecuteMsg::HoldHistory {
            targets: targets.iter().map(|t| t.contract.clone()).collect(),
            from_height: lowest,
            until,
        })?,
        funds: vec![],
    };

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
        candidate_heights: heights,
        fast_track: None,
    };
    let (proposal, ballot) =
        store_proposal(deps.branch(), &env, info.sender, &config, deposit, new)?;
    Ok(Response::new()
        .add_message(hold)
        .add_attribute("action", "propose_restoration")
        .add_attribute("proposal_id", proposal.id.to_string())
        .add_attribute("proposer", proposal.proposer.as_str())
        .add_attribute("power_height", power_height.to_string())
        .add_attribute("total_power", ballot.total_power.to_string())
        .add_attribute("expedited", proposal.expedited.to_string())
        .add_attribute("end_time", ballot.end_time.to_string())
        .add_attribute("history_held_from", lowest.to_string())
        .add_attribute("history_held_until", until.to_string()))
}

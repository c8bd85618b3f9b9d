//! restorable-counter: the smallest contract Rewind can restore. A counter per address in a
//! `JournaledMap`, plus the interface of `rewind_types::restorable`. See docs/INTEGRATION.md.

use cosmwasm_schema::{cw_serde, QueryResponses};
#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdError, Uint128,
};
use cw_storage_plus::Item;
use rewind_journal::{
    abandon_restoration, account_activity, digest_at, ensure_crank_allowed, ensure_open,
    finish_restoration, hold_history, initialize, journal_info, note_activity, prune,
    release_restoration, rollback_step, set_pause, set_restoration_lock, start_rollback, Journal,
    JournalError, JournaledMap,
};
use rewind_types::restorable::{
    RestorationCheckResponse, RestorationPhase, RestorationStatusResponse,
};
use rewind_types::{GateMsg, PauseScope, RestorableMigrateMsg, ScopeInfo, ScopesResponse};

/// The cw2 name. Governance snapshots it at proposal; the executor re-checks it.
pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
/// The cw2 version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The counter's one pause scope, `increment` (not an exit): a guardian pause of it (or of
/// `all`) stops `Increment`. The counter answers it to `Scopes {}`.
pub const INCREMENT_SCOPE: ScopeInfo = ScopeInfo::action(PauseScope::named("increment"));

/// Journaled ledger: a rollback rewinds it.
pub const COUNTERS: JournaledMap<&Addr, u64> = JournaledMap::new("counters");
/// Plain configuration: never rolled back.
pub const GUARDIAN: Item<Addr> = Item::new("guardian");
/// Plain restoration bookkeeping, answered as `RestorationStatus`: never rolled back.
pub const RESTORATION: Item<RestorationStatusResponse> = Item::new("restoration");

/// Instantiates the counter.
#[cw_serde]
pub struct InstantiateMsg {
    /// The rewind-guardian contract (governance's `modules.guardian`).
    pub guardian: String,
    /// Blocks of history kept restorable (> 0).
    pub retention_blocks: u64,
    /// Seconds of history kept restorable (> 0): a height is pruned only once it is older
    /// than both windows.
    pub retention_seconds: u64,
}

/// The counter's execute messages; `Gate` and `Crank` are `RestorableExecuteMsg`'s JSON.
#[cw_serde]
pub enum ExecuteMsg {
    /// Add one to the sender's counter. Gated by [`INCREMENT_SCOPE`].
    Increment {},
    /// From the guardian contract only.
    Gate(GateMsg),
    /// Continue a running restoration by at most `limit` undo entries. Anyone.
    Crank {
        /// The work bound; `None` uses the default, clamped to the maximum.
        limit: Option<u32>,
    },
}

/// The migrate message is the shared one: `Upgrade {}`, `Restore { .. }`, `Release {}` or
/// `Abandon { .. }`.
pub type MigrateMsg = RestorableMigrateMsg;

/// The counter's queries: its own plus those of `RestorableQueryMsg`.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The counter of `address` (0 if it never incremented).
    #[returns(Uint128)]
    Count {
        /// The address.
        address: String,
    },
    /// The retained history and lock state.
    #[returns(rewind_types::restorable::JournalInfoResponse)]
    JournalInfo {},
    /// The digest of the state at the end of `height`.
    #[returns(rewind_types::restorable::DigestAtResponse)]
    DigestAt {
        /// The block height.
        height: u64,
    },
    /// The progress of the current or last restoration.
    #[returns(RestorationStatusResponse)]
    RestorationStatus {},
    /// `JournalInfo` and a `DigestAt` outcome per height, in one query (what governance asks
    /// when a restoration is proposed).
    #[returns(rewind_types::restorable::RestorationCheckResponse)]
    RestorationCheck {
        /// The candidate heights (at most `MAX_RESTORATION_CHECK_HEIGHTS`).
        heights: Vec<u64>,
        /// Accounts whose last activity to report.
        #[serde(default)]
        accounts: Vec<String>,
    },
    /// The scopes the counter declares: [`INCREMENT_SCOPE`].
    #[returns(ScopesResponse)]
    Scopes {},
}

/// Everything the counter can refuse. Tests match the exact variant.
#[derive(thiserror::Error, Debug)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),
    #[error("journal: {0}")] // gate closed, bad restoration height, digest mismatch, ...
    Journal(#[from] JournalError),
    #[error("payment: {0}")]
    Payment(#[from] cw_utils::PaymentError),
    #[error("unauthorized: only the guardian may send Gate, not {sender}")]
    NotGuardian { sender: Addr },
    #[error("cannot migrate {stored} with {CONTRACT_NAME} {CONTRACT_VERSION}")]
    CannotMigrate { stored: String },
    #[error("no restoration is running")]
    NoRestorationRunning,
}

/// Stores the guardian, sets cw2 and starts the journal.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let guardian = deps.api.addr_validate(&msg.guardian)?;
    GUARDIAN.save(deps.storage, &guardian)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    initialize(
        deps.storage,
        &env,
        msg.retention_blocks,
        msg.retention_seconds,
    )?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("guardian", guardian))
}

/// Checks the gate of the variant, then runs it. The match is exhaustive: a new variant
/// does not compile until someone decides how it is gated.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    match msg {
        ExecuteMsg::Increment {} => {
            ensure_open(deps.storage, &env, &INCREMENT_SCOPE)?; // one read
            note_activity(deps.storage, &env, &info.sender)?; // who acted when (row G14)
            let mut j = Journal::new(&env);
            let count = COUNTERS.update(deps.storage, &mut j, &info.sender, |c| {
                c.unwrap_or(0)
                    .checked_add(1)
                    .ok_or_else(|| StdError::msg("counter overflow"))
            })?;
            j.flush(deps.storage)?; // once, after the last journaled write
            prune(deps.storage, &env, 10)?; // bounded upkeep; idle while a restoration is pending
            Ok(Response::new()
                .add_attribute("action", "increment")
                .add_attribute("count", count.to_string()))
        }
        // Not gated: the guardian must be able to set, end and extend pauses while paused.
        ExecuteMsg::Gate(gate) => {
            let sender = info.sender;
            cosmwasm_std::ensure!(
                sender == GUARDIAN.load(deps.storage)?,
                ContractError::NotGuardian { sender }
            );
            match gate {
                GateMsg::SetPause { scope, until } => set_pause(deps.storage, &env, &scope, until)?,
                GateMsg::SetRestorationLock { until } => set_restoration_lock(deps.storage, until)?,
                GateMsg::HoldHistory { from_height, until } => {
                    hold_history(deps.storage, &env, from_height, until)?
                }
            }
            Ok(Response::new().add_attribute("action", "gate"))
        }
        // Not gated: a restoration must progress while the contract is locked.
        ExecuteMsg::Crank { limit } => {
            let mut r = RESTORATION
                .may_load(deps.storage)?
                .filter(|r| r.phase == RestorationPhase::RollingBack)
                .ok_or(ContractError::NoRestorationRunning)?;
            ensure_crank_allowed(deps.storage, &env)?; // exit-only once stuck past its lock
            let limit = limit.unwrap_or(50).clamp(1, 200); // default 50, at most 200
            let step = rollback_step(deps.storage, &env, limit)?; // reverts on a digest mismatch
            r.undone_entries = r.undone_entries.saturating_add(u64::from(step.undone));
            if step.done {
                // A contract holding funds replays `flows_after(height, ..)` here, in bounded
                // pages, before it finishes (see rewind-vault's restore/steps.rs).
                // Complete but still locked until the executor's `Release {}`.
                finish_restoration(deps.storage, &env)?;
                r.phase = RestorationPhase::Complete;
                r.digest_verified = true; // `done` means the digest recorded at H matched
            }
            RESTORATION.save(deps.storage, &r)?;
            Ok(Response::new()
                .add_attribute("action", "crank")
                .add_attribute("undone_entries", r.undone_entries.to_string())
                .add_attribute("done", step.done.to_string()))
        }
    }
}

/// Answers a query.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Count { address } => {
            let count = COUNTERS.may_load(deps.storage, &deps.api.addr_validate(&address)?)?;
            to_json_binary(&Uint128::from(count.unwrap_or(0)))?
        }
        QueryMsg::JournalInfo {} => to_json_binary(&journal_info(deps.storage, &env)?)?,
        QueryMsg::Scopes {} => to_json_binary(&ScopesResponse {
            scopes: vec![INCREMENT_SCOPE],
        })?,
        QueryMsg::DigestAt { height } => to_json_binary(&digest_at(deps.storage, &env, height)?)?,
        QueryMsg::RestorationCheck { heights, accounts } => {
            let info = journal_info(deps.storage, &env)?;
            // A refused height carries the text `DigestAt` fails with.
            let mut r = RestorationCheckResponse::build(info, &heights, |h| {
                digest_at(deps.storage, &env, h).map_err(ContractError::from)
            })?;
            r.activity = account_activity(deps.storage, deps.api, &accounts)?;
            to_json_binary(&r)?
        }
        QueryMsg::RestorationStatus {} => to_json_binary(
            &RESTORATION
                .may_load(deps.storage)?
                .unwrap_or(status(RestorationPhase::Idle, None)),
        )?,
    })
}

/// A status with no work done yet (the counter holds no funds: no flows, no claims).
fn status(phase: RestorationPhase, height: Option<u64>) -> RestorationStatusResponse {
    RestorationStatusResponse {
        phase,
        height,
        undone_entries: 0,
        replayed_flows: 0,
        digest_verified: false,
        total_claims: Uint128::zero(),
    }
}

/// `Upgrade {}`: a strictly newer version. `Restore { .. }`: the one same-version migration;
/// the chain accepts it only from the wasm admin, which must be the executor.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    let stored = cw2::get_contract_version(deps.storage)?;
    let parse = |v: &str| semver::Version::parse(v).map_err(|e| StdError::msg(e.to_string()));
    let (from, code) = (parse(&stored.version)?, parse(CONTRACT_VERSION)?);
    let fits = stored.contract == CONTRACT_NAME
        && match &msg {
            RestorableMigrateMsg::Upgrade {} => from < code, // strictly newer
            RestorableMigrateMsg::Restore { .. } => from <= code, // same, or a pinned newer code
            RestorableMigrateMsg::Release {}
            | RestorableMigrateMsg::Abandon { .. }
            | RestorableMigrateMsg::Sweep { .. } => {
                from == code // same version: only the wasm admin (the executor) sends it
            }
        };
    let stored = format!("{} {}", stored.contract, stored.version);
    cosmwasm_std::ensure!(fits, ContractError::CannotMigrate { stored });
    let response = match msg {
        RestorableMigrateMsg::Upgrade {} => Response::new().add_attribute("action", "upgrade"),
        // The counter holds no funds: no flows to replay, no shortfall to settle.
        RestorableMigrateMsg::Restore {
            height,
            exclusions,
            expected_digest,
            ..
        } => {
            for account in &exclusions {
                deps.api.addr_validate(account)?; // validated, then unused
            }
            // Checks the height and the digest, then locks every gated action.
            start_rollback(deps.storage, &env, height, expected_digest.as_slice())?;
            let running = status(RestorationPhase::RollingBack, Some(height));
            RESTORATION.save(deps.storage, &running)?;
            Response::new()
                .add_attribute("action", "restore")
                .add_attribute("height", height.to_string())
        }
        // Every target is complete: reopen (refused before this one completed).
        RestorableMigrateMsg::Release {} => {
            release_restoration(deps.storage)?;
            Response::new().add_attribute("action", "release")
        }
        // A voted abort: keep the state as it stands, exit-only (the counter has no exits,
        // so nothing runs) until `exit_only_until`.
        RestorableMigrateMsg::Abandon { exit_only_until } => {
            abandon_restoration(deps.storage, &env, exit_only_until)?;
            RESTORATION.save(deps.storage, &status(RestorationPhase::Idle, None))?;
            Response::new().add_attribute("action", "abandon")
        }
        // The counter holds no funds and freezes no account: there is nothing to sweep.
        RestorableMigrateMsg::Sweep { .. } => {
            return Err(StdError::msg("restorable-counter holds no funds: nothing to sweep").into())
        }
    };
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(response)
}

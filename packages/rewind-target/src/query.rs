//! Queries: Rewind's four, answered from the journal, or the contract's own on a read-only
//! view of its journaled storage.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env};
use cosmwasm_std::{DepsMut, StdError, StdResult, Storage};
use rewind_journal::{set_restoration_lock, Overlay};
use rewind_types::restorable::{
    PreviewAnswer, QueryAnswer, ReplayPreviewResponse, RestorationPhase, SettlementResponse,
    MAX_PREVIEW_QUERIES,
};
use rewind_types::restoration::ShortfallPolicy;
use serde::de::DeserializeOwned;

use crate::execute::{crank, ExecuteHandler, MAX_CRANK_LIMIT};
use crate::migrate::restore;
use rewind_journal::{account_activity, digest_at, journal_info, JournaledView};
use rewind_types::restorable::{
    CheckConfigResponse, ExecutionId, ReplayReportResponse, RestorableQueryMsg,
    RestorationCheckResponse,
};

use crate::error::{ContractError, TargetError};
use crate::msg::{QueryMsg, Wrapped};
use crate::state::{load_status, report_page, SETTLEMENT};
use crate::target::Target;

/// Answers a query of a restorable contract. `execute` is the contract's own execute handler,
/// which `ReplayPreview` runs on a copy of the state.
pub fn query<Q: DeserializeOwned, E: std::fmt::Display, M, X>(
    deps: Deps,
    env: Env,
    msg: QueryMsg<Q>,
    target: &Target<X>,
    handler: fn(Deps, Env, Q) -> Result<Binary, E>,
    execute: ExecuteHandler<M, X>,
) -> Result<Binary, ContractError<E>>
where
    M: DeserializeOwned + crate::Gated,
    X: std::fmt::Display,
{
    let msg = match msg {
        Wrapped::Contract(msg) => {
            let view = JournaledView::new(deps.storage, target.plain);
            let deps = Deps {
                storage: &view,
                api: deps.api,
                querier: deps.querier,
            };
            return handler(deps, env, msg).map_err(ContractError::Contract);
        }
        Wrapped::Rewind(msg) => msg,
    };
    Ok(match msg {
        RestorableQueryMsg::JournalInfo {} => to_json_binary(&journal_info(deps.storage, &env)?)?,
        RestorableQueryMsg::DigestAt { height } => {
            to_json_binary(&digest_at(deps.storage, &env, height)?)?
        }
        RestorableQueryMsg::RestorationStatus {} => {
            let mut status = load_status(deps.storage)?;
            let offline = crate::offline::status(deps.storage, &env)?;
            status.exit_only = offline.exit_only;
            status.stopped_seconds = offline.stopped_seconds;
            status.max_offline = offline.max_offline;
            to_json_binary(&status)?
        }
        RestorableQueryMsg::OfflineStatus {} => {
            to_json_binary(&crate::offline::status(deps.storage, &env)?)?
        }
        RestorableQueryMsg::RemainingClaims {} => {
            to_json_binary(&crate::successor::remaining(deps, target)?)?
        }
        RestorableQueryMsg::Scopes {} => to_json_binary(&rewind_types::ScopesResponse {
            scopes: target.scopes.to_vec(),
        })?,
        RestorableQueryMsg::RestorationCheck { heights, accounts } => {
            let info = journal_info(deps.storage, &env)?;
            // A refused height carries the text `DigestAt` fails with.
            let mut check = RestorationCheckResponse::build(info, &heights, |h| {
                digest_at(deps.storage, &env, h).map_err(TargetError::from)
            })?;
            check.activity = account_activity(deps.storage, deps.api, &accounts)?;
            to_json_binary(&check)?
        }
        RestorableQueryMsg::ReplayPreview {
            height,
            exclusions,
            limit,
            queries,
        } => {
            if queries.len() > MAX_PREVIEW_QUERIES {
                return Err(TargetError::TooManyPreviewQueries {
                    count: queries.len(),
                    max: MAX_PREVIEW_QUERIES,
                }
                .into());
            }
            let ask =
                |store: &dyn Storage| answer_all(store, deps, &env, target, handler, &queries);
            let before = ask(deps.storage);
            let candidate = Candidate {
                height,
                exclusions,
                limit,
            };
            let (mut answer, after) = preview(deps, &env, target, execute, candidate, ask)?;
            answer.answers = queries
                .iter()
                .zip(before.into_iter().zip(after))
                .map(|(query, (before, after))| PreviewAnswer {
                    query: query.clone(),
                    before,
                    after,
                })
                .collect();
            to_json_binary(&answer)?
        }
        RestorableQueryMsg::Settlement {} => to_json_binary(&SettlementResponse {
            last: SETTLEMENT.may_load(deps.storage)?,
        })?,
        RestorableQueryMsg::Incident { id } => {
            to_json_binary(&crate::report::incident(deps.storage, id)?)?
        }
        RestorableQueryMsg::Incidents { start_after, limit } => {
            to_json_binary(&crate::report::incidents(deps.storage, start_after, limit)?)?
        }
        RestorableQueryMsg::ReplayReport { start_after, limit } => {
            to_json_binary(&replay_report(deps.storage, start_after, limit)?)?
        }
        RestorableQueryMsg::CheckConfig { config } => {
            let answer = match target.config {
                _ if crate::successor::is_rewind_config(&config) => {
                    crate::successor::check_rewind_config(deps, &config)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                }
                None => Err(TargetError::NotConfigurable.to_string()),
                Some((check, _)) => {
                    let view = JournaledView::new(deps.storage, target.plain);
                    let deps = Deps {
                        storage: &view,
                        api: deps.api,
                        querier: deps.querier,
                    };
                    check(deps, &env, &config).map_err(|e| e.to_string())
                }
            };
            to_json_binary(&CheckConfigResponse::from_result(answer))?
        }
    })
}

/// The default and the largest page of `ReplayReport`.
const REPORT_PAGE: (u32, u32) = (30, 100);

/// Runs `Restore` and every crank on an overlay over the contract's storage, then reads the
/// counters and the report from it; the overlay is dropped.
fn preview<M: DeserializeOwned + crate::Gated, X: std::fmt::Display, T>(
    deps: Deps,
    env: &Env,
    target: &Target<X>,
    execute: ExecuteHandler<M, X>,
    candidate: Candidate,
    after: impl FnOnce(&dyn Storage) -> T,
) -> Result<(ReplayPreviewResponse, T), TargetError> {
    let Candidate {
        height,
        exclusions,
        limit,
    } = candidate;
    let refused = |e: ContractError<X>| TargetError::Std(StdError::msg(e.to_string()));
    let mut overlay = Overlay::new(deps.storage);
    let digest = digest_at(&overlay, env, height)?.digest;
    // The crank refuses to run without a lock in force (row R13): the dry run holds one.
    set_restoration_lock(&mut overlay, Some(env.block.time.plus_seconds(1)))?;
    restore(
        DepsMut {
            storage: &mut overlay,
            api: deps.api,
            querier: deps.querier,
        },
        env.clone(),
        height,
        exclusions,
        digest,
        ShortfallPolicy::ProRataHaircut,
    )
    .map_err(refused)?;
    while load_status(&overlay)?.phase != RestorationPhase::Complete {
        crank(
            DepsMut {
                storage: &mut overlay,
                api: deps.api,
                querier: deps.querier,
            },
            env.clone(),
            target,
            Some(MAX_CRANK_LIMIT),
            None,
            execute,
        )
        .map_err(refused)?;
    }
    let status = load_status(&overlay)?;
    let entries = replay_report(&overlay, None, limit)?.entries;
    let answers = after(&overlay);
    let response = ReplayPreviewResponse {
        undone_entries: status.undone_entries,
        replayed_executions: status.replayed_executions,
        skipped_executions: status.skipped_executions,
        entries,
        settlement: match target.holdings {
            Some(_) => SETTLEMENT.may_load(&overlay)?,
            None => None,
        },
        answers: vec![],
    };
    Ok((response, answers))
}

/// A candidate restoration: its height, its exclusions, and how much of its report to return.
struct Candidate {
    height: u64,
    exclusions: Vec<String>,
    limit: Option<u32>,
}

/// The contract's own `queries` on `store` (read through the journal like any of its
/// queries): an answer or the contract's error for each, in order.
fn answer_all<Q: DeserializeOwned, E: std::fmt::Display, X>(
    store: &dyn Storage,
    deps: Deps,
    env: &Env,
    target: &Target<X>,
    handler: fn(Deps, Env, Q) -> Result<Binary, E>,
    queries: &[Binary],
) -> Vec<QueryAnswer> {
    let view = JournaledView::new(store, target.plain);
    let deps = Deps {
        storage: &view,
        api: deps.api,
        querier: deps.querier,
    };
    queries
        .iter()
        .map(
            |query| match crate::msg::contract_msg::<RestorableQueryMsg, Q>(query) {
                Err(e) => QueryAnswer::Error(format!("not a query of this contract: {e}")),
                Ok(msg) => match handler(deps, env.clone(), msg) {
                    Ok(answer) => QueryAnswer::Ok(answer),
                    Err(e) => QueryAnswer::Error(e.to_string()),
                },
            },
        )
        .collect()
}

/// The current or last restoration's replay report, in log order after `start_after`.
fn replay_report(
    store: &dyn Storage,
    start_after: Option<ExecutionId>,
    limit: Option<u32>,
) -> StdResult<ReplayReportResponse> {
    let Some(height) = load_status(store)?.height else {
        return Ok(ReplayReportResponse { entries: vec![] });
    };
    let limit = limit.unwrap_or(REPORT_PAGE.0).min(REPORT_PAGE.1) as usize;
    let entries = report_page(store, height, start_after, limit)?;
    Ok(ReplayReportResponse { entries })
}

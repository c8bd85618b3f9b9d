//! Permissionless, rewarded reports (issue 16): `Report { invariant }` re-evaluates a
//! declared invariant over the contract's FULL state, through the contract's
//! [`ReportHook`]; `FundBounty` funds the reporters' budget; `Incident` and `Incidents`
//! answer what was proven.
//!
//! - The scan is bounded: each call does at most `limit` units of the hook's work and keeps
//!   the hook's partial result ([`Scan::More`]) for the next call. A scan whose state moved
//!   under it (an execution recorded since it started: the redo log's last key changed)
//!   starts again, so a scan never mixes two states.
//! - Broken: the incident is recorded (id, invariant, height, the last height every
//!   invariant held and the accounts that broke it, as far as the hook knows), the
//!   invariant's pause is tripped (its `RefuseAndPause` scopes, through the contract's trip
//!   hook: the same cap, cooldown and budget as the in-line refusals), and the reporter is
//!   paid `min(per_incident, budget)` from the bounty budget. An invariant has at most one
//!   open incident: a report of it while one is open is a duplicate and refused
//!   (`DuplicateReport`), so each incident pays once. A restoration closes every open
//!   incident when it starts.
//! - Holding: the report is refused (`ReportRefuted`): a false report changes nothing and
//!   costs its sender the gas.
//! - The budget is funded explicitly (`FundBounty`, one denom) and is no user's claim: a
//!   contract that compares its ledger with its bank balance leaves [`bounty_reserved`] out.
//!
//! Its records are raw, under the library's reserved `rj/` names: never journaled, never
//! rolled back.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    Addr, BankMsg, Binary, Coin, Deps, DepsMut, Env, Event, MessageInfo, Order, Response, StdError,
    StdResult, Storage, Uint128,
};
use cw_storage_plus::{Item, Map};
use rewind_journal::keys::{
    executions_root, prefix_end, NS_BOUNTY, NS_INCIDENTS, NS_OPEN_INCIDENTS, NS_REPORT_SCANS,
};
use rewind_journal::{ensure_not_locked, JournaledView};
use rewind_types::restorable::{Incident, IncidentsResponse};
use rewind_types::PauseScope;

use crate::error::{ContractError, TargetError};
use crate::invariant::InvariantPolicy;
use crate::target::Target;

/// Every proven incident, by id.
const INCIDENTS: Map<u64, Incident> = Map::new(NS_INCIDENTS);
/// The open incident of each invariant that has one.
const OPEN: Map<&str, u64> = Map::new(NS_OPEN_INCIDENTS);
/// The scan in progress of each invariant being reported.
const SCANS: Map<&str, ScanState> = Map::new(NS_REPORT_SCANS);
/// The bounty budget.
const BUDGET: Item<Budget> = Item::new(NS_BOUNTY);

/// A report's units of work per call when the caller names none.
pub const DEFAULT_REPORT_LIMIT: u32 = 100;
/// The most units of work one report call does.
pub const MAX_REPORT_LIMIT: u32 = 500;
/// The most accounts an incident lists.
pub const MAX_INCIDENT_ACCOUNTS: usize = 10;

/// What a violation is, as the contract's full evaluation found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Why it is broken.
    pub reason: String,
    /// The accounts whose executions broke it, if known (the first
    /// [`MAX_INCIDENT_ACCOUNTS`] are kept).
    pub accounts: Vec<Addr>,
    /// The last height at which every invariant held, if known.
    pub last_held_height: Option<u64>,
}

/// One step of a full evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Scan {
    /// Not done: the partial result, handed back to the next call.
    More(Binary),
    /// The invariant holds over the whole state.
    Held,
    /// The invariant is broken.
    Broken(Violation),
}

/// The contract's full evaluation of `invariant` (its name), resumed from `partial` (the last
/// call's [`Scan::More`], `None` at the start), doing at most `limit` units of work, on a
/// read-only view of its state. O(state) in total, bounded per call.
pub type ReportHook<E> = fn(Deps, &Env, &str, Option<&Binary>, u32) -> Result<Scan, E>;

/// A scan in progress.
#[cw_serde]
struct ScanState {
    /// The redo log's last key when the scan started.
    marker: Option<Binary>,
    /// The hook's partial result.
    partial: Binary,
}

/// The reporters' bounty budget.
#[cw_serde]
pub struct Budget {
    /// Its denom.
    pub denom: String,
    /// What it holds.
    pub amount: Uint128,
    /// The bounty of one incident.
    pub per_incident: Uint128,
}

/// What the bounty budget holds in `denom` (zero when unfunded): funds in the contract's bank
/// balance that are no user's claim.
pub fn bounty_reserved(store: &dyn Storage, denom: &str) -> StdResult<Uint128> {
    Ok(BUDGET
        .may_load(store)?
        .filter(|b| b.denom == denom)
        .map_or(Uint128::zero(), |b| b.amount))
}

/// Closes every open incident (a restoration starts): the next report of an invariant is a
/// new incident. At most one entry per declared invariant.
pub(crate) fn close_incidents(store: &mut dyn Storage) -> StdResult<()> {
    let open: Vec<String> = OPEN
        .keys(store, None, None, Order::Ascending)
        .collect::<StdResult<_>>()?;
    for invariant in open {
        OPEN.remove(store, &invariant);
    }
    Ok(())
}

/// The redo log's last key: it changes with every recorded execution.
fn marker(store: &dyn Storage) -> Option<Binary> {
    let root = executions_root();
    store
        .range(Some(&root), Some(&prefix_end(&root)), Order::Descending)
        .next()
        .map(|(k, _)| Binary::from(k))
}

/// `Report { invariant, limit }`: see the module doc.
pub(crate) fn report<E: std::fmt::Display>(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    invariant: String,
    limit: Option<u32>,
    target: &Target<E>,
) -> Result<Response, ContractError<E>> {
    ensure_not_locked(deps.storage, &env)?;
    let unknown = || TargetError::UnknownInvariant {
        invariant: invariant.clone(),
    };
    let invariants = target.invariants.ok_or_else(unknown)?;
    let declared = invariants
        .list
        .iter()
        .find(|i| i.name == invariant)
        .ok_or_else(unknown)?;
    let hook = invariants
        .report
        .ok_or_else(|| TargetError::NotReportable {
            invariant: invariant.clone(),
        })?;
    if let Some(incident) = OPEN.may_load(deps.storage, &invariant)? {
        return Err(TargetError::DuplicateReport {
            invariant,
            incident,
        }
        .into());
    }
    let marker = marker(deps.storage);
    let prior = SCANS
        .may_load(deps.storage, &invariant)?
        .filter(|s| s.marker == marker);
    let limit = limit
        .unwrap_or(DEFAULT_REPORT_LIMIT)
        .clamp(1, MAX_REPORT_LIMIT);
    let scan = {
        let view = JournaledView::new(deps.storage, target.plain);
        let on_view = Deps {
            storage: &view,
            api: deps.api,
            querier: deps.querier,
        };
        let partial = prior.as_ref().map(|s| &s.partial);
        hook(on_view, &env, &invariant, partial, limit).map_err(ContractError::Contract)?
    };
    let violation = match scan {
        Scan::More(partial) => {
            SCANS.save(deps.storage, &invariant, &ScanState { marker, partial })?;
            return Ok(Response::new()
                .add_attribute("action", "report")
                .add_attribute("invariant", invariant)
                .add_attribute("outcome", "scanning"));
        }
        Scan::Held => return Err(TargetError::ReportRefuted { invariant }.into()),
        Scan::Broken(violation) => violation,
    };
    SCANS.remove(deps.storage, &invariant);
    let paused_until = match declared.policy {
        InvariantPolicy::Refuse => None,
        InvariantPolicy::RefuseAndPause { scopes } => {
            let scopes: Vec<PauseScope> =
                scopes.iter().filter(|s| target.knows(s)).cloned().collect();
            // A pause the caps forbid now does not make the proof less true.
            (invariants.trip)(deps.storage, &env, &invariant, &scopes).ok()
        }
    };
    let mut budget = BUDGET.may_load(deps.storage)?;
    let bounty = match budget.as_mut() {
        Some(b) if !b.amount.is_zero() && !b.per_incident.is_zero() => {
            let pay = b.per_incident.min(b.amount);
            b.amount = b.amount.checked_sub(pay).map_err(StdError::from)?;
            Some(Coin::new(pay, b.denom.clone()))
        }
        _ => None,
    };
    if let Some(b) = &budget {
        BUDGET.save(deps.storage, b)?;
    }
    let id = INCIDENTS
        .keys(deps.storage, None, None, Order::Descending)
        .next()
        .transpose()?
        .map_or(1, |last| last + 1);
    let incident = Incident {
        id,
        invariant: invariant.clone(),
        reason: violation.reason,
        detected_height: env.block.height,
        last_held_height: violation.last_held_height,
        accounts: violation
            .accounts
            .iter()
            .take(MAX_INCIDENT_ACCOUNTS)
            .map(|a| a.to_string())
            .collect(),
        reporter: info.sender.to_string(),
        bounty: bounty.clone(),
        paused_until,
    };
    INCIDENTS.save(deps.storage, id, &incident)?;
    OPEN.save(deps.storage, &invariant, &id)?;
    let mut event = Event::new("incident")
        .add_attribute("action", "incident")
        .add_attribute("id", id.to_string())
        .add_attribute("invariant", invariant.as_str())
        .add_attribute("reason", incident.reason.as_str())
        .add_attribute("reporter", info.sender.as_str());
    if let Some(until) = paused_until {
        event = event.add_attribute("paused_until", until.seconds().to_string());
    }
    let mut response = Response::new()
        .add_attribute("action", "report")
        .add_attribute("invariant", invariant)
        .add_attribute("outcome", "incident")
        .add_attribute("incident", id.to_string());
    if let Some(coin) = bounty {
        event = event.add_attribute("bounty", coin.to_string());
        response = response.add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: vec![coin],
        });
    }
    Ok(response.add_event(event))
}

/// `FundBounty { per_incident }`: see the module doc.
pub(crate) fn fund_bounty<E>(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    per_incident: Option<Uint128>,
) -> Result<Response, ContractError<E>> {
    let coin = match info.funds.as_slice() {
        [coin] if !coin.amount.is_zero() => coin.clone(),
        _ => return Err(TargetError::BountyFunds {}.into()),
    };
    let amount = Uint128::try_from(coin.amount).map_err(StdError::from)?;
    let mut budget = BUDGET.may_load(deps.storage)?;
    if let Some(per_incident) = per_incident {
        let admin = deps
            .querier
            .query_wasm_contract_info(env.contract.address.as_str())?
            .admin;
        if admin.as_ref() != Some(&info.sender) {
            return Err(TargetError::NotAdmin {
                sender: info.sender,
            }
            .into());
        }
        match budget.as_mut() {
            Some(b) => b.per_incident = per_incident,
            None => {
                budget = Some(Budget {
                    denom: coin.denom.clone(),
                    amount: Uint128::zero(),
                    per_incident,
                })
            }
        }
    }
    let Some(mut budget) = budget else {
        return Err(TargetError::BountyFunds {}.into());
    };
    if budget.denom != coin.denom {
        return Err(TargetError::BountyFunds {}.into());
    }
    budget.amount = budget.amount.checked_add(amount).map_err(StdError::from)?;
    BUDGET.save(deps.storage, &budget)?;
    Ok(Response::new()
        .add_attribute("action", "fund_bounty")
        .add_attribute("amount", coin.to_string())
        .add_attribute("budget", budget.amount)
        .add_attribute("per_incident", budget.per_incident))
}

/// `Incident { id }`.
pub(crate) fn incident(store: &dyn Storage, id: u64) -> Result<Incident, TargetError> {
    INCIDENTS
        .may_load(store, id)?
        .ok_or(TargetError::NoIncident { id })
}

/// `Incidents { start_after, limit }`.
pub(crate) fn incidents(
    store: &dyn Storage,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<IncidentsResponse> {
    let incidents = rewind_types::page_by_id(&INCIDENTS, store, start_after, limit, |i| i)?;
    let budget = BUDGET.may_load(store)?;
    Ok(IncidentsResponse {
        incidents,
        budget: budget
            .as_ref()
            .map(|b| Coin::new(b.amount, b.denom.clone())),
        per_incident: budget.map(|b| b.per_incident),
    })
}

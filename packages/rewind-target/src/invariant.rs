//! In-line invariants (issue 16): properties a contract declares, checked after each of its
//! own executions, before anything is committed.
//!
//! A contract that declares invariants (`restorable!`'s `invariants:` option) has its
//! handler run on an [`Overlay`]: the handler's writes (journaled as usual) stay in memory,
//! then every declared [`Invariant`] is evaluated on the state as it would be after the
//! execution. If each one holds, the overlay's writes are committed and the execution is
//! recorded for a restoration's replay as before. If one breaks, the writes and the
//! handler's messages are dropped and the invariant's [`InvariantPolicy`] decides:
//! - [`InvariantPolicy::Refuse`]: the execution fails (`InvariantViolated`);
//! - [`InvariantPolicy::RefuseAndPause`]: the execution returns `Ok` (an `Err` would revert
//!   the pause too) with none of the handler's effects, only a capped pause of the listed
//!   scopes, set by the contract's [`TripHook`] (the vault's: its price breaker's cap,
//!   cooldown and trip budget), and an event `invariant_refused` naming the invariant. The
//!   refused execution is not recorded (it did not happen), and the funds it came with are
//!   sent back to its sender (the chain moved them to the contract before it ran). When the hook may not pause (at
//!   its cap, in its cooldown, budget spent), the execution fails as under `Refuse`.
//!
//! Checks must be O(1) per execution: they read running totals the contract maintains (the
//! vault: one book record), never iterate accounts. The full re-evaluation over every
//! account is the permissionless `Report` (not in-line).
//!
//! A restoration's replay evaluates the same checks with [`InvariantEnv::replay`] set: a
//! replayed execution that breaks one is skipped (failed, in the replay report), never a
//! pause. A contract without invariants pays nothing: no overlay, no check.

use cosmwasm_std::{
    BankMsg, CosmosMsg, Deps, DepsMut, Env, Event, QuerierWrapper, Response, StdResult, Storage,
    Timestamp, Uint256,
};
use rewind_journal::{JournaledView, Overlay};
use rewind_types::PauseScope;

use crate::error::{ContractError, TargetError};
use crate::journaled::run_journaled;
use crate::target::Target;

/// What a refusal does besides refusing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvariantPolicy {
    /// The execution fails; nothing else happens.
    Refuse,
    /// The execution's effects are dropped and the contract's [`TripHook`] pauses `scopes`
    /// (scopes the contract does not declare are left out).
    RefuseAndPause {
        /// The scopes the refusal pauses.
        scopes: &'static [PauseScope],
    },
}

/// What a check sees besides the state after the execution.
pub struct InvariantEnv<'a> {
    /// The execution's block (during a replay: the recorded one).
    pub env: &'a Env,
    /// The handler's response: its bank sends have not left the contract yet when the check
    /// runs (see [`bank_after`]).
    pub response: &'a Response,
    /// A restoration's replay is running the execution: the state is the restored ledger,
    /// which the settlement reconciles with the bank only afterwards. A check that compares
    /// the ledger with the bank balance holds by itself here.
    pub replay: bool,
}

/// Evaluates an invariant on the state after an execution (read through the journal's
/// view, so the contract's own `Item`s and `Map`s read as usual): `Ok(None)` when it holds,
/// `Ok(Some(reason))` when it breaks, `Err` when it cannot be evaluated (the execution fails).
pub type InvariantCheck<E> = fn(Deps, &InvariantEnv) -> Result<Option<String>, E>;

/// Sets the capped pause of a refusal under [`InvariantPolicy::RefuseAndPause`], on the
/// chain's storage (the handler's writes are already dropped): the invariant's name and the
/// scopes to pause. Returns the pause's end; `Err` when the contract's caps forbid a pause
/// now (the execution is then refused without one).
pub type TripHook<E> = fn(&mut dyn Storage, &Env, &str, &[PauseScope]) -> Result<Timestamp, E>;

/// One declared invariant.
pub struct Invariant<E: 'static> {
    /// Its name (events, errors, `Report`): 1 to 32 characters of `[a-z0-9_]`.
    pub name: &'static str,
    /// The O(1) check.
    pub check: InvariantCheck<E>,
    /// What a refusal does.
    pub policy: InvariantPolicy,
}

/// A contract's invariants and the hook that pauses on a refusal.
pub struct Invariants<E: 'static> {
    /// The invariants, checked in this order after each execution.
    pub list: &'static [Invariant<E>],
    /// Sets a refusal's capped pause.
    pub trip: TripHook<E>,
    /// The full evaluation a permissionless `Report` runs ([`crate::report`]); `None`:
    /// the contract takes no reports.
    pub report: Option<crate::report::ReportHook<E>>,
}

// Function pointers and static slices: copied whatever `E` is (a derive would ask `E: Copy`).
impl<E> Clone for Invariant<E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E> Copy for Invariant<E> {}
impl<E> Clone for Invariants<E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E> Copy for Invariants<E> {}

/// What [`run`] decided.
pub(crate) enum Checked {
    /// Every invariant held: the writes are committed, the execution is recorded.
    Held(Response),
    /// An invariant broke under `RefuseAndPause` and the pause is set: the response to
    /// return, the handler's writes and messages dropped. Not recorded.
    Refused(Response),
}

/// Runs the handler on journaled storage, over an overlay when the target declares
/// invariants, checks them and commits or refuses (see the module doc).
pub(crate) fn run<E: std::fmt::Display>(
    deps: DepsMut,
    env: &Env,
    target: &Target<E>,
    frozen: Vec<cosmwasm_std::Addr>,
    refund: (&cosmwasm_std::Addr, &[cosmwasm_std::Coin]),
    handler: impl FnOnce(DepsMut) -> Result<Response, E>,
) -> Result<Checked, ContractError<E>> {
    let Some(invariants) = target.invariants else {
        return run_journaled(deps, env, target, frozen, handler).map(Checked::Held);
    };
    let DepsMut {
        storage,
        api,
        querier,
    } = deps;
    let mut overlay = Overlay::new(&*storage);
    let on_overlay = DepsMut {
        storage: &mut overlay,
        api,
        querier,
    };
    let response = run_journaled(on_overlay, env, target, frozen, handler)?;
    let broken = check_all(&overlay, api, querier, env, target, &response, false)?;
    let Some((invariant, reason)) = broken else {
        overlay.into_writes().commit(storage);
        return Ok(Checked::Held(response));
    };
    drop(overlay);
    let scopes = match invariant.policy {
        InvariantPolicy::Refuse => return Err(violated(invariant.name, reason)),
        InvariantPolicy::RefuseAndPause { scopes } => scopes,
    };
    let scopes: Vec<PauseScope> = scopes.iter().filter(|s| target.knows(s)).cloned().collect();
    match (invariants.trip)(storage, env, invariant.name, &scopes) {
        Ok(until) => {
            let names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
            let event = Event::new("invariant_refused")
                .add_attribute("action", "invariant_refused")
                .add_attribute("invariant", invariant.name)
                .add_attribute("reason", reason.as_str())
                .add_attribute("scopes", names.join(","))
                .add_attribute("until", until.seconds().to_string());
            let mut response = Response::new()
                .add_attribute("action", "invariant_refused")
                .add_attribute("invariant", invariant.name)
                .add_event(event);
            // The execution did not happen: its funds go back.
            let (sender, funds) = refund;
            if !funds.is_empty() {
                response = response.add_message(BankMsg::Send {
                    to_address: sender.to_string(),
                    amount: funds.to_vec(),
                });
            }
            Ok(Checked::Refused(response))
        }
        Err(no_pause) => Err(violated(
            invariant.name,
            format!("{reason}; no pause: {no_pause}"),
        )),
    }
}

fn violated<E>(invariant: &str, reason: String) -> ContractError<E> {
    TargetError::InvariantViolated {
        invariant: invariant.to_string(),
        reason,
    }
    .into()
}

/// Evaluates the target's invariants on `store` (an overlay holding the execution's
/// writes): the first that breaks, with its reason, or `None`.
pub(crate) fn check_all<E>(
    store: &dyn Storage,
    api: &dyn cosmwasm_std::Api,
    querier: QuerierWrapper,
    env: &Env,
    target: &Target<E>,
    response: &Response,
    replay: bool,
) -> Result<Option<(Invariant<E>, String)>, ContractError<E>> {
    let Some(invariants) = target.invariants else {
        return Ok(None);
    };
    let view = JournaledView::new(store, target.plain);
    let deps = Deps {
        storage: &view,
        api,
        querier,
    };
    let seen = InvariantEnv {
        env,
        response,
        replay,
    };
    for invariant in invariants.list {
        if let Some(reason) = (invariant.check)(deps, &seen).map_err(ContractError::Contract)? {
            return Ok(Some((*invariant, reason)));
        }
    }
    Ok(None)
}

/// The contract's bank balance of `denom` once the execution's own bank sends have left:
/// during an execution the chain has already credited the attached funds, but the
/// response's `BankMsg::Send`s run only after the contract returns.
pub fn bank_after(
    querier: &QuerierWrapper,
    env: &Env,
    response: &Response,
    denom: &str,
) -> StdResult<Uint256> {
    let balance = querier
        .query_balance(env.contract.address.clone(), denom)?
        .amount;
    let mut sent = Uint256::zero();
    for sub in &response.messages {
        if let CosmosMsg::Bank(BankMsg::Send { amount, .. }) = &sub.msg {
            for coin in amount.iter().filter(|c| c.denom == denom) {
                sent = sent.checked_add(coin.amount)?;
            }
        }
    }
    Ok(balance.saturating_sub(sent))
}

//! Entry points: the vault's own, which only dispatch, made restorable by rewind-target.
//! `entry::{instantiate, execute, query, migrate}` are the chain's: they take the vault's
//! JSON unchanged plus Rewind's messages (`gate`, `crank`, `prune`; the restorable queries;
//! every migration), check each message's pause scope, refuse frozen senders, hand the
//! handler a journaled `deps.storage`, record every successful execution for a restoration's
//! replay, and call the vault's hooks: `freeze` and `settle` ([`crate::restore`]), the voted
//! configuration and `sweep` ([`crate::migrations`]).

use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::execute::push_reference_price::push_reference_price;
use crate::execute::{close_position, deposit, liquidate, open_position, push_price, withdraw};
use crate::exits::{claim, claims_total};
use crate::instantiate::{CONTRACT_NAME, CONTRACT_VERSION};
use crate::invariants::INVARIANTS;
use crate::migrations::configure::{apply_config, check_config};
use crate::migrations::sweep::sweep;
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg, VaultMsg};
use crate::restore::freeze::freeze;
use crate::restore::settle::settle;
use crate::{instantiate as init, query as q};

/// Instantiates the vault (after rewind-target stored the guardian and started the journal).
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    init::instantiate(deps, env, info, msg)
}

/// Dispatches an execute message (its scope's gate already passed).
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: VaultMsg,
) -> Result<Response, ContractError> {
    match msg.0 {
        ExecuteMsg::Deposit {} => deposit::deposit(deps, info),
        ExecuteMsg::Withdraw { denom, amount } => withdraw::withdraw(deps, info, denom, amount),
        ExecuteMsg::OpenPosition {
            market,
            size,
            margin,
        } => open_position::open_position(deps, env, info, market, size, margin),
        ExecuteMsg::ClosePosition { market } => {
            close_position::close_position(deps, env, info, market)
        }
        ExecuteMsg::Liquidate { account, market } => {
            liquidate::liquidate(deps, info, account, market)
        }
        ExecuteMsg::PushPrice { market, price } => {
            push_price::push_price(deps, env, info, market, price)
        }
        ExecuteMsg::PushReferencePrice { market, price } => {
            push_reference_price(deps, info, market, price)
        }
    }
}

/// Answers one of the vault's own queries.
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    q::query(deps, env, msg)
}

// The vault's scopes (`rewind_types::vault::SCOPES`, in that order; a test checks they are
// the same) and the one of each message. `push_price` has its own scope, `feed`: prices
// stay fresh while the other scopes are paused, a pause of `feed` stops a feeder that can
// no longer be trusted without stopping exits, and the restoration lock stops it. A
// restoration replays an honest feeder's pushes like any other execution (a market's
// replayed trades need the prices they first ran at); a compromised feeder is excluded, so
// its pushes are skipped (and it is frozen).
//
// In exit-only mode by the offline clock (issue 15) `withdraw` (an exit) and `ClosePosition`
// (`offline:`, it only reduces risk) run whatever pause is in force, closing at the fallback
// price; opening, deposits, liquidations and price pushes are refused.
rewind_target::gated!(VaultMsg {
    deposit => VaultMsg(ExecuteMsg::Deposit {}),
    #[exit] withdraw => VaultMsg(ExecuteMsg::Withdraw { .. }),
    trade => VaultMsg(ExecuteMsg::OpenPosition { .. } | ExecuteMsg::ClosePosition { .. }),
    liquidate => VaultMsg(ExecuteMsg::Liquidate { .. }),
    feed => VaultMsg(ExecuteMsg::PushPrice { .. } | ExecuteMsg::PushReferencePrice { .. }),
}
offline: VaultMsg(ExecuteMsg::ClosePosition { .. }),);

rewind_target::restorable! {
    name: CONTRACT_NAME,
    version: CONTRACT_VERSION,
    instantiate: instantiate(InstantiateMsg),
    execute: execute(VaultMsg) -> ContractError,
    query: query(QueryMsg) -> ContractError,
    plain: [
        "vault_config",
        "vault_markets",
        "vault_restoration",
        "vault_reports",
        "vault_claims",
        "vault_breaker",
        "vault_guard",
        "rj/g",
        "rj/m",
        "rj/t",
        "rj/q",
        "rj/z",
        "rj/r",
        "rj/w",
        "rj/nb",
    ],
    freeze: freeze,
    config: (check_config, apply_config),
    settle: settle,
    sweep: sweep,
    invariants: INVARIANTS,
    claim: (claim, claims_total),
}

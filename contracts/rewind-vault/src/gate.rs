//! The pause gate (row P3): every execute variant is mapped to the scope it checks, or is
//! on the explicit allowlist below. The mapping is an exhaustive `match`, so a new variant
//! does not compile until someone decides how it is gated.

use cosmwasm_std::{Deps, Env, Storage, Timestamp};
use rewind_journal::{ensure_exit_not_locked, ensure_open, gate_state};
use rewind_types::vault::ExecuteMsg;
use rewind_types::PauseScope;

use crate::error::ContractError;
use crate::state::Config;

/// How an execute variant is gated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gating {
    /// Checked with `ensure_open(scope)`: the scope, `All`, the restoration lock and the
    /// restoring flag each stop it.
    Scope(PauseScope),
    /// Exits: `ensure_open(Withdraw)` when governance allowed pausing exits; otherwise only
    /// the restoration lock and the restoring flag stop them (`All` does not).
    Exit,
    /// On [`UNGATED`]; the reason is there.
    Allowlisted(&'static str),
}

/// The execute variants the pause gate does not cover, and why.
pub const UNGATED: [(&str, &str); 5] = [
    (
        "gate",
        "the guardian must be able to set, end and extend pauses while paused",
    ),
    (
        "crank",
        "a restoration must progress while the vault is locked (anyone may crank)",
    ),
    (
        "push_price",
        "prices must stay fresh while paused; refused while a restoration lock or rollback holds",
    ),
    (
        "update_config",
        "governance must be able to rotate a compromised feeder or guardian while paused",
    ),
    (
        "prune",
        "retention upkeep only; the journal itself refuses to prune while a restoration is pending",
    ),
];

/// The snake_case name of an execute variant (also its `action` attribute).
pub fn action_name(msg: &ExecuteMsg) -> &'static str {
    match msg {
        ExecuteMsg::Deposit {} => "deposit",
        ExecuteMsg::Withdraw { .. } => "withdraw",
        ExecuteMsg::OpenPosition { .. } => "open_position",
        ExecuteMsg::ClosePosition { .. } => "close_position",
        ExecuteMsg::Liquidate { .. } => "liquidate",
        ExecuteMsg::PushPrice { .. } => "push_price",
        ExecuteMsg::UpdateConfig { .. } => "update_config",
        ExecuteMsg::Prune { .. } => "prune",
        ExecuteMsg::Gate(_) => "gate",
        ExecuteMsg::Crank { .. } => "crank",
    }
}

/// `Allowlisted` only if `name` is on [`UNGATED`]; a variant missing from the list falls
/// back to the strictest gate (`All`), never to no gate.
fn allowlisted(name: &str) -> Gating {
    UNGATED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, why)| Gating::Allowlisted(why))
        .unwrap_or(Gating::Scope(PauseScope::All))
}

/// The gating of an execute variant.
pub fn gating(msg: &ExecuteMsg) -> Gating {
    match msg {
        ExecuteMsg::Deposit {} => Gating::Scope(PauseScope::Deposit),
        ExecuteMsg::Withdraw { .. } => Gating::Exit,
        ExecuteMsg::OpenPosition { .. } | ExecuteMsg::ClosePosition { .. } => {
            Gating::Scope(PauseScope::Trade)
        }
        ExecuteMsg::Liquidate { .. } => Gating::Scope(PauseScope::Liquidate),
        ExecuteMsg::PushPrice { .. }
        | ExecuteMsg::UpdateConfig { .. }
        | ExecuteMsg::Prune { .. }
        | ExecuteMsg::Gate(_)
        | ExecuteMsg::Crank { .. } => allowlisted(action_name(msg)),
    }
}

/// Refuses `msg` if its scope is closed now: one storage read. Exits are checked by
/// [`check_exit`] from the withdraw handler, which reads the config it needs anyway, so a
/// withdrawal pays for one config read, not two.
pub fn check(deps: Deps, env: &Env, msg: &ExecuteMsg) -> Result<(), ContractError> {
    match gating(msg) {
        Gating::Scope(scope) => ensure_open(deps.storage, env, scope)?,
        Gating::Exit | Gating::Allowlisted(_) => {}
    }
    Ok(())
}

/// The gate of an exit: `ensure_open(Withdraw)` when governance allowed pausing exits,
/// otherwise only the restoration lock and the restoring flag stop it. Exit-only mode (row
/// R13) keeps it open. Called first thing by the withdraw handler, with its config.
pub fn check_exit(store: &dyn Storage, env: &Env, config: &Config) -> Result<(), ContractError> {
    if config.exits_pausable {
        ensure_open(store, env, PauseScope::Withdraw)?
    } else {
        ensure_exit_not_locked(store, env)?
    }
    Ok(())
}

/// Whether `msg` is a user action the gate covers (a scope or an exit): its sender's
/// activity is noted (row G14).
pub fn is_user_action(msg: &ExecuteMsg) -> bool {
    matches!(gating(msg), Gating::Scope(_) | Gating::Exit)
}

/// The end of `scope`'s own pause, if it is in force now.
pub fn paused_until(
    store: &dyn Storage,
    env: &Env,
    scope: PauseScope,
) -> Result<Option<Timestamp>, ContractError> {
    Ok(gate_state(store)?
        .paused_until
        .iter()
        .find(|p| p.scope == scope && env.block.time < p.until)
        .map(|p| p.until))
}

//! The pause gate (row P3): every execute variant is mapped to the scope it checks, or is
//! on the explicit allowlist below. The mapping is an exhaustive `match`, so a new variant
//! does not compile until someone decides how it is gated.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Storage, Timestamp};
use rewind_journal::{ensure_open, gate_state, note_activity};
use rewind_types::vault::{ExecuteMsg, DEPOSIT, LIQUIDATE, SCOPES, TRADE, WITHDRAW};
use rewind_types::{PauseScope, ScopeInfo};

use crate::error::ContractError;

/// How an execute variant is gated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gating {
    /// Checked with `ensure_open(scope)`: the scope, `all`, the restoration lock and the
    /// restoring flag each stop it; exit-only mode lets it through when the vault declares
    /// it an exit.
    Scope(ScopeInfo),
    /// On [`UNGATED`]; the reason is there.
    Allowlisted(&'static str),
}

/// The execute variants the pause gate does not cover, and why.
pub const UNGATED: [(&str, &str); 4] = [
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
        ExecuteMsg::Prune { .. } => "prune",
        ExecuteMsg::Gate(_) => "gate",
        ExecuteMsg::Crank { .. } => "crank",
    }
}

/// The strictest gate: `all`, never an exit.
const STRICTEST: ScopeInfo = ScopeInfo::action(PauseScope::ALL);

/// `Allowlisted` only if `name` is on [`UNGATED`]; a variant missing from the list falls
/// back to the strictest gate (`all`), never to no gate.
fn allowlisted(name: &str) -> Gating {
    UNGATED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, why)| Gating::Allowlisted(why))
        .unwrap_or(Gating::Scope(STRICTEST))
}

/// The vault's declaration of `scope` ([`SCOPES`], the one place that says which scope is an
/// exit); a scope it does not declare falls back to the strictest gate.
pub fn declared(scope: PauseScope) -> ScopeInfo {
    SCOPES
        .into_iter()
        .find(|s| s.scope == scope)
        .unwrap_or(STRICTEST)
}

/// The gating of an execute variant.
pub fn gating(msg: &ExecuteMsg) -> Gating {
    match msg {
        ExecuteMsg::Deposit {} => Gating::Scope(declared(DEPOSIT)),
        // Exits are a scope like any other here. Whether they may be paused is the
        // guardian's decision, from its one registry: it refuses a `withdraw` or `all`
        // pause of a target whose exits are not pausable, so no such pause reaches the gate.
        // Exit-only mode (row R13) keeps this scope open: SCOPES declares it an exit.
        ExecuteMsg::Withdraw { .. } => Gating::Scope(declared(WITHDRAW)),
        ExecuteMsg::OpenPosition { .. } | ExecuteMsg::ClosePosition { .. } => {
            Gating::Scope(declared(TRADE))
        }
        ExecuteMsg::Liquidate { .. } => Gating::Scope(declared(LIQUIDATE)),
        ExecuteMsg::PushPrice { .. }
        | ExecuteMsg::Prune { .. }
        | ExecuteMsg::Gate(_)
        | ExecuteMsg::Crank { .. } => allowlisted(action_name(msg)),
    }
}

/// Admits `msg` before its dispatch: refuses it if its scope is closed now and
/// notes the sender's activity for a user action (row G14: the newest height each account
/// acted at, plain, never rolled back; a failed execution reverts it with everything else).
pub fn admit(
    deps: DepsMut,
    env: &Env,
    info: &MessageInfo,
    msg: &ExecuteMsg,
) -> Result<(), ContractError> {
    // One classification: a closed scope refuses (one storage read); a user action the gate
    // covers, exits included, notes its sender's activity (row G14).
    if let Gating::Scope(scope) = gating(msg) {
        ensure_open(deps.storage, env, &scope)?;
        note_activity(deps.storage, env, &info.sender)?;
    }
    Ok(())
}

/// The end of `scope`'s own pause, if it is in force now.
pub fn paused_until(
    store: &dyn Storage,
    env: &Env,
    scope: &PauseScope,
) -> Result<Option<Timestamp>, ContractError> {
    Ok(gate_state(store)?.own_pause(scope, env.block.time))
}

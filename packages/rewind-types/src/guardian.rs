//! rewind-guardian: the pause policy and the restoration lock.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Timestamp};

use crate::scope::{DeclaredScopes, PauseScope, ScopeInfo};
use crate::wiring::ModuleAddresses;

/// The caps on guardian pauses (rows P1, P5, P6).
#[cw_serde]
pub struct PausePolicy {
    /// The longest guardian stop of one action, in seconds (default 72 h): a single pause,
    /// and also the whole continuous stretch during which guardian pauses of any scopes
    /// that stop the action (overlapping or touching) keep it stopped (row P5).
    pub max_pause_seconds: u64,
    /// After an action's guardian stretch ends (early ends count), how long before a
    /// guardian pause may stop that action again, in seconds (default 24 h, row P5).
    pub cooldown_seconds: u64,
    /// The most guardian-charged time EACH guardian may use per target in any rolling
    /// window (default 7 days): the union of its own pauses' charged parts, so its
    /// concurrent pauses count once (rows P1, P6).
    pub budget_seconds: u64,
    /// The rolling window the budget applies to (default 30 days).
    pub budget_window_seconds: u64,
    /// The least time one guardian pause is charged to its guardian's budget, however
    /// short it was or however early it ended (default 1 h; bounded in code, row P6).
    #[serde(default = "default_min_charge_seconds")]
    pub min_charge_seconds: u64,
}

/// The `min_charge_seconds` of a policy that does not name one: one hour.
pub fn default_min_charge_seconds() -> u64 {
    3600
}

/// Instantiates rewind-guardian. Governance sends it.
#[cw_serde]
pub struct InstantiateMsg {
    /// The module addresses, predicted by governance with instantiate2; `governance` must
    /// be the sender.
    pub modules: ModuleAddresses,
    /// The settings governance chose.
    pub settings: GuardianSettings,
    /// The targets registered from genesis, with their exit policy and declared scopes. The
    /// guardian's registry is the one record of every target's exit policy and scopes.
    pub targets: Vec<crate::governance::TargetRegistration>,
}

/// rewind-guardian's migrate message, shared by every core contract.
pub use crate::upgrade::MigrateMsg;

/// The guardian's initial set and policy.
#[cw_serde]
pub struct GuardianSettings {
    /// The guardians, typically multisig contracts.
    pub guardians: Vec<String>,
    /// The pause caps.
    pub policy: PausePolicy,
}

/// rewind-guardian's execute messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// A guardian pauses `scope` of `target` for `duration_seconds`.
    Pause {
        /// A registered target.
        target: String,
        /// The family of actions to stop: `all` or a scope the target declared.
        scope: PauseScope,
        /// At most `max_pause_seconds`.
        duration_seconds: u64,
        /// Why, for the record.
        reason: String,
    },
    /// The guardian who paused ends its own pause early.
    EndPause {
        /// The target.
        target: String,
        /// The paused scope.
        scope: PauseScope,
    },
    /// Governance extends a pause to `until`, beyond the caps if needed. Still ends. Like
    /// every pause path, refused for a scope that stops exits on a target whose exits are
    /// not pausable.
    ExtendPause {
        /// The target.
        target: String,
        /// The scope.
        scope: PauseScope,
        /// The new end.
        until: Timestamp,
    },
    /// Governance lifts a pause now.
    LiftPause {
        /// The target.
        target: String,
        /// The scope.
        scope: PauseScope,
    },
    /// Governance changes the guardian set.
    UpdateGuardians {
        /// Guardians to add.
        add: Vec<String>,
        /// Guardians to remove.
        remove: Vec<String>,
    },
    /// Governance registers a target, or changes whether its exits may be paused or which
    /// scopes it declares. Refused with `exits_pausable: false` while a scope that stops
    /// exits is paused on the target, and refused to change the scopes while any pause of
    /// the target runs: lift that pause first (a parameter proposal may do both, lift
    /// first).
    SetTarget {
        /// The target.
        target: String,
        /// Whether pauses of its exit scopes or `all` are accepted on it.
        exits_pausable: bool,
        /// The scopes the target declares (its `Scopes {}` answer, which governance checks):
        /// 1 to `MAX_SCOPES`, names unique, `all` excluded.
        scopes: Vec<ScopeInfo>,
    },
    /// Governance removes a target from the guardian's registry.
    RemoveTarget {
        /// The target.
        target: String,
    },
    /// Governance changes the pause caps.
    UpdatePolicy(PausePolicy),
    /// The timelock (at queue) or executor (while applying) locks targets until `until`.
    SetRestorationLock {
        /// The operation that holds the lock.
        operation_id: u64,
        /// The targets.
        targets: Vec<String>,
        /// When the lock ends by itself.
        until: Timestamp,
    },
    /// The timelock (at cancel or expiry) or executor (when complete or aborted) releases
    /// the lock.
    ClearRestorationLock {
        /// The operation that held the lock.
        operation_id: u64,
        /// The targets.
        targets: Vec<String>,
    },
    /// Governance (when a restoration proposal is created) keeps the history of `targets`
    /// restorable from `from_height` until `until`: forwarded to each as
    /// `Gate(HoldHistory)`.
    HoldHistory {
        /// The targets named by the proposal.
        targets: Vec<String>,
        /// The proposal's lowest candidate height.
        from_height: u64,
        /// When the hold ends by itself (end of voting + timelock delay + grace).
        until: Timestamp,
    },
}

/// rewind-guardian's queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// Policy and module addresses.
    #[returns(ConfigResponse)]
    Config {},
    /// Whether `address` is a guardian (the timelock asks this before a guardian cancel).
    #[returns(bool)]
    IsGuardian {
        /// The address.
        address: String,
    },
    /// The guardians, paginated.
    #[returns(GuardiansResponse)]
    Guardians {
        /// Start after this address (exclusive).
        start_after: Option<String>,
        /// At most this many; capped.
        limit: Option<u32>,
    },
    /// The pause state of `all` and of every scope `target` declares, with time left.
    #[returns(PauseStatusResponse)]
    PauseStatus {
        /// The target.
        target: String,
    },
    /// Past and present pauses of `target`, newest first, paginated.
    #[returns(PauseHistoryResponse)]
    PauseHistory {
        /// The target.
        target: String,
        /// Start after this pause id (exclusive), going back in time.
        start_before: Option<u64>,
        /// At most this many; capped.
        limit: Option<u32>,
    },
    /// The guardian time charged on `target` and each action's stretch and cooldown.
    #[returns(BudgetResponse)]
    Budget {
        /// The target.
        target: String,
    },
    /// The remaining budget and record room of one guardian on `target` (row P6).
    #[returns(GuardianBudgetResponse)]
    GuardianBudget {
        /// The target.
        target: String,
        /// The guardian.
        guardian: String,
    },
    /// One target's registration and exit policy, or `null` when it is not registered.
    /// The guardian's registry is the one record of every target's `exits_pausable`:
    /// governance and the dashboard read it here.
    #[returns(Option<TargetResponse>)]
    Target {
        /// The target.
        target: String,
    },
    /// Registered targets, with their exit policy, paginated.
    #[returns(TargetsResponse)]
    Targets {
        /// Start after this address (exclusive).
        start_after: Option<String>,
        /// At most this many; capped.
        limit: Option<u32>,
    },
}

/// The guardian's configuration.
#[cw_serde]
pub struct ConfigResponse {
    /// The pause caps.
    pub policy: PausePolicy,
    /// The module addresses.
    pub modules: ModuleAddresses,
}

/// A page of guardians.
#[cw_serde]
pub struct GuardiansResponse {
    /// The guardians, in address order.
    pub guardians: Vec<Addr>,
}

/// The state of one scope of a target.
#[cw_serde]
pub struct ScopeStatus {
    /// The scope.
    pub scope: PauseScope,
    /// Paused now.
    pub paused: bool,
    /// When the pause ends, if paused.
    pub until: Option<Timestamp>,
    /// Seconds left, if paused.
    pub seconds_left: u64,
    /// Who paused it: a guardian, governance, or none.
    pub paused_by: Option<Addr>,
}

/// The pause state of a target.
#[cw_serde]
pub struct PauseStatusResponse {
    /// The target.
    pub target: Addr,
    /// `all`, then every scope the target declares, in its order (only `all` for a target
    /// no longer registered).
    pub scopes: Vec<ScopeStatus>,
    /// The restoration lock, if held and not expired.
    pub restoration_lock_until: Option<Timestamp>,
}

/// One pause record.
#[cw_serde]
pub struct PauseRecord {
    /// Its id, increasing.
    pub id: u64,
    /// The target.
    pub target: Addr,
    /// The scope.
    pub scope: PauseScope,
    /// Who paused.
    pub paused_by: Addr,
    /// The reason given.
    pub reason: String,
    /// When it started.
    pub start: Timestamp,
    /// When it ends or ended.
    pub end: Timestamp,
    /// Whether governance extended it.
    pub extended_by_governance: bool,
    /// The end of the part charged to the pausing guardian's budget: the guardian's own
    /// end, or earlier if the pause ended early, but never less than the policy's
    /// `min_charge_seconds` after `start` (so it may lie after `end`). Time governance
    /// added is not charged.
    pub charged_until: Timestamp,
}

/// A page of pause records.
#[cw_serde]
pub struct PauseHistoryResponse {
    /// The records, newest first.
    pub pauses: Vec<PauseRecord>,
}

/// The guardian time of a target and the state of each of its actions.
#[cw_serde]
pub struct BudgetResponse {
    /// The target.
    pub target: Addr,
    /// Guardian-charged seconds in the window ending now, added up over the current
    /// guardians' own budgets (each guardian has its own budget, see `GuardianBudget`).
    pub used_seconds: u64,
    /// Each action's latest guardian stretch and cooldown: the target's declared scopes, in
    /// its order (none for a target no longer registered).
    pub actions: Vec<ActionStatus>,
}

/// The latest guardian stretch of one action of a target (row P5).
#[cw_serde]
pub struct ActionStatus {
    /// The action (a scope the target declares, never `all`).
    pub action: PauseScope,
    /// When its latest continuous guardian stretch started, if it ever had one.
    pub stretch_start: Option<Timestamp>,
    /// When that stretch ends or ended (the latest end of the pauses in it).
    pub stretch_end: Option<Timestamp>,
    /// Until when a new guardian stretch of this action may not start, if in cooldown.
    pub cooldown_until: Option<Timestamp>,
    /// The current guardians who contributed pauses to that stretch, ascending (row P6:
    /// at most the guardian cap; removed guardians are dropped from it).
    #[serde(default)]
    pub stretch_guardians: Vec<Addr>,
    /// Whether that stretch imposes no cooldown once it ends, because governance removed a
    /// guardian who contributed to it (row P6: a rotation always allows a pause).
    #[serde(default)]
    pub cooldown_waived: bool,
}

/// One guardian's budget on one target (row P6).
#[cw_serde]
pub struct GuardianBudgetResponse {
    /// The target.
    pub target: Addr,
    /// The guardian.
    pub guardian: Addr,
    /// The budget less `committed_seconds`: a new pause of this guardian charged at most
    /// this many seconds always fits its budget.
    pub remaining_seconds: u64,
    /// Seconds charged to this guardian in the window ending now (the past part only).
    pub used_seconds: u64,
    /// The most this guardian is charged in any window ending now or later, counting the
    /// future part of its running pauses and minimum charges: what a new pause must fit
    /// beside.
    pub committed_seconds: u64,
    /// This guardian's pauses of the target still inside the budget window.
    pub window_pauses: u64,
    /// The most such pauses a guardian may have (the record cap in code).
    pub max_window_pauses: u64,
}

/// One registered target and its exit policy.
#[cw_serde]
pub struct TargetResponse {
    /// The target.
    pub target: Addr,
    /// Whether its exits may be paused: when false, no pause of a scope that stops exits
    /// (a declared exit scope, or `all`) is accepted or extended on it, whoever asks.
    pub exits_pausable: bool,
    /// The scopes a pause may name on this target: `all` first, then its declared scopes in
    /// their order, less those that stop exits when `exits_pausable` is false
    /// (`DeclaredScopes::pausable_scopes`).
    pub pausable_scopes: Vec<PauseScope>,
    /// The scopes the target declared at registration, `all` excluded.
    pub scopes: Vec<ScopeInfo>,
}

impl TargetResponse {
    /// The registration of `target` with the exit policy `exits_pausable` and the declared
    /// `scopes`.
    pub fn new(target: Addr, exits_pausable: bool, scopes: &DeclaredScopes) -> Self {
        Self {
            target,
            exits_pausable,
            pausable_scopes: scopes.pausable_scopes(exits_pausable),
            scopes: scopes.infos().to_vec(),
        }
    }
}

/// A page of targets.
#[cw_serde]
pub struct TargetsResponse {
    /// The targets, in address order.
    pub targets: Vec<TargetResponse>,
}

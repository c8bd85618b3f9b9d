//! The one mock restorable target of Rewind's tests: a counter that "rolls back". Feature
//! `mock-target`.
//!
//! It implements the `restorable` interface the guardian and executor speak, and nothing of a
//! real target's accounting:
//! - `Gate` (from its guardian only) stores pauses, the restoration lock and history holds;
//! - the `Restore` migration starts a restoration (or errors when the height is below
//!   `retained_from` or not in the past), `Crank` advances a counter of undone entries toward
//!   `work`, and the restoration completes, with its digest verified if `verify_digest`, when
//!   the counter reaches `work`;
//! - the `Release`, `Abandon`, `Sweep` and `Upgrade` migrations are recorded, so tests
//!   assert exactly which target got which;
//! - it has a small configuration of its own, [`MockConfig`] (`{"label": "..."}`, and
//!   optionally the retention in seconds its journal reports): `Configure { config }` and
//!   `Release { config: Some(..) }` apply it, `CheckConfig { config }` answers whether it
//!   would, and an empty label (or JSON that is not a `MockConfig`) is refused
//!   ([`EMPTY_LABEL`]), so tests drive voted configuration without any vault type;
//! - the `RestorationStatus`, `JournalInfo`, `DigestAt` ([`digest_for`] the height, for any
//!   height from `retained_from` up to the current block) and `RestorationCheck` queries
//!   answer from that state, with each account's last activity as set by `SetActivity`, and
//!   `Pause { scope }` and `State {}` show what the guardian pushed;
//! - it declares its own pause scopes (`Scopes {}`): [`DEFAULT_SCOPES`] unless instantiated
//!   with others (`swap`, `mint`, `borrow`, …) or changed by `SetScopes`, and its `Gate`
//!   refuses a pause of a scope it does not declare (other than `all`; a lift is always
//!   accepted), as a real target does.
//!
//! It records the cw2 name it is instantiated with. Test switches, open to any sender, make
//! the next restore migrations or cranks fail, the next `Release` / `Abandon` refused, a
//! digest refused ([`REFUSED_DIGEST`]), the journal report another retained range, a
//! restoration under way or another retention in seconds, and the activity answered in
//! reverse order (a misbehaving target); `refuse_journal_info` at instantiate makes it refuse
//! `JournalInfo` (governance asks `RestorationCheck` only). A `RestorationCheck` request over
//! the VM's 64 KiB query limit is refused, as a chain refuses it. A malicious mode calls back
//! into the executor's `Crank` during its own crank (row R7).
//!
//! Store it with [`contract`], instantiate it with [`MockInstantiateMsg::new`] (adjusting
//! the public fields), and read it with [`MockQueryMsg::State`].

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Binary, Deps, DepsMut, Empty, Env, HexBinary, MessageInfo,
    Reply, Response, StdError, StdResult, SubMsg, SubMsgResult, Timestamp, WasmMsg,
};
use cw_multi_test::{Contract, ContractWrapper};
use cw_storage_plus::{Item, Map};
use rewind_types::executor::ExecuteMsg as ExecutorMsg;
use rewind_types::restorable::{
    AccountActivity, CheckConfigResponse, DigestAtResponse, JournalInfoResponse,
    RestorationCheckResponse, RestorationPhase, RestorationStatusResponse,
};
use rewind_types::{GateMsg, PauseScope, RestorableMigrateMsg, ScopeInfo, ScopesResponse};

/// A plain scope of the default declaration.
pub const DEPOSIT: PauseScope = PauseScope::named("deposit");
/// The exit scope of the default declaration.
pub const WITHDRAW: PauseScope = PauseScope::named("withdraw");
/// A plain scope of the default declaration.
pub const TRADE: PauseScope = PauseScope::named("trade");
/// A plain scope of the default declaration.
pub const LIQUIDATE: PauseScope = PauseScope::named("liquidate");

/// The scopes the mock declares unless told otherwise: the names of the first, closed scope
/// list (`withdraw` the exit), so tests written against them keep their meaning.
pub const DEFAULT_SCOPES: [ScopeInfo; 4] = [
    ScopeInfo::action(DEPOSIT),
    ScopeInfo::exit(WITHDRAW),
    ScopeInfo::action(TRADE),
    ScopeInfo::action(LIQUIDATE),
];

/// [`DEFAULT_SCOPES`] as a list (the default of [`MockInstantiateMsg::scopes`]).
pub fn default_scopes() -> Vec<ScopeInfo> {
    DEFAULT_SCOPES.to_vec()
}

/// The mock target as a cw-multi-test contract: instantiate, execute, query, migrate and
/// reply (the reply records a swallowed re-entry error).
pub fn contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(execute, instantiate, query)
            .with_migrate(migrate)
            .with_reply(reply),
    )
}

/// How the malicious mode re-enters the executor.
#[cw_serde]
pub struct Reenter {
    /// The executor to call back.
    pub executor: String,
    /// Send the call as a submessage that swallows its error (`true`), or as a plain
    /// message whose failure fails the whole crank (`false`).
    pub catch: bool,
}

/// Instantiates the mock.
#[cw_serde]
pub struct MockInstantiateMsg {
    /// The only address whose `Gate` messages are accepted.
    pub guardian: String,
    /// The cw2 name to set.
    pub contract_name: String,
    /// The lowest height a `Restore` accepts; heights at or above the current block fail too.
    pub retained_from: u64,
    /// Units of crank work a restoration needs.
    pub work: u64,
    /// Whether a finished restoration reports its digest verified.
    pub verify_digest: bool,
    /// Malicious mode.
    pub reenter: Option<Reenter>,
    /// The retention window in seconds `JournalInfo` reports; 0 by default.
    #[serde(default)]
    pub retention_seconds: u64,
    /// Refuse every `JournalInfo {}` query (a caller must ask `RestorationCheck`).
    #[serde(default)]
    pub refuse_journal_info: bool,
    /// The scopes the mock declares (`Scopes {}`); [`DEFAULT_SCOPES`] by default.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<ScopeInfo>,
}

impl MockInstantiateMsg {
    /// A well-behaved target: accepts `Gate` from `guardian` only, records the cw2 name
    /// `contract_name`, restores any height from 1 up to the last block, needs 250 units of
    /// crank work, verifies its digest when done, reports a retention of 0 seconds and answers
    /// `JournalInfo`. Change the public fields for other behaviours.
    pub fn new(guardian: impl Into<String>, contract_name: impl Into<String>) -> Self {
        Self {
            guardian: guardian.into(),
            contract_name: contract_name.into(),
            retained_from: 1,
            work: 250,
            verify_digest: true,
            reenter: None,
            retention_seconds: 0,
            refuse_journal_info: false,
            scopes: default_scopes(),
        }
    }
}

/// The mock's execute messages: `Gate` and `Crank` with exactly the `RestorableExecuteMsg`
/// shapes (so the guardian and executor's messages parse), plus a test switch.
#[cw_serde]
pub enum MockExecuteMsg {
    /// The guardian's gate (`RestorableExecuteMsg::Gate`).
    Gate(GateMsg),
    /// One bounded batch of rollback work (`RestorableExecuteMsg::Crank`).
    Crank {
        /// Units of work; 10 when `None`.
        limit: Option<u32>,
    },
    /// Make the next restore migrations or cranks fail (or succeed again).
    SetFailures {
        /// Fail every `Restore` migration.
        restore: bool,
        /// Fail every `Crank`.
        crank: bool,
    },
    /// Make the next `Release` or `Abandon` migrations fail (or succeed again).
    SetRefusals {
        /// Refuse every `Release`.
        release: bool,
        /// Refuse every `Abandon`.
        abandon: bool,
    },
    /// Change the retained history the journal reports (and `Restore` / `DigestAt` accept),
    /// and report a restoration under way (`restoring`) whatever the restoration phase.
    SetJournal {
        /// The new lowest retained height.
        retained_from: u64,
        /// Report `restoring: true` even while no restoration runs.
        restoring: bool,
    },
    /// Refuse the digest at `height` with [`REFUSED_DIGEST`], as a journal refuses a
    /// rolled-back height; `None` refuses none again.
    RefuseDigest {
        /// The height refused.
        height: Option<u64>,
    },
    /// Refuse every `Configure` migration with [`MOCK_CONFIGURE_REFUSAL`] while
    /// `CheckConfig` still accepts (a target whose state changed since the check), or
    /// accept again.
    RefuseConfigure {
        /// Refuse (`true`) or accept again (`false`).
        refuse: bool,
    },
    /// Change the retention window in seconds the journal reports.
    SetRetentionSeconds {
        /// The new retention window.
        seconds: u64,
    },
    /// Answer the asked accounts' activity in reverse order, as a misbehaving target would.
    ReverseActivity {
        /// Reverse (`true`) or answer in order again (`false`).
        reverse: bool,
    },
    /// Declare other scopes (what an upgraded target would answer to `Scopes {}`).
    SetScopes {
        /// The new declaration.
        scopes: Vec<ScopeInfo>,
    },
    /// Record that `account` last acted on the target at `height` (`None`: never).
    SetActivity {
        /// The account, as `RestorationCheck` is asked about it.
        account: String,
        /// The newest height it acted at.
        height: Option<u64>,
    },
}

/// The mock's queries: the restorable ones plus its own state.
#[cw_serde]
pub enum MockQueryMsg {
    /// `RestorableQueryMsg::JournalInfo`, from the mock's state (refused when instantiated
    /// with `refuse_journal_info`).
    JournalInfo {},
    /// `RestorableQueryMsg::DigestAt`: [`digest_for`] the height, refused below
    /// `retained_from`, above the current block, or at the height `RefuseDigest` names.
    DigestAt {
        /// The height asked about.
        height: u64,
    },
    /// `RestorableQueryMsg::RestorationStatus`.
    RestorationStatus {},
    /// `RestorableQueryMsg::RestorationCheck`: `JournalInfo` (even when that query is
    /// refused) and `DigestAt` of every height as above, and each account's activity as set
    /// by `SetActivity`. Refused when the accounts alone are over 64 KiB of JSON.
    RestorationCheck {
        /// The candidate heights.
        heights: Vec<u64>,
        /// The accounts to report.
        #[serde(default)]
        accounts: Vec<String>,
    },
    /// `RestorableQueryMsg::CheckConfig`: whether `config` is a [`MockConfig`] the mock
    /// would apply (a non-empty label).
    CheckConfig {
        /// A [`MockConfig`], as JSON.
        config: Binary,
    },
    /// `RestorableQueryMsg::Scopes`: the scopes the mock declares.
    Scopes {},
    /// Everything the mock stores ([`MockState`]).
    State {},
    /// The pause end the guardian pushed for `scope`, if any (`Option<Timestamp>`).
    Pause {
        /// The scope.
        scope: PauseScope,
    },
}

/// Everything the mock stores.
#[cw_serde]
pub struct MockState {
    /// The only sender of `Gate`.
    pub guardian: Addr,
    /// The lowest height a `Restore` accepts.
    pub retained_from: u64,
    /// Units of crank work a restoration needs.
    pub work: u64,
    /// Whether a finished restoration reports its digest verified.
    pub verify_digest: bool,
    /// Malicious mode.
    pub reenter: Option<Reenter>,
    /// The restoration status the `RestorationStatus` query answers.
    pub status: RestorationStatusResponse,
    /// The restoration lock the guardian pushed.
    pub lock_until: Option<Timestamp>,
    /// Successful `Crank`s.
    pub cranks: u64,
    /// Successful `Restore` migrations.
    pub restores: u64,
    /// The error a swallowed re-entrant call returned (row R7).
    pub reentry_error: Option<String>,
    /// Switch: every `Restore` fails.
    pub fail_restore: bool,
    /// Switch: every `Crank` fails.
    pub fail_crank: bool,
    /// `Release {}` migrations received.
    pub releases: u64,
    /// `Abandon` migrations received.
    pub abandons: u64,
    /// The `exit_only_until` of the last `Abandon`.
    pub exit_only_until: Option<Timestamp>,
    /// The last `Gate(HoldHistory)` received: (from_height, until).
    pub history_hold: Option<(u64, Timestamp)>,
    /// Every `Gate(HoldHistory)` received, in order: (from_height, until).
    #[serde(default)]
    pub holds: Vec<(u64, Timestamp)>,
    /// Switch: every `Release` is refused.
    pub refuse_release: bool,
    /// Switch: every `Abandon` is refused.
    pub refuse_abandon: bool,
    /// The `to` of every `Sweep` migration received, in order.
    #[serde(default)]
    pub sweeps: Vec<Option<String>>,
    /// `Upgrade {}` migrations received.
    #[serde(default)]
    pub upgrades: u64,
    /// The retention window in seconds the journal reports.
    #[serde(default)]
    pub retention_seconds: u64,
    /// Switch: every `JournalInfo {}` query is refused.
    #[serde(default)]
    pub refuse_journal_info: bool,
    /// Switch: the journal reports `restoring: true` whatever the restoration phase.
    #[serde(default)]
    pub restoring: bool,
    /// The height whose digest is refused with [`REFUSED_DIGEST`], if any.
    #[serde(default)]
    pub refused_digest: Option<u64>,
    /// Switch: the activity of the asked accounts is answered in reverse order.
    #[serde(default)]
    pub reverse_activity: bool,
    /// The label the last applied [`MockConfig`] set; `None` until one is applied.
    #[serde(default)]
    pub label: Option<String>,
    /// Configurations applied (`Configure`, or `Release` with a config), in order.
    #[serde(default)]
    pub configs: Vec<MockConfig>,
    /// Switch: every `Configure` migration is refused.
    #[serde(default)]
    pub refuse_configure: bool,
}

/// The mock's own configuration update: what `ConfigureTarget` and a restoration's
/// `post_restore_config` carry for it, as JSON. Unknown fields are refused.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[schemaifier(mute_warnings)]
pub struct MockConfig {
    /// The new label; an empty one is refused ([`EMPTY_LABEL`]).
    pub label: String,
    /// A new retention window in seconds for the journal to report; `None` keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_seconds: Option<u64>,
}

impl MockConfig {
    /// `{"label": label}` as the JSON a vote carries.
    pub fn label(label: &str) -> Binary {
        to_json_binary(&MockConfig {
            label: label.into(),
            retention_seconds: None,
        })
        .expect("mock config serialises")
    }
}

/// The error text of a [`MockConfig`] with an empty label.
pub const EMPTY_LABEL: &str = "mock: the label must not be empty";

/// The error text of a `Configure` refused by the `RefuseConfigure` switch.
pub const MOCK_CONFIGURE_REFUSAL: &str = "mock configure refusal";

/// Parses and validates a [`MockConfig`]; writes nothing.
fn check_config(config: &Binary) -> StdResult<MockConfig> {
    let parsed: MockConfig = from_json(config)?;
    if parsed.label.is_empty() {
        return Err(StdError::msg(EMPTY_LABEL));
    }
    Ok(parsed)
}

/// Validates and applies a [`MockConfig`] to `state` (the caller saves it).
fn apply_config(state: &mut MockState, config: &Binary) -> StdResult<()> {
    let parsed = check_config(config)?;
    state.label = Some(parsed.label.clone());
    if let Some(seconds) = parsed.retention_seconds {
        state.retention_seconds = seconds;
    }
    state.configs.push(parsed);
    Ok(())
}

/// The mock's state.
pub const STATE: Item<MockState> = Item::new("mock_state");
/// The scopes the mock declares.
pub const SCOPES: Item<Vec<ScopeInfo>> = Item::new("mock_scopes");
/// Pause end per scope name, as pushed by the guardian.
pub const PAUSES: Map<&str, Timestamp> = Map::new("mock_pauses");
/// Per account, the newest height it acted at on the target (`SetActivity`).
pub const ACTIVITY: Map<&str, u64> = Map::new("mock_activity");

/// The error text of the digest the mock refuses on purpose (`RefuseDigest`).
pub const REFUSED_DIGEST: &str = "mock: that height was rolled back";

/// What cosmwasm-vm accepts as one query request.
const MAX_QUERY_REQUEST_BYTES: usize = 64 * 1024;

/// The digest the mock reports at `height`: deterministic, 32 bytes, different per height and
/// never zero (a fixed prefix, the height, and the height scrambled).
pub fn digest_for(height: u64) -> HexBinary {
    let mut digest = b"mock-digest-at:\0".to_vec();
    digest.extend_from_slice(&height.to_be_bytes());
    digest.extend_from_slice(&height.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes());
    HexBinary::from(digest)
}

/// Records the cw2 name (version "0.1.0") and an Idle status.
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: MockInstantiateMsg,
) -> StdResult<Response> {
    cw2::set_contract_version(deps.storage, msg.contract_name, "0.1.0")?;
    SCOPES.save(deps.storage, &msg.scopes)?;
    STATE.save(
        deps.storage,
        &MockState {
            guardian: deps.api.addr_validate(&msg.guardian)?,
            retained_from: msg.retained_from,
            work: msg.work,
            verify_digest: msg.verify_digest,
            reenter: msg.reenter,
            status: RestorationStatusResponse::at(RestorationPhase::Idle, None),
            lock_until: None,
            cranks: 0,
            restores: 0,
            reentry_error: None,
            fail_restore: false,
            fail_crank: false,
            releases: 0,
            abandons: 0,
            exit_only_until: None,
            history_hold: None,
            holds: vec![],
            refuse_release: false,
            refuse_abandon: false,
            sweeps: vec![],
            upgrades: 0,
            retention_seconds: msg.retention_seconds,
            refuse_journal_info: msg.refuse_journal_info,
            restoring: false,
            refused_digest: None,
            reverse_activity: false,
            label: None,
            configs: vec![],
            refuse_configure: false,
        },
    )?;
    Ok(Response::new())
}

/// Test switches (from anyone), the guardian's `Gate`, and one crank batch.
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: MockExecuteMsg,
) -> StdResult<Response> {
    let mut state = STATE.load(deps.storage)?;
    match msg {
        MockExecuteMsg::SetFailures { restore, crank } => {
            state.fail_restore = restore;
            state.fail_crank = crank;
            STATE.save(deps.storage, &state)?;
            Ok(Response::new())
        }
        MockExecuteMsg::SetRefusals { release, abandon } => {
            state.refuse_release = release;
            state.refuse_abandon = abandon;
            STATE.save(deps.storage, &state)?;
            Ok(Response::new())
        }
        MockExecuteMsg::SetJournal {
            retained_from,
            restoring,
        } => {
            state.retained_from = retained_from;
            state.restoring = restoring;
            STATE.save(deps.storage, &state)?;
            Ok(Response::new())
        }
        MockExecuteMsg::RefuseDigest { height } => {
            state.refused_digest = height;
            STATE.save(deps.storage, &state)?;
            Ok(Response::new())
        }
        MockExecuteMsg::RefuseConfigure { refuse } => {
            state.refuse_configure = refuse;
            STATE.save(deps.storage, &state)?;
            Ok(Response::new())
        }
        MockExecuteMsg::SetRetentionSeconds { seconds } => {
            state.retention_seconds = seconds;
            STATE.save(deps.storage, &state)?;
            Ok(Response::new())
        }
        MockExecuteMsg::ReverseActivity { reverse } => {
            state.reverse_activity = reverse;
            STATE.save(deps.storage, &state)?;
            Ok(Response::new())
        }
        MockExecuteMsg::SetScopes { scopes } => {
            SCOPES.save(deps.storage, &scopes)?;
            Ok(Response::new())
        }
        MockExecuteMsg::SetActivity { account, height } => {
            match height {
                Some(h) => ACTIVITY.save(deps.storage, &account, &h)?,
                None => ACTIVITY.remove(deps.storage, &account),
            }
            Ok(Response::new())
        }
        MockExecuteMsg::Gate(gate) => {
            if info.sender != state.guardian {
                return Err(StdError::msg("gate messages come from the guardian only"));
            }
            match gate {
                GateMsg::SetPause { scope, until } => {
                    // A lift (an end at or before now) is always accepted: a scope dropped
                    // by an upgrade may still hold a pause.
                    let declared = SCOPES.load(deps.storage)?;
                    if until > env.block.time
                        && !scope.is_all()
                        && !declared.iter().any(|s| s.scope == scope)
                    {
                        return Err(StdError::msg(format!(
                            "mock: scope {scope} is not declared"
                        )));
                    }
                    PAUSES.save(deps.storage, scope.as_str(), &until)?
                }
                GateMsg::SetRestorationLock { until } => {
                    state.lock_until = until;
                    STATE.save(deps.storage, &state)?;
                }
                GateMsg::HoldHistory { from_height, until } => {
                    state.history_hold = Some((from_height, until));
                    state.holds.push((from_height, until));
                    STATE.save(deps.storage, &state)?;
                }
            }
            Ok(Response::new())
        }
        MockExecuteMsg::Crank { limit } => {
            if state.fail_crank {
                return Err(StdError::msg("mock crank failure"));
            }
            if state.status.phase != RestorationPhase::RollingBack {
                return Err(StdError::msg("nothing to crank"));
            }
            let step = u64::from(limit.unwrap_or(10)).min(state.work - state.status.undone_entries);
            state.status.undone_entries += step;
            if state.status.undone_entries == state.work {
                state.status.phase = RestorationPhase::Complete;
                state.status.digest_verified = state.verify_digest;
            }
            state.cranks += 1;
            STATE.save(deps.storage, &state)?;
            let mut res = Response::new();
            if let Some(reenter) = state.reenter {
                let call = WasmMsg::Execute {
                    contract_addr: reenter.executor,
                    msg: to_json_binary(&ExecutorMsg::Crank {
                        restoration_id: None,
                        limit: None,
                    })?,
                    funds: vec![],
                };
                res = if reenter.catch {
                    res.add_submessage(SubMsg::reply_on_error(call, 7))
                } else {
                    res.add_message(call)
                };
            }
            Ok(res)
        }
    }
}

/// The restorable migrations: `Restore` starts, `Release` / `Abandon` / `Sweep` /
/// `Upgrade` are recorded, `Configure` and `Release { config }` apply a [`MockConfig`].
pub fn migrate(deps: DepsMut, env: Env, msg: RestorableMigrateMsg) -> StdResult<Response> {
    let mut state = STATE.load(deps.storage)?;
    match msg {
        RestorableMigrateMsg::Upgrade {} => {
            state.upgrades += 1;
            STATE.save(deps.storage, &state)?;
            Ok(Response::new())
        }
        RestorableMigrateMsg::Restore { height, .. } => {
            if state.fail_restore {
                return Err(StdError::msg("mock restore failure"));
            }
            if height >= env.block.height || height < state.retained_from {
                return Err(StdError::msg(format!(
                    "height {height} is not restorable: retained from {} below {}",
                    state.retained_from, env.block.height
                )));
            }
            state.restores += 1;
            state.status.height = Some(height);
            state.status.undone_entries = 0;
            state.status.digest_verified = false;
            state.status.phase = RestorationPhase::RollingBack;
            if state.work == 0 {
                state.status.phase = RestorationPhase::Complete;
                state.status.digest_verified = state.verify_digest;
            }
            STATE.save(deps.storage, &state)?;
            Ok(Response::new())
        }
        RestorableMigrateMsg::Release { config } => {
            if state.refuse_release {
                return Err(StdError::msg("mock release refusal"));
            }
            if state.status.phase != RestorationPhase::Complete || !state.status.digest_verified {
                return Err(StdError::msg("release of a target that is not complete"));
            }
            state.releases += 1;
            // Released, then configured, in one migration: a refused config refuses both.
            if let Some(config) = config {
                apply_config(&mut state, &config)?;
            }
            STATE.save(deps.storage, &state)?;
            Ok(Response::new())
        }
        RestorableMigrateMsg::Configure { config } => {
            if state.refuse_configure {
                return Err(StdError::msg(MOCK_CONFIGURE_REFUSAL));
            }
            apply_config(&mut state, &config)?;
            STATE.save(deps.storage, &state)?;
            Ok(Response::new().add_attribute("action", "configure"))
        }
        RestorableMigrateMsg::Abandon { exit_only_until } => {
            if state.refuse_abandon {
                return Err(StdError::msg("mock abandon refusal"));
            }
            state.abandons += 1;
            state.exit_only_until = Some(exit_only_until);
            STATE.save(deps.storage, &state)?;
            Ok(Response::new())
        }
        RestorableMigrateMsg::Sweep { to } => {
            state.sweeps.push(to);
            STATE.save(deps.storage, &state)?;
            Ok(Response::new().add_attribute("action", "sweep"))
        }
    }
}

/// Records the error of a swallowed re-entrant call.
pub fn reply(deps: DepsMut, _env: Env, msg: Reply) -> StdResult<Response> {
    if let SubMsgResult::Err(error) = msg.result {
        let mut state = STATE.load(deps.storage)?;
        state.reentry_error = Some(error);
        STATE.save(deps.storage, &state)?;
    }
    Ok(Response::new())
}

/// The restorable queries and the mock's own state.
pub fn query(deps: Deps, env: Env, msg: MockQueryMsg) -> StdResult<Binary> {
    let state = STATE.load(deps.storage)?;
    match msg {
        MockQueryMsg::JournalInfo {} => {
            if state.refuse_journal_info {
                return Err(StdError::msg(
                    "mock: JournalInfo refused, ask RestorationCheck, not JournalInfo",
                ));
            }
            to_json_binary(&journal_info(&state, &env))
        }
        MockQueryMsg::DigestAt { height } => to_json_binary(&digest_at(&state, &env, height)?),
        MockQueryMsg::RestorationCheck { heights, accounts } => {
            // A real chain refuses a query request over 64 KiB: like it, refuse one that
            // asks for more accounts than fit.
            let request = to_json_binary(&accounts)?.len();
            if request > MAX_QUERY_REQUEST_BYTES {
                return Err(StdError::msg(format!(
                    "query request of {request} bytes is over the VM's {MAX_QUERY_REQUEST_BYTES}"
                )));
            }
            let mut check =
                RestorationCheckResponse::build(journal_info(&state, &env), &heights, |h| {
                    digest_at(&state, &env, h)
                })?;
            check.activity = accounts
                .into_iter()
                .map(|account| {
                    let last_acted_height = ACTIVITY.may_load(deps.storage, &account)?;
                    Ok(AccountActivity {
                        account,
                        last_acted_height,
                    })
                })
                .collect::<StdResult<_>>()?;
            if state.reverse_activity {
                check.activity.reverse();
            }
            to_json_binary(&check)
        }
        MockQueryMsg::RestorationStatus {} => to_json_binary(&state.status),
        MockQueryMsg::CheckConfig { config } => to_json_binary(&CheckConfigResponse::from_result(
            check_config(&config).map(|_| ()),
        )),
        MockQueryMsg::Scopes {} => to_json_binary(&ScopesResponse {
            scopes: SCOPES.load(deps.storage)?,
        }),
        MockQueryMsg::State {} => to_json_binary(&state),
        MockQueryMsg::Pause { scope } => {
            to_json_binary(&PAUSES.may_load(deps.storage, scope.as_str())?)
        }
    }
}

/// What `JournalInfo {}` answers: the configured retained range and retention, restoring
/// while a restoration runs (or the `SetJournal` switch says so), the lock while unexpired.
fn journal_info(state: &MockState, env: &Env) -> JournalInfoResponse {
    JournalInfoResponse {
        retained_from: state.retained_from,
        latest_height: env.block.height,
        retention_blocks: env.block.height.saturating_sub(state.retained_from),
        restoring: state.restoring
            || matches!(
                state.status.phase,
                RestorationPhase::RollingBack | RestorationPhase::Replaying
            ),
        restoration_lock_until: state.lock_until.filter(|t| *t > env.block.time),
        retention_seconds: state.retention_seconds,
        history_held_from: None,
        exit_only_until: None,
    }
}

/// What `DigestAt { height }` answers: [`digest_for`] `height`, recorded at `height`, for a
/// retained height up to the current block that `RefuseDigest` does not name.
fn digest_at(state: &MockState, env: &Env, height: u64) -> StdResult<DigestAtResponse> {
    if state.refused_digest == Some(height) {
        return Err(StdError::msg(REFUSED_DIGEST));
    }
    if height < state.retained_from || height > env.block.height {
        return Err(StdError::msg("mock: no digest at that height"));
    }
    Ok(DigestAtResponse {
        height,
        recorded_at: height,
        digest: digest_for(height),
    })
}

#[cfg(test)]
mod tests {
    use cw_multi_test::{App, Executor};
    use rewind_types::restorable::DigestAtOutcome;

    use super::*;

    #[test]
    fn a_counter_that_rolls_back_and_reports_as_a_restorable_target() {
        let mut app = App::default();
        let guardian = app.api().addr_make("guardian");
        let admin = app.api().addr_make("admin");
        let code = app.store_code(contract());
        let target = app
            .instantiate_contract(
                code,
                admin.clone(),
                &MockInstantiateMsg {
                    work: 15,
                    ..MockInstantiateMsg::new(guardian.as_str(), "crates.io:mock")
                },
                &[],
                "mock",
                Some(admin.to_string()),
            )
            .unwrap();
        let state = |app: &App| -> MockState {
            app.wrap()
                .query_wasm_smart(&target, &MockQueryMsg::State {})
                .unwrap()
        };
        assert_eq!(
            cw2::query_contract_info(&app.wrap(), target.to_string())
                .unwrap()
                .contract,
            "crates.io:mock"
        );
        // Gate from the guardian only.
        let until = app.block_info().time.plus_seconds(60);
        let lock = MockExecuteMsg::Gate(GateMsg::SetRestorationLock { until: Some(until) });
        app.execute_contract(admin.clone(), target.clone(), &lock, &[])
            .unwrap_err();
        app.execute_contract(guardian.clone(), target.clone(), &lock, &[])
            .unwrap();
        assert_eq!(state(&app).lock_until, Some(until));
        // Restore, then 10 + 5 units of work complete it with the digest verified.
        app.update_block(|b| b.height += 10);
        let height = app.block_info().height - 1;
        app.migrate_contract(
            admin.clone(),
            target.clone(),
            &RestorableMigrateMsg::Restore {
                height,
                exclusions: vec![],
                shortfall_policy: rewind_types::ShortfallPolicy::ProRataHaircut,
                expected_digest: HexBinary::from(vec![0u8; 32]),
            },
            code,
        )
        .unwrap();
        assert_eq!(state(&app).status.phase, RestorationPhase::RollingBack);
        for _ in 0..2 {
            app.execute_contract(
                admin.clone(),
                target.clone(),
                &MockExecuteMsg::Crank { limit: None },
                &[],
            )
            .unwrap();
        }
        let done = state(&app);
        assert_eq!(done.status.phase, RestorationPhase::Complete);
        assert_eq!(
            (done.status.undone_entries, done.status.height, done.cranks),
            (15, Some(height), 2)
        );
        assert!(done.status.digest_verified);
        // The restorable queries parse as the shared types.
        let check: RestorationCheckResponse = app
            .wrap()
            .query_wasm_smart(
                &target,
                &MockQueryMsg::RestorationCheck {
                    heights: vec![height],
                    accounts: vec!["someone".into()],
                },
            )
            .unwrap();
        assert_eq!(
            check.digests,
            vec![DigestAtOutcome::Digest(DigestAtResponse {
                height,
                recorded_at: height,
                digest: digest_for(height),
            })]
        );
        assert_eq!(check.activity[0].last_acted_height, None);
        let status: RestorationStatusResponse = app
            .wrap()
            .query_wasm_smart(
                &target,
                &rewind_types::RestorableQueryMsg::RestorationStatus {},
            )
            .unwrap();
        assert_eq!(status, done.status);
        // Release is recorded.
        app.migrate_contract(
            admin,
            target.clone(),
            &RestorableMigrateMsg::Release { config: None },
            code,
        )
        .unwrap();
        assert_eq!(state(&app).releases, 1);
        assert_eq!(state(&app).label, None);
    }

    /// A mock instantiated at the current block with `edit` applied, and its code id.
    fn instantiate_with(app: &mut App, edit: impl FnOnce(&mut MockInstantiateMsg)) -> (u64, Addr) {
        let admin = app.api().addr_make("admin");
        let guardian = app.api().addr_make("guardian");
        let code = app.store_code(contract());
        let mut msg = MockInstantiateMsg::new(guardian.as_str(), "crates.io:mock");
        edit(&mut msg);
        let target = app
            .instantiate_contract(code, admin.clone(), &msg, &[], "mock", Some(admin.into()))
            .unwrap();
        (code, target)
    }

    fn check(
        app: &App,
        target: &Addr,
        heights: Vec<u64>,
        accounts: &[&str],
    ) -> RestorationCheckResponse {
        app.wrap()
            .query_wasm_smart(
                target,
                &MockQueryMsg::RestorationCheck {
                    heights,
                    accounts: accounts.iter().map(|a| a.to_string()).collect(),
                },
            )
            .unwrap()
    }

    #[test]
    fn old_instantiate_json_and_new_defaults_keep_the_earlier_behaviour() {
        // An instantiate message written before the journal options parses, with defaults.
        let json = r#"{"guardian":"g","contract_name":"n","retained_from":1,"work":250,"verify_digest":true,"reenter":null}"#;
        let parsed: MockInstantiateMsg = cosmwasm_std::from_json(json).unwrap();
        assert_eq!(parsed, MockInstantiateMsg::new("g", "n"));
        assert_eq!(
            (parsed.retention_seconds, parsed.refuse_journal_info),
            (0, false)
        );
        let mut app = App::default();
        let (_, target) = instantiate_with(&mut app, |_| {});
        let journal: JournalInfoResponse = app
            .wrap()
            .query_wasm_smart(&target, &rewind_types::RestorableQueryMsg::JournalInfo {})
            .unwrap();
        assert_eq!(
            (
                journal.retained_from,
                journal.retention_seconds,
                journal.restoring
            ),
            (1, 0, false)
        );
    }

    #[test]
    fn digests_differ_per_height_and_only_retained_heights_have_one() {
        assert_eq!(digest_for(7), digest_for(7));
        assert_ne!(digest_for(7), digest_for(8));
        assert_eq!(digest_for(0).len(), 32);
        assert_ne!(digest_for(0), HexBinary::from(vec![0u8; 32]));
        let mut app = App::default();
        let retained_from = app.block_info().height;
        let (_, target) = instantiate_with(&mut app, |m| m.retained_from = retained_from);
        app.update_block(|b| b.height += 5);
        let now = app.block_info().height;
        let digest = |app: &App, height: u64| {
            app.wrap().query_wasm_smart::<DigestAtResponse>(
                &target,
                &rewind_types::RestorableQueryMsg::DigestAt { height },
            )
        };
        assert_eq!(digest(&app, now).unwrap().digest, digest_for(now));
        assert_eq!(
            digest(&app, retained_from).unwrap().digest,
            digest_for(retained_from)
        );
        for height in [retained_from - 1, now + 1] {
            let err = digest(&app, height).unwrap_err().to_string();
            assert!(err.ends_with("mock: no digest at that height"), "{err}");
        }
        // A refused height is refused in `DigestAt` and in `RestorationCheck`, until lifted.
        let anyone = app.api().addr_make("anyone");
        let refuse = |app: &mut App, height: Option<u64>| {
            app.execute_contract(
                anyone.clone(),
                target.clone(),
                &MockExecuteMsg::RefuseDigest { height },
                &[],
            )
            .unwrap();
        };
        refuse(&mut app, Some(now - 1));
        let err = digest(&app, now - 1).unwrap_err().to_string();
        assert!(err.ends_with(REFUSED_DIGEST), "{err}");
        assert_eq!(
            check(&app, &target, vec![now - 2, now - 1], &[]).digests,
            vec![
                DigestAtOutcome::Digest(digest(&app, now - 2).unwrap()),
                DigestAtOutcome::Refused {
                    height: now - 1,
                    error: StdError::msg(REFUSED_DIGEST).to_string(),
                },
            ]
        );
        refuse(&mut app, None);
        assert_eq!(digest(&app, now - 1).unwrap().digest, digest_for(now - 1));
    }

    #[test]
    fn journal_switches_change_what_journal_info_and_restoration_check_report() {
        let mut app = App::default();
        let (code, target) = instantiate_with(&mut app, |m| {
            m.retention_seconds = 99;
            m.refuse_journal_info = true;
        });
        app.update_block(|b| b.height += 10);
        let now = app.block_info().height;
        // `JournalInfo` is refused; `RestorationCheck` still reports the journal.
        let err = app
            .wrap()
            .query_wasm_smart::<JournalInfoResponse>(
                &target,
                &rewind_types::RestorableQueryMsg::JournalInfo {},
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("not JournalInfo"), "{err}");
        let journal = check(&app, &target, vec![], &[]).journal;
        assert_eq!(
            (
                journal.retained_from,
                journal.retention_seconds,
                journal.restoring
            ),
            (1, 99, false)
        );
        let anyone = app.api().addr_make("anyone");
        for msg in [
            MockExecuteMsg::SetJournal {
                retained_from: now - 3,
                restoring: true,
            },
            MockExecuteMsg::SetRetentionSeconds { seconds: 7 },
        ] {
            app.execute_contract(anyone.clone(), target.clone(), &msg, &[])
                .unwrap();
        }
        let journal = check(&app, &target, vec![], &[]).journal;
        assert_eq!(
            (
                journal.retained_from,
                journal.retention_seconds,
                journal.restoring
            ),
            (now - 3, 7, true)
        );
        // The new retained range bounds `Restore` too.
        let admin = app.api().addr_make("admin");
        let restore = |height| RestorableMigrateMsg::Restore {
            height,
            exclusions: vec![],
            shortfall_policy: rewind_types::ShortfallPolicy::ProRataHaircut,
            expected_digest: digest_for(height),
        };
        let err = app
            .migrate_contract(admin.clone(), target.clone(), &restore(now - 4), code)
            .unwrap_err();
        assert!(format!("{err:#}").contains("is not restorable"), "{err:#}");
        app.migrate_contract(admin, target.clone(), &restore(now - 3), code)
            .unwrap();
        // Restoring by the switch, not by the phase alone: lifting it leaves the phase's.
        app.execute_contract(
            anyone,
            target.clone(),
            &MockExecuteMsg::SetJournal {
                retained_from: now - 3,
                restoring: false,
            },
            &[],
        )
        .unwrap();
        assert!(check(&app, &target, vec![], &[]).journal.restoring);
    }

    #[test]
    fn activity_is_answered_as_set_in_order_or_reversed() {
        let mut app = App::default();
        let (_, target) = instantiate_with(&mut app, |_| {});
        let anyone = app.api().addr_make("anyone");
        let send = |app: &mut App, msg: MockExecuteMsg| {
            app.execute_contract(anyone.clone(), target.clone(), &msg, &[])
                .unwrap();
        };
        let activity = |app: &App| -> Vec<(String, Option<u64>)> {
            check(app, &target, vec![], &["a", "b", "c"])
                .activity
                .into_iter()
                .map(|a| (a.account, a.last_acted_height))
                .collect()
        };
        for (account, height) in [("a", Some(5)), ("c", Some(9)), ("b", Some(1))] {
            send(
                &mut app,
                MockExecuteMsg::SetActivity {
                    account: account.into(),
                    height,
                },
            );
        }
        send(
            &mut app,
            MockExecuteMsg::SetActivity {
                account: "b".into(),
                height: None,
            },
        );
        let expected = vec![
            ("a".to_string(), Some(5)),
            ("b".to_string(), None),
            ("c".to_string(), Some(9)),
        ];
        assert_eq!(activity(&app), expected);
        send(&mut app, MockExecuteMsg::ReverseActivity { reverse: true });
        let mut reversed = expected.clone();
        reversed.reverse();
        assert_eq!(activity(&app), reversed);
        send(&mut app, MockExecuteMsg::ReverseActivity { reverse: false });
        assert_eq!(activity(&app), expected);
    }

    #[test]
    fn a_restoration_check_over_the_query_request_limit_is_refused() {
        let mut app = App::default();
        let (_, target) = instantiate_with(&mut app, |_| {});
        let ask = |n: usize| {
            app.wrap().query_wasm_smart::<RestorationCheckResponse>(
                &target,
                &MockQueryMsg::RestorationCheck {
                    heights: vec![],
                    accounts: vec!["x".repeat(100); n],
                },
            )
        };
        // 600 accounts of 100 characters are 61,801 bytes of JSON, 700 are 72,101.
        assert_eq!(ask(600).unwrap().activity.len(), 600);
        let err = ask(700).unwrap_err().to_string();
        assert!(
            err.contains("query request of 72101 bytes is over the VM's 65536"),
            "{err}"
        );
    }

    #[test]
    fn its_own_config_is_checked_applied_by_configure_and_with_release() {
        let mut app = App::default();
        let (code, target) = instantiate_with(&mut app, |m| m.work = 0);
        let admin = app.api().addr_make("admin");
        let state = |app: &App| -> MockState {
            app.wrap()
                .query_wasm_smart(&target, &MockQueryMsg::State {})
                .unwrap()
        };
        let check = |app: &App, config: Binary| -> CheckConfigResponse {
            app.wrap()
                .query_wasm_smart(
                    &target,
                    &rewind_types::RestorableQueryMsg::CheckConfig { config },
                )
                .unwrap()
        };
        // CheckConfig: a label is accepted, an empty one or a foreign shape refused.
        assert_eq!(check(&app, MockConfig::label("a")).error, None);
        let empty = check(&app, MockConfig::label("")).error.unwrap();
        assert!(empty.ends_with(EMPTY_LABEL), "{empty}");
        let foreign = Binary::from(br#"{"label":"a","feeder":"x"}"#.to_vec());
        let err = check(&app, foreign.clone()).error.unwrap();
        assert!(err.contains("unknown field"), "{err}");
        assert_eq!(state(&app).configs, vec![], "a check writes nothing");
        // Configure: applied by the admin, refused when CheckConfig refuses.
        let configure = |config: Binary| RestorableMigrateMsg::Configure { config };
        app.migrate_contract(
            admin.clone(),
            target.clone(),
            &configure(MockConfig::label("one")),
            code,
        )
        .unwrap();
        assert_eq!(state(&app).label.as_deref(), Some("one"));
        for bad in [MockConfig::label(""), foreign] {
            app.migrate_contract(admin.clone(), target.clone(), &configure(bad), code)
                .unwrap_err();
        }
        assert_eq!(state(&app).label.as_deref(), Some("one"));
        let retention = to_json_binary(&MockConfig {
            label: "two".into(),
            retention_seconds: Some(77),
        })
        .unwrap();
        app.migrate_contract(admin.clone(), target.clone(), &configure(retention), code)
            .unwrap();
        assert_eq!(
            (state(&app).label.as_deref(), state(&app).retention_seconds),
            (Some("two"), 77)
        );
        // The switch refuses `Configure` while `CheckConfig` still accepts.
        let anyone = app.api().addr_make("anyone");
        let refuse = |app: &mut App, refuse: bool| {
            app.execute_contract(
                anyone.clone(),
                target.clone(),
                &MockExecuteMsg::RefuseConfigure { refuse },
                &[],
            )
            .unwrap();
        };
        refuse(&mut app, true);
        assert_eq!(check(&app, MockConfig::label("x")).error, None);
        let err = app
            .migrate_contract(
                admin.clone(),
                target.clone(),
                &configure(MockConfig::label("x")),
                code,
            )
            .unwrap_err();
        assert!(
            format!("{err:#}").contains(MOCK_CONFIGURE_REFUSAL),
            "{err:#}"
        );
        refuse(&mut app, false);
        // Release with a config: released and configured together, or neither.
        app.update_block(|b| b.height += 2);
        let height = app.block_info().height - 1;
        app.migrate_contract(
            admin.clone(),
            target.clone(),
            &RestorableMigrateMsg::Restore {
                height,
                exclusions: vec![],
                shortfall_policy: rewind_types::ShortfallPolicy::ProRataHaircut,
                expected_digest: digest_for(height),
            },
            code,
        )
        .unwrap();
        let release = |config: Binary| RestorableMigrateMsg::Release {
            config: Some(config),
        };
        app.migrate_contract(
            admin.clone(),
            target.clone(),
            &release(MockConfig::label("")),
            code,
        )
        .unwrap_err();
        assert_eq!(
            (state(&app).releases, state(&app).label.as_deref()),
            (0, Some("two"))
        );
        app.migrate_contract(
            admin,
            target.clone(),
            &release(MockConfig::label("three")),
            code,
        )
        .unwrap();
        assert_eq!(
            (state(&app).releases, state(&app).label.as_deref()),
            (1, Some("three"))
        );
        assert_eq!(state(&app).configs.len(), 3);
    }
}

//! Small mock contracts: a DAO DAO voting module that answers only the DAO DAO query
//! shapes, recording timelock / guardian / executor modules that accept their rewind-types
//! messages, and a restorable target.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Deps, DepsMut, Empty, Env, HexBinary, MessageInfo, Response,
    StdError, StdResult, Timestamp, Uint128,
};
use cw_multi_test::{Contract, ContractWrapper};
use cw_storage_plus::{Item, Map, SnapshotItem, SnapshotMap, Strategy};
use rewind_types::restorable::{
    AccountActivity, DigestAtResponse, JournalInfoResponse, RestorableQueryMsg,
    RestorationCheckResponse, RestorationPhase, RestorationStatusResponse,
};
use rewind_types::timelock::{OperationResponse, OperationStatus};
use rewind_types::voting::{
    TotalPowerAtHeightResponse, VotingModuleQueryMsg, VotingPowerAtHeightResponse,
};
use rewind_types::{executor, guardian, timelock, ModuleAddresses, RestorationSpec};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------- voting module

/// What cosmwasm-vm accepts as one query request.
const MAX_QUERY_REQUEST_BYTES: usize = 64 * 1024;
const POWERS: SnapshotMap<&Addr, Uint128> = SnapshotMap::new(
    "powers",
    "powers__check",
    "powers__change",
    Strategy::EveryBlock,
);
const TOTAL: SnapshotItem<Uint128> = SnapshotItem::new(
    "total",
    "total__check",
    "total__change",
    Strategy::EveryBlock,
);

/// Test control of the mock voting module.
#[cw_serde]
pub enum MockVotingMsg {
    /// Set `address`'s power from the next block on (DAO DAO: power at h = start of h).
    SetPower { address: String, power: Uint128 },
}

fn voting_execute(
    deps: DepsMut,
    env: Env,
    _: MessageInfo,
    msg: MockVotingMsg,
) -> StdResult<Response> {
    let MockVotingMsg::SetPower { address, power } = msg;
    let addr = deps.api.addr_validate(&address)?;
    let old = POWERS.may_load(deps.storage, &addr)?.unwrap_or_default();
    let total = TOTAL.may_load(deps.storage)?.unwrap_or_default();
    POWERS.save(deps.storage, &addr, &power, env.block.height)?;
    TOTAL.save(deps.storage, &(total - old + power), env.block.height)?;
    Ok(Response::new())
}

fn voting_query(deps: Deps, env: Env, msg: VotingModuleQueryMsg) -> StdResult<Binary> {
    match msg {
        VotingModuleQueryMsg::VotingPowerAtHeight { address, height } => {
            let height = height.unwrap_or(env.block.height);
            let addr = deps.api.addr_validate(&address)?;
            let power = POWERS
                .may_load_at_height(deps.storage, &addr, height)?
                .unwrap_or_default();
            to_json_binary(&VotingPowerAtHeightResponse { power, height })
        }
        VotingModuleQueryMsg::TotalPowerAtHeight { height } => {
            let height = height.unwrap_or(env.block.height);
            let power = TOTAL
                .may_load_at_height(deps.storage, height)?
                .unwrap_or_default();
            to_json_binary(&TotalPowerAtHeightResponse { power, height })
        }
    }
}

fn empty_instantiate(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    Ok(Response::new())
}

/// The mock DAO DAO voting module.
pub fn voting_module() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        voting_execute,
        empty_instantiate,
        voting_query,
    ))
}

// ---------------------------------------------------------------- recording modules

const GOVERNANCE: Item<Addr> = Item::new("governance");
const MODULES_GIVEN: Item<ModuleAddresses> = Item::new("modules_given");
const INIT: Item<Binary> = Item::new("init");
const RECEIVED: Item<Vec<(Addr, Binary)>> = Item::new("received");
const FAIL: Item<bool> = Item::new("fail");

/// The modules' test queries (the timelock's `Operation` keeps the real JSON shape).
#[cw_serde]
pub enum MockModuleQuery {
    /// Every execute message received, with its sender, as JSON.
    Received {},
    /// The timelock's `Operation` query.
    Operation { operation_id: u64 },
    /// The timelock's `Config` query: the settings it was instantiated or updated with.
    Config {},
    /// The instantiate message the module received, as JSON.
    Init {},
}

/// Test control of the recording modules.
#[cw_serde]
pub enum MockControl {
    /// Make every later message fail.
    SetFail { fail: bool },
}

/// A module message: the real rewind-types message, or a test control message.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(untagged)]
pub enum ModuleMsg<M> {
    /// The real message.
    Real(M),
    /// Test control.
    Control(MockControl),
}

fn module_instantiate<M: Serialize>(
    deps: DepsMut,
    info: &MessageInfo,
    modules: &ModuleAddresses,
    msg: &M,
) -> StdResult<Response> {
    if info.sender != modules.governance {
        return Err(StdError::msg(
            "mock: instantiated by a non-governance sender",
        ));
    }
    GOVERNANCE.save(deps.storage, &modules.governance)?;
    MODULES_GIVEN.save(deps.storage, modules)?;
    INIT.save(deps.storage, &to_json_binary(msg)?)?;
    RECEIVED.save(deps.storage, &vec![])?;
    FAIL.save(deps.storage, &false)?;
    Ok(Response::new())
}

/// Records a message from governance; refuses other senders.
fn record(deps: DepsMut, info: &MessageInfo, msg: Binary) -> StdResult<()> {
    if info.sender != GOVERNANCE.load(deps.storage)? {
        return Err(StdError::msg("mock: not governance"));
    }
    if FAIL.load(deps.storage)? {
        return Err(StdError::msg("mock: failing on purpose"));
    }
    let mut received = RECEIVED.load(deps.storage)?;
    received.push((info.sender.clone(), msg));
    RECEIVED.save(deps.storage, &received)
}

fn control(deps: DepsMut, c: MockControl) -> StdResult<Response> {
    let MockControl::SetFail { fail } = c;
    FAIL.save(deps.storage, &fail)?;
    Ok(Response::new())
}

// timelock

#[cw_serde]
struct StoredOp {
    spec: Option<RestorationSpec>,
    upgrade_proposal_id: Option<u64>,
    content_hash: HexBinary,
    status: OperationStatus,
    queued_at: Timestamp,
    queued_height: u64,
}
const OPS: Map<u64, StoredOp> = Map::new("ops");
const OP_COUNT: Item<u64> = Item::new("op_count");
const SETTINGS: Item<timelock::TimelockSettings> = Item::new("settings");

fn timelock_instantiate(
    deps: DepsMut,
    _: Env,
    info: MessageInfo,
    msg: timelock::InstantiateMsg,
) -> StdResult<Response> {
    OP_COUNT.save(deps.storage, &0)?;
    SETTINGS.save(deps.storage, &msg.settings)?;
    module_instantiate(deps, &info, &msg.modules, &msg)
}

fn set_op_status(deps: DepsMut, id: u64, status: OperationStatus) -> StdResult<()> {
    let mut op = OPS.load(deps.storage, id)?;
    if op.status != OperationStatus::Queued {
        return Err(StdError::msg("mock: operation is final"));
    }
    op.status = status;
    OPS.save(deps.storage, id, &op)
}

fn timelock_execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ModuleMsg<timelock::ExecuteMsg>,
) -> StdResult<Response> {
    let msg = match msg {
        ModuleMsg::Control(c) => return control(deps, c),
        ModuleMsg::Real(m) => m,
    };
    if let timelock::ExecuteMsg::Execute { operation_id } = msg {
        // Open to anyone, as in the real timelock; an upgrade calls governance back, and the
        // spec of a restoration moves to the executor (stored in one place at a time).
        let mut deps = deps;
        set_op_status(deps.branch(), operation_id, OperationStatus::Executed)?;
        let mut op = OPS.load(deps.storage, operation_id)?;
        op.spec = None;
        OPS.save(deps.storage, operation_id, &op)?;
        let mut response = Response::new();
        if let Some(proposal_id) = op.upgrade_proposal_id {
            response = response.add_message(cosmwasm_std::WasmMsg::Execute {
                contract_addr: GOVERNANCE.load(deps.storage)?.to_string(),
                msg: to_json_binary(&rewind_types::governance::ExecuteMsg::ApplyUpgrade {
                    proposal_id,
                    content_hash: op.content_hash,
                })?,
                funds: vec![],
            });
        }
        return Ok(response);
    }
    let mut deps = deps;
    record(deps.branch(), &info, to_json_binary(&msg)?)?;
    let mut response = Response::new().add_attribute("action", "mock_timelock");
    match msg {
        timelock::ExecuteMsg::Queue { spec, content_hash } => {
            if spec.content_hash()? != content_hash {
                return Err(StdError::msg("mock: content hash mismatch"));
            }
            let id = OP_COUNT.load(deps.storage)? + 1;
            OP_COUNT.save(deps.storage, &id)?;
            let op = StoredOp {
                spec: Some(spec),
                upgrade_proposal_id: None,
                content_hash,
                status: OperationStatus::Queued,
                queued_at: env.block.time,
                queued_height: env.block.height,
            };
            OPS.save(deps.storage, id, &op)?;
            // The id in the data only, as governance reads it (no event to scrape).
            response = response.set_data(to_json_binary(&id)?);
        }
        timelock::ExecuteMsg::QueueUpgrade {
            proposal_id,
            content_hash,
        } => {
            let id = OP_COUNT.load(deps.storage)? + 1;
            OP_COUNT.save(deps.storage, &id)?;
            let op = StoredOp {
                spec: None,
                upgrade_proposal_id: Some(proposal_id),
                content_hash,
                status: OperationStatus::Queued,
                queued_at: env.block.time,
                queued_height: env.block.height,
            };
            OPS.save(deps.storage, id, &op)?;
            response = response.set_data(to_json_binary(&id)?);
        }
        timelock::ExecuteMsg::Cancel { operation_id } => {
            set_op_status(deps, operation_id, OperationStatus::Cancelled)?;
        }
        timelock::ExecuteMsg::UpdateSettings(settings) => {
            SETTINGS.save(deps.storage, &settings)?;
        }
        _ => {}
    }
    Ok(response)
}

fn module_query(deps: Deps, msg: MockModuleQuery) -> StdResult<Binary> {
    match msg {
        MockModuleQuery::Received {} => to_json_binary(&RECEIVED.load(deps.storage)?),
        MockModuleQuery::Init {} => to_json_binary(&INIT.load(deps.storage)?),
        MockModuleQuery::Config {} => to_json_binary(&timelock::ConfigResponse {
            settings: SETTINGS.load(deps.storage)?,
            modules: MODULES_GIVEN.load(deps.storage)?,
        }),
        MockModuleQuery::Operation { operation_id } => {
            let op = OPS.load(deps.storage, operation_id)?;
            to_json_binary(&OperationResponse {
                id: operation_id,
                spec: op.spec,
                upgrade_proposal_id: op.upgrade_proposal_id,
                content_hash: op.content_hash,
                status: op.status,
                queued_at: op.queued_at,
                queued_height: op.queued_height,
                eta: op.queued_at.plus_seconds(43_200),
                eta_height: op.queued_height + 100,
                expires_at: op.queued_at.plus_seconds(43_200 + 604_800),
                closed_by: None,
                guardian_delay: None,
            })
        }
    }
}

fn module_query_entry(deps: Deps, _: Env, msg: MockModuleQuery) -> StdResult<Binary> {
    module_query(deps, msg)
}

/// The recording timelock.
pub fn timelock_module() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        timelock_execute,
        timelock_instantiate,
        module_query_entry,
    ))
}

// guardian

fn guardian_instantiate(
    deps: DepsMut,
    _: Env,
    info: MessageInfo,
    msg: guardian::InstantiateMsg,
) -> StdResult<Response> {
    module_instantiate(deps, &info, &msg.modules, &msg)
}

fn guardian_execute(
    deps: DepsMut,
    _: Env,
    info: MessageInfo,
    msg: ModuleMsg<guardian::ExecuteMsg>,
) -> StdResult<Response> {
    match msg {
        ModuleMsg::Control(c) => control(deps, c),
        ModuleMsg::Real(m) => {
            record(deps, &info, to_json_binary(&m)?)?;
            Ok(Response::new().add_attribute("action", "mock_guardian"))
        }
    }
}

/// The recording guardian.
pub fn guardian_module() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        guardian_execute,
        guardian_instantiate,
        module_query_entry,
    ))
}

// executor

fn executor_instantiate(
    deps: DepsMut,
    _: Env,
    info: MessageInfo,
    msg: executor::InstantiateMsg,
) -> StdResult<Response> {
    module_instantiate(deps, &info, &msg.modules, &msg)
}

fn executor_execute(
    deps: DepsMut,
    _: Env,
    info: MessageInfo,
    msg: ModuleMsg<executor::ExecuteMsg>,
) -> StdResult<Response> {
    match msg {
        ModuleMsg::Control(c) => control(deps, c),
        ModuleMsg::Real(m) => {
            record(deps, &info, to_json_binary(&m)?)?;
            Ok(Response::new().add_attribute("action", "mock_executor"))
        }
    }
}

/// The recording executor.
pub fn executor_module() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        executor_execute,
        executor_instantiate,
        module_query_entry,
    ))
}

// ---------------------------------------------------------------- target

/// The cw2 name of the mock target.
pub const TARGET_NAME: &str = "crates.io:mock-target";

#[cw_serde]
struct Journal {
    retained_from: u64,
    restoring: bool,
}
const JOURNAL: Item<Journal> = Item::new("journal");
/// A height whose digest the target refuses, as a journal refuses a rolled-back height.
const REFUSED: Item<u64> = Item::new("refused");
/// The retention window in seconds the target reports.
const RETENTION_SECONDS: Item<u64> = Item::new("retention_seconds");
/// Per account, the newest height it acted at on the target.
const ACTIVITY: Map<&str, u64> = Map::new("activity");
/// Answer the activity of the asked accounts in reverse order (a misbehaving target).
const REVERSE_ACTIVITY: Item<bool> = Item::new("reverse_activity");

/// The suite's default retention in seconds: 30 days, more than the default normal period
/// + timelock delay + grace (3 d + 12 h + 7 d).
pub const DEFAULT_RETENTION_SECONDS: u64 = 30 * 86_400;

/// Instantiates the mock target.
#[cw_serde]
pub struct TargetInit {
    /// The lowest restorable height.
    pub retained_from: u64,
    /// The retention window in seconds it reports.
    pub retention_seconds: u64,
}

/// Test control of the mock target.
#[cw_serde]
pub enum TargetMsg {
    /// Change its retained history and restoring flag.
    SetJournal { retained_from: u64, restoring: bool },
    /// Refuse the digest at `height` (with [`REFUSED_DIGEST`]); `None` refuses none.
    RefuseDigest { height: Option<u64> },
    /// Change the retention window in seconds it reports.
    SetRetentionSeconds { seconds: u64 },
    /// Answer the activity in reverse order, as a misbehaving target would.
    ReverseActivity { reverse: bool },
    /// Record that `account` last acted at `height` (`None`: never).
    SetActivity {
        account: String,
        height: Option<u64>,
    },
}

/// The error text of a digest the mock target refuses on purpose.
pub const REFUSED_DIGEST: &str = "mock: that height was rolled back";

/// The digest the mock target reports at `height`.
pub fn digest_for(height: u64) -> HexBinary {
    let mut h = Sha256::new();
    h.update(b"mock-digest");
    h.update(height.to_be_bytes());
    HexBinary::from(h.finalize().to_vec())
}

fn target_instantiate(
    deps: DepsMut,
    _: Env,
    _: MessageInfo,
    msg: TargetInit,
) -> StdResult<Response> {
    cw2::set_contract_version(deps.storage, TARGET_NAME, "1.0.0")?;
    RETENTION_SECONDS.save(deps.storage, &msg.retention_seconds)?;
    JOURNAL.save(
        deps.storage,
        &Journal {
            retained_from: msg.retained_from,
            restoring: false,
        },
    )?;
    Ok(Response::new())
}

fn target_execute(deps: DepsMut, _: Env, _: MessageInfo, msg: TargetMsg) -> StdResult<Response> {
    match msg {
        TargetMsg::SetJournal {
            retained_from,
            restoring,
        } => JOURNAL.save(
            deps.storage,
            &Journal {
                retained_from,
                restoring,
            },
        )?,
        TargetMsg::RefuseDigest { height: Some(h) } => REFUSED.save(deps.storage, &h)?,
        TargetMsg::RefuseDigest { height: None } => REFUSED.remove(deps.storage),
        TargetMsg::SetRetentionSeconds { seconds } => {
            RETENTION_SECONDS.save(deps.storage, &seconds)?
        }
        TargetMsg::ReverseActivity { reverse } => REVERSE_ACTIVITY.save(deps.storage, &reverse)?,
        TargetMsg::SetActivity {
            account,
            height: Some(h),
        } => ACTIVITY.save(deps.storage, &account, &h)?,
        TargetMsg::SetActivity {
            account,
            height: None,
        } => ACTIVITY.remove(deps.storage, &account),
    }
    Ok(Response::new())
}

/// What the target's `DigestAt { height }` would answer.
fn target_digest_at(deps: Deps, env: &Env, height: u64) -> StdResult<DigestAtResponse> {
    let journal = JOURNAL.load(deps.storage)?;
    if REFUSED.may_load(deps.storage)? == Some(height) {
        return Err(StdError::msg(REFUSED_DIGEST));
    }
    if height < journal.retained_from || height > env.block.height {
        return Err(StdError::msg("mock: no digest at that height"));
    }
    Ok(DigestAtResponse {
        height,
        recorded_at: height,
        digest: digest_for(height),
    })
}

/// Governance asks a target one `RestorationCheck` per proposal: the mock refuses
/// `JournalInfo`, which governance used to send first for every target, so any test
/// proposing through it proves governance no longer does.
fn target_query(deps: Deps, env: Env, msg: RestorableQueryMsg) -> StdResult<Binary> {
    let journal = JOURNAL.load(deps.storage)?;
    match msg {
        RestorableQueryMsg::JournalInfo {} => Err(StdError::msg(
            "mock: governance asks RestorationCheck, not JournalInfo",
        )),
        RestorableQueryMsg::DigestAt { height } => {
            to_json_binary(&target_digest_at(deps, &env, height)?)
        }
        RestorableQueryMsg::RestorationCheck { heights, accounts } => {
            // A real chain refuses a query request over 64 KiB: like it, refuse one that
            // asks for more accounts than fit.
            let request = to_json_binary(&accounts)?.len();
            if request > MAX_QUERY_REQUEST_BYTES {
                return Err(StdError::msg(format!(
                    "query request of {request} bytes is over the VM's {MAX_QUERY_REQUEST_BYTES}"
                )));
            }
            let info = JournalInfoResponse {
                retained_from: journal.retained_from,
                latest_height: env.block.height,
                retention_blocks: 1_000,
                restoring: journal.restoring,
                restoration_lock_until: None,
                retention_seconds: RETENTION_SECONDS.load(deps.storage)?,
                history_held_from: None,
                exit_only_until: None,
            };
            let mut check = RestorationCheckResponse::build(info, &heights, |h| {
                target_digest_at(deps, &env, h)
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
            if REVERSE_ACTIVITY.may_load(deps.storage)?.unwrap_or(false) {
                check.activity.reverse();
            }
            to_json_binary(&check)
        }
        RestorableQueryMsg::RestorationStatus {} => to_json_binary(&RestorationStatusResponse {
            phase: RestorationPhase::Idle,
            height: None,
            undone_entries: 0,
            replayed_flows: 0,
            digest_verified: false,
            total_claims: Uint128::zero(),
        }),
    }
}

/// The mock restorable target.
pub fn target_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        target_execute,
        target_instantiate,
        target_query,
    ))
}

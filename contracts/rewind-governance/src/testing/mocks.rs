//! Small mock contracts: a DAO DAO voting module that answers only the DAO DAO query
//! shapes, and recording timelock / guardian / executor modules that accept their
//! rewind-types messages. The restorable targets are the one shared mock target,
//! `rewind_testing::mock_target`.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Deps, DepsMut, Empty, Env, HexBinary, MessageInfo, Response,
    StdError, StdResult, Timestamp, Uint128,
};
use cw_multi_test::{Contract, ContractWrapper};
use cw_storage_plus::{Item, Map, SnapshotItem, SnapshotMap, Strategy};
use rewind_types::timelock::{OperationResponse, OperationStatus};
use rewind_types::voting::{
    TotalPowerAtHeightResponse, VotingModuleQueryMsg, VotingPowerAtHeightResponse,
};
use rewind_types::{executor, guardian, timelock, ModuleAddresses, RestorationSpec};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------- voting module

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
const RESTORATION_STATE: Item<rewind_types::executor::RestorationState> =
    Item::new("restoration_state");

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
    /// The executor's `Restoration` query: only its `state` is answered (set with
    /// `SetRestorationState`; `complete` until then).
    Restoration { restoration_id: u64 },
}

/// The part of the executor's `RestorationResponse` governance reads.
#[cw_serde]
struct MockRestoration {
    state: rewind_types::executor::RestorationState,
}

/// Test control of the recording modules.
#[cw_serde]
pub enum MockControl {
    /// Make every later message fail.
    SetFail { fail: bool },
    /// The state the mock executor answers for every restoration.
    SetRestorationState {
        state: rewind_types::executor::RestorationState,
    },
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
    match c {
        MockControl::SetFail { fail } => FAIL.save(deps.storage, &fail)?,
        MockControl::SetRestorationState { state } => {
            RESTORATION_STATE.save(deps.storage, &state)?
        }
    }
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
        timelock::ExecuteMsg::Queue {
            spec, content_hash, ..
        } => {
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
        MockModuleQuery::Restoration { .. } => to_json_binary(&MockRestoration {
            state: RESTORATION_STATE
                .may_load(deps.storage)?
                .unwrap_or(rewind_types::executor::RestorationState::Complete),
        }),
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
            let mut deps = deps;
            record(deps.branch(), &info, to_json_binary(&m)?)?;
            let response = Response::new().add_attribute("action", "mock_executor");
            // As the real executor (the targets' wasm admin): a configuration reaches the
            // target, whose refusal fails the call.
            let executor::ExecuteMsg::Configure { contract, config } = m else {
                return Ok(response);
            };
            let code_id = deps.querier.query_wasm_contract_info(&contract)?.code_id;
            Ok(response.add_message(cosmwasm_std::WasmMsg::Migrate {
                contract_addr: contract,
                new_code_id: code_id,
                msg: to_json_binary(&rewind_types::RestorableMigrateMsg::Configure { config })?,
            }))
        }
    }
}

/// The recording executor: records every message; forwards `Configure` to its target as
/// the real executor does.
pub fn executor_module() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        executor_execute,
        executor_instantiate,
        module_query_entry,
    ))
}

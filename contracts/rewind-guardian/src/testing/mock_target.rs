//! A minimal restorable target for the guardian's own tests: it stores what the guardian
//! pushes through `Gate` (pauses, the restoration lock, history holds) and refuses `Gate`
//! from anyone else. The guardian's tests need nothing more, so they do not build the
//! executor.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdError, StdResult,
    Timestamp,
};
use cw_storage_plus::{Item, Map};
use rewind_types::{GateMsg, PauseScope, RestorableExecuteMsg};

/// Instantiates the mock target.
#[cw_serde]
pub struct MockInstantiateMsg {
    /// The only sender of `Gate`.
    pub guardian: String,
}

/// The mock target's queries.
#[cw_serde]
pub enum MockQueryMsg {
    /// Everything it stored.
    State {},
    /// The pause end it stored for `scope`.
    Pause {
        /// The scope.
        scope: PauseScope,
    },
}

/// One history hold the guardian forwarded.
#[cw_serde]
pub struct MockHold {
    /// The lowest height kept restorable.
    pub from_height: u64,
    /// When the hold ends.
    pub until: Timestamp,
}

/// What the mock target stored.
#[cw_serde]
pub struct MockState {
    /// The guardian.
    pub guardian: Addr,
    /// The restoration lock, if set.
    pub lock_until: Option<Timestamp>,
    /// Every history hold received, in order.
    pub holds: Vec<MockHold>,
}

const STATE: Item<MockState> = Item::new("mock_state");
const PAUSES: Map<&str, Timestamp> = Map::new("mock_pauses");

pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: MockInstantiateMsg,
) -> StdResult<Response> {
    let guardian = deps.api.addr_validate(&msg.guardian)?;
    STATE.save(
        deps.storage,
        &MockState {
            guardian,
            lock_until: None,
            holds: vec![],
        },
    )?;
    Ok(Response::new())
}

pub fn execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: RestorableExecuteMsg,
) -> StdResult<Response> {
    let mut state = STATE.load(deps.storage)?;
    let RestorableExecuteMsg::Gate(gate) = msg else {
        return Err(StdError::msg("the mock target has nothing to crank"));
    };
    if info.sender != state.guardian {
        return Err(StdError::msg("gate messages come from the guardian only"));
    }
    match gate {
        GateMsg::SetPause { scope, until } => PAUSES.save(deps.storage, scope.as_str(), &until)?,
        GateMsg::SetRestorationLock { until } => {
            state.lock_until = until;
            STATE.save(deps.storage, &state)?;
        }
        GateMsg::HoldHistory { from_height, until } => {
            state.holds.push(MockHold { from_height, until });
            STATE.save(deps.storage, &state)?;
        }
    }
    Ok(Response::new())
}

pub fn query(deps: Deps, _env: Env, msg: MockQueryMsg) -> StdResult<Binary> {
    match msg {
        MockQueryMsg::State {} => to_json_binary(&STATE.load(deps.storage)?),
        MockQueryMsg::Pause { scope } => {
            to_json_binary(&PAUSES.may_load(deps.storage, scope.as_str())?)
        }
    }
}

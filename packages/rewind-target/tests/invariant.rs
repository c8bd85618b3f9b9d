//! In-line invariants (issue 16) on a minimal contract: a tank whose level must stay at most
//! its capacity (`RefuseAndPause` of `fill`) and may never be exactly 1 (`Refuse`).

// The generated entry points check the `library` feature of the crate they are expanded in;
// this test crate has none.
#![allow(unexpected_cfgs)]
// A test contract: its items need no docs.
#![allow(missing_docs)]

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    coins, Deps, DepsMut, Env, MessageInfo, Response, StdError, Storage, Timestamp,
};
use cw_multi_test::{App, AppResponse, BankSudo, ContractWrapper, Executor, SudoMsg};
use cw_storage_plus::Item;
use rewind_journal::{set_pause_from, PauseSource};
use rewind_target::{Invariant, InvariantEnv, InvariantPolicy, Invariants, RewindSettings};
use rewind_types::PauseScope;

const LEVEL: Item<u64> = Item::new("level");
const CAPACITY: u64 = 10;
const FILL: PauseScope = PauseScope::named("fill");

#[cw_serde]
pub struct InstantiateMsg {}

#[cw_serde]
pub enum ExecuteMsg {
    /// Adds `amount` (any funds attached are kept).
    Fill { amount: u64 },
    /// Takes `amount` out.
    Drain { amount: u64 },
}

#[cw_serde]
pub enum QueryMsg {
    Level {},
}

pub fn instantiate(
    deps: DepsMut,
    _: Env,
    _: MessageInfo,
    _: InstantiateMsg,
) -> Result<Response, StdError> {
    LEVEL.save(deps.storage, &0)?;
    Ok(Response::new())
}

pub fn execute(
    deps: DepsMut,
    _: Env,
    _: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, StdError> {
    let level = LEVEL.load(deps.storage)?;
    let next = match msg {
        ExecuteMsg::Fill { amount } => level + amount,
        ExecuteMsg::Drain { amount } => level.saturating_sub(amount),
    };
    LEVEL.save(deps.storage, &next)?;
    Ok(Response::new().add_attribute("action", "tank"))
}

pub fn query(deps: Deps, _: Env, _: QueryMsg) -> Result<cosmwasm_std::Binary, StdError> {
    cosmwasm_std::to_json_binary(&LEVEL.load(deps.storage)?)
}

fn within_capacity(deps: Deps, _: &InvariantEnv) -> Result<Option<String>, StdError> {
    let level = LEVEL.load(deps.storage)?;
    Ok((level > CAPACITY).then(|| format!("level {level} above {CAPACITY}")))
}

/// An uncapped pause of an hour (the vault's trip is capped; the library does not care).
fn trip(
    store: &mut dyn Storage,
    env: &Env,
    _: &str,
    scopes: &[PauseScope],
) -> Result<Timestamp, StdError> {
    let until = env.block.time.plus_seconds(3_600);
    for scope in scopes {
        set_pause_from(store, env, PauseSource::Breaker, scope, until)?;
    }
    Ok(until)
}

fn at_least_one(deps: Deps, _: &InvariantEnv) -> Result<Option<String>, StdError> {
    let level = LEVEL.load(deps.storage)?;
    Ok((level == 1).then(|| "level may not be exactly 1".to_string()))
}

pub const INVARIANTS: Invariants<StdError> = Invariants {
    list: &[
        Invariant {
            name: "capacity",
            check: within_capacity,
            policy: InvariantPolicy::RefuseAndPause { scopes: &[FILL] },
        },
        Invariant {
            name: "not_one",
            check: at_least_one,
            policy: InvariantPolicy::Refuse,
        },
    ],
    trip,
    report: None,
};

rewind_target::gated!(ExecuteMsg {
    fill => ExecuteMsg::Fill { .. },
    #[exit] drain => ExecuteMsg::Drain { .. },
});

rewind_target::restorable! {
    instantiate: instantiate(InstantiateMsg),
    execute: execute(ExecuteMsg) -> StdError,
    query: query(QueryMsg) -> StdError,
    invariants: INVARIANTS,
}

struct Tank {
    app: App,
    tank: cosmwasm_std::Addr,
    user: cosmwasm_std::Addr,
}

fn tank() -> Tank {
    let mut app = App::default();
    let user = app.api().addr_make("user");
    let guardian = app.api().addr_make("guardian");
    app.sudo(SudoMsg::Bank(BankSudo::Mint {
        to_address: user.to_string(),
        amount: coins(1_000, "utank"),
    }))
    .unwrap();
    let code = app.store_code(Box::new(ContractWrapper::new(
        entry::execute,
        entry::instantiate,
        entry::query,
    )));
    let msg = rewind_target::InstantiateMsg {
        rewind: RewindSettings {
            guardian: guardian.to_string(),
            retention_blocks: 100,
            retention_seconds: 100,
            max_offline: None,
        },
        contract: InstantiateMsg {},
    };
    let tank = app
        .instantiate_contract(code, user.clone(), &msg, &[], "tank", None)
        .unwrap();
    Tank { app, tank, user }
}

impl Tank {
    fn exec(&mut self, msg: ExecuteMsg, funds: u128) -> cosmwasm_std::StdResult<AppResponse> {
        let funds = if funds == 0 {
            vec![]
        } else {
            coins(funds, "utank")
        };
        self.app
            .execute_contract(self.user.clone(), self.tank.clone(), &msg, &funds)
    }
    fn level(&self) -> u64 {
        self.app
            .wrap()
            .query_wasm_smart(self.tank.clone(), &QueryMsg::Level {})
            .unwrap()
    }
    fn balance(&self) -> u128 {
        let c = self.app.wrap().query_balance(&self.user, "utank").unwrap();
        cosmwasm_std::Uint128::try_from(c.amount).unwrap().u128()
    }
}

/// Row I3 in the library: `RefuseAndPause` returns Ok with the handler's write dropped, only
/// the pause written, the event naming the invariant, and the attached funds sent back.
#[test]
fn i3_a_refusal_that_pauses_returns_ok_drops_the_writes_and_refunds() {
    let mut t = tank();
    t.exec(ExecuteMsg::Fill { amount: 7 }, 0).unwrap();
    let before = t.balance();
    let r = t.exec(ExecuteMsg::Fill { amount: 5 }, 40).unwrap();
    let event = r
        .events
        .iter()
        .find(|e| e.ty == "wasm-invariant_refused")
        .expect("the refusal's event");
    let attr = |k: &str| {
        event
            .attributes
            .iter()
            .find(|a| a.key == k)
            .map(|a| a.value.clone())
    };
    assert_eq!(attr("invariant").as_deref(), Some("capacity"));
    assert_eq!(attr("reason").as_deref(), Some("level 12 above 10"));
    assert_eq!(attr("scopes").as_deref(), Some("fill"));
    assert_eq!(t.level(), 7, "the handler's write is dropped");
    assert_eq!(t.balance(), before, "the funds came back");
    // The pause holds: the next fill is stopped by the gate, the exit is not.
    let err = t.exec(ExecuteMsg::Fill { amount: 1 }, 0).unwrap_err();
    assert!(err.to_string().contains("paused"), "{err}");
    t.exec(ExecuteMsg::Drain { amount: 2 }, 0).unwrap();
    assert_eq!(t.level(), 5);
}

/// Row I3 in the library: `Refuse` fails the execution with the invariant's name and reason.
#[test]
fn i3_a_refusal_without_pause_fails_the_execution() {
    let mut t = tank();
    t.exec(ExecuteMsg::Fill { amount: 3 }, 0).unwrap();
    let err = t.exec(ExecuteMsg::Drain { amount: 2 }, 0).unwrap_err();
    let want = rewind_target::TargetError::InvariantViolated {
        invariant: "not_one".into(),
        reason: "level may not be exactly 1".into(),
    };
    assert!(
        err.to_string().ends_with(&format!("rewind: {want}")),
        "{err}"
    );
    assert_eq!(t.level(), 3);
}

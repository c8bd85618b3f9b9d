//! The settle hook over several cranks: a contract whose settlement does a bounded batch
//! per call (the crank's limit) answers `Settled::More` until it is done; the library keeps
//! the restoration in its replay phase, calls the hook again on each later crank, and
//! completes it only after `Settled::Done`.

// The generated entry points check the `library` feature of the crate they are expanded in;
// a test binary has none.
#![allow(unexpected_cfgs)]

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Deps, DepsMut, Empty, Env, MessageInfo, Order, Response,
    StdError, StdResult,
};
use cw_multi_test::{App, Contract, ContractWrapper, Executor};
use cw_storage_plus::{Item, Map};
use rewind_target::Settled;
use rewind_types::restorable::{
    DigestAtResponse, RestorableExecuteMsg, RestorableMigrateMsg, RestorableQueryMsg,
    RestorationPhase, RestorationStatusResponse,
};
use rewind_types::{GateMsg, ShortfallPolicy};
use serde_json::json;

const BALANCES: Map<&Addr, u64> = Map::new("balances");
/// Plain: the settlement's cursor and its calls (the limit each got).
const CURSOR: Item<Option<Addr>> = Item::new("cursor");
const CALLS: Item<Vec<u32>> = Item::new("calls");
/// Plain: every balance the settlement saw, in order.
const SETTLED: Item<Vec<(Addr, u64)>> = Item::new("settled");

#[cw_serde]
struct InstantiateMsg {}

#[cw_serde]
enum ExecuteMsg {
    Credit { amount: u64 },
}

#[cw_serde]
enum QueryMsg {
    Calls {},
    Settled {},
}

fn instantiate(_: DepsMut, _: Env, _: MessageInfo, _: InstantiateMsg) -> StdResult<Response> {
    Ok(Response::new())
}

fn execute(deps: DepsMut, _: Env, info: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
    let ExecuteMsg::Credit { amount } = msg;
    let balance = BALANCES
        .may_load(deps.storage, &info.sender)?
        .unwrap_or_default();
    BALANCES.save(deps.storage, &info.sender, &(balance + amount))?;
    Ok(Response::new())
}

fn query(deps: Deps, _: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Calls {} => to_json_binary(&CALLS.may_load(deps.storage)?.unwrap_or_default()),
        QueryMsg::Settled {} => {
            to_json_binary(&SETTLED.may_load(deps.storage)?.unwrap_or_default())
        }
    }
}

/// Visits at most `limit` balances per call, from where the last call stopped.
fn settle(deps: DepsMut, _: &Env, _: &ShortfallPolicy, limit: u32) -> StdResult<Settled> {
    let mut calls = CALLS.may_load(deps.storage)?.unwrap_or_default();
    calls.push(limit);
    CALLS.save(deps.storage, &calls)?;
    let after = CURSOR.may_load(deps.storage)?.flatten();
    let min = after.as_ref().map(cw_storage_plus::Bound::exclusive);
    let page: Vec<(Addr, u64)> = BALANCES
        .range(deps.storage, min, None, Order::Ascending)
        .take(limit as usize)
        .collect::<StdResult<_>>()?;
    let mut settled = SETTLED.may_load(deps.storage)?.unwrap_or_default();
    settled.extend(page.iter().cloned());
    SETTLED.save(deps.storage, &settled)?;
    CURSOR.save(deps.storage, &page.last().map(|(a, _)| a.clone()))?;
    Ok(match page.len() < limit as usize {
        true => Settled::Done,
        false => Settled::More,
    })
}

rewind_target::gated!(ExecuteMsg {
    deposit => ExecuteMsg::Credit { .. },
});

rewind_target::restorable! {
    name: "crates.io:batched",
    version: "1.0.0",
    instantiate: instantiate(InstantiateMsg),
    execute: execute(ExecuteMsg) -> StdError,
    query: query(QueryMsg) -> StdError,
    plain: ["cursor", "calls", "settled"],
    settle: settle,
}

fn code() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(entry::execute, entry::instantiate, entry::query)
            .with_migrate(entry::migrate),
    )
}

#[test]
fn a_settle_hook_answering_more_is_called_again_on_each_crank_until_done() {
    let mut app = App::default();
    let guardian = app.api().addr_make("guardian");
    let admin = app.api().addr_make("executor");
    let code_id = app.store_code(code());
    let msg = json!({
        "rewind": {"guardian": guardian, "retention_blocks": 100, "retention_seconds": 3600},
    });
    let contract = app
        .instantiate_contract(
            code_id,
            admin.clone(),
            &msg,
            &[],
            "b",
            Some(admin.to_string()),
        )
        .unwrap();
    let next = |app: &mut App| {
        app.update_block(|b| {
            b.height += 1;
            b.time = b.time.plus_seconds(5);
        })
    };
    next(&mut app);
    let good = app.block_info().height;
    next(&mut app);
    // Seven balances, all after the height: replayed, then settled 3 at a time.
    let users: Vec<Addr> = (0..7)
        .map(|i| app.api().addr_make(&format!("u{i}")))
        .collect();
    for u in &users {
        app.execute_contract(
            u.clone(),
            contract.clone(),
            &ExecuteMsg::Credit { amount: 1 },
            &[],
        )
        .unwrap();
    }
    next(&mut app);
    let lock = RestorableExecuteMsg::Gate(GateMsg::SetRestorationLock {
        until: Some(app.block_info().time.plus_seconds(3600)),
    });
    app.execute_contract(guardian, contract.clone(), &lock, &[])
        .unwrap();
    let digest: DigestAtResponse = app
        .wrap()
        .query_wasm_smart(&contract, &RestorableQueryMsg::DigestAt { height: good })
        .unwrap();
    let restore = RestorableMigrateMsg::Restore {
        height: good,
        exclusions: vec![],
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
        expected_digest: digest.digest,
    };
    app.migrate_contract(admin, contract.clone(), &restore, code_id)
        .unwrap();
    let keeper = app.api().addr_make("keeper");
    let status = |app: &App| -> RestorationStatusResponse {
        app.wrap()
            .query_wasm_smart(&contract, &RestorableQueryMsg::RestorationStatus {})
            .unwrap()
    };
    let calls = |app: &App| -> Vec<u32> {
        app.wrap()
            .query_wasm_smart(&contract, &QueryMsg::Calls {})
            .unwrap()
    };
    let mut cranks = 0;
    while status(&app).phase != RestorationPhase::Complete {
        next(&mut app);
        let crank = RestorableExecuteMsg::Crank { limit: Some(3) };
        app.execute_contract(keeper.clone(), contract.clone(), &crank, &[])
            .unwrap();
        cranks += 1;
        let phase = status(&app).phase;
        let done = calls(&app).len() >= 3;
        // Until the hook answered Done (its third call: 3 + 3 + 1 balances), the restoration
        // stays in its replay phase, and it completes in the crank of that call.
        assert_eq!(phase == RestorationPhase::Complete, done, "crank {cranks}");
        assert!(cranks < 20);
    }
    assert_eq!(
        calls(&app),
        vec![3, 3, 3],
        "called once per crank, with its limit"
    );
    let settled: Vec<(Addr, u64)> = app
        .wrap()
        .query_wasm_smart(&contract, &QueryMsg::Settled {})
        .unwrap();
    let mut want: Vec<(Addr, u64)> = users.iter().map(|u| (u.clone(), 1)).collect();
    want.sort();
    assert_eq!(
        settled, want,
        "every balance once, in order, after the replay"
    );
    assert_eq!(status(&app).replayed_executions, 7);
}

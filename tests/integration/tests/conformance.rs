//! The conformance suite (rewind_testing::conformance) against the restorable examples, and
//! against a broken copy of the counter that writes one key around the journal.

use cosmwasm_std::{Binary, Deps, DepsMut, Empty, Env, MessageInfo, Response};
use cw_multi_test::{App, Contract, ContractWrapper};
use proptest::prelude::*;
use restorable_counter::contract::entry;
use restorable_counter::msg::ExecuteMsg;
use rewind_target::{ContractError, PauseScope};
use rewind_testing::conformance::{self, Action, Example, Roles, Subject};
use serde_json::{json, Value};

fn code() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(entry::execute, entry::instantiate, entry::query)
            .with_migrate(entry::migrate),
    )
}

fn instantiate(_: &App, roles: &Roles) -> Value {
    json!({ "rewind": {
        "guardian": roles.guardian,
        "retention_blocks": 1_000,
        "retention_seconds": 86_400,
    }})
}

fn action(sender: usize, msg: Value) -> Action {
    Action {
        sender,
        msg,
        funds: vec![],
    }
}

fn examples(_: &App, _: &Roles) -> Vec<Example> {
    vec![
        Example {
            action: action(0, json!({ "increment": { "by": 2 } })),
            scope: PauseScope::Trade,
        },
        Example {
            action: action(0, json!({ "reset": {} })),
            scope: PauseScope::Trade,
        },
    ]
}

fn actions(_: &Roles) -> BoxedStrategy<Action> {
    prop_oneof![
        4 => (0..4usize, 0..5u64).prop_map(|(s, by)| action(s, json!({ "increment": { "by": by } }))),
        1 => (0..4usize).prop_map(|s| action(s, json!({ "reset": {} }))),
    ]
    .boxed()
}

fn subject(code: fn() -> Box<dyn Contract<Empty>>) -> Subject {
    Subject {
        label: "restorable-counter",
        code,
        instantiate,
        genesis_funds: Vec::new,
        setup: |_, _, _| {},
        execute_schema: || schemars::schema_for!(ExecuteMsg),
        examples,
        actions,
        plain: &[],
    }
}

#[test]
fn the_counter_conforms() {
    conformance::check_all(&subject(code), 24);
}

/// The counter's entry point, plus one raw write around the journal.
fn leaky_execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: rewind_target::ExecuteMsg<ExecuteMsg>,
) -> Result<Response, ContractError<restorable_counter::error::ContractError>> {
    deps.storage.set(b"leak", b"1");
    entry::execute(deps, env, info, msg)
}

fn leaky_query(
    deps: Deps,
    env: Env,
    msg: rewind_target::QueryMsg<restorable_counter::msg::QueryMsg>,
) -> Result<Binary, ContractError<cosmwasm_std::StdError>> {
    entry::query(deps, env, msg)
}

fn leaky_code() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(leaky_execute, entry::instantiate, leaky_query)
            .with_migrate(entry::migrate),
    )
}

#[test]
#[should_panic(expected = "was written outside the journal")]
fn a_write_around_the_journal_fails_the_suite() {
    conformance::rollback_matches_history(&subject(leaky_code), 4);
}

// ---- the cw20-spec token -------------------------------------------------------------

fn token_code() -> Box<dyn Contract<Empty>> {
    use restorable_cw20_token::contract::entry;
    Box::new(
        ContractWrapper::new(entry::execute, entry::instantiate, entry::query)
            .with_migrate(entry::migrate),
    )
}

fn token_instantiate(_: &App, roles: &Roles) -> Value {
    let balances: Vec<Value> = roles
        .users
        .iter()
        .map(|u| json!({"address": u, "amount": "1000000"}))
        .collect();
    json!({
        "name": "Rewind Token",
        "symbol": "RWD",
        "decimals": 6,
        "initial_balances": balances,
        "mint": {"minter": roles.users[0], "cap": null},
        "rewind": {"guardian": roles.guardian, "retention_blocks": 1_000, "retention_seconds": 86_400},
    })
}

fn token_examples(_: &App, roles: &Roles) -> Vec<Example> {
    let (to, owner) = (roles.users[1].to_string(), roles.users[0].to_string());
    let exit = PauseScope::Withdraw;
    let msg = cosmwasm_std::Binary::default();
    [
        (json!({"transfer": {"recipient": to, "amount": "1"}}), exit),
        (json!({"burn": {"amount": "1"}}), exit),
        (
            json!({"send": {"contract": to, "amount": "1", "msg": msg}}),
            exit,
        ),
        (
            json!({"increase_allowance": {"spender": to, "amount": "5"}}),
            PauseScope::Trade,
        ),
        (
            json!({"decrease_allowance": {"spender": to, "amount": "5"}}),
            PauseScope::Trade,
        ),
        (
            json!({"transfer_from": {"owner": owner, "recipient": to, "amount": "1"}}),
            exit,
        ),
        (
            json!({"send_from": {"owner": owner, "contract": to, "amount": "1", "msg": msg}}),
            exit,
        ),
        (json!({"burn_from": {"owner": owner, "amount": "1"}}), exit),
        (
            json!({"mint": {"recipient": to, "amount": "1"}}),
            PauseScope::Deposit,
        ),
        (
            json!({"update_minter": {"new_minter": owner}}),
            PauseScope::Trade,
        ),
    ]
    .into_iter()
    .map(|(msg, scope)| Example {
        action: action(0, msg),
        scope,
    })
    .collect()
}

fn token_actions(roles: &Roles) -> BoxedStrategy<Action> {
    let users: Vec<String> = roles.users.iter().map(|u| u.to_string()).collect();
    let pick = prop::sample::select(users);
    prop_oneof![
        (0..4usize, pick.clone(), 0..500u128).prop_map(|(s, to, amount)| action(
            s,
            json!({"transfer": {"recipient": to, "amount": amount.to_string()}})
        )),
        (0..4usize, pick.clone(), 1..500u128).prop_map(|(s, to, amount)| action(
            s,
            json!({"mint": {"recipient": to, "amount": amount.to_string()}})
        )),
        (0..4usize, 1..500u128)
            .prop_map(|(s, amount)| action(s, json!({"burn": {"amount": amount.to_string()}}))),
        (0..4usize, pick.clone(), 1..500u128).prop_map(|(s, spender, amount)| action(
            s,
            json!({"increase_allowance": {"spender": spender, "amount": amount.to_string()}})
        )),
        (0..4usize, pick.clone(), pick, 1..500u128).prop_map(|(s, owner, to, amount)| action(
            s,
            json!({"transfer_from": {"owner": owner, "recipient": to, "amount": amount.to_string()}})
        )),
    ]
    .boxed()
}

#[test]
fn the_cw20_token_conforms() {
    let token = Subject {
        label: "restorable-cw20-token",
        code: token_code,
        instantiate: token_instantiate,
        genesis_funds: Vec::new,
        setup: |_, _, _| {},
        execute_schema: || schemars::schema_for!(restorable_cw20_token::msg::ExecuteMsg),
        examples: token_examples,
        actions: token_actions,
        plain: &[],
    };
    conformance::check_all(&token, 24);
}

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

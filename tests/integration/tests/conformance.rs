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
            scope: Some(PauseScope::named("increment")),
        },
        Example {
            action: action(0, json!({ "reset": {} })),
            scope: Some(PauseScope::named("increment")),
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
        settled: &[],
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
fn r15_a_write_around_the_journal_fails_the_suite() {
    conformance::rollback_matches_history(&subject(leaky_code), 4);
}

/// The counter with `reset` run by the plain handler, behind no gate.
fn ungated_execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: rewind_target::ExecuteMsg<ExecuteMsg>,
) -> Result<Response, ContractError<restorable_counter::error::ContractError>> {
    match msg {
        rewind_target::Wrapped::Contract(ExecuteMsg::Reset {}) => {
            restorable_counter::contract::execute(deps, env, info, ExecuteMsg::Reset {})
                .map_err(ContractError::Contract)
        }
        msg => entry::execute(deps, env, info, msg),
    }
}

fn ungated_code() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(ungated_execute, entry::instantiate, leaky_query)
            .with_migrate(entry::migrate),
    )
}

#[test]
#[should_panic(expected = "`reset` ran while its scope")]
fn a_variant_that_skips_the_gate_fails_the_suite() {
    conformance::gate_covers_every_variant(&subject(ungated_code));
}

/// The counter with a migrate that takes any `upgrade`, whatever the stored cw2 record says.
fn careless_migrate(
    deps: DepsMut,
    env: Env,
    msg: rewind_target::MigrateMsg<restorable_counter::msg::MigrateMsg>,
) -> Result<Response, ContractError<restorable_counter::error::ContractError>> {
    match msg {
        rewind_target::Wrapped::Rewind(rewind_types::RestorableMigrateMsg::Upgrade {}) => {
            Ok(Response::new())
        }
        msg => entry::migrate(deps, env, msg),
    }
}

fn careless_code() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(entry::execute, entry::instantiate, leaky_query)
            .with_migrate(careless_migrate),
    )
}

#[test]
#[should_panic(expected = "Upgrade accepted over another contract's name")]
fn a_migrate_without_the_cw2_rule_fails_the_suite() {
    conformance::migrate_refuses_wrong_names_and_versions(&subject(careless_code));
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
    let msg = cosmwasm_std::Binary::default();
    [
        (
            "transfer",
            json!({"transfer": {"recipient": to, "amount": "1"}}),
        ),
        ("burn", json!({"burn": {"amount": "1"}})),
        (
            "transfer",
            json!({"send": {"contract": to, "amount": "1", "msg": msg}}),
        ),
        (
            "allowance",
            json!({"increase_allowance": {"spender": to, "amount": "5"}}),
        ),
        (
            "allowance",
            json!({"decrease_allowance": {"spender": to, "amount": "5"}}),
        ),
        (
            "transfer",
            json!({"transfer_from": {"owner": owner, "recipient": to, "amount": "1"}}),
        ),
        (
            "transfer",
            json!({"send_from": {"owner": owner, "contract": to, "amount": "1", "msg": msg}}),
        ),
        (
            "burn",
            json!({"burn_from": {"owner": owner, "amount": "1"}}),
        ),
        ("mint", json!({"mint": {"recipient": to, "amount": "1"}})),
        ("mint", json!({"update_minter": {"new_minter": owner}})),
    ]
    .into_iter()
    .map(|(scope, msg)| Example {
        action: action(0, msg),
        scope: Some(PauseScope::new(scope).expect("a valid scope name")),
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
        settled: &[],
    };
    conformance::check_all(&token, 24);
}

// ---- the constant-product pool: native funds, replayed and settled -----------------------

const POOL_DENOMS: [&str; 2] = ["uatom", "uosmo"];

fn pool_code() -> Box<dyn Contract<Empty>> {
    use restorable_xyk_pool::contract::entry;
    Box::new(
        ContractWrapper::new(entry::execute, entry::instantiate, entry::query)
            .with_migrate(entry::migrate),
    )
}

fn pool_instantiate(_: &App, roles: &Roles) -> Value {
    json!({
        "denoms": POOL_DENOMS,
        "fee_bps": 30,
        "rewind": {"guardian": roles.guardian, "retention_blocks": 1_000, "retention_seconds": 86_400},
    })
}

fn pool_pair(a: u128, b: u128) -> Vec<cosmwasm_std::Coin> {
    vec![
        cosmwasm_std::coin(a, POOL_DENOMS[0]),
        cosmwasm_std::coin(b, POOL_DENOMS[1]),
    ]
}

/// A first provider (not the attacker, `users[0]`), so that swaps have liquidity.
fn pool_setup(app: &mut App, roles: &Roles, pool: &cosmwasm_std::Addr) {
    use cw_multi_test::Executor;
    let msg = json!({"provide_liquidity": {}});
    app.execute_contract(
        roles.users[1].clone(),
        pool.clone(),
        &msg,
        &pool_pair(1_000_000, 2_000_000),
    )
    .expect("the first deposit");
}

fn pool_examples(_: &App, _: &Roles) -> Vec<Example> {
    let example = |msg: Value, funds, scope| Example {
        action: Action {
            sender: 1,
            msg,
            funds,
        },
        scope: Some(PauseScope::named(scope)),
    };
    vec![
        example(
            json!({"provide_liquidity": {}}),
            pool_pair(1_000, 2_000),
            "provide",
        ),
        example(
            json!({"withdraw_liquidity": {"share": "1000"}}),
            vec![],
            "withdraw",
        ),
        example(
            json!({"swap": {}}),
            cosmwasm_std::coins(1_000, POOL_DENOMS[0]),
            "swap",
        ),
    ]
}

fn pool_actions(_: &Roles) -> BoxedStrategy<Action> {
    prop_oneof![
        (0..4usize, 1..200_000u128, 1..200_000u128).prop_map(|(s, a, b)| Action {
            sender: s,
            msg: json!({"provide_liquidity": {}}),
            funds: pool_pair(a, b),
        }),
        (0..4usize, 1..300_000u128).prop_map(|(s, share)| Action {
            sender: s,
            msg: json!({"withdraw_liquidity": {"share": share.to_string()}}),
            funds: vec![],
        }),
        (0..4usize, 0..2usize, 1..300_000u128).prop_map(|(s, d, amount)| Action {
            sender: s,
            msg: json!({"swap": {}}),
            funds: cosmwasm_std::coins(amount, POOL_DENOMS[d]),
        }),
    ]
    .boxed()
}

#[test]
fn r17_the_xyk_pool_conforms() {
    let pool = Subject {
        label: "restorable-xyk-pool",
        code: pool_code,
        instantiate: pool_instantiate,
        genesis_funds: || pool_pair(1_000_000_000_000, 1_000_000_000_000),
        setup: pool_setup,
        execute_schema: || schemars::schema_for!(restorable_xyk_pool::msg::ExecuteMsg),
        examples: pool_examples,
        actions: pool_actions,
        plain: &["settlement"],
        // The settle hook cuts a reserve above the bank balance to it (an excluded account's
        // swap or withdrawal took real funds): shares and the total are compared exactly.
        settled: &["reserves"],
    };
    conformance::check_all(&pool, 24);
}

// ---- rewind-vault: a target made restorable by rewind-target, holding native funds -----

const USDC: &str = "uusdc";
const MARKET: &str = "BTC-PERP";

fn vault_code() -> Box<dyn Contract<Empty>> {
    use rewind_vault::contract::entry::{execute, instantiate, migrate, query};
    Box::new(ContractWrapper::new(execute, instantiate, query).with_migrate(migrate))
}

fn vault_instantiate(app: &App, roles: &Roles) -> Value {
    json!({
        "governance": roles.named(app, "governance"),
        "guardian": roles.guardian,
        "feeder": roles.named(app, "feeder"),
        "insurance": roles.named(app, "insurance"),
        "denoms": [USDC],
        "markets": [{
            "id": MARKET, "denom": USDC,
            "initial_margin_ratio": "0.1", "maintenance_margin_ratio": "0.05",
            "liquidation_reward_ratio": "0.05", "liquidation_fee_ratio": "0.05",
        }],
        "breaker_bound_bps": 5_000,
        "breaker_pause_seconds": 3_600,
        "breaker_max_trip_seconds": 3_600,
        "breaker_cooldown_seconds": 3_600,
        "breaker_budget_trips": 3,
        "breaker_window_seconds": 86_400,
        "max_pause_seconds": 259_200,
        "retention_blocks": 1_000,
        "retention_seconds": 86_400,
    })
}

fn vault_setup(app: &mut App, roles: &Roles, vault: &cosmwasm_std::Addr) {
    use cw_multi_test::Executor;
    let feeder = roles.named(app, "feeder");
    app.execute_contract(
        feeder,
        vault.clone(),
        &json!({"push_price": {"market": MARKET, "price": "100"}}),
        &[],
    )
    .expect("the first price");
}

fn usdc(amount: u128) -> Vec<cosmwasm_std::Coin> {
    cosmwasm_std::coins(amount, USDC)
}

fn vault_examples(_: &App, roles: &Roles) -> Vec<Example> {
    let with_funds = |msg: Value, funds, scope| Example {
        action: Action {
            sender: 0,
            msg,
            funds,
        },
        scope,
    };
    let other = roles.users[1].to_string();
    vec![
        with_funds(
            json!({"deposit": {}}),
            usdc(100),
            Some(rewind_types::vault::DEPOSIT),
        ),
        with_funds(
            json!({"withdraw": {"denom": USDC, "amount": "1"}}),
            vec![],
            Some(rewind_types::vault::WITHDRAW),
        ),
        with_funds(
            json!({"open_position": {"market": MARKET, "size": "1", "margin": "50"}}),
            vec![],
            Some(rewind_types::vault::TRADE),
        ),
        with_funds(
            json!({"close_position": {"market": MARKET}}),
            vec![],
            Some(rewind_types::vault::TRADE),
        ),
        with_funds(
            json!({"liquidate": {"account": other, "market": MARKET}}),
            vec![],
            Some(rewind_types::vault::LIQUIDATE),
        ),
        // Its own scope: `feed` (prices stay fresh while the other scopes are paused).
        with_funds(
            json!({"push_price": {"market": MARKET, "price": "101"}}),
            vec![],
            Some(rewind_types::vault::FEED),
        ),
        // The reference feeder's push (issue 16) is gated by `feed` too.
        with_funds(
            json!({"push_reference_price": {"market": MARKET, "price": "101"}}),
            vec![],
            Some(rewind_types::vault::FEED),
        ),
    ]
}

fn vault_actions(_: &Roles) -> BoxedStrategy<Action> {
    prop_oneof![
        3 => (0..4usize, 1..5_000u128).prop_map(|(s, a)| Action {
            sender: s,
            msg: json!({"deposit": {}}),
            funds: usdc(a),
        }),
        2 => (0..4usize, 1..5_000u128).prop_map(|(s, a)| Action {
            sender: s,
            msg: json!({"withdraw": {"denom": USDC, "amount": a.to_string()}}),
            funds: vec![],
        }),
        1 => (0..4usize, -20i64..20, 10..500u128).prop_map(|(s, size, margin)| Action {
            sender: s,
            msg: json!({"open_position": {"market": MARKET, "size": size.to_string(), "margin": margin.to_string()}}),
            funds: vec![],
        }),
        1 => (0..4usize).prop_map(|s| Action {
            sender: s,
            msg: json!({"close_position": {"market": MARKET}}),
            funds: vec![],
        }),
    ]
    .boxed()
}

#[test]
fn r15_the_vault_conforms() {
    let vault = Subject {
        label: "rewind-vault",
        code: vault_code,
        instantiate: vault_instantiate,
        genesis_funds: || usdc(1_000_000_000),
        setup: vault_setup,
        execute_schema: || schemars::schema_for!(rewind_types::vault::ExecuteMsg),
        examples: vault_examples,
        actions: vault_actions,
        plain: rewind_vault::state::PLAIN.0,
        settled: &[],
    };
    // Every check, the replay too: the vault is made restorable by rewind-target, which
    // replays its recorded executions after the height.
    conformance::check_all(&vault, 16);
}

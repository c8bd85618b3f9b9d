//! Targets of any code through the whole real system: a contract made restorable with
//! rewind-target goes through exploit, pause, vote, timelock, crank, verified digest,
//! reopening and normal use, next to a vault, with the same Suite helpers.

mod common;

use common::{assert_complete, EXPEDITED, MAX_PAUSE};
use cosmwasm_std::{Addr, Empty};
use cw_multi_test::{Contract, ContractWrapper, Executor};
use rewind_testing::suite::{
    RestorationProposal, Suite, SuiteBuilder, TargetCode, TargetModules, HOUR,
};
use rewind_testing::{contract_error_text, SuiteBase};
use rewind_types::{PauseScope, ShortfallPolicy};
use serde_json::{json, Value};

/// The targets' indexes in `Suite::targets`: after the one vault.
const COUNTER: usize = 1;
const TOKEN: usize = 2;

fn counter_code() -> Box<dyn Contract<Empty>> {
    use restorable_counter::contract::entry;
    Box::new(
        ContractWrapper::new(entry::execute, entry::instantiate, entry::query)
            .with_migrate(entry::migrate),
    )
}

fn counter_init(modules: &TargetModules) -> Value {
    json!({ "rewind": {
        "guardian": modules.guardian,
        "retention_blocks": 100_000,
        "retention_seconds": 2_592_000,
    }})
}

fn token_code() -> Box<dyn Contract<Empty>> {
    use restorable_cw20_token::contract::entry;
    Box::new(
        ContractWrapper::new(entry::execute, entry::instantiate, entry::query)
            .with_migrate(entry::migrate),
    )
}

/// The users and the attacker hold 1,000 tokens each; the minter key is "minter".
fn token_init(modules: &TargetModules) -> Value {
    let api = cosmwasm_std::testing::MockApi::default();
    let holders: Vec<Value> = ["user0", "user1", "user2", "attacker"]
        .iter()
        .map(|n| json!({"address": api.addr_make(n), "amount": "1000"}))
        .collect();
    json!({
        "name": "Rewind Token", "symbol": "RWD", "decimals": 6,
        "initial_balances": holders,
        "mint": {"minter": api.addr_make("minter"), "cap": null},
        "rewind": {
            "guardian": modules.guardian,
            "retention_blocks": 100_000,
            "retention_seconds": 2_592_000,
        },
    })
}

fn suite_with_counter() -> Suite {
    SuiteBuilder::new()
        .with_target(TargetCode {
            label: "restorable-counter",
            code: counter_code,
            instantiate: counter_init,
            exits_pausable: true,
            scopes: <restorable_counter::msg::ExecuteMsg as rewind_target::Gated>::SCOPES,
        })
        .with_target(TargetCode {
            label: "restorable-cw20-token",
            code: token_code,
            instantiate: token_init,
            exits_pausable: true,
            scopes: <restorable_cw20_token::msg::ExecuteMsg as rewind_target::Gated>::SCOPES,
        })
        .build()
}

fn token_exec(s: &mut Suite, who: &Addr, msg: Value) -> Result<(), String> {
    let target = s.targets[TOKEN].clone();
    s.app
        .execute_contract(who.clone(), target, &msg, &[])
        .map(|_| ())
        .map_err(|e| contract_error_text(&e))
}

fn token_balance(s: &Suite, who: &Addr) -> u128 {
    let r: Value = s.query(&s.targets[TOKEN], &json!({"balance": {"address": who}}));
    r["balance"]
        .as_str()
        .expect("a balance")
        .parse()
        .expect("a number")
}

fn increment(s: &mut Suite, who: &Addr, by: u64) -> Result<(), String> {
    let target = s.targets[COUNTER].clone();
    s.app
        .execute_contract(who.clone(), target, &json!({"increment": {"by": by}}), &[])
        .map(|_| ())
        .map_err(|e| contract_error_text(&e))
}

fn count(s: &Suite, who: &Addr) -> u64 {
    s.query(&s.targets[COUNTER], &json!({"count": {"address": who}}))
}

/// Pause, propose with candidate `h` excluding `exclusions`, vote, close, wait out the
/// timelock, execute and crank to completion. Returns the restoration id.
fn restore(s: &mut Suite, target: usize, h: u64, exclusions: Vec<Addr>) -> u64 {
    s.pause(target, PauseScope::ALL, MAX_PAUSE).unwrap();
    s.advance_blocks(1);
    let holder = s.holder(0);
    let p = RestorationProposal {
        targets: vec![target],
        heights: vec![h],
        exclusions,
        policy: ShortfallPolicy::ProRataHaircut,
        expedited: true,
    };
    let id = s.propose_restoration(&holder, &p).unwrap();
    s.vote_all_holders(id, h);
    s.advance_by(EXPEDITED, EXPEDITED / 5);
    s.close(id).unwrap();
    let op = s.operation_of(id);
    s.advance_by(12 * HOUR, 100);
    s.execute_op(op).unwrap();
    s.crank_until_done(op, Some(2), 200);
    op
}

#[test]
fn a_restorable_counter_goes_through_a_full_restoration() {
    let mut s = suite_with_counter();
    let (u0, u1, attacker) = (s.user(0), s.user(1), s.attacker());
    increment(&mut s, &u0, 3).unwrap();
    increment(&mut s, &attacker, 1).unwrap();
    s.advance_blocks(1);
    increment(&mut s, &u1, 2).unwrap();
    let h = s.height(); // the end of this block is the last good state
    s.advance_blocks(1);
    // The exploit, after the last good block.
    increment(&mut s, &attacker, 1_000_000).unwrap();
    s.advance_blocks(1);

    let op = restore(&mut s, COUNTER, h, vec![attacker.clone()]);
    assert_complete(&s, op, h);
    let status = s.restoration_status(COUNTER);
    assert!(status.digest_verified);
    assert_eq!(status.height, Some(h));
    // The state at the end of the last good block.
    assert_eq!(
        (count(&s, &u0), count(&s, &u1), count(&s, &attacker)),
        (3, 2, 1)
    );
    let info = s.journal_info(COUNTER);
    assert!(!info.restoring && info.restoration_lock_until.is_none());

    // Reopened once the pause ends: honest users use it again; the attacker is frozen.
    s.advance_time(MAX_PAUSE);
    increment(&mut s, &u1, 2).unwrap();
    assert_eq!(count(&s, &u1), 4);
    let refused = increment(&mut s, &attacker, 1).unwrap_err();
    assert!(refused.contains("is frozen by a restoration"), "{refused}");
}

#[test]
fn a_guardian_pause_of_the_counters_scope_stops_it_and_ends_by_itself() {
    let mut s = suite_with_counter();
    let u0 = s.user(0);
    s.pause(COUNTER, PauseScope::named("increment"), HOUR)
        .unwrap();
    let refused = increment(&mut s, &u0, 1).unwrap_err();
    assert!(refused.contains("is paused until"), "{refused}");
    // The vault next to it is untouched by the counter's pause.
    s.deposit(&u0, 0, 10).unwrap();
    s.advance_time(HOUR);
    increment(&mut s, &u0, 1).unwrap();
}

#[test]
fn r16_a_restorable_cw20_token_goes_through_a_full_restoration() {
    let mut s = suite_with_counter();
    let (u0, u1, attacker) = (s.user(0), s.user(1), s.attacker());
    let minter = s.addr("minter");
    token_exec(
        &mut s,
        &u0,
        json!({"transfer": {"recipient": u1, "amount": "100"}}),
    )
    .unwrap();
    let h = s.height();
    s.advance_blocks(1);
    // The exploit: the attacker obtains the minter key, mints itself a fortune and moves part
    // of it to a fresh account, while an honest transfer happens too.
    token_exec(
        &mut s,
        &minter,
        json!({"mint": {"recipient": attacker, "amount": "1000000"}}),
    )
    .unwrap();
    token_exec(
        &mut s,
        &attacker,
        json!({"transfer": {"recipient": u1, "amount": "500000"}}),
    )
    .unwrap();
    s.advance_blocks(1);

    let op = restore(&mut s, TOKEN, h, vec![attacker.clone()]);
    assert_complete(&s, op, h);
    assert!(s.restoration_status(TOKEN).digest_verified);
    assert_eq!(
        (
            token_balance(&s, &u0),
            token_balance(&s, &u1),
            token_balance(&s, &attacker)
        ),
        (900, 1_100, 1_000)
    );
    let info: Value = s.query(&s.targets[TOKEN], &json!({"token_info": {}}));
    assert_eq!(info["total_supply"], "4000", "the minted supply is gone");

    // Reopened: honest holders transfer again; the excluded attacker's balance is frozen.
    s.advance_time(MAX_PAUSE);
    token_exec(
        &mut s,
        &u1,
        json!({"transfer": {"recipient": u0, "amount": "100"}}),
    )
    .unwrap();
    assert_eq!(token_balance(&s, &u0), 1_000);
    let refused = token_exec(
        &mut s,
        &attacker,
        json!({"transfer": {"recipient": u0, "amount": "1"}}),
    )
    .unwrap_err();
    assert!(refused.contains("is frozen by a restoration"), "{refused}");
    let refused = token_exec(
        &mut s,
        &u0,
        json!({"transfer": {"recipient": attacker, "amount": "1"}}),
    )
    .unwrap_err();
    assert!(refused.contains("its state cannot change"), "{refused}");
}

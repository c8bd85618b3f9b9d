//! Issue 15, self-sovereign exits, on the restorable xyk pool through the whole system: the
//! pool's `max_offline` at instantiation, the guardian's pauses on its offline clock, the
//! successor registered by a peacetime vote (`ConfigureTarget`, the library's
//! `{"rewind": ..}` JSON), and each LP's share of both reserves moved alone.

use cosmwasm_std::{coin, to_json_binary, Addr, Binary, Coin, Empty, HexBinary};
use cw_multi_test::{Contract, ContractWrapper, Executor};
use rewind_testing::suite::{Suite, SuiteBuilder, TargetCode, TargetModules, HOUR};
use rewind_testing::{contract_error_text, SuiteBase};
use rewind_types::governance::ParameterChange;
use rewind_types::restorable::{RestorableExecuteMsg, RestorableQueryMsg};
use rewind_types::successor::{
    OfflineStatusResponse, RemainingClaimsResponse, RewindConfig, RewindConfigMsg, SuccessorPin,
};
use rewind_types::PauseScope;
use serde_json::{json, Value};

const POOL: usize = 1;
const DENOMS: [&str; 2] = ["ugov", "uusdc"];
/// The pool's `max_offline`: the shortest the library takes.
const MAX_OFFLINE: u64 = HOUR;

fn pool_code() -> Box<dyn Contract<Empty>> {
    use restorable_xyk_pool::contract::entry;
    Box::new(
        ContractWrapper::new(entry::execute, entry::instantiate, entry::query)
            .with_migrate(entry::migrate),
    )
}

fn pool_init(modules: &TargetModules) -> Value {
    json!({
        "denoms": DENOMS,
        "fee_bps": 30,
        "rewind": {
            "guardian": modules.guardian,
            "retention_blocks": 100_000,
            "retention_seconds": 2_592_000,
            "max_offline": MAX_OFFLINE,
        },
    })
}

fn claims_vault() -> Box<dyn Contract<Empty>> {
    use claims_vault::contract as c;
    Box::new(ContractWrapper::new(c::execute, c::instantiate, c::query).with_migrate(c::migrate))
}

fn rewind_json(cfg: RewindConfig) -> Binary {
    to_json_binary(&RewindConfigMsg { rewind: cfg }).unwrap()
}

/// The pool with two LPs, and a claims vault registered as its successor by a vote.
fn setup() -> (Suite, Addr, Addr) {
    let mut s = SuiteBuilder::new()
        .with_target(TargetCode {
            label: "restorable-xyk-pool",
            code: pool_code,
            instantiate: pool_init,
            exits_pausable: true,
            scopes: <restorable_xyk_pool::msg::ExecuteMsg as rewind_target::Gated>::SCOPES,
        })
        .build();
    let pool = s.targets[POOL].clone();
    let code = s.app.store_code(claims_vault());
    let admin = s.addr("successor-admin");
    let successor = s
        .app
        .instantiate_contract(
            code,
            admin,
            &claims_vault::msg::InstantiateMsg {
                sources: vec![pool.to_string()],
            },
            &[],
            "claims-vault",
            None,
        )
        .unwrap();
    let checksum = s.app.wrap().query_wasm_code_info(code).unwrap().checksum;
    s.pass_parameters(
        "Exits",
        vec![ParameterChange::ConfigureTarget {
            contract: pool.to_string(),
            config: rewind_json(RewindConfig {
                successor: Some(SuccessorPin {
                    address: successor.to_string(),
                    checksum: HexBinary::from(checksum.as_slice()),
                }),
                ..Default::default()
            }),
        }],
    );
    for (i, (a, b)) in [(1_000_000u128, 2_000_000u128), (500_000, 1_000_000)]
        .into_iter()
        .enumerate()
    {
        let who = s.user(i);
        let funds = vec![coin(a, DENOMS[0]), coin(b, DENOMS[1])];
        s.app
            .execute_contract(who, pool.clone(), &json!({"provide_liquidity": {}}), &funds)
            .unwrap();
    }
    s.advance_blocks(1);
    (s, pool, successor)
}

fn offline(s: &Suite, pool: &Addr) -> OfflineStatusResponse {
    s.query(pool, &RestorableQueryMsg::OfflineStatus {})
}

fn remaining(s: &Suite, pool: &Addr) -> RemainingClaimsResponse {
    s.query(pool, &RestorableQueryMsg::RemainingClaims {})
}

fn send(s: &mut Suite, pool: &Addr, who: &Addr, msg: Value, funds: &[Coin]) -> Result<(), String> {
    s.app
        .execute_contract(who.clone(), pool.clone(), &msg, funds)
        .map(|_| ())
        .map_err(|e| contract_error_text(&e))
}

fn move_claim(s: &mut Suite, pool: &Addr, who: &Addr) -> Result<(), String> {
    let msg = serde_json::to_value(RestorableExecuteMsg::MoveToSuccessor {}).unwrap();
    send(s, pool, who, msg, &[])
}

fn share(s: &Suite, pool: &Addr, who: &Addr) -> u128 {
    let share: cosmwasm_std::Uint128 = s.query(pool, &json!({"share": {"address": who}}));
    share.u128()
}

/// X1: the pool is exit-only after one long guardian pause past `max_offline`, not before;
/// in that mode a swap or a deposit is refused and the exit (`withdraw_liquidity`) runs
/// through the pause.
#[test]
fn x1_pool_exit_only_after_a_long_pause_exits_run_through_it() {
    let (mut s, pool, _) = setup();
    s.pause(POOL, PauseScope::ALL, 3 * HOUR).unwrap();
    s.advance_time(MAX_OFFLINE);
    assert!(!offline(&s, &pool).exit_only);
    let u0 = s.user(0);
    let withdraw = json!({"withdraw_liquidity": {"share": "1000"}});
    assert!(send(&mut s, &pool, &u0, withdraw.clone(), &[])
        .unwrap_err()
        .contains("paused"));
    s.advance_time(1);
    assert!(offline(&s, &pool).exit_only);
    let swap = send(
        &mut s,
        &pool,
        &u0,
        json!({"swap": {}}),
        &[coin(10, DENOMS[0])],
    );
    // The swap is still paused (the pause refuses it, one read); the exit runs through it.
    assert!(swap.unwrap_err().contains("paused"));
    send(&mut s, &pool, &u0, withdraw, &[]).unwrap();
    // Once the pause has ended, exit-only mode alone refuses the swap.
    s.advance_time(3 * HOUR);
    let swap = send(
        &mut s,
        &pool,
        &u0,
        json!({"swap": {}}),
        &[coin(10, DENOMS[0])],
    );
    assert!(swap.unwrap_err().contains("exit-only mode"));
}

/// X2 (the reset attack on the pool): guardian pause/unpause cycles accumulate.
#[test]
fn x2_pool_pause_cycles_are_cumulative() {
    let (mut s, pool, _) = setup();
    // The guardian's own cooldown spaces the pauses; the clock still sums them.
    for i in 0..2 {
        s.pause(POOL, PauseScope::ALL, 3 * HOUR).unwrap();
        s.advance_time(HOUR / 2 + 1);
        s.end_pause(POOL, PauseScope::ALL).unwrap();
        assert_eq!(offline(&s, &pool).exit_only, i == 1);
        s.advance_time(3 * 24 * HOUR);
    }
    let st = offline(&s, &pool);
    assert!(st.exit_only && !st.stopped, "{st:?}");
    assert_eq!(st.stopped_seconds, 2 * (HOUR / 2 + 1));
}

/// X5, X8: each LP alone moves its share of both reserves to the successor registered by the
/// vote; the remaining total is the reserves; what moves never exceeds the bank balance;
/// a second move is refused; governance's reopening ends exit-only mode.
#[test]
fn x5_x8_pool_moves_each_share_alone_then_reopens() {
    let (mut s, pool, successor) = setup();
    let (u0, u1) = (s.user(0), s.user(1));
    assert!(move_claim(&mut s, &pool, &u0)
        .unwrap_err()
        .contains("not in exit-only mode"));
    s.pause(POOL, PauseScope::ALL, 3 * HOUR).unwrap();
    s.advance_time(MAX_OFFLINE + 1);
    let reserves = remaining(&s, &pool).remaining;
    let bank: Vec<u128> = DENOMS.iter().map(|d| s.balance(&pool, d)).collect();
    let (share0, total): (u128, u128) = {
        let p: restorable_xyk_pool::msg::PoolResponse = s.query(&pool, &json!({"pool": {}}));
        (share(&s, &pool, &u0), p.total_share.u128())
    };
    move_claim(&mut s, &pool, &u0).unwrap();
    let got: Vec<Coin> = s
        .app
        .wrap()
        .query_wasm_smart(&successor, &json!({"claim": {"account": u0}}))
        .unwrap();
    for (i, c) in got.iter().enumerate() {
        let r = rewind_testing::suite::coin_u128(&reserves[i]);
        assert_eq!(rewind_testing::suite::coin_u128(c), r * share0 / total);
        assert!(rewind_testing::suite::coin_u128(c) <= bank[i]);
    }
    assert_eq!(share(&s, &pool, &u0), 0);
    assert_eq!(share(&s, &pool, &u1), share(&s, &pool, &u1), "u1 untouched");
    assert!(move_claim(&mut s, &pool, &u0)
        .unwrap_err()
        .contains("has no claim to move"));
    let left = remaining(&s, &pool);
    for (i, c) in left.remaining.iter().enumerate() {
        assert_eq!(
            rewind_testing::suite::coin_u128(c),
            rewind_testing::suite::coin_u128(&reserves[i])
                - rewind_testing::suite::coin_u128(&got[i])
        );
        assert_eq!(
            s.balance(&pool, DENOMS[i]),
            bank[i] - rewind_testing::suite::coin_u128(&got[i])
        );
    }
    move_claim(&mut s, &pool, &u1).unwrap();
    assert_eq!(remaining(&s, &pool).moves, 2);
    // Governance reopens (a peacetime vote): exit-only mode ends.
    s.pass_parameters(
        "Exits",
        vec![ParameterChange::ConfigureTarget {
            contract: pool.to_string(),
            config: rewind_json(RewindConfig {
                reopen: true,
                ..Default::default()
            }),
        }],
    );
    let st = offline(&s, &pool);
    assert!(!st.exit_only, "{st:?}");
}

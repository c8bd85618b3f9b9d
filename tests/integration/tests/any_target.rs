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
    let op = propose_and_execute(s, &[target], h, exclusions);
    s.crank_until_done(op, Some(2), 200);
    op
}

/// Pauses the targets, proposes and votes the restoration, waits out the timelock and
/// executes it; returns the operation, not yet cranked.
fn propose_and_execute(s: &mut Suite, targets: &[usize], h: u64, exclusions: Vec<Addr>) -> u64 {
    for &target in targets {
        s.pause(target, PauseScope::ALL, MAX_PAUSE).unwrap();
    }
    s.advance_blocks(1);
    let holder = s.holder(0);
    let p = RestorationProposal {
        targets: targets.to_vec(),
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
fn r17_the_targets_of_one_restoration_replay_in_one_order_by_height() {
    let mut s = suite_with_counter();
    let (u0, u1) = (s.user(0), s.user(1));
    increment(&mut s, &u0, 1).unwrap();
    let h = s.height();
    s.advance_blocks(1);
    // Activity on both targets, interleaved block by block.
    let transfer = |to: &Addr| json!({"transfer": {"recipient": to, "amount": "1"}});
    for block in 0..6 {
        match block % 3 {
            0 => increment(&mut s, &u1, 1).unwrap(),
            1 => token_exec(&mut s, &u0, transfer(&u1)).unwrap(),
            _ => {
                increment(&mut s, &u0, 1).unwrap();
                token_exec(&mut s, &u1, transfer(&u0)).unwrap();
            }
        }
        s.advance_blocks(1);
    }
    let op = propose_and_execute(&mut s, &[COUNTER, TOKEN], h, vec![]);
    // One replay per crank (the limit is one replay's weight): watch which target moves.
    let next = |s: &Suite, t: usize| s.restoration_status(t).next_replay.map(|id| id.height);
    let done = |s: &Suite, t: usize| s.restoration_status(t).replayed_executions;
    let mut replayed_heights = vec![];
    for _ in 0..100 {
        if s.restoration(op).state != rewind_types::executor::RestorationState::Running {
            break;
        }
        let before = [COUNTER, TOKEN].map(|t| (next(&s, t), done(&s, t)));
        s.crank(Some(op), Some(rewind_target::execute::REPLAY_WEIGHT))
            .unwrap();
        s.advance_blocks(1);
        for (i, t) in [COUNTER, TOKEN].into_iter().enumerate() {
            if done(&s, t) > before[i].1 {
                replayed_heights.push((before[i].0.expect("it had a next record"), t));
            }
        }
    }
    assert_complete(&s, op, h);
    assert_eq!(replayed_heights.len(), 8, "{replayed_heights:?}");
    let heights: Vec<u64> = replayed_heights.iter().map(|(height, _)| *height).collect();
    let mut sorted = heights.clone();
    sorted.sort();
    assert_eq!(
        heights, sorted,
        "replayed out of order: {replayed_heights:?}"
    );
    assert!(
        replayed_heights.windows(2).any(|w| w[0].1 != w[1].1),
        "both targets took turns"
    );
    assert_eq!(count(&s, &u0) + count(&s, &u1), 1 + 4);
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

// ---- the constant-product pool: native funds, honest activity replayed, shortfall settled --

/// The pool's index in `Suite::targets` of [`suite_with_pool`]: after the one vault.
const POOL: usize = 1;
/// The pool's denoms: every actor holds both at genesis.
const POOL_DENOMS: [&str; 2] = ["ugov", "uusdc"];

fn pool_code() -> Box<dyn Contract<Empty>> {
    use restorable_xyk_pool::contract::entry;
    Box::new(
        ContractWrapper::new(entry::execute, entry::instantiate, entry::query)
            .with_migrate(entry::migrate),
    )
}

fn pool_init(modules: &TargetModules) -> Value {
    json!({
        "denoms": POOL_DENOMS,
        "fee_bps": 30,
        "rewind": {
            "guardian": modules.guardian,
            "retention_blocks": 100_000,
            "retention_seconds": 2_592_000,
        },
    })
}

fn suite_with_pool() -> Suite {
    SuiteBuilder::new()
        .with_target(TargetCode {
            label: "restorable-xyk-pool",
            code: pool_code,
            instantiate: pool_init,
            exits_pausable: true,
            scopes: <restorable_xyk_pool::msg::ExecuteMsg as rewind_target::Gated>::SCOPES,
        })
        .build()
}

/// One pool message: `provide` (both amounts), `swap` (one coin), `withdraw` (a share).
#[derive(Clone, Debug)]
enum PoolOp {
    Provide(u128, u128),
    Swap(usize, u128),
    Withdraw(u128),
}

fn pool_send(s: &mut Suite, pool: &Addr, who: &Addr, op: &PoolOp) -> Result<(), String> {
    let (msg, funds) = match *op {
        PoolOp::Provide(a, b) => (
            json!({"provide_liquidity": {}}),
            vec![
                cosmwasm_std::coin(a, POOL_DENOMS[0]),
                cosmwasm_std::coin(b, POOL_DENOMS[1]),
            ],
        ),
        PoolOp::Swap(d, amount) => (
            json!({"swap": {}}),
            cosmwasm_std::coins(amount, POOL_DENOMS[d]),
        ),
        PoolOp::Withdraw(share) => (
            json!({"withdraw_liquidity": {"share": share.to_string()}}),
            vec![],
        ),
    };
    s.app
        .execute_contract(who.clone(), pool.clone(), &msg, &funds)
        .map(|_| ())
        .map_err(|e| contract_error_text(&e))
}

fn pool_state(s: &Suite, pool: &Addr) -> restorable_xyk_pool::msg::PoolResponse {
    s.query(pool, &json!({"pool": {}}))
}

fn pool_reserves(s: &Suite, pool: &Addr) -> [u128; 2] {
    pool_state(s, pool)
        .assets
        .map(|c| rewind_testing::suite::coin_u128(&c))
}

fn pool_share(s: &Suite, pool: &Addr, who: &Addr) -> u128 {
    let share: cosmwasm_std::Uint128 = s.query(pool, &json!({"share": {"address": who}}));
    share.u128()
}

/// Every reserve is backed by the pool's bank balance.
fn assert_solvent(s: &Suite, pool: &Addr) {
    let reserves = pool_reserves(s, pool);
    for (reserve, denom) in reserves.iter().zip(POOL_DENOMS) {
        let bank = s.balance(pool, denom);
        assert!(
            *reserve <= bank,
            "{denom}: reserve {reserve} above bank {bank}"
        );
    }
}

#[test]
fn r17_the_pool_restores_with_honest_activity_replayed_and_the_shortfall_settled() {
    let mut s = suite_with_pool();
    let pool = s.targets[POOL].clone();
    let (u0, u1, u2, attacker) = (s.user(0), s.user(1), s.user(2), s.attacker());
    let before_h = [
        (u0.clone(), PoolOp::Provide(1_000_000, 2_000_000)),
        (u1.clone(), PoolOp::Provide(500_000, 1_000_000)),
        (u2.clone(), PoolOp::Swap(0, 10_000)),
    ];
    for (who, op) in &before_h {
        pool_send(&mut s, &pool, who, op).unwrap();
    }
    let h = s.height(); // the end of this block is the last good state
    s.advance_blocks(1);

    // The exploit: the attacker provides, drains one side with a large swap and withdraws,
    // moving real funds out; honest users keep trading and withdrawing at the prices it set.
    pool_send(
        &mut s,
        &pool,
        &attacker,
        &PoolOp::Provide(3_000_000, 6_000_000),
    )
    .unwrap();
    pool_send(&mut s, &pool, &attacker, &PoolOp::Swap(0, 4_000_000)).unwrap();
    let loot = pool_share(&s, &pool, &attacker);
    pool_send(&mut s, &pool, &attacker, &PoolOp::Withdraw(loot)).unwrap();
    let u1_half = pool_share(&s, &pool, &u1) / 2;
    let after_h = [
        (u2.clone(), PoolOp::Swap(1, 50_000)),
        (u1.clone(), PoolOp::Withdraw(u1_half)),
        (u0.clone(), PoolOp::Provide(200_000, 300_000)),
    ];
    for (who, op) in &after_h[..2] {
        pool_send(&mut s, &pool, who, op).unwrap();
    }
    s.advance_blocks(1);
    pool_send(&mut s, &pool, &after_h[2].0, &after_h[2].1).unwrap();
    let last = (u2.clone(), PoolOp::Swap(0, 20_000));
    pool_send(&mut s, &pool, &last.0, &last.1).unwrap();
    s.advance_blocks(1);
    let honest_after: Vec<(Addr, PoolOp)> = after_h.iter().cloned().chain([last]).collect();

    // What holders see before they vote: the dry run of this very restoration.
    let preview: rewind_types::restorable::ReplayPreviewResponse = s.query(
        &pool,
        &rewind_types::RestorableQueryMsg::ReplayPreview {
            height: h,
            exclusions: vec![attacker.to_string()],
            limit: None,
            // Each account's LP share, before and after, in the pool's own query language.
            queries: [&u0, &u1, &u2, &attacker]
                .iter()
                .map(|who| {
                    cosmwasm_std::to_json_binary(&json!({"share": {"address": who}})).unwrap()
                })
                .collect(),
        },
    );
    let previewed_shares: Vec<(u128, u128)> = preview
        .answers
        .iter()
        .map(|a| {
            let n = |q: &rewind_types::restorable::QueryAnswer| match q {
                rewind_types::restorable::QueryAnswer::Ok(b) => {
                    cosmwasm_std::from_json::<cosmwasm_std::Uint128>(b)
                        .unwrap()
                        .u128()
                }
                rewind_types::restorable::QueryAnswer::Error(e) => panic!("{e}"),
            };
            (n(&a.before), n(&a.after))
        })
        .collect();
    let today: Vec<u128> = [&u0, &u1, &u2, &attacker]
        .iter()
        .map(|w| pool_share(&s, &pool, w))
        .collect();
    assert_eq!(
        previewed_shares.iter().map(|p| p.0).collect::<Vec<_>>(),
        today
    );

    let op = restore(&mut s, POOL, h, vec![attacker.clone()]);
    assert_complete(&s, op, h);
    let status = s.restoration_status(POOL);
    assert!(status.digest_verified);
    assert_eq!(status.height, Some(h));
    assert_eq!(
        (status.replayed_executions, status.skipped_executions),
        (honest_after.len() as u64, 3),
        "every honest execution after the height replayed, the attacker's three skipped"
    );
    let report: rewind_types::restorable::ReplayReportResponse = s.query(
        &pool,
        &rewind_types::RestorableQueryMsg::ReplayReport {
            start_after: None,
            limit: None,
        },
    );
    assert_eq!(report.entries.len(), 3, "{report:?}");
    for entry in &report.entries {
        assert_eq!(entry.sender, attacker.as_str());
        assert_eq!(
            entry.outcome,
            rewind_types::restorable::ReplayOutcome::Excluded {}
        );
    }

    // A fresh pool that ran only the honest history.
    let code = s.app.store_code(pool_code());
    let deployer = s.addr("deployer");
    let init = json!({
        "denoms": POOL_DENOMS, "fee_bps": 30,
        "rewind": {"guardian": s.guardian, "retention_blocks": 100_000, "retention_seconds": 2_592_000},
    });
    let fresh = s
        .app
        .instantiate_contract(code, deployer, &init, &[], "fresh-pool", None)
        .unwrap();
    for (who, op) in before_h.iter().chain(&honest_after) {
        pool_send(&mut s, &fresh, who, op).unwrap();
    }
    for who in [&u0, &u1, &u2, &attacker] {
        assert_eq!(
            pool_share(&s, &pool, who),
            pool_share(&s, &fresh, who),
            "{who}'s shares are the honest history's"
        );
    }
    assert_eq!(pool_share(&s, &pool, &attacker), 0);
    assert_eq!(
        previewed_shares.iter().map(|p| p.1).collect::<Vec<_>>(),
        [&u0, &u1, &u2, &attacker]
            .iter()
            .map(|w| pool_share(&s, &pool, w))
            .collect::<Vec<_>>(),
        "the vote saw each account's share after the restoration"
    );
    assert_eq!(
        pool_state(&s, &pool).total_share,
        pool_state(&s, &fresh).total_share
    );

    // The settlement: each reserve is the honest history's, cut to the bank balance.
    let answer: rewind_types::restorable::SettlementResponse =
        s.query(&pool, &json!({"settlement": {}}));
    let settlement = answer.last.expect("the restoration settled the pool");
    let previewed = preview
        .settlement
        .expect("the preview settles the pool too");
    assert_eq!(
        previewed.denoms, settlement.denoms,
        "the vote saw the real numbers"
    );
    assert_eq!(
        (preview.replayed_executions, preview.skipped_executions),
        (status.replayed_executions, status.skipped_executions)
    );
    assert_eq!(settlement.policy, ShortfallPolicy::ProRataHaircut);
    let (restored, honest) = (pool_reserves(&s, &pool), pool_reserves(&s, &fresh));
    let mut shortfalls = 0;
    for (i, d) in settlement.denoms.iter().enumerate() {
        let bank = s.balance(&pool, POOL_DENOMS[i]);
        let n = |x: cosmwasm_std::Uint256| cosmwasm_std::Uint128::try_from(x).expect("fits").u128();
        assert_eq!(d.denom, POOL_DENOMS[i]);
        assert_eq!(n(d.held), honest[i], "{d:?}");
        assert_eq!(n(d.bank_balance), bank, "{d:?}");
        assert_eq!(n(d.kept), honest[i].min(bank), "{d:?}");
        assert_eq!(restored[i], n(d.kept));
        assert_eq!(n(d.shortfall), honest[i].saturating_sub(bank));
        assert_eq!(n(d.surplus), bank.saturating_sub(honest[i]));
        shortfalls += (!d.shortfall.is_zero()) as usize;
    }
    assert!(
        shortfalls > 0,
        "the exploit left a shortfall: {settlement:?}"
    );
    assert_solvent(&s, &pool);

    // Reopened once the pause ends: honest users trade and withdraw, still solvent; the
    // attacker is frozen.
    s.advance_time(MAX_PAUSE);
    pool_send(&mut s, &pool, &u2, &PoolOp::Swap(1, 10_000)).unwrap();
    let u1_rest = pool_share(&s, &pool, &u1);
    pool_send(&mut s, &pool, &u1, &PoolOp::Withdraw(u1_rest)).unwrap();
    assert_solvent(&s, &pool);
    let refused = pool_send(&mut s, &pool, &attacker, &PoolOp::Swap(0, 1_000)).unwrap_err();
    assert!(refused.contains("is frozen by a restoration"), "{refused}");
}

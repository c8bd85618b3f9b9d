//! rewind-vault: the user actions paused and unpaused, the paused check alone, and a full
//! restoration cranked at batch sizes 10, 100 and the maximum in each step (row D1).

use cosmwasm_std::{coins, Coin, Decimal, Int128, Uint128};
use rewind_types::restorable::{
    DigestAtOutcome, DigestAtResponse, GateMsg, RestorationCheckResponse,
};
use rewind_types::vault::{
    ExecuteMsg, InstantiateMsg, InvariantSettings, MarketParams, QueryMsg, RestorableMigrateMsg,
    RestorationProgressResponse, RestorationStep,
};
use rewind_types::{PauseScope, ShortfallPolicy};

use super::gas;
use crate::harness::{Block, Contract, Measured, Vm};
use crate::report::{Figure, Report};

const C: &str = "rewind_vault";
const DENOM: &str = "uusdc";
const MARKET: &str = "BTC-PERP";
/// The vault's documented maximum crank batch (`MAX_CRANK_LIMIT`, row D1).
pub const MAX_CRANK: u32 = 200;
/// Accounts present before the measured actions.
const BACKGROUND: u32 = 50;
/// Accounts whose deposits after the restoration height are undone and replayed.
const RESTORE_ACCOUNTS: u32 = 1_300;
/// Of them, accounts with a position open at the target height.
const POSITIONS: u32 = 320;

pub const GOALS: &[(&str, &str)] = &[
    (
        "paused_check",
        "paused check <= 1.5k (a gated execute refused by the pause, beyond the contract load every call pays)",
    ),
    (
        "paused_check_storage",
        "paused check, storage part (1 read) <= 1.5k",
    ),
    (
        "d1",
        "D1: worst-case crank at the maximum batch completes under 10M",
    ),
    (
        "invariant_overhead",
        "issue 16: in-line invariants add <= 1 read + 1 write per execution",
    ),
];

/// The actions issue 16 names for the in-line invariants' overhead goal.
const INVARIANT_GOAL_ACTIONS: [&str; 4] =
    ["deposit", "withdraw", "open_position", "close_position"];

struct Actors {
    guardian: cosmwasm_std::Addr,
    feeder: cosmwasm_std::Addr,
}

fn instantiate(vm: &Vm, block: Block) -> (Contract, Actors) {
    instantiate_with(vm, block, None)
}

fn instantiate_with(
    vm: &Vm,
    block: Block,
    invariants: Option<InvariantSettings>,
) -> (Contract, Actors) {
    let mut c = vm.load(C, "vault").expect("load rewind_vault");
    let actors = Actors {
        guardian: vm.addr("guardian"),
        feeder: vm.addr("feeder"),
    };
    let msg = InstantiateMsg {
        governance: vm.addr("governance").to_string(),
        guardian: actors.guardian.to_string(),
        feeder: actors.feeder.to_string(),
        insurance: vm.addr("insurance").to_string(),
        denoms: vec![DENOM.into()],
        markets: vec![MarketParams {
            id: MARKET.into(),
            denom: DENOM.into(),
            initial_margin_ratio: Decimal::percent(10),
            maintenance_margin_ratio: Decimal::percent(5),
            liquidation_reward_ratio: Decimal::percent(5),
            liquidation_fee_ratio: Decimal::percent(5),
        }],
        breaker_bound_bps: 5_000,
        breaker_pause_seconds: 3_600,
        breaker_max_trip_seconds: 6 * 3_600,
        breaker_cooldown_seconds: 24 * 3_600,
        breaker_budget_trips: 3,
        breaker_window_seconds: 7 * 24 * 3_600,
        invariants,
        max_pause_seconds: 72 * 3_600,
        retention_blocks: 100_000,
        retention_seconds: 30 * 24 * 3_600,
    };
    let admin = vm.addr("admin");
    vm.instantiate(&mut c, block, &admin, &[], &msg)
        .expect_ok("instantiate vault");
    (c, actors)
}

fn price(vm: &Vm, c: &mut Contract, block: Block, feeder: &cosmwasm_std::Addr, p: u64) -> Measured {
    let msg = ExecuteMsg::PushPrice {
        market: MARKET.into(),
        price: Decimal::from_ratio(p, 1u64),
    };
    vm.execute(c, block, feeder, &[], &msg)
        .expect_ok("push price")
}

fn funds(amount: u128) -> Vec<Coin> {
    coins(amount, DENOM)
}

pub fn run(vm: &Vm, report: &mut Report) {
    let mut block = Block::genesis();
    let (mut c, a) = instantiate(vm, block);
    block.advance(1);
    for i in 0..BACKGROUND {
        let who = vm.addr(&format!("trader{i}"));
        vm.execute(&mut c, block, &who, &funds(50_000), &ExecuteMsg::Deposit {})
            .expect_ok("background deposit");
    }
    let m = price(vm, &mut c, block, &a.feeder, 100);
    report.push(Figure::from_measured(
        "vault.push_price",
        C,
        "push a price (first of the block)",
        &m,
    ));
    // The single journal queries (governance now asks one `RestorationCheck`, measured below).
    block.advance(1);
    let m = vm
        .query(
            &mut c,
            block,
            &rewind_types::restorable::RestorableQueryMsg::JournalInfo {},
        )
        .expect_ok("journal info");
    report.push(Figure::from_measured(
        "vault.query_journal_info",
        C,
        "query JournalInfo (governance's propose asks RestorationCheck instead)",
        &m,
    ));
    let m = vm
        .query(
            &mut c,
            block,
            &rewind_types::restorable::RestorableQueryMsg::DigestAt {
                height: block.height - 1,
            },
        )
        .expect_ok("digest at");
    report.push(Figure::from_measured(
        "vault.query_digest_at",
        C,
        "query DigestAt (governance's propose asks RestorationCheck instead)",
        &m,
    ));
    let m = vm
        .query(
            &mut c,
            block,
            &rewind_types::restorable::RestorableQueryMsg::RestorationStatus {},
        )
        .expect_ok("restoration status");
    report.push(Figure::from_measured(
        "vault.query_restoration_status",
        C,
        "query RestorationStatus (what the executor's crank asks each target)",
        &m,
    ));
    let alice = vm.addr("alice");
    let bob = vm.addr("bob");
    let liquidator = vm.addr("liquidator");
    for who in [&alice, &bob] {
        vm.execute(&mut c, block, who, &funds(20_000), &ExecuteMsg::Deposit {})
            .expect_ok("deposit");
    }

    let deposit = ExecuteMsg::Deposit {};
    let withdraw = ExecuteMsg::Withdraw {
        denom: DENOM.into(),
        amount: Uint128::new(1_000),
    };
    let open = ExecuteMsg::OpenPosition {
        market: MARKET.into(),
        size: Int128::new(10),
        margin: Uint128::new(500),
    };
    let close = ExecuteMsg::ClosePosition {
        market: MARKET.into(),
    };
    let liquidate = ExecuteMsg::Liquidate {
        account: bob.to_string(),
        market: MARKET.into(),
    };

    // Unpaused, each in a new block (the first write of each key in its block).
    block.advance(1);
    let m = vm
        .execute(&mut c, block, &alice, &funds(10_000), &deposit)
        .expect_ok("deposit");
    report.push(Figure::from_measured(
        "vault.deposit",
        C,
        "deposit (existing account)",
        &m,
    ));
    block.advance(1);
    let m = vm
        .execute(&mut c, block, &alice, &[], &withdraw)
        .expect_ok("withdraw");
    report.push(Figure::from_measured("vault.withdraw", C, "withdraw", &m));
    block.advance(1);
    let m = vm
        .execute(&mut c, block, &alice, &[], &open)
        .expect_ok("open");
    report.push(Figure::from_measured(
        "vault.open_position",
        C,
        "open a position",
        &m,
    ));
    let bob_open = ExecuteMsg::OpenPosition {
        market: MARKET.into(),
        size: Int128::new(100),
        margin: Uint128::new(1_100),
    };
    vm.execute(&mut c, block, &bob, &[], &bob_open)
        .expect_ok("bob open");
    block.advance(1);
    let m = vm
        .execute(&mut c, block, &alice, &[], &close)
        .expect_ok("close");
    report.push(Figure::from_measured(
        "vault.close_position",
        C,
        "close a position",
        &m,
    ));
    price(vm, &mut c, block, &a.feeder, 90);
    block.advance(1);
    let m = vm
        .execute(&mut c, block, &liquidator, &[], &liquidate)
        .expect_ok("liquidate");
    report.push(Figure::from_measured(
        "vault.liquidate",
        C,
        "liquidate a position below maintenance",
        &m,
    ));

    // Paused: the guardian pauses `All` (exits are pausable here); each action is refused.
    block.advance(1);
    let until = block.time.plus_seconds(3_600);
    let m = vm
        .execute(
            &mut c,
            block,
            &a.guardian,
            &[],
            &rewind_types::restorable::RestorableExecuteMsg::Gate(GateMsg::SetPause {
                scope: PauseScope::ALL,
                until,
            }),
        )
        .expect_ok("gate pause");
    report.push(Figure::from_measured(
        "vault.gate_set_pause",
        C,
        "Gate(SetPause) from the guardian",
        &m,
    ));
    block.advance(1);
    let paused = [
        ("deposit", &alice, funds(10_000), &deposit),
        ("withdraw", &alice, vec![], &withdraw),
        ("open_position", &bob, vec![], &open),
        ("close_position", &alice, vec![], &close),
        ("liquidate", &liquidator, vec![], &liquidate),
    ];
    let mut refused_deposit = None;
    for (name, who, f, msg) in paused {
        let m = vm
            .execute(&mut c, block, who, &f, msg)
            .expect_err(name, "paused");
        report.push(Figure::from_measured(
            &format!("vault.{name}_paused"),
            C,
            &format!("{name} refused by the pause"),
            &m,
        ));
        if name == "deposit" {
            refused_deposit = Some(m);
        }
    }
    let m = refused_deposit.expect("refused deposit measured");
    paused_check_goals(&m, report);

    restoration_check(vm, report);
    restoration(vm, report);
    invariants(vm, report);
}

/// Issue 16: the same user actions on a vault with both in-line invariants on (solvency,
/// and oracle agreement with a reference feeder), on the same state as the unpaused
/// figures above; each figure's `_cost` is the difference. The mock bank does not move
/// funds by itself: the vault's balance is set to what it holds before each action.
fn invariants(vm: &Vm, report: &mut Report) {
    let reference = vm.addr("reference");
    let settings = InvariantSettings {
        solvency: true,
        reference_feeder: Some(reference.to_string()),
        oracle_bound_bps: 500,
        in_line: true,
    };
    let mut block = Block::genesis();
    let (mut c, a) = instantiate_with(vm, block, Some(settings));
    block.advance(1);
    let mut held: u128 = 0;
    let mut hold = |c: &mut Contract, delta: i128| {
        held = held.checked_add_signed(delta).expect("balance");
        c.querier.set_balance(c.address.as_str(), funds(held));
    };
    for i in 0..BACKGROUND {
        let who = vm.addr(&format!("trader{i}"));
        hold(&mut c, 50_000);
        vm.execute(&mut c, block, &who, &funds(50_000), &ExecuteMsg::Deposit {})
            .expect_ok("background deposit");
    }
    let reference_push = ExecuteMsg::PushReferencePrice {
        market: MARKET.into(),
        price: Decimal::from_ratio(100u64, 1u64),
    };
    vm.execute(&mut c, block, &reference, &[], &reference_push)
        .expect_ok("reference price");
    let m = price(vm, &mut c, block, &a.feeder, 100);
    push_invariant_figure(
        report,
        "push_price",
        "push a price (first of the block)",
        &m,
    );
    let alice = vm.addr("alice");
    let bob = vm.addr("bob");
    for who in [&alice, &bob] {
        hold(&mut c, 20_000);
        vm.execute(&mut c, block, who, &funds(20_000), &ExecuteMsg::Deposit {})
            .expect_ok("deposit");
    }
    let open = ExecuteMsg::OpenPosition {
        market: MARKET.into(),
        size: Int128::new(10),
        margin: Uint128::new(500),
    };
    let close = ExecuteMsg::ClosePosition {
        market: MARKET.into(),
    };
    block.advance(1);
    hold(&mut c, 10_000);
    let m = vm
        .execute(
            &mut c,
            block,
            &alice,
            &funds(10_000),
            &ExecuteMsg::Deposit {},
        )
        .expect_ok("deposit");
    push_invariant_figure(report, "deposit", "deposit (existing account)", &m);
    block.advance(1);
    let withdraw = ExecuteMsg::Withdraw {
        denom: DENOM.into(),
        amount: Uint128::new(1_000),
    };
    let m = vm
        .execute(&mut c, block, &alice, &[], &withdraw)
        .expect_ok("withdraw");
    hold(&mut c, -1_000);
    push_invariant_figure(report, "withdraw", "withdraw", &m);
    block.advance(1);
    let m = vm
        .execute(&mut c, block, &alice, &[], &open)
        .expect_ok("open");
    push_invariant_figure(report, "open_position", "open a position", &m);
    let bob_open = ExecuteMsg::OpenPosition {
        market: MARKET.into(),
        size: Int128::new(100),
        margin: Uint128::new(1_100),
    };
    vm.execute(&mut c, block, &bob, &[], &bob_open)
        .expect_ok("bob open");
    block.advance(1);
    let m = vm
        .execute(&mut c, block, &alice, &[], &close)
        .expect_ok("close");
    push_invariant_figure(report, "close_position", "close a position", &m);
    // A push the oracle agreement refuses: Ok, its writes dropped, a capped pause set.
    block.advance(1);
    let m = price(vm, &mut c, block, &a.feeder, 120);
    let refused = m
        .response
        .as_ref()
        .is_some_and(|r| r.events.iter().any(|e| e.ty == "invariant_refused"));
    assert!(refused, "the push beyond the oracle bound is refused");
    report.push(Figure::from_measured(
        "vault.inv_refused_push",
        C,
        "invariants on: a push 20 % from the reference, refused and pausing trade and withdraw",
        &m,
    ));
    invariant_overhead_goal(report);
}

/// The figure of `action` with the invariants on, and its cost over the figure without.
fn push_invariant_figure(report: &mut Report, action: &str, what: &str, m: &Measured) {
    let id = format!("vault.inv_{action}");
    report.push(Figure::from_measured(
        &id,
        C,
        &format!("invariants on: {what}"),
        m,
    ));
    let off = report
        .figure(&format!("vault.{action}"))
        .map_or(0, |f| f.sdk_gas);
    report.push(Figure::derived(
        &format!("{id}_cost"),
        C,
        &format!("the invariants' cost on {what}"),
        m.sdk_gas.saturating_sub(off),
        &format!("{id} - vault.{action}"),
    ));
}

/// Issue 16's goal on the in-line invariants' overhead: the storage operations each named
/// action does with the invariants on, beyond the same action with them off.
fn invariant_overhead_goal(report: &mut Report) {
    let mut worst_met = true;
    let mut parts = vec![];
    for action in INVARIANT_GOAL_ACTIONS {
        let ops = |id: String| report.figure(&id).map(|f| (f.reads, f.writes, f.sdk_gas));
        let (Some(off), Some(on)) = (
            ops(format!("vault.{action}")),
            ops(format!("vault.inv_{action}")),
        ) else {
            continue;
        };
        let (reads, writes) = (on.0.saturating_sub(off.0), on.1.saturating_sub(off.1));
        worst_met &= reads <= 1 && writes <= 1;
        parts.push(format!(
            "{action} +{reads} read(s) +{writes} write(s) +{} gas",
            gas(on.2.saturating_sub(off.2))
        ));
    }
    let measured = parts.len() == INVARIANT_GOAL_ACTIONS.len();
    report.goal(
        GOALS[3].0,
        GOALS[3].1,
        parts.join("; "),
        measured && worst_met,
    );
}

/// Governance's proposal check of a target: one `RestorationCheck` for 1 and for 5
/// candidates, against `JournalInfo` plus one `DigestAt` per candidate, on the same state
/// (a deposit in each of the last `CHECK_BLOCKS` blocks).
fn restoration_check(vm: &Vm, report: &mut Report) {
    const CHECK_BLOCKS: u64 = 6;
    let mut block = Block::genesis();
    let (mut c, _) = instantiate(vm, block);
    let who = vm.addr("alice");
    for _ in 0..CHECK_BLOCKS {
        block.advance(1);
        vm.execute(&mut c, block, &who, &funds(1_000), &ExecuteMsg::Deposit {})
            .expect_ok("deposit for the check");
    }
    block.advance(1);
    let info = vm
        .query(
            &mut c,
            block,
            &rewind_types::restorable::RestorableQueryMsg::JournalInfo {},
        )
        .expect_ok("journal info")
        .sdk_gas;
    let digest = vm
        .query(
            &mut c,
            block,
            &rewind_types::restorable::RestorableQueryMsg::DigestAt {
                height: block.height - 1,
            },
        )
        .expect_ok("digest at")
        .sdk_gas;
    for n in [1u64, 5] {
        let heights: Vec<u64> = (1..=n).map(|back| block.height - back).collect();
        let m = vm
            .query(
                &mut c,
                block,
                &rewind_types::restorable::RestorableQueryMsg::RestorationCheck {
                    heights,
                    accounts: vec![],
                },
            )
            .expect_ok("restoration check");
        let answer: RestorationCheckResponse =
            cosmwasm_std::from_json(m.query_data.clone().expect("query data"))
                .expect("restoration check json");
        assert!(
            answer
                .digests
                .iter()
                .all(|d| matches!(d, DigestAtOutcome::Digest(_))),
            "every height of the check has a digest"
        );
        let id = format!("vault.query_restoration_check_{n}");
        report.push(Figure::from_measured(
            &id,
            C,
            &format!(
                "query RestorationCheck, {n} height(s) (governance's propose asks each target once)"
            ),
            &m,
        ));
        let separate = info + n * digest;
        report.push(Figure::derived(
            &format!("{id}_saving"),
            C,
            &format!("saved against JournalInfo + {n} DigestAt on the same state ({separate})"),
            separate.saturating_sub(m.sdk_gas),
            &format!("JournalInfo {info} + {n} x DigestAt {digest} - {id}"),
        ));
    }
}

fn paused_check_goals(m: &Measured, report: &mut Report) {
    report.push(Figure::from_measured(
        "vault.paused_check",
        C,
        "the paused check alone: a deposit refused by the gate (the check is the first thing it does)",
        m,
    ));
    report.push(Figure::derived(
        "vault.paused_check_storage",
        C,
        "the paused check's storage part",
        m.storage.sdk_gas,
        &format!("{} read(s) of the gate", m.storage.reads),
    ));
    let without_load = m.sdk_gas - m.instance_sdk_gas;
    report.goal(
        "paused_check",
        GOALS[0].1,
        format!(
            "{} = storage {} + VM {} (the whole refused call is {} with the {} contract load)",
            gas(without_load),
            gas(m.storage.sdk_gas),
            gas(m.vm_sdk_gas),
            gas(m.sdk_gas),
            gas(m.instance_sdk_gas)
        ),
        // The 60000 load is paid by every call, paused or not: it is not part of the check.
        without_load <= 1_500,
    );
    let one_read = m.storage.reads == 1;
    report.goal(
        "paused_check_storage",
        GOALS[1].1,
        format!("{} in {} read(s)", gas(m.storage.sdk_gas), m.storage.reads),
        one_read && m.storage.sdk_gas <= 1_500,
    );
}

fn progress(vm: &Vm, c: &mut Contract, block: Block) -> RestorationProgressResponse {
    vm.query_json(c, block, &QueryMsg::RestorationProgress {})
}

/// A full restoration: RESTORE_ACCOUNTS accounts deposit at the target height and again one
/// block later; the vault is restored to the target and cranked through every step.
fn restoration(vm: &Vm, report: &mut Report) {
    let mut block = Block::genesis();
    let (mut c, a) = instantiate(vm, block);
    block.advance(1);
    let accounts: Vec<_> = (0..RESTORE_ACCOUNTS)
        .map(|i| vm.addr(&format!("holder{i}")))
        .collect();
    for who in &accounts {
        vm.execute(&mut c, block, who, &funds(1_000), &ExecuteMsg::Deposit {})
            .expect_ok("deposit at target");
    }
    price(vm, &mut c, block, &a.feeder, 100);
    // Positions open at the target are unwound at their entry price (one unit each).
    for who in accounts.iter().take(POSITIONS as usize) {
        let open = ExecuteMsg::OpenPosition {
            market: MARKET.into(),
            size: Int128::new(1),
            margin: Uint128::new(100),
        };
        vm.execute(&mut c, block, who, &[], &open)
            .expect_ok("open at target");
    }
    let target = block.height;
    block.advance(1);
    for who in &accounts {
        vm.execute(&mut c, block, who, &funds(500), &ExecuteMsg::Deposit {})
            .expect_ok("deposit after target");
    }
    block.advance(1);
    let total = u128::from(RESTORE_ACCOUNTS) * 1_500;
    c.querier.set_balance(c.address.as_str(), funds(total));

    let digest: DigestAtResponse = vm.query_json(
        &mut c,
        block,
        &rewind_types::restorable::RestorableQueryMsg::DigestAt { height: target },
    );
    let restore = RestorableMigrateMsg::Restore {
        height: target,
        exclusions: vec![accounts[0].to_string()],
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
        expected_digest: digest.digest,
    };
    let m = vm
        .migrate(&mut c, block, &restore)
        .expect_ok("restore migrate");
    report.push(Figure::from_measured(
        "vault.restore_start",
        C,
        "migrate Restore: start a restoration",
        &m,
    ));

    let cranker = vm.addr("cranker");
    let mut worst: Option<(String, Measured)> = None;
    let crank = |c: &mut Contract, block: &mut Block, limit: u32| -> Measured {
        block.advance(1);
        vm.execute(
            c,
            *block,
            &cranker,
            &[],
            &rewind_types::restorable::RestorableExecuteMsg::Crank { limit: Some(limit) },
        )
    };
    // Each step: batches of 10, 100 and the maximum, while the step still has that much work.
    // The steps rewind-target runs (rollback, replay of the recorded executions, 8 units
    // each), then the vault's settle hook (summing the ledger, then settling each balance).
    let steps = [
        (RestorationStep::RollingBack, "rollback", "undone entry"),
        (
            RestorationStep::Replaying,
            "replay",
            "unit (a replayed execution is 8)",
        ),
        (
            RestorationStep::Reconciling,
            "reconcile",
            "summed balance or position",
        ),
        (RestorationStep::Settling, "settle", "settled balance"),
    ];
    for (step, name, unit) in steps {
        // Advance with maximum cranks until the step is reached.
        while progress(vm, &mut c, block).step != Some(step) {
            let p = progress(vm, &mut c, block);
            assert!(
                p.step.is_some() && p.step != Some(RestorationStep::Complete),
                "restoration ended before {name}"
            );
            crank(&mut c, &mut block, MAX_CRANK).expect_ok("advance crank");
        }
        for b in [10, 100, MAX_CRANK] {
            if progress(vm, &mut c, block).step != Some(step) {
                break;
            }
            let m = crank(&mut c, &mut block, b).expect_ok("crank");
            let id = format!("vault.crank_{name}_{b}");
            report.push(Figure::from_measured(
                &id,
                C,
                &format!("crank {b} in {name}"),
                &m,
            ));
            report.push(Figure::derived(
                &format!("{id}_per_unit"),
                C,
                &format!("{name} per {unit} at batch {b}"),
                m.sdk_gas / u64::from(b),
                &format!("{id} / {b}"),
            ));
            if b == MAX_CRANK && worst.as_ref().is_none_or(|(_, w)| m.sdk_gas > w.sdk_gas) {
                worst = Some((id, m));
            }
        }
    }
    // A caller asking for more than the maximum gets the maximum.
    let p = progress(vm, &mut c, block);
    if p.step.is_some() && p.step != Some(RestorationStep::Complete) {
        let m = crank(&mut c, &mut block, 5 * MAX_CRANK).expect_ok("clamped crank");
        report.push(Figure::from_measured(
            "vault.crank_clamped_1000",
            C,
            &format!(
                "crank asking for {} (clamped to {MAX_CRANK})",
                5 * MAX_CRANK
            ),
            &m,
        ));
    }
    while progress(vm, &mut c, block).step != Some(RestorationStep::Complete) {
        crank(&mut c, &mut block, MAX_CRANK).expect_ok("finishing crank");
    }
    let (id, m) = worst.expect("a maximum batch was measured");
    // Where the worst step's batch would stop fitting, from its marginal cost per unit.
    let g100 = report
        .figure(&id.replace(&format!("_{MAX_CRANK}"), "_100"))
        .map_or(0, |f| f.sdk_gas);
    let marginal = (m.sdk_gas - g100) / u64::from(MAX_CRANK - 100);
    let fixed = m.sdk_gas.saturating_sub(marginal * u64::from(MAX_CRANK));
    let cliff = (vm.gas_limit - fixed) / marginal + 1;
    report.push(Figure::derived(
        "vault.crank_cliff_batch",
        C,
        "smallest batch of the worst step that would exceed 10M",
        cliff,
        &format!(
            "(10M - fixed) / marginal + 1, marginal = ({id} - batch 100) / {}; a count, not gas",
            MAX_CRANK - 100
        ),
    ));
    report.goal(
        "d1",
        GOALS[2].1,
        format!(
            "worst batch of {MAX_CRANK}: {id} = {} of 10,000,000; that step would fail from about {cliff} per batch, \
             and larger requests are clamped to {MAX_CRANK} (vault.crank_clamped_1000); a journal batch of {} entries runs \
             out of gas in the VM (journal.rollback_{})",
            gas(m.sdk_gas),
            super::journal::OVER_LIMIT_BATCH,
            super::journal::OVER_LIMIT_BATCH
        ),
        m.ok && m.sdk_gas < vm.gas_limit,
    );
}

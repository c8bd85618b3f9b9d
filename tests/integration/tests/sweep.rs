//! The voted, timelocked sweep of an excluded account's frozen claim and the vault's surplus
//! (rows G10, R5, T2), on the real contracts: a restoration excluding the attacker, then a
//! `SweepFrozen` parameter proposal voted and closed, the executor's timelock, the vault's
//! `Sweep` migration.

mod common;

use common::{assert_complete, pass_and_queue, proposal, wait_until_due};
use cosmwasm_std::coins;
use cw_multi_test::Executor;
use rewind_testing::assert_error;
use rewind_testing::suite::{attribute, Suite, SuiteBuilder, USDC};
use rewind_testing::SuiteBase;
use rewind_types::executor::SweepStatus;
use rewind_types::executor::{ExecuteMsg as ExecMsg, QueryMsg as ExecQuery, SweepResponse};
use rewind_types::governance::{ParameterChange, ProposalStatus};

fn sweep(s: &Suite, id: u64) -> SweepResponse {
    s.query(&s.executor, &ExecQuery::Sweep { id })
}

fn execute_sweep(s: &mut Suite, id: u64) -> cosmwasm_std::StdResult<cw_multi_test::AppResponse> {
    let keeper = s.keeper();
    let executor = s.executor.clone();
    s.app
        .execute_contract(keeper, executor, &ExecMsg::ExecuteSweep { id }, &[])
}

/// Users and the attacker deposit; after H the attacker deposits again (not replayed: it
/// becomes surplus) and a donor sends the vault funds; the restoration to H excluding the
/// attacker completes. Returns (H, the honest users).
fn restored(s: &mut Suite) -> Vec<cosmwasm_std::Addr> {
    let users = vec![s.user(0), s.user(1), s.user(2)];
    let attacker = s.attacker();
    for (i, u) in users.iter().enumerate() {
        s.deposit(u, 0, 10_000 * (i as u128 + 1)).unwrap();
    }
    s.deposit(&attacker, 0, 20_000).unwrap();
    s.advance_blocks(1);
    let h = s.height();
    s.advance_blocks(1);
    s.deposit(&attacker, 0, 5_000).unwrap();
    s.deposit(&users[1], 0, 1_000).unwrap();
    let donor = s.user(3);
    let vault = s.vaults[0].clone();
    s.app.send_tokens(donor, vault, &coins(700, USDC)).unwrap();
    s.advance_blocks(1);
    let p = proposal(s, vec![0], h, false);
    assert_eq!(p.exclusions, vec![attacker.clone()]);
    let holder = s.holder(0);
    let pid = s.propose_restoration(&holder, &p).unwrap();
    let op = pass_and_queue(s, pid, h);
    wait_until_due(s, op);
    s.execute_op(op).unwrap();
    s.crank_until_done(op, Some(50), 100);
    assert_complete(s, op, h);
    assert_eq!(
        s.collateral(0, &attacker),
        20_000,
        "frozen at its claim at H"
    );
    users
}

/// Rows G10, R5, T2: the sweep is voted, waits the timelock's delay, runs once, and the
/// recipient receives exactly the frozen claim plus the surplus; honest claims are whole
/// and the claims never exceed the bank.
#[test]
fn g10_r5_t2_voted_timelocked_sweep_of_frozen_claims_and_surplus() {
    for named in [false, true] {
        let mut s = SuiteBuilder::new().with_users(4).build();
        let users = restored(&mut s);
        let attacker = s.attacker();
        let honest: Vec<u128> = users.iter().map(|u| s.collateral(0, u)).collect();
        assert_eq!(honest, vec![10_000, 21_000, 30_000]);
        // Frozen 20 000 + the attacker's skipped 5 000 + the 700 donation.
        assert_eq!(s.vault_bank(0) - s.liabilities(0), 5_700);
        let recipient = if named {
            s.addr("treasury")
        } else {
            s.insurance()
        };
        let before = s.balance(&recipient, USDC);

        // Nothing but the voted sweep moves frozen funds: the attacker cannot withdraw.
        assert_error(
            s.withdraw(&attacker, 0, 1),
            rewind_target::ContractError::<rewind_vault::ContractError>::from(
                rewind_target::TargetError::FrozenSender {
                    account: attacker.clone(),
                },
            ),
        );

        let vault = s.vaults[0].to_string();
        let pid = s.pass_parameters(
            "Sweep",
            vec![ParameterChange::SweepFrozen {
                target: vault,
                to: named.then(|| recipient.to_string()),
            }],
        );
        assert_eq!(s.proposal(pid).status, ProposalStatus::Executed);
        let w = sweep(&s, 1);
        assert_eq!(w.status, SweepStatus::Pending);
        assert_eq!(
            w.eta.seconds() - w.scheduled_at.seconds(),
            s.config.timelock.delay_seconds
        );

        // Row T2: refused before its eta; nothing has moved.
        assert_error(
            execute_sweep(&mut s, 1),
            rewind_executor::ContractError::SweepNotDue {
                id: 1,
                eta: w.eta,
                eta_height: w.eta_height,
            },
        );
        assert_eq!(s.balance(&recipient, USDC), before);
        let secs = w.eta.seconds() - s.time().seconds();
        let blocks = w.eta_height.saturating_sub(s.height());
        s.advance_by(secs, blocks);

        let res = execute_sweep(&mut s, 1).unwrap();
        assert_eq!(attribute(&res, "action").as_deref(), Some("execute_sweep"));
        let sent = s.balance(&recipient, USDC) - before;
        assert_eq!(sent, 20_000 + 5_000 + 700);
        assert_eq!(s.collateral(0, &attacker), 0);
        let after: Vec<u128> = users.iter().map(|u| s.collateral(0, u)).collect();
        assert_eq!(after, honest, "honest claims untouched");
        assert!(s.liabilities(0) <= s.vault_bank(0), "R5");
        assert_eq!(s.liabilities(0), s.vault_bank(0));
        assert_eq!(sweep(&s, 1).status, SweepStatus::Executed);

        // Once only.
        assert_error(
            execute_sweep(&mut s, 1),
            rewind_executor::ContractError::SweepNotPending {
                id: 1,
                status: SweepStatus::Executed,
            },
        );
        // Honest users still exit with their whole claims.
        s.advance_blocks(1);
        for (u, claim) in users.iter().zip(honest) {
            s.withdraw(u, 0, claim).unwrap();
        }
        assert_eq!(s.liabilities(0), 0);
        assert_eq!(s.vault_bank(0), 0);
    }
}

/// Row G10: a cancelled sweep never runs, and no one but governance schedules one.
#[test]
fn g10_cancelled_sweep_never_runs_and_only_governance_schedules() {
    let mut s = SuiteBuilder::new().with_users(4).build();
    restored(&mut s);
    let attacker = s.attacker();
    let vault = s.vaults[0].to_string();
    let executor = s.executor.clone();
    assert_error(
        s.app.execute_contract(
            attacker.clone(),
            executor,
            &ExecMsg::ScheduleSweep {
                target: vault.clone(),
                to: Some(attacker.to_string()),
            },
            &[],
        ),
        rewind_executor::ContractError::Unauthorized {
            sender: attacker.clone(),
            required: "governance".into(),
        },
    );
    s.pass_parameters(
        "Sweep",
        vec![ParameterChange::SweepFrozen {
            target: vault,
            to: None,
        }],
    );
    s.pass_parameters("Sweep", vec![ParameterChange::CancelSweep { id: 1 }]);
    assert_eq!(sweep(&s, 1).status, SweepStatus::Cancelled);
    s.advance_by(30 * 86_400, 1_000_000);
    assert_error(
        execute_sweep(&mut s, 1),
        rewind_executor::ContractError::SweepNotPending {
            id: 1,
            status: SweepStatus::Cancelled,
        },
    );
    assert_eq!(s.collateral(0, &attacker), 20_000);
}

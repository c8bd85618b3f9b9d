//! The voted, timelocked sweep (rows G10, T2): `ScheduleSweep`, `ExecuteSweep`,
//! `CancelSweep` and the queries.

use cw_multi_test::{AppResponse, Executor};
use rewind_types::executor::{
    ExecuteMsg, QueryMsg, RestorationState, SweepResponse, SweepStatus, SweepsResponse,
};

use super::suite::{assert_err, attr, Suite, SuiteBuilder};
use crate::error::ContractError;

const DELAY: u64 = 12 * 3600;
const BLOCKS: u64 = 100;
const GRACE: u64 = 7 * 86400;

fn schedule(s: &mut Suite, to: Option<&str>) -> cosmwasm_std::StdResult<AppResponse> {
    let target = s.targets[0].to_string();
    s.gov_exec(&ExecuteMsg::ScheduleSweep {
        target,
        to: to.map(str::to_string),
    })
}

fn execute(s: &mut Suite, id: u64) -> cosmwasm_std::StdResult<AppResponse> {
    let anyone = s.addr("anyone");
    s.app.execute_contract(
        anyone,
        s.executor.clone(),
        &ExecuteMsg::ExecuteSweep { id },
        &[],
    )
}

fn sweep(s: &Suite, id: u64) -> SweepResponse {
    s.app
        .wrap()
        .query_wasm_smart(&s.executor, &QueryMsg::Sweep { id })
        .unwrap()
}

fn not_due(s: &Suite, id: u64) -> ContractError {
    let w = sweep(s, id);
    ContractError::SweepNotDue {
        id,
        eta: w.eta,
        eta_height: w.eta_height,
    }
}

/// Row T2: a sweep waits the timelock's delay in seconds AND blocks, then runs once, sent
/// to the target as `Sweep { to }`; a second execution is refused.
#[test]
fn t2_g10_sweep_waits_the_timelock_delay_and_runs_once() {
    let mut s = SuiteBuilder::default().build();
    let treasury = s.addr("treasury").to_string();
    let now = s.app.block_info();
    let res = schedule(&mut s, Some(&treasury)).unwrap();
    assert_eq!(attr(&res, "action"), "schedule_sweep");
    assert_eq!(attr(&res, "sweep_id"), "1");
    let w = sweep(&s, 1);
    assert_eq!(w.status, SweepStatus::Pending);
    assert_eq!(w.eta, now.time.plus_seconds(DELAY));
    assert_eq!(w.eta_height, now.height + BLOCKS);
    assert_eq!(w.expires_at, w.eta.plus_seconds(GRACE));
    assert_eq!(w.to, Some(s.addr("treasury")));
    assert_err(execute(&mut s, 1), not_due(&s, 1));
    // The time has passed but not the blocks, then the blocks but not the time.
    s.advance(DELAY, BLOCKS - 1);
    assert_err(execute(&mut s, 1), not_due(&s, 1));
    let mut t = SuiteBuilder::default().build();
    schedule(&mut t, None).unwrap();
    t.advance(DELAY - 1, BLOCKS);
    assert_err(execute(&mut t, 1), not_due(&t, 1));
    assert!(t.mock(0).sweeps.is_empty());
    // Due: executed once.
    s.advance(0, 1);
    assert!(s.mock(0).sweeps.is_empty());
    let res = execute(&mut s, 1).unwrap();
    assert_eq!(attr(&res, "action"), "execute_sweep");
    assert_eq!(s.mock(0).sweeps, vec![Some(treasury.clone())]);
    assert_eq!(sweep(&s, 1).status, SweepStatus::Executed);
    assert_err(
        execute(&mut s, 1),
        ContractError::SweepNotPending {
            id: 1,
            status: SweepStatus::Executed,
        },
    );
    assert_eq!(s.mock(0).sweeps.len(), 1);
    assert_err(execute(&mut s, 7), ContractError::SweepNotFound { id: 7 });
}

/// Row T2: the delay is the timelock's current one, read at scheduling.
#[test]
fn t2_sweep_delay_follows_the_timelock_setting() {
    let mut s = SuiteBuilder::default().build();
    let mut settings = SuiteBuilder::default().timelock;
    settings.delay_seconds = 3 * 86400;
    settings.min_delay_blocks = 500;
    let gov = s.governance.clone();
    s.app
        .execute_contract(
            gov,
            s.timelock.clone(),
            &rewind_types::timelock::ExecuteMsg::UpdateSettings(settings),
            &[],
        )
        .unwrap();
    let now = s.app.block_info();
    schedule(&mut s, None).unwrap();
    let w = sweep(&s, 1);
    assert_eq!(w.eta, now.time.plus_seconds(3 * 86400));
    assert_eq!(w.eta_height, now.height + 500);
    s.advance(DELAY, BLOCKS);
    assert_err(execute(&mut s, 1), not_due(&s, 1));
    s.advance(3 * 86400, 500);
    execute(&mut s, 1).unwrap();
    assert_eq!(s.mock(0).sweeps, vec![None]);
}

/// Row G10: only governance schedules or cancels; a cancelled sweep never runs; a bad
/// recipient is refused at scheduling.
#[test]
fn g10_only_governance_schedules_and_cancels() {
    let mut s = SuiteBuilder::default().build();
    let anyone = s.addr("anyone");
    let target = s.targets[0].to_string();
    for msg in [
        ExecuteMsg::ScheduleSweep {
            target: target.clone(),
            to: None,
        },
        ExecuteMsg::CancelSweep { id: 1 },
    ] {
        assert_err(
            s.app
                .execute_contract(anyone.clone(), s.executor.clone(), &msg, &[]),
            ContractError::Unauthorized {
                sender: anyone.clone(),
                required: "governance".into(),
            },
        );
    }
    let err = schedule(&mut s, Some("not an address")).unwrap_err();
    assert!(err.to_string().contains("not an address"), "{err}");
    schedule(&mut s, None).unwrap();
    schedule(&mut s, None).unwrap();
    let res = s.gov_exec(&ExecuteMsg::CancelSweep { id: 1 }).unwrap();
    assert_eq!(attr(&res, "action"), "cancel_sweep");
    assert_err(
        s.gov_exec(&ExecuteMsg::CancelSweep { id: 1 }),
        ContractError::SweepNotPending {
            id: 1,
            status: SweepStatus::Cancelled,
        },
    );
    s.advance(DELAY, BLOCKS);
    assert_err(
        execute(&mut s, 1),
        ContractError::SweepNotPending {
            id: 1,
            status: SweepStatus::Cancelled,
        },
    );
    execute(&mut s, 2).unwrap();
    assert_eq!(s.mock(0).sweeps, vec![None]);
    let page: SweepsResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.executor,
            &QueryMsg::Sweeps {
                start_after: None,
                limit: Some(1),
            },
        )
        .unwrap();
    assert_eq!(page.sweeps.len(), 1);
    assert_eq!(page.sweeps[0].status, SweepStatus::Cancelled);
    let page: SweepsResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &s.executor,
            &QueryMsg::Sweeps {
                start_after: Some(1),
                limit: None,
            },
        )
        .unwrap();
    assert_eq!(page.sweeps.len(), 1);
    assert_eq!(page.sweeps[0].status, SweepStatus::Executed);
}

/// Row G10: no sweep is scheduled or executed while a restoration of the target runs.
#[test]
fn g10_sweep_refused_while_a_restoration_runs() {
    let mut s = SuiteBuilder::default().build();
    schedule(&mut s, None).unwrap();
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Running);
    let target = s.targets[0].clone();
    let busy = || ContractError::SweepDuringRestoration {
        target: target.clone(),
        restoration_id: id,
    };
    assert_err(execute(&mut s, 1), busy());
    assert_err(schedule(&mut s, None), busy());
    assert!(s.mock(0).sweeps.is_empty());
    assert_eq!(sweep(&s, 1).status, SweepStatus::Pending);
}

/// Row T2: a sweep not executed within the timelock's grace period expires; governance may
/// still cancel it, and it never runs.
#[test]
fn t2_sweep_expires_after_the_grace_period() {
    let mut s = SuiteBuilder::default().build();
    schedule(&mut s, None).unwrap();
    let w = sweep(&s, 1);
    s.advance(DELAY + GRACE, BLOCKS);
    assert_err(
        execute(&mut s, 1),
        ContractError::SweepExpired {
            id: 1,
            expires_at: w.expires_at,
        },
    );
    // One second earlier it would have run.
    let mut t = SuiteBuilder::default().build();
    schedule(&mut t, None).unwrap();
    t.advance(DELAY + GRACE - 1, BLOCKS);
    execute(&mut t, 1).unwrap();
    assert_eq!(t.mock(0).sweeps, vec![None]);
    assert!(s.mock(0).sweeps.is_empty());
    s.gov_exec(&ExecuteMsg::CancelSweep { id: 1 }).unwrap();
    assert_eq!(sweep(&s, 1).status, SweepStatus::Cancelled);
}

/// Row G10: a restoration applied to the target after the sweep was scheduled changes the
/// frozen accounts the vote saw: the sweep is refused for good, even once it completes.
#[test]
fn g10_sweep_outdated_by_a_later_restoration() {
    let mut s = SuiteBuilder::default().build();
    schedule(&mut s, None).unwrap();
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    for _ in 0..100 {
        if s.restoration(id).state != RestorationState::Running {
            break;
        }
        s.crank(None).unwrap();
    }
    assert_eq!(s.restoration(id).state, RestorationState::Complete);
    let target = s.targets[0].clone();
    assert_err(
        execute(&mut s, 1),
        ContractError::SweepOutdated {
            id: 1,
            target,
            restoration_id: id,
        },
    );
    assert!(s.mock(0).sweeps.is_empty());
    // A sweep voted after the restoration (even in the same block) runs.
    schedule(&mut s, None).unwrap();
    assert_eq!(sweep(&s, 2).after_restoration, Some(id));
    s.advance(DELAY, BLOCKS);
    execute(&mut s, 2).unwrap();
    assert_eq!(s.mock(0).sweeps, vec![None]);
}

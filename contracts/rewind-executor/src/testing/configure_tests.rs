//! Governance's voted configuration change of a target (`ExecuteMsg::Configure`), and a
//! restoration's post-restore configuration, sent with each target's `Release` at
//! completion. The configuration is the target's own JSON ([`MockConfig`] here): the
//! executor never reads it.

use cosmwasm_std::{Binary, Timestamp};
use cw_multi_test::{AppResponse, Executor};
use rewind_types::executor::{ExecuteMsg, RestorationState};
use rewind_types::restorable::RestorationPhase;

use super::mock_target::{MockConfig, MockExecuteMsg, EMPTY_LABEL};
use super::suite::{assert_err, Suite, SuiteBuilder, TargetConfig};
use crate::error::ContractError;
use crate::settings::default_settings;

fn configure(s: &Suite, config: Binary) -> ExecuteMsg {
    ExecuteMsg::Configure {
        contract: s.targets[0].to_string(),
        config,
    }
}

fn code_of(s: &Suite, i: usize) -> u64 {
    s.app
        .wrap()
        .query_wasm_contract_info(&s.targets[i])
        .unwrap()
        .code_id
}

fn has_attr(res: &AppResponse, key: &str, value: &str) -> bool {
    res.events
        .iter()
        .flat_map(|e| &e.attributes)
        .any(|a| a.key == key && a.value == value)
}

fn work(work: u64) -> TargetConfig {
    TargetConfig {
        work,
        ..TargetConfig::default()
    }
}

fn labels(s: &Suite) -> Vec<Option<String>> {
    (0..s.targets.len()).map(|i| s.mock(i).label).collect()
}

fn releases(s: &Suite) -> Vec<u64> {
    (0..s.targets.len()).map(|i| s.mock(i).releases).collect()
}

fn now(s: &Suite) -> Timestamp {
    s.app.block_info().time
}

#[test]
fn configure_migrates_the_target_to_its_current_code_with_its_own_config() {
    let mut s = SuiteBuilder::default().build();
    let res = s
        .gov_exec(&configure(&s, MockConfig::label("rotated")))
        .unwrap();
    assert!(has_attr(&res, "action", "configure"));
    assert!(has_attr(&res, "code_id", &s.target_code.to_string()));
    assert_eq!(s.mock(0).label.as_deref(), Some("rotated"));
    assert_eq!(code_of(&s, 0), s.target_code, "same code: a configuration");
    assert_eq!(s.mock(0).upgrades, 0, "not an upgrade");
}

#[test]
fn a_config_the_target_refuses_fails_the_configure_and_changes_nothing() {
    let mut s = SuiteBuilder::default().build();
    s.gov_exec(&configure(&s, MockConfig::label("first")))
        .unwrap();
    assert_err(
        s.gov_exec(&configure(&s, MockConfig::label(""))),
        EMPTY_LABEL,
    );
    let foreign = Binary::from(br#"{"feeder":"someone"}"#.to_vec());
    assert_err(s.gov_exec(&configure(&s, foreign)), "unknown field");
    assert_eq!(s.mock(0).label.as_deref(), Some("first"));
    assert_eq!(s.mock(0).configs.len(), 1);
}

#[test]
fn configure_from_anyone_but_governance_is_refused() {
    let mut s = SuiteBuilder::default().build();
    let msg = configure(&s, MockConfig::label("mine"));
    for who in [s.addr("attacker"), s.timelock.clone(), s.guardian.clone()] {
        assert_err(
            s.app
                .execute_contract(who.clone(), s.executor.clone(), &msg, &[]),
            ContractError::Unauthorized {
                sender: who,
                required: "governance".into(),
            },
        );
    }
    assert_eq!(s.mock(0).label, None);
}

#[test]
fn r8_configure_of_a_target_the_executor_does_not_administer_is_refused() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![TargetConfig {
            executor_is_admin: false,
            ..TargetConfig::default()
        }])
        .build();
    assert_err(
        s.gov_exec(&configure(&s, MockConfig::label("x"))),
        ContractError::NotAdmin {
            target: s.targets[0].clone(),
            admin: Some(s.governance.clone()),
        },
    );
}

#[test]
fn configure_is_refused_while_a_running_or_failed_restoration_holds_the_target() {
    let mut s = SuiteBuilder::default().build();
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Running);
    let msg = configure(&s, MockConfig::label("during"));
    let held = ContractError::ConfigureDuringRestoration {
        target: s.targets[0].clone(),
        restoration_id: id,
    };
    assert_err(s.gov_exec(&msg), &held);
    // Failed still holds it: governance retries or aborts first.
    let (gov, target) = (s.governance.clone(), s.targets[0].clone());
    s.app
        .execute_contract(
            gov,
            target,
            &MockExecuteMsg::SetFailures {
                restore: false,
                crank: true,
            },
            &[],
        )
        .unwrap();
    s.crank(None).unwrap();
    assert!(matches!(
        s.restoration(id).state,
        RestorationState::Failed { .. }
    ));
    assert_err(s.gov_exec(&msg), &held);
    assert_eq!(s.mock(0).label, None);
    // Once aborted, the target is free to be configured.
    s.gov_exec(&ExecuteMsg::Abort { restoration_id: id })
        .unwrap();
    s.gov_exec(&msg).unwrap();
    assert_eq!(s.mock(0).label.as_deref(), Some("during"));
}

#[test]
fn r14_the_post_restore_config_of_each_target_is_applied_with_its_release() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![work(10), work(10), work(10)])
        .build();
    let mut spec = s.spec(s.height() - 1);
    spec.targets[0].post_restore_config = Some(MockConfig::label("zero"));
    spec.targets[2].post_restore_config = Some(MockConfig::label("two"));
    let id = s.queue(&spec).unwrap();
    s.advance(12 * 3600, 100);
    s.execute_op(id).unwrap();
    s.crank(None).unwrap();
    s.crank(None).unwrap();
    assert_eq!(
        labels(&s),
        vec![None, None, None],
        "nothing before completion"
    );
    s.crank(None).unwrap();
    let r = s.restoration(id);
    assert_eq!(r.state, RestorationState::Complete);
    assert_eq!(r.spec, spec, "the voted configs are kept in the spec");
    assert_eq!(releases(&s), vec![1, 1, 1]);
    assert_eq!(
        labels(&s),
        vec![Some("zero".into()), None, Some("two".into())]
    );
}

#[test]
fn r12_r14_a_post_restore_config_refused_at_release_fails_the_completion_for_all_until_abort() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![work(10), work(10)])
        .build();
    let mut spec = s.spec(s.height() - 1);
    spec.targets[0].post_restore_config = Some(MockConfig::label("fine"));
    spec.targets[1].post_restore_config = Some(MockConfig::label(""));
    let id = s.queue(&spec).unwrap();
    s.advance(12 * 3600, 100);
    let applied_at = now(&s);
    s.execute_op(id).unwrap();
    s.crank(None).unwrap();
    // The crank that completes the last target releases and configures all or none.
    assert_err(s.crank(None), EMPTY_LABEL);
    let r = s.restoration(id);
    assert_eq!(r.state, RestorationState::Running);
    assert!(r.targets.iter().all(|t| !t.released));
    assert_eq!(releases(&s), vec![0, 0]);
    assert_eq!(labels(&s), vec![None, None]);
    assert!(s.mock(0).lock_until.is_some() && s.mock(1).lock_until.is_some());
    assert_eq!(s.mock(0).status.phase, RestorationPhase::Complete);
    // The voted config cannot change; the way out is the abort once the lock ends.
    let lock_seconds = default_settings().lock_seconds;
    assert_err(
        s.gov_exec(&ExecuteMsg::Abort { restoration_id: id }),
        ContractError::LockNotExpired {
            restoration_id: id,
            lock_until: applied_at.plus_seconds(lock_seconds),
        },
    );
    s.advance(lock_seconds, 10);
    s.gov_exec(&ExecuteMsg::Abort { restoration_id: id })
        .unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Aborted);
    assert_eq!(releases(&s), vec![0, 0]);
    assert_eq!(
        (0..2).map(|i| s.mock(i).abandons).collect::<Vec<_>>(),
        vec![1, 1]
    );
    assert_eq!(labels(&s), vec![None, None]);
}

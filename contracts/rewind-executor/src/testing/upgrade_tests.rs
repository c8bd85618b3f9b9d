//! Governance's voted code upgrade of a target (`ExecuteMsg::Upgrade`): the checks the
//! executor repeats, and the way out of a restoration that failed on a target.

use cosmwasm_std::{to_json_binary, DepsMut, Env, HexBinary, Response, StdError, StdResult};
use cw_multi_test::{AppResponse, ContractWrapper, Executor};
use rewind_types::executor::{ExecuteMsg, RestorationState};
use rewind_types::restorable::RestorationPhase;
use rewind_types::RestorableMigrateMsg;

use super::mock_target::{self, MockExecuteMsg, STATE};
use super::suite::{assert_err, Suite, SuiteBuilder, TargetConfig};
use crate::error::ContractError;

/// The "fixed code": the mock target, whose `Upgrade {}` migration abandons a stuck
/// restoration (it resets the status to Idle, as a real target would through
/// `rewind_journal::abandon_rollback`). It refuses `Restore`.
fn fixed_migrate(deps: DepsMut, _env: Env, msg: RestorableMigrateMsg) -> StdResult<Response> {
    let RestorableMigrateMsg::Upgrade {} = msg else {
        return Err(StdError::msg("fixed code: only Upgrade"));
    };
    let mut state = STATE.load(deps.storage)?;
    state.status.phase = RestorationPhase::Idle;
    state.status.height = None;
    STATE.save(deps.storage, &state)?;
    cw2::set_contract_version(deps.storage, super::suite::TARGET_NAME, "0.2.0")?;
    Ok(Response::new().add_attribute("action", "fixed_upgrade"))
}

/// Stores the fixed code; returns its id and checksum.
fn store_fixed(s: &mut Suite) -> (u64, HexBinary) {
    let code_id = s.app.store_code(Box::new(
        ContractWrapper::new(
            mock_target::execute,
            mock_target::instantiate,
            mock_target::query,
        )
        .with_migrate(fixed_migrate),
    ));
    let checksum = s.app.wrap().query_wasm_code_info(code_id).unwrap().checksum;
    (code_id, HexBinary::from(checksum.as_slice()))
}

fn upgrade_msg(s: &Suite, code_id: u64, checksum: &HexBinary) -> ExecuteMsg {
    ExecuteMsg::Upgrade {
        contract: s.targets[0].to_string(),
        code_id,
        checksum: checksum.clone(),
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

#[test]
fn upgrade_migrates_the_target_to_the_voted_code() {
    let mut s = SuiteBuilder::default().build();
    let (code_id, checksum) = store_fixed(&mut s);
    let res = s.gov_exec(&upgrade_msg(&s, code_id, &checksum)).unwrap();
    assert!(has_attr(&res, "action", "upgrade"));
    assert!(has_attr(&res, "code_id", &code_id.to_string()));
    assert!(
        has_attr(&res, "action", "fixed_upgrade"),
        "the migration ran"
    );
    assert_eq!(code_of(&s, 0), code_id);
    let version = cw2::query_contract_info(&s.app.wrap(), s.targets[0].to_string()).unwrap();
    assert_eq!(version.version, "0.2.0");
}

#[test]
fn g6_upgrade_with_a_wrong_checksum_is_refused() {
    let mut s = SuiteBuilder::default().build();
    let (code_id, checksum) = store_fixed(&mut s);
    let wrong = HexBinary::from(vec![7u8; 32]);
    assert_err(
        s.gov_exec(&upgrade_msg(&s, code_id, &wrong)),
        ContractError::ChecksumMismatch {
            code_id,
            expected: wrong,
            actual: checksum,
        },
    );
    assert_eq!(code_of(&s, 0), s.target_code);
}

#[test]
fn upgrade_from_anyone_but_governance_is_refused() {
    let mut s = SuiteBuilder::default().build();
    let (code_id, checksum) = store_fixed(&mut s);
    let msg = upgrade_msg(&s, code_id, &checksum);
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
    assert_eq!(code_of(&s, 0), s.target_code);
}

#[test]
fn r8_upgrade_of_a_target_the_executor_does_not_administer_is_refused() {
    let mut s = SuiteBuilder::default()
        .with_targets(vec![TargetConfig {
            executor_is_admin: false,
            ..TargetConfig::default()
        }])
        .build();
    let (code_id, checksum) = store_fixed(&mut s);
    assert_err(
        s.gov_exec(&upgrade_msg(&s, code_id, &checksum)),
        ContractError::NotAdmin {
            target: s.targets[0].clone(),
            admin: Some(s.governance.clone()),
        },
    );
}

#[test]
fn upgrade_is_refused_while_a_restoration_runs_and_is_the_way_out_once_it_failed() {
    let mut s = SuiteBuilder::default().build();
    let (code_id, checksum) = store_fixed(&mut s);
    let id = s.queue_due();
    s.execute_op(id).unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Running);
    let msg = upgrade_msg(&s, code_id, &checksum);
    assert_err(
        s.gov_exec(&msg),
        ContractError::UpgradeDuringRestoration {
            target: s.targets[0].clone(),
            restoration_id: id,
        },
    );

    // The target's crank starts failing (a bug): the restoration fails and the target
    // stays mid-restoration and locked.
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
    assert_eq!(s.mock(0).status.phase, RestorationPhase::RollingBack);
    assert!(s.mock(0).lock_until.is_some());

    // The voted upgrade ships the fixed code; then governance aborts, releasing the lock.
    s.gov_exec(&msg).unwrap();
    assert_eq!(code_of(&s, 0), code_id);
    assert_eq!(s.mock(0).status.phase, RestorationPhase::Idle);
    s.gov_exec(&ExecuteMsg::Abort { restoration_id: id })
        .unwrap();
    assert_eq!(s.restoration(id).state, RestorationState::Aborted);
    assert_eq!(s.mock(0).lock_until, None);
    // Once the restoration no longer holds the target, upgrades need no failure to pass.
    let again = ExecuteMsg::Upgrade {
        contract: s.targets[0].to_string(),
        code_id: s.target_code,
        checksum: HexBinary::from(
            s.app
                .wrap()
                .query_wasm_code_info(s.target_code)
                .unwrap()
                .checksum
                .as_slice(),
        ),
    };
    s.gov_exec(&again).unwrap();
    assert_eq!(code_of(&s, 0), s.target_code);
}

#[test]
fn upgrade_sends_the_upgrade_migration_json() {
    // The migration message is the shared `RestorableMigrateMsg::Upgrade {}`.
    assert_eq!(
        to_json_binary(&RestorableMigrateMsg::Upgrade {})
            .unwrap()
            .to_vec(),
        br#"{"upgrade":{}}"#.to_vec()
    );
}

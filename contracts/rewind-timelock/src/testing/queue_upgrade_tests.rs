//! `QueueUpgrade`: a voted upgrade of a core contract waits in the timelock under the same
//! rules as a restoration (rows T2, T3, T4), locks nothing in the guardian, and executes as
//! governance's `ApplyUpgrade`.

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{from_json, to_json_binary, Addr, HexBinary, StdResult, SubMsg, WasmMsg};
use cw_multi_test::{AppResponse, Executor};
use rewind_types::governance::ExecuteMsg as GovernanceMsg;
use rewind_types::timelock::{
    ExecuteMsg, InstantiateMsg, OperationResponse, OperationStatus, QueryMsg,
};

use super::suite::{assert_err, attr, Suite, SuiteBuilder};
use super::tests::mock_modules;
use crate::error::ContractError;
use crate::settings::default_settings;

const DELAY: u64 = 12 * 3600;
const BLOCKS: u64 = 100;
const GRACE: u64 = 7 * 86400;
const GUARDIAN_DELAY: u64 = 86400;
const GUARDIAN_BLOCKS: u64 = 200;

fn hash(n: u8) -> HexBinary {
    HexBinary::from(vec![n; 32])
}

fn send(s: &mut Suite, sender: &Addr, msg: &ExecuteMsg) -> StdResult<AppResponse> {
    s.app
        .execute_contract(sender.clone(), s.timelock.clone(), msg, &[])
}

fn queue_upgrade(s: &mut Suite, proposal_id: u64, content_hash: HexBinary) -> StdResult<u64> {
    let gov = s.governance.clone();
    let res = send(
        s,
        &gov,
        &ExecuteMsg::QueueUpgrade {
            proposal_id,
            content_hash,
        },
    )?;
    Ok(from_json(res.data.unwrap()).unwrap())
}

/// Whether `res` contains a message the timelock sent to the guardian.
fn touched_guardian(s: &Suite, res: &AppResponse) -> bool {
    res.events.iter().any(|e| {
        e.ty == "execute"
            && e.attributes
                .iter()
                .any(|a| a.key == "_contract_address" && a.value == s.guardian.as_str())
    })
}

#[test]
fn queue_upgrade_is_governance_only_answers_its_id_and_locks_nothing() {
    let mut s = SuiteBuilder::default().build();
    let stranger = s.addr("stranger");
    let msg = ExecuteMsg::QueueUpgrade {
        proposal_id: 7,
        content_hash: hash(7),
    };
    for sender in [stranger.clone(), s.guardians[0].clone(), s.executor.clone()] {
        assert_err(
            send(&mut s, &sender, &msg),
            ContractError::Unauthorized {
                sender,
                required: "governance".into(),
            },
        );
    }
    let gov = s.governance.clone();
    let res = send(&mut s, &gov, &msg).unwrap();
    let id: u64 = from_json(res.data.clone().unwrap()).unwrap();
    assert_eq!(id, 1);
    assert_eq!(attr(&res, "action"), "queue_upgrade");
    assert_eq!(attr(&res, "proposal_id"), "7");
    assert!(!touched_guardian(&s, &res));
    let now = s.app.block_info();
    let op = s.operation(id);
    assert_eq!(
        op,
        OperationResponse {
            id,
            spec: None,
            upgrade_proposal_id: Some(7),
            content_hash: hash(7),
            status: OperationStatus::Queued,
            queued_at: now.time,
            queued_height: now.height,
            eta: now.time.plus_seconds(DELAY),
            eta_height: now.height + BLOCKS,
            expires_at: now.time.plus_seconds(DELAY + GRACE),
            closed_by: None,
            guardian_delay: None,
        }
    );
    assert_eq!(s.mock(0).lock_until, None);
    // Upgrades and restorations share the id sequence.
    let spec = s.spec(s.height() - 1);
    assert_eq!(s.queue(&spec).unwrap(), 2);
    assert_eq!(s.operation(2).upgrade_proposal_id, None);
}

#[test]
fn r2_t2_an_upgrade_is_queued_once_whatever_became_of_it() {
    let mut s = SuiteBuilder::default().build();
    let id = queue_upgrade(&mut s, 3, hash(3)).unwrap();
    assert_err(
        queue_upgrade(&mut s, 3, hash(3)),
        ContractError::AlreadyQueued {
            operation_id: id,
            status: OperationStatus::Queued,
        },
    );
    let gov = s.governance.clone();
    send(&mut s, &gov, &ExecuteMsg::Cancel { operation_id: id }).unwrap();
    assert_err(
        queue_upgrade(&mut s, 4, hash(3)),
        ContractError::AlreadyQueued {
            operation_id: id,
            status: OperationStatus::Cancelled,
        },
    );
}

#[test]
fn t2_t3_t4_an_upgrade_waits_like_a_restoration_without_a_lock() {
    let mut s = SuiteBuilder::default().build();
    let id = queue_upgrade(&mut s, 1, hash(1)).unwrap();
    let queued = s.operation(id);
    // Time without blocks (a chain halt) is not enough (row T3).
    s.advance(DELAY, BLOCKS - 1);
    assert_err(
        s.execute_op(id),
        ContractError::NotDue {
            operation_id: id,
            eta: queued.eta,
            eta_height: queued.eta_height,
            now: s.app.block_info().time,
            height: s.height(),
        },
    );
    // A guardian delays it once (row T4), locking nothing.
    let g0 = s.guardians[0].clone();
    let res = send(&mut s, &g0, &ExecuteMsg::Cancel { operation_id: id }).unwrap();
    assert!(!touched_guardian(&s, &res));
    let delayed = s.operation(id);
    assert_eq!(delayed.status, OperationStatus::Queued);
    assert_eq!(delayed.eta, queued.eta.plus_seconds(GUARDIAN_DELAY));
    assert_eq!(delayed.eta_height, queued.eta_height + GUARDIAN_BLOCKS);
    assert_eq!(
        delayed.expires_at,
        queued.expires_at.plus_seconds(GUARDIAN_DELAY)
    );
    let g1 = s.guardians[1].clone();
    assert_err(
        send(&mut s, &g1, &ExecuteMsg::Cancel { operation_id: id }),
        ContractError::AlreadyDelayed {
            operation_id: id,
            delayed_by: g0,
        },
    );
    // Governance lifts the delay: the original eta again, the longer expiry kept.
    let gov = s.governance.clone();
    send(
        &mut s,
        &gov,
        &ExecuteMsg::OverrideDelay { operation_id: id },
    )
    .unwrap();
    let lifted = s.operation(id);
    assert_eq!(
        (lifted.eta, lifted.eta_height),
        (queued.eta, queued.eta_height)
    );
    assert_eq!(lifted.expires_at, delayed.expires_at);
    // Past its (extended) grace window it is Expired, executes no more, and anyone marks
    // it so without a guardian message.
    s.advance(GRACE + GUARDIAN_DELAY, 1);
    assert_eq!(s.operation(id).status, OperationStatus::Expired);
    assert_err(
        s.execute_op(id),
        ContractError::Expired {
            operation_id: id,
            expires_at: lifted.expires_at,
        },
    );
    let anyone = s.addr("anyone");
    let res = send(&mut s, &anyone, &ExecuteMsg::Expire { operation_id: id }).unwrap();
    assert!(!touched_guardian(&s, &res));
    assert_eq!(attr(&res, "kind"), "upgrade");
    assert_eq!(s.operation(id).closed_by, Some(anyone));
    // Governance's cancel of another upgrade is final, also without a guardian message.
    let other = queue_upgrade(&mut s, 2, hash(2)).unwrap();
    let res = send(
        &mut s,
        &gov,
        &ExecuteMsg::Cancel {
            operation_id: other,
        },
    )
    .unwrap();
    assert!(!touched_guardian(&s, &res));
    assert_eq!(s.operation(other).status, OperationStatus::Cancelled);
}

#[test]
fn a_due_upgrade_executes_once_as_apply_upgrade_to_governance() {
    let mut deps = mock_dependencies();
    let modules = mock_modules(&deps.api);
    let settings = default_settings();
    let gov = message_info(&modules.governance, &[]);
    let mut env = mock_env();
    crate::contract::instantiate(
        deps.as_mut(),
        env.clone(),
        gov.clone(),
        InstantiateMsg {
            modules: modules.clone(),
            settings: settings.clone(),
        },
    )
    .unwrap();
    crate::contract::execute(
        deps.as_mut(),
        env.clone(),
        gov,
        ExecuteMsg::QueueUpgrade {
            proposal_id: 9,
            content_hash: hash(9),
        },
    )
    .unwrap();
    env.block.time = env.block.time.plus_seconds(settings.delay_seconds);
    env.block.height += settings.min_delay_blocks;
    let anyone = deps.api.addr_make("anyone");
    let execute = ExecuteMsg::Execute { operation_id: 1 };
    let res = crate::contract::execute(
        deps.as_mut(),
        env.clone(),
        message_info(&anyone, &[]),
        execute.clone(),
    )
    .unwrap();
    assert_eq!(
        res.messages,
        vec![SubMsg::new(WasmMsg::Execute {
            contract_addr: modules.governance.to_string(),
            msg: to_json_binary(&GovernanceMsg::ApplyUpgrade {
                proposal_id: 9,
                content_hash: hash(9),
            })
            .unwrap(),
            funds: vec![],
        })]
    );
    let op: OperationResponse = from_json(
        crate::contract::query(
            deps.as_ref(),
            env.clone(),
            QueryMsg::Operation { operation_id: 1 },
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(op.status, OperationStatus::Executed);
    assert_eq!(op.closed_by, Some(anyone.clone()));
    assert_eq!((op.spec, op.upgrade_proposal_id), (None, Some(9)));
    assert_eq!(
        crate::contract::execute(deps.as_mut(), env, message_info(&anyone, &[]), execute)
            .unwrap_err(),
        ContractError::NotQueued {
            operation_id: 1,
            status: OperationStatus::Executed,
        }
    );
}

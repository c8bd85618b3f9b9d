use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{from_json, Addr, Uint128};
use rewind_journal::JournalError;
use rewind_types::PauseScope;

use crate::contract::{execute, instantiate, query};
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg, StoreKind};

const KINDS: [StoreKind; 3] = [StoreKind::Plain, StoreKind::Snapshot, StoreKind::Journaled];

fn balance(deps: cosmwasm_std::Deps, store: StoreKind, index: u32) -> Uint128 {
    from_json(query(deps, mock_env(), QueryMsg::Balance { store, index }).unwrap()).unwrap()
}

#[test]
fn every_store_writes_and_reads_the_same_balances() {
    let mut deps = mock_dependencies();
    let env = mock_env();
    let info = message_info(&Addr::unchecked("bench"), &[]);
    instantiate(
        deps.as_mut(),
        env.clone(),
        info.clone(),
        InstantiateMsg {
            retention_blocks: 100,
        },
    )
    .unwrap();
    for store in KINDS {
        let msg = ExecuteMsg::Write {
            store,
            first: 3,
            count: 4,
            amount: Uint128::new(7),
        };
        execute(deps.as_mut(), env.clone(), info.clone(), msg).unwrap();
        assert_eq!(balance(deps.as_ref(), store, 2), Uint128::zero());
        assert_eq!(balance(deps.as_ref(), store, 3), Uint128::new(7));
        assert_eq!(balance(deps.as_ref(), store, 6), Uint128::new(7));
        let read = ExecuteMsg::Read {
            store,
            first: 0,
            count: 10,
        };
        let resp = execute(deps.as_mut(), env.clone(), info.clone(), read).unwrap();
        assert_eq!(resp.attributes[1].value, "28");
    }
}

#[test]
fn gated_action_is_refused_while_paused() {
    let mut deps = mock_dependencies();
    let env = mock_env();
    let info = message_info(&Addr::unchecked("bench"), &[]);
    instantiate(
        deps.as_mut(),
        env.clone(),
        info.clone(),
        InstantiateMsg {
            retention_blocks: 100,
        },
    )
    .unwrap();
    let until = env.block.time.plus_seconds(60);
    execute(
        deps.as_mut(),
        env.clone(),
        info.clone(),
        ExecuteMsg::SetPause {
            scope: PauseScope::named("deposit"),
            until,
        },
    )
    .unwrap();
    let err = execute(
        deps.as_mut(),
        env.clone(),
        info.clone(),
        ExecuteMsg::Gated {
            scope: PauseScope::named("deposit"),
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            &err,
            JournalError::Paused { scope, .. } if scope.as_str() == "deposit"
        ),
        "{err:?}"
    );
    execute(
        deps.as_mut(),
        env,
        info,
        ExecuteMsg::Gated {
            scope: PauseScope::named("trade"),
        },
    )
    .unwrap();
}

#[test]
fn rollback_restores_the_journaled_balances() {
    let mut deps = mock_dependencies();
    let mut env = mock_env();
    let info = message_info(&Addr::unchecked("bench"), &[]);
    instantiate(
        deps.as_mut(),
        env.clone(),
        info.clone(),
        InstantiateMsg {
            retention_blocks: 100,
        },
    )
    .unwrap();
    let write = |amount| ExecuteMsg::Write {
        store: StoreKind::Journaled,
        first: 0,
        count: 5,
        amount: Uint128::new(amount),
    };
    execute(deps.as_mut(), env.clone(), info.clone(), write(1)).unwrap();
    let target = env.block.height;
    env.block.height += 1;
    execute(deps.as_mut(), env.clone(), info.clone(), write(2)).unwrap();
    env.block.height += 1;
    let digest: rewind_types::restorable::DigestAtResponse = from_json(
        query(
            deps.as_ref(),
            env.clone(),
            QueryMsg::DigestAt { height: target },
        )
        .unwrap(),
    )
    .unwrap();
    let start = ExecuteMsg::StartRollback {
        height: target,
        expected_digest: digest.digest,
    };
    execute(deps.as_mut(), env.clone(), info.clone(), start).unwrap();
    // The verify pass reads the five undo entries first and undoes none.
    let resp = execute(
        deps.as_mut(),
        env.clone(),
        info.clone(),
        ExecuteMsg::RollbackStep { limit: 5 },
    )
    .unwrap();
    assert_eq!(resp.attributes[1].value, "0");
    assert_eq!(resp.attributes[2].value, "false");
    let resp = execute(
        deps.as_mut(),
        env.clone(),
        info.clone(),
        ExecuteMsg::RollbackStep { limit: 3 },
    )
    .unwrap();
    assert_eq!(resp.attributes[1].value, "3");
    assert_eq!(resp.attributes[2].value, "false");
    let resp = execute(
        deps.as_mut(),
        env.clone(),
        info,
        ExecuteMsg::RollbackStep { limit: 10 },
    )
    .unwrap();
    assert_eq!(resp.attributes[2].value, "true");
    for i in 0..5 {
        assert_eq!(
            balance(deps.as_ref(), StoreKind::Journaled, i),
            Uint128::new(1)
        );
    }
}

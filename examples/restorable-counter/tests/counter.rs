//! Tests of the entry points with cosmwasm_std::testing mocks.

use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{from_json, to_json_binary, Addr, Env, HexBinary, OwnedDeps, Uint128};
use rewind_journal::JournalError;
use rewind_types::restorable::{
    DigestAtOutcome, DigestAtResponse, JournalInfoResponse, RestorableExecuteMsg,
    RestorableQueryMsg, RestorationCheckResponse, RestorationPhase, RestorationStatusResponse,
    MAX_RESTORATION_CHECK_HEIGHTS,
};
use rewind_types::{GateMsg, RestorableMigrateMsg, ShortfallPolicy};

use restorable_counter::{
    execute, instantiate, migrate, query, ContractError, ExecuteMsg, InstantiateMsg, QueryMsg,
    INCREMENT_SCOPE,
};

type Deps = OwnedDeps<MockStorage, MockApi, MockQuerier>;

fn env_at(height: u64) -> Env {
    let mut env = mock_env();
    env.block.height = height;
    env.block.time = env.block.time.plus_seconds(5 * height);
    env
}

fn setup() -> (Deps, Addr) {
    let mut deps = mock_dependencies();
    let guardian = deps.api.addr_make("guardian");
    let info = message_info(&deps.api.addr_make("deployer"), &[]);
    let msg = InstantiateMsg {
        guardian: guardian.to_string(),
        retention_blocks: 1_000,
        retention_seconds: 1,
    };
    instantiate(deps.as_mut(), env_at(100), info, msg).unwrap();
    (deps, guardian)
}

fn increment(deps: &mut Deps, who: &Addr, height: u64) -> Result<(), ContractError> {
    let info = message_info(who, &[]);
    execute(
        deps.as_mut(),
        env_at(height),
        info,
        ExecuteMsg::Increment {},
    )
    .map(|_| ())
}

fn count(deps: &Deps, who: &Addr, height: u64) -> u64 {
    let msg = QueryMsg::Count {
        address: who.to_string(),
    };
    let count: Uint128 = from_json(query(deps.as_ref(), env_at(height), msg).unwrap()).unwrap();
    count.u128() as u64
}

fn status(deps: &Deps, height: u64) -> RestorationStatusResponse {
    let msg = QueryMsg::RestorationStatus {};
    from_json(query(deps.as_ref(), env_at(height), msg).unwrap()).unwrap()
}

#[test]
fn restore_to_h_brings_the_counters_back() {
    let (mut deps, _) = setup();
    let alice = deps.api.addr_make("alice");
    let bob = deps.api.addr_make("bob");
    increment(&mut deps, &alice, 101).unwrap();
    increment(&mut deps, &alice, 102).unwrap(); // after H: undone
    increment(&mut deps, &bob, 102).unwrap(); // after H: undone
    increment(&mut deps, &bob, 103).unwrap(); // after H: undone
    assert_eq!((count(&deps, &alice, 104), count(&deps, &bob, 104)), (2, 2));

    // Governance reads the digest at H = 101 and puts it in the proposal.
    let at: DigestAtResponse = from_json(
        query(
            deps.as_ref(),
            env_at(104),
            QueryMsg::DigestAt { height: 101 },
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(at.recorded_at, 101);

    // A wrong digest is refused before anything changes.
    let wrong = RestorableMigrateMsg::Restore {
        height: 101,
        exclusions: vec![],
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
        expected_digest: HexBinary::from(vec![0u8; 32]),
    };
    let err = migrate(deps.as_mut(), env_at(104), wrong).unwrap_err();
    assert!(matches!(
        err,
        ContractError::Journal(JournalError::DigestMismatch { height: 101, .. })
    ));

    // The executor migrates with the voted digest: every gated action is locked.
    let restore = RestorableMigrateMsg::Restore {
        height: 101,
        exclusions: vec![bob.to_string()],
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
        expected_digest: at.digest,
    };
    migrate(deps.as_mut(), env_at(104), restore).unwrap();
    let err = increment(&mut deps, &alice, 104).unwrap_err();
    assert!(matches!(
        err,
        ContractError::Journal(JournalError::Restoring)
    ));
    assert_eq!(status(&deps, 104).phase, RestorationPhase::RollingBack);

    // Anyone cranks, one unit of work at a time. Above H are 3 undo entries (alice and bob
    // at 102, bob at 103) and 2 digest records (102, 103).
    let anyone = message_info(&deps.api.addr_make("anyone"), &[]);
    let mut cranks = 0;
    while status(&deps, 105).phase != RestorationPhase::Complete {
        let crank = ExecuteMsg::Crank { limit: Some(1) };
        execute(deps.as_mut(), env_at(105), anyone.clone(), crank).unwrap();
        cranks += 1;
        assert!(cranks <= 10, "the restoration must finish");
    }
    let done = status(&deps, 105);
    assert_eq!(done.height, Some(101));
    assert!(done.digest_verified);
    assert_eq!(done.undone_entries, 3);
    assert_eq!((count(&deps, &alice, 105), count(&deps, &bob, 105)), (1, 0));

    // Complete, but locked until the executor's release (row R12).
    let err = increment(&mut deps, &alice, 106).unwrap_err();
    assert!(matches!(
        err,
        ContractError::Journal(JournalError::Restoring)
    ));
    migrate(deps.as_mut(), env_at(106), RestorableMigrateMsg::Release {}).unwrap();

    // Unlocked (no guardian lock was set in this test): the counter works again.
    increment(&mut deps, &alice, 106).unwrap();
    assert_eq!(count(&deps, &alice, 106), 2);
    let crank = ExecuteMsg::Crank { limit: None };
    let err = execute(deps.as_mut(), env_at(106), anyone, crank).unwrap_err();
    assert!(matches!(err, ContractError::NoRestorationRunning));
}

#[test]
fn a_paused_scope_refuses_increment_until_the_pause_ends() {
    let (mut deps, guardian) = setup();
    let alice = deps.api.addr_make("alice");
    let until = env_at(101).block.time.plus_seconds(60);
    let pause = ExecuteMsg::Gate(GateMsg::SetPause {
        scope: INCREMENT_SCOPE.scope,
        until,
    });

    // Only the guardian contract may send Gate.
    let err = execute(
        deps.as_mut(),
        env_at(101),
        message_info(&alice, &[]),
        pause.clone(),
    )
    .unwrap_err();
    assert!(matches!(err, ContractError::NotGuardian { sender } if sender == alice));

    execute(
        deps.as_mut(),
        env_at(101),
        message_info(&guardian, &[]),
        pause,
    )
    .unwrap();
    match increment(&mut deps, &alice, 102).unwrap_err() {
        ContractError::Journal(e) => assert_eq!(
            e,
            JournalError::Paused {
                scope: INCREMENT_SCOPE.scope,
                until
            }
        ),
        other => panic!("expected a pause, got {other}"),
    }
    assert_eq!(count(&deps, &alice, 102), 0);

    // The pause ends by itself when the block time passes `until` (5 s per block here).
    increment(&mut deps, &alice, 113).unwrap();
    assert_eq!(count(&deps, &alice, 113), 1);
}

#[test]
fn the_shared_restorable_json_parses_as_the_counters_own_messages() {
    let gate = RestorableExecuteMsg::Gate(GateMsg::SetRestorationLock { until: None });
    let parsed: ExecuteMsg = from_json(to_json_binary(&gate).unwrap()).unwrap();
    assert_eq!(
        parsed,
        ExecuteMsg::Gate(GateMsg::SetRestorationLock { until: None })
    );
    let crank = RestorableExecuteMsg::Crank { limit: Some(7) };
    let parsed: ExecuteMsg = from_json(to_json_binary(&crank).unwrap()).unwrap();
    assert_eq!(parsed, ExecuteMsg::Crank { limit: Some(7) });
    for (shared, own) in [
        (RestorableQueryMsg::JournalInfo {}, QueryMsg::JournalInfo {}),
        (
            RestorableQueryMsg::DigestAt { height: 9 },
            QueryMsg::DigestAt { height: 9 },
        ),
        (
            RestorableQueryMsg::RestorationStatus {},
            QueryMsg::RestorationStatus {},
        ),
        (
            RestorableQueryMsg::RestorationCheck {
                heights: vec![9, 3],
                accounts: vec![],
            },
            QueryMsg::RestorationCheck {
                heights: vec![9, 3],
                accounts: vec![],
            },
        ),
    ] {
        let parsed: QueryMsg = from_json(to_json_binary(&shared).unwrap()).unwrap();
        assert_eq!(parsed, own);
    }
}

#[test]
fn restoration_check_answers_journal_info_and_each_digest_at_in_one_query() {
    let (mut deps, _) = setup();
    let alice = deps.api.addr_make("alice");
    increment(&mut deps, &alice, 101).unwrap();
    increment(&mut deps, &alice, 102).unwrap();
    let ask = |deps: &Deps, msg: QueryMsg| query(deps.as_ref(), env_at(104), msg);
    let heights = vec![102, 99, 101, 104];
    let check: RestorationCheckResponse = from_json(
        ask(
            &deps,
            QueryMsg::RestorationCheck {
                heights: heights.clone(),
                accounts: vec![],
            },
        )
        .unwrap(),
    )
    .unwrap();
    let info: JournalInfoResponse =
        from_json(ask(&deps, QueryMsg::JournalInfo {}).unwrap()).unwrap();
    assert_eq!(check.journal, info);
    assert_eq!(check.digests.len(), heights.len());
    for (outcome, height) in check.digests.into_iter().zip(heights) {
        let single = ask(&deps, QueryMsg::DigestAt { height });
        match (outcome, single) {
            (DigestAtOutcome::Digest(at), Ok(bin)) => {
                assert_eq!(at, from_json::<DigestAtResponse>(bin).unwrap())
            }
            (DigestAtOutcome::Refused { height: h, error }, Err(e)) => {
                assert_eq!((h, error), (height, e.to_string()))
            }
            (outcome, single) => panic!("height {height}: {outcome:?} vs {single:?}"),
        }
    }

    let over = QueryMsg::RestorationCheck {
        heights: vec![101; MAX_RESTORATION_CHECK_HEIGHTS + 1],
        accounts: vec![],
    };
    assert!(matches!(ask(&deps, over), Err(ContractError::Std(_))));
}

#[test]
fn a_sweep_is_refused_because_the_counter_holds_no_funds() {
    let (mut deps, _) = setup();
    let err = migrate(
        deps.as_mut(),
        env_at(102),
        RestorableMigrateMsg::Sweep { to: None },
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("nothing to sweep"),
        "refused with its reason: {err}"
    );
}

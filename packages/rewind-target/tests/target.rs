//! rewind-target against a contract written with plain cw-storage-plus: messages, storage
//! kinds, rollback, plain namespaces, exclusions, the gate and the migrations.

// The generated entry points check the `library` feature of the crate they are expanded in;
// this test crate has none.
#![allow(unexpected_cfgs)]

mod ledger;

use cw_multi_test::Executor;
use ledger::{ExecuteMsg, Harness, QueryMsg};
use rewind_target::{ExecuteMsg as Wrapped, InstantiateMsg, MigrateMsg, QueryMsg as WrappedQuery};
use rewind_testing::{assert_error, contract_error_text};
use rewind_types::restorable::{
    ExecutionId, JournalInfoResponse, QueryAnswer, ReplayEntry, ReplayOutcome,
    ReplayPreviewResponse, ReplayReportResponse, RestorableExecuteMsg, RestorableMigrateMsg,
    RestorableQueryMsg, RestorationCheckResponse, RestorationPhase, MAX_PREVIEW_QUERIES,
};
use rewind_types::{GateMsg, PauseScope};
use serde_json::json;

/// Parses JSON the way the chain hands a message to a contract: from its text.
fn parse<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> serde_json::Result<T> {
    serde_json::from_str(&value.to_string())
}

#[test]
fn rewind_messages_and_the_contracts_own_are_told_apart_by_their_key() {
    let gate: Wrapped<ExecuteMsg> = parse(json!({"crank": {"limit": 5}})).unwrap();
    assert_eq!(
        gate,
        rewind_target::Wrapped::Rewind(RestorableExecuteMsg::Crank { limit: Some(5) })
    );
    let own: Wrapped<ExecuteMsg> = parse(json!({"credit": {"amount": 3}})).unwrap();
    assert_eq!(
        own,
        rewind_target::Wrapped::Contract(ExecuteMsg::Credit { amount: 3 })
    );
    // The contract's own error, not an opaque "no variant matched".
    let err = parse::<Wrapped<ExecuteMsg>>(json!({"nope": {}})).unwrap_err();
    assert!(err.to_string().contains("unknown variant `nope`"), "{err}");
    let err = parse::<Wrapped<ExecuteMsg>>(json!({"credit": {}})).unwrap_err();
    assert!(err.to_string().contains("missing field `amount`"), "{err}");
    // Round trip: the wrapper serialises as the inner message.
    let back = serde_json::to_value(&own).unwrap();
    assert_eq!(back, json!({"credit": {"amount": 3}}));

    let q: WrappedQuery<QueryMsg> = parse(json!({"journal_info": {}})).unwrap();
    assert_eq!(
        q,
        rewind_target::Wrapped::Rewind(RestorableQueryMsg::JournalInfo {})
    );
    let m: MigrateMsg<rewind_target::NoMigrateMsg> = parse(json!({"release": {}})).unwrap();
    assert_eq!(
        m,
        rewind_target::Wrapped::Rewind(RestorableMigrateMsg::Release { config: None })
    );
    let err = parse::<MigrateMsg<rewind_target::NoMigrateMsg>>(json!({})).unwrap_err();
    assert!(
        err.to_string().contains("no migrate message of its own"),
        "{err}"
    );
}

#[test]
fn the_instantiate_message_is_the_contracts_own_plus_a_rewind_field() {
    let msg: InstantiateMsg<ledger::InstantiateMsg> = parse(json!({
        "admin": "a",
        "rewind": {"guardian": "g", "retention_blocks": 1, "retention_seconds": 2},
    }))
    .unwrap();
    assert_eq!(msg.contract.admin, "a");
    assert_eq!(msg.rewind.guardian, "g");
    assert_eq!(
        serde_json::to_value(&msg).unwrap(),
        json!({"admin": "a", "rewind": {"guardian": "g", "retention_blocks": 1, "retention_seconds": 2}})
    );
    let missing = parse::<InstantiateMsg<ledger::InstantiateMsg>>(json!({"admin": "a"}));
    assert!(missing
        .unwrap_err()
        .to_string()
        .contains("missing field `rewind`"));
    // Without `rewind`, the settings may sit at the top level, among the contract's own
    // fields (rewind-vault's message has them); partial ones are still refused.
    let flat = parse::<InstantiateMsg<ledger::InstantiateMsg>>(json!({
        "admin": "a", "guardian": "g", "retention_blocks": 1, "retention_seconds": 2,
    }))
    .unwrap();
    assert_eq!(msg.rewind, flat.rewind);
    let partial = parse::<InstantiateMsg<ledger::InstantiateMsg>>(json!({
        "admin": "a", "guardian": "g", "retention_blocks": 1,
    }));
    assert!(partial
        .unwrap_err()
        .to_string()
        .contains("missing field `rewind`"));
    // The contract's own fields keep their own rules and errors.
    let no_admin = parse::<InstantiateMsg<ledger::InstantiateMsg>>(json!({
        "rewind": {"guardian": "g", "retention_blocks": 1, "retention_seconds": 2},
    }));
    assert!(no_admin
        .unwrap_err()
        .to_string()
        .contains("missing field `admin`"));
}

#[test]
fn r15_maps_indexed_maps_and_snapshot_maps_roll_back_and_plain_config_does_not() {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 10 }).unwrap();
    h.exec("alice", ExecuteMsg::Mint { id: 1 }).unwrap();
    h.exec("alice", ExecuteMsg::Record { value: 7 }).unwrap();
    let good = h.height();
    h.next_block();
    // The exploit: every kind of storage changes after the good height.
    let bob = h.addr("bob").to_string();
    h.exec(
        "alice",
        ExecuteMsg::Send {
            to: bob.clone(),
            amount: 9,
        },
    )
    .unwrap();
    h.exec(
        "alice",
        ExecuteMsg::Give {
            id: 1,
            to: bob.clone(),
        },
    )
    .unwrap();
    h.exec("alice", ExecuteMsg::Mint { id: 2 }).unwrap();
    h.exec("alice", ExecuteMsg::Record { value: 99 }).unwrap();
    let new_admin = h.addr("new-admin");
    h.exec(
        "alice",
        ExecuteMsg::SetAdmin {
            admin: new_admin.to_string(),
        },
    )
    .unwrap();
    h.next_block();

    // Alice's executions after the height are not replayed.
    h.restore(good, &["alice"]).unwrap();

    assert_eq!(h.balance("alice"), 10);
    assert_eq!(h.balance("bob"), 0);
    let alice = h.addr("alice").to_string();
    let of_alice: Vec<u64> = h.query(&QueryMsg::TokensOf {
        owner: alice.clone(),
    });
    let of_bob: Vec<u64> = h.query(&QueryMsg::TokensOf { owner: bob.clone() });
    assert_eq!((of_alice, of_bob), (vec![1], vec![]));
    let record: Option<u64> = h.query(&QueryMsg::RecordAt {
        address: alice,
        height: h.height(),
    });
    assert_eq!(record, Some(7));
    // Plain configuration is never rewound.
    let admin: cosmwasm_std::Addr = h.query(&QueryMsg::Admin {});
    assert_eq!(admin, new_admin);
    // And the contract works normally afterwards.
    let carol = h.addr("carol").to_string();
    h.exec("bob", ExecuteMsg::Credit { amount: 5 }).unwrap();
    h.exec(
        "bob",
        ExecuteMsg::Send {
            to: carol,
            amount: 4,
        },
    )
    .unwrap();
    assert_eq!((h.balance("bob"), h.balance("carol")), (1, 4));
}

#[test]
fn r16_an_excluded_account_is_frozen_and_the_freeze_hook_runs_on_the_state_at_the_height() {
    let mut h = Harness::new();
    h.exec("mallory", ExecuteMsg::Credit { amount: 5 }).unwrap();
    h.exec("alice", ExecuteMsg::Credit { amount: 5 }).unwrap();
    let good = h.height();
    h.next_block();
    h.exec("mallory", ExecuteMsg::Credit { amount: 1_000 })
        .unwrap();
    h.next_block();

    // A dormant account cannot be excluded (row G14).
    let err = h
        .restore(good, &["alice", "mallory", "dormant"])
        .unwrap_err();
    assert!(
        contract_error_text(&err).contains("a dormant account cannot be excluded"),
        "{err}"
    );
    let guardian = h.guardian.clone();
    h.gate(&guardian, GateMsg::SetRestorationLock { until: None })
        .unwrap();
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap(); // alice acts after the height
    h.next_block();
    h.restore(good, &["mallory"]).unwrap();

    assert_eq!(h.balance("mallory"), 5);
    assert_eq!(
        h.balance("alice"),
        6,
        "alice's credit after the height is replayed"
    );
    let mallory = h.addr("mallory");
    assert_error(
        h.exec("mallory", ExecuteMsg::Credit { amount: 1 }),
        format!("rewind: {mallory} is frozen by a restoration"),
    );
    // Nobody can write a key of the frozen account either.
    assert_error(
        h.exec(
            "alice",
            ExecuteMsg::Send {
                to: mallory.to_string(),
                amount: 1,
            },
        ),
        format!("rewind: account {mallory} is frozen by a restoration: its state cannot change"),
    );
    assert_eq!(h.balance("alice"), 6, "the refused send changed nothing");
    let log = ledger::FREEZE_LOG
        .may_load(
            &rewind_journal::JournaledView::new(
                h.app.contract_storage(&h.contract).as_ref(),
                rewind_journal::PlainNamespaces(&["config"]),
            ),
            &mallory,
        )
        .unwrap();
    assert!(log.is_some(), "the freeze hook ran");
}

#[test]
fn the_gate_is_the_guardians_and_a_pause_stops_its_scope_until_it_ends() {
    let mut h = Harness::new();
    let stranger = h.addr("stranger");
    let until = h.app.block_info().time.plus_seconds(60);
    let err = h
        .gate(
            &stranger,
            GateMsg::SetPause {
                scope: PauseScope::named("deposit"),
                until,
            },
        )
        .unwrap_err();
    assert!(
        contract_error_text(&err).contains("only the guardian"),
        "{err}"
    );
    let guardian = h.guardian.clone();
    h.gate(
        &guardian,
        GateMsg::SetPause {
            scope: PauseScope::named("deposit"),
            until,
        },
    )
    .unwrap();
    let err = h
        .exec("alice", ExecuteMsg::Credit { amount: 1 })
        .unwrap_err();
    assert!(
        contract_error_text(&err).contains("is paused until"),
        "{err}"
    );
    // Another scope is not stopped.
    h.exec("alice", ExecuteMsg::Mint { id: 3 }).unwrap();
    // The pause ends by itself.
    h.app.update_block(|b| b.time = b.time.plus_seconds(61));
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
}

#[test]
fn restoration_messages_out_of_order_are_refused_with_their_reason() {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    h.next_block();
    let err = h.crank().unwrap_err();
    assert!(
        contract_error_text(&err).contains("no restoration is running"),
        "{err}"
    );
    let err = h
        .migrate(&RestorableMigrateMsg::Sweep { to: None })
        .unwrap_err();
    assert!(
        contract_error_text(&err).contains("nothing to sweep"),
        "{err}"
    );
    let err = h
        .migrate(&RestorableMigrateMsg::Release { config: None })
        .unwrap_err();
    assert!(
        contract_error_text(&err).contains("no rollback is running"),
        "{err}"
    );
    let heights = vec![h.height() - 1, h.height() + 5];
    let check: RestorationCheckResponse = h.query(&RestorableQueryMsg::RestorationCheck {
        heights,
        accounts: vec![h.addr("alice").to_string()],
    });
    assert_eq!(check.digests.len(), 2);
    assert_eq!(check.activity[0].last_acted_height, Some(h.height() - 1));
}

#[test]
fn an_abandoned_restoration_leaves_only_exits_open() {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 8 }).unwrap();
    let good = h.height();
    h.next_block();
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    h.next_block();
    let until = h.app.block_info().time.plus_seconds(3_600);
    let guardian = h.guardian.clone();
    h.gate(
        &guardian,
        GateMsg::SetRestorationLock { until: Some(until) },
    )
    .unwrap();
    let digest: rewind_types::restorable::DigestAtResponse =
        h.query(&RestorableQueryMsg::DigestAt { height: good });
    h.migrate(&RestorableMigrateMsg::Restore {
        height: good,
        exclusions: vec![],
        shortfall_policy: rewind_types::ShortfallPolicy::ProRataHaircut,
        expected_digest: digest.digest,
    })
    .unwrap();
    let exit_only_until = h.app.block_info().time.plus_seconds(600);
    h.migrate(&RestorableMigrateMsg::Abandon { exit_only_until })
        .unwrap();
    h.gate(&guardian, GateMsg::SetRestorationLock { until: None })
        .unwrap();
    assert_eq!(h.status().phase, RestorationPhase::Idle);
    let info: JournalInfoResponse = h.query(&RestorableQueryMsg::JournalInfo {});
    assert!(!info.restoring);
    let err = h
        .exec("alice", ExecuteMsg::Credit { amount: 1 })
        .unwrap_err();
    assert!(contract_error_text(&err).contains("exit-only"), "{err}");
    let bob = h.addr("bob").to_string();
    h.exec("alice", ExecuteMsg::Send { to: bob, amount: 2 })
        .unwrap(); // the exit scope
}

#[test]
fn upgrades_follow_the_cw2_rule() {
    let mut h = Harness::new();
    // The same version is not an upgrade.
    let err = h.migrate(&RestorableMigrateMsg::Upgrade {}).unwrap_err();
    assert!(
        contract_error_text(&err).contains("cannot run upgrade"),
        "{err}"
    );
    // An older release of the same contract upgrades.
    h.app.contract_storage_mut(&h.contract).set(
        b"contract_info",
        br#"{"contract":"crates.io:ledger","version":"0.9.0"}"#,
    );
    let res = h.migrate(&RestorableMigrateMsg::Upgrade {}).unwrap();
    assert!(res.events.iter().any(|e| e
        .attributes
        .iter()
        .any(|a| a.key == "action" && a.value == "migrate")));
    h.app.contract_storage_mut(&h.contract).set(
        b"contract_info",
        br#"{"contract":"crates.io:other","version":"1.0.0"}"#,
    );
    let err = h.migrate(&RestorableMigrateMsg::Upgrade {}).unwrap_err();
    assert!(
        contract_error_text(&err).contains("wrong contract"),
        "{err}"
    );
    let err = h
        .migrate(&RestorableMigrateMsg::Release { config: None })
        .unwrap_err();
    assert!(
        contract_error_text(&err).contains("cannot run release on crates.io:other 1.0.0"),
        "{err}"
    );
}

#[test]
fn a_voted_configuration_is_checked_then_applied_by_configure_or_with_the_release() {
    use cosmwasm_std::to_json_binary;
    use rewind_types::restorable::CheckConfigResponse;
    let mut h = Harness::new();
    let rotated = h.addr("rotated");
    let good = to_json_binary(&json!({"admin": rotated})).unwrap();
    let bad = to_json_binary(&json!({"admin": "not an address"})).unwrap();
    let answer: CheckConfigResponse = h.query(&RestorableQueryMsg::CheckConfig {
        config: good.clone(),
    });
    assert_eq!(answer.error, None);
    let answer: CheckConfigResponse = h.query(&RestorableQueryMsg::CheckConfig {
        config: bad.clone(),
    });
    assert!(answer.error.is_some());
    // A refused configuration changes nothing.
    let before: cosmwasm_std::Addr = h.query(&QueryMsg::Admin {});
    assert!(h
        .migrate(&RestorableMigrateMsg::Configure { config: bad })
        .is_err());
    assert_eq!(h.query::<cosmwasm_std::Addr>(&QueryMsg::Admin {}), before);
    h.migrate(&RestorableMigrateMsg::Configure { config: good })
        .unwrap();
    assert_eq!(h.query::<cosmwasm_std::Addr>(&QueryMsg::Admin {}), rotated);

    // With the release: the restoration completes and the configuration applies together.
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    let good_height = h.height();
    h.next_block();
    let until = h.app.block_info().time.plus_seconds(3_600);
    let guardian = h.guardian.clone();
    h.gate(
        &guardian,
        GateMsg::SetRestorationLock { until: Some(until) },
    )
    .unwrap();
    let digest: rewind_types::restorable::DigestAtResponse =
        h.query(&RestorableQueryMsg::DigestAt {
            height: good_height,
        });
    h.migrate(&RestorableMigrateMsg::Restore {
        height: good_height,
        exclusions: vec![],
        shortfall_policy: rewind_types::ShortfallPolicy::ProRataHaircut,
        expected_digest: digest.digest,
    })
    .unwrap();
    h.next_block();
    h.crank().unwrap(); // the rollback (nothing above the height)
    h.next_block();
    h.crank().unwrap(); // the replay (nothing to replay)
    let third = h.addr("third");
    let config = to_json_binary(&json!({"admin": third})).unwrap();
    h.migrate(&RestorableMigrateMsg::Release {
        config: Some(config),
    })
    .unwrap();
    assert_eq!(h.query::<cosmwasm_std::Addr>(&QueryMsg::Admin {}), third);
    let info: JournalInfoResponse = h.query(&RestorableQueryMsg::JournalInfo {});
    assert!(!info.restoring);
}

fn report(h: &Harness, start_after: Option<ExecutionId>, limit: u32) -> Vec<ReplayEntry> {
    let page: ReplayReportResponse = h.query(&RestorableQueryMsg::ReplayReport {
        start_after,
        limit: Some(limit),
    });
    page.entries
}

#[test]
fn r17_honest_executions_after_the_height_are_replayed_with_their_block_sender_and_funds() {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 10 }).unwrap();
    let good = h.height();
    h.next_block();
    h.exec("mallory", ExecuteMsg::Credit { amount: 1_000 })
        .unwrap();
    h.exec("alice", ExecuteMsg::Record { value: 5 }).unwrap();
    let recorded_at = h.height();
    h.next_block();
    h.exec("bob", ExecuteMsg::Credit { amount: 3 }).unwrap();
    let bob = h.addr("bob").to_string();
    h.exec("alice", ExecuteMsg::Send { to: bob, amount: 4 })
        .unwrap();
    h.next_block();
    let carol = h.addr("carol");
    let paid = cosmwasm_std::coins(10, "uatom");
    h.exec_paying(
        "rich",
        ExecuteMsg::Pay {
            to: carol.to_string(),
        },
        &paid,
    )
    .unwrap();
    h.next_block();

    h.restore(good, &["mallory"]).unwrap();

    assert_eq!(
        (h.balance("alice"), h.balance("bob"), h.balance("mallory")),
        (6, 7, 0)
    );
    // The SnapshotMap saw the original block height, not the crank's: the value is there
    // from the block after it was recorded (with the crank's height it would not be).
    let record_at = |h: &Harness, height| -> Option<u64> {
        h.query(&QueryMsg::RecordAt {
            address: h.addr("alice").to_string(),
            height,
        })
    };
    assert_eq!(record_at(&h, recorded_at), None);
    assert_eq!(record_at(&h, recorded_at + 1), Some(5));
    // The payment is in the ledger once, and the bank paid it once (when it first ran).
    assert_eq!(h.balance("carol"), 1);
    let bank = h.app.wrap().query_balance(&carol, "uatom").unwrap();
    assert_eq!(bank.amount, cosmwasm_std::Uint256::from(10u32));
    let status = h.status();
    assert_eq!(
        (status.replayed_executions, status.skipped_executions),
        (4, 1)
    );
    let entries = report(&h, None, 10);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].sender, h.addr("mallory").to_string());
    assert_eq!(entries[0].outcome, ReplayOutcome::Excluded {});
    assert_eq!(entries[0].id.height, good + 1);
}

#[test]
fn r18_a_replay_that_depended_on_the_excluded_account_fails_alone_and_is_reported() {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 5 }).unwrap();
    let good = h.height();
    h.next_block();
    let (alice, bob, carol) = (
        h.addr("alice").to_string(),
        h.addr("bob").to_string(),
        h.addr("carol").to_string(),
    );
    h.exec("mallory", ExecuteMsg::Credit { amount: 100 })
        .unwrap();
    h.exec(
        "mallory",
        ExecuteMsg::Send {
            to: alice,
            amount: 50,
        },
    )
    .unwrap();
    h.next_block();
    // Spends what mallory gave: cannot stand once mallory's executions are gone.
    h.exec(
        "alice",
        ExecuteMsg::Send {
            to: bob,
            amount: 30,
        },
    )
    .unwrap();
    h.exec(
        "alice",
        ExecuteMsg::Send {
            to: carol,
            amount: 2,
        },
    )
    .unwrap();
    h.next_block();

    // Before the vote: the dry run shows what the restoration will do, and changes nothing.
    // Each account's claim before and after, asked in the contract's own query language.
    let balance_query = |who: &str| {
        cosmwasm_std::to_json_binary(&QueryMsg::Balance {
            address: h.addr(who).to_string(),
        })
        .unwrap()
    };
    let queries: Vec<cosmwasm_std::Binary> = ["alice", "bob", "carol"]
        .iter()
        .map(|w| balance_query(w))
        .chain([cosmwasm_std::Binary::from(
            br#"{"no_such_query":{}}"#.to_vec(),
        )])
        .collect();
    let preview: ReplayPreviewResponse = h.query(&RestorableQueryMsg::ReplayPreview {
        height: good,
        exclusions: vec![h.addr("mallory").to_string()],
        limit: None,
        queries: queries.clone(),
    });
    assert_eq!(h.status().phase, RestorationPhase::Idle);
    assert_eq!(h.balance("bob"), 30);
    let answer = |i: usize, when: &QueryAnswer| match when {
        QueryAnswer::Ok(b) => cosmwasm_std::from_json::<u64>(b).unwrap(),
        QueryAnswer::Error(e) => panic!("query {i} refused: {e}"),
    };
    let claims: Vec<(u64, u64)> = preview.answers[..3]
        .iter()
        .enumerate()
        .map(|(i, a)| (answer(i, &a.before), answer(i, &a.after)))
        .collect();
    assert_eq!(
        (h.balance("alice"), h.balance("bob"), h.balance("carol")),
        (claims[0].0, claims[1].0, claims[2].0),
        "before: today's balances"
    );
    assert_eq!(preview.answers[1].query, queries[1]);
    assert!(
        matches!(&preview.answers[3].after, QueryAnswer::Error(e) if e.contains("not a query of this contract")),
        "{:?}",
        preview.answers[3]
    );
    let too_many = h.query_err(&RestorableQueryMsg::ReplayPreview {
        height: good,
        exclusions: vec![],
        limit: None,
        queries: vec![balance_query("bob"); MAX_PREVIEW_QUERIES + 1],
    });
    assert!(too_many.contains("preview queries, at most"), "{too_many}");

    h.restore(good, &["mallory"]).unwrap();

    assert_eq!(
        (preview.replayed_executions, preview.skipped_executions),
        (1, 3)
    );
    assert_eq!(preview.entries, report(&h, None, 10));
    assert_eq!(
        (h.balance("alice"), h.balance("bob"), h.balance("carol")),
        (3, 0, 2),
        "the failed replay left nothing behind; the independent one stands"
    );
    assert_eq!(
        claims.iter().map(|c| c.1).collect::<Vec<_>>(),
        vec![3, 0, 2],
        "the preview's after is the restored balances"
    );
    let status = h.status();
    assert_eq!(
        (status.replayed_executions, status.skipped_executions),
        (1, 3)
    );
    // Paged one by one, in log order.
    let first = report(&h, None, 1);
    let second = report(&h, Some(first[0].id), 1);
    let third = report(&h, Some(second[0].id), 1);
    assert!(report(&h, Some(third[0].id), 1).is_empty());
    assert_eq!(first[0].outcome, ReplayOutcome::Excluded {});
    assert_eq!(second[0].outcome, ReplayOutcome::Excluded {});
    assert_eq!(
        third[0].outcome,
        ReplayOutcome::Failed {
            error: "insufficient balance".to_string()
        }
    );
    assert!(String::from_utf8_lossy(&third[0].msg).contains("\"amount\":30"));
}

#[test]
fn r19_a_replay_sends_nothing_again_lists_what_it_did_not_send_and_skips_never_replayed_messages() {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    let good = h.height();
    h.next_block();
    h.exec("mallory", ExecuteMsg::Credit { amount: 9 }).unwrap();
    // Echo's call to the contract itself ran once, as its own recorded execution.
    h.exec("alice", ExecuteMsg::Echo {}).unwrap();
    h.exec("alice", ExecuteMsg::Feed { value: 42 }).unwrap();
    h.next_block();

    h.restore(good, &["mallory"]).unwrap();

    let contract = h.contract.to_string();
    let credited: u64 = h.query(&QueryMsg::Balance { address: contract });
    assert_eq!(
        credited, 1,
        "the self-call is replayed once, from its own record"
    );
    let feed: Option<u64> = h.query(&QueryMsg::Feed {});
    assert_eq!(
        feed, None,
        "a never-replayed message keeps its value at the height"
    );
    let entries = report(&h, None, 10);
    let outcomes: Vec<&ReplayOutcome> = entries.iter().map(|e| &e.outcome).collect();
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    assert_eq!(outcomes[0], &ReplayOutcome::Excluded {});
    let ReplayOutcome::Unsent { messages } = outcomes[1] else {
        panic!("echo's call is listed as not sent again: {outcomes:?}");
    };
    let call = String::from_utf8_lossy(&messages[0]);
    assert!(
        call.contains("\"wasm\"") && call.contains("execute"),
        "{call}"
    );
    assert_eq!(outcomes[2], &ReplayOutcome::NeverReplayed {});
    // The contract works normally afterwards, and a replayed account is not frozen.
    h.exec("alice", ExecuteMsg::Feed { value: 7 }).unwrap();
    let feed: Option<u64> = h.query(&QueryMsg::Feed {});
    assert_eq!(feed, Some(7));
}

#[test]
fn d1_a_replay_crank_replays_at_most_25_executions_and_at_least_one() {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    let good = h.height();
    h.next_block();
    for _ in 0..60 {
        h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    }
    h.next_block();
    h.start_restore(good, &[]).unwrap();
    h.next_block();
    h.crank().unwrap(); // the rollback: 1 undo entry, then it ends
    assert_eq!(h.status().phase, RestorationPhase::Replaying);
    assert_eq!(h.status().replayed_executions, 0);
    let replayed = |h: &Harness| h.status().replayed_executions;
    h.crank_with(Some(u32::MAX)).unwrap();
    assert_eq!(
        replayed(&h),
        25,
        "clamped to MAX_CRANK_LIMIT / REPLAY_WEIGHT"
    );
    h.crank_with(Some(1)).unwrap();
    assert_eq!(
        replayed(&h),
        26,
        "a crank below the weight still replays one"
    );
    h.crank_with(None).unwrap();
    assert_eq!(replayed(&h), 32, "the default limit, 50 / 8");
    while h.status().phase != RestorationPhase::Complete {
        h.crank().unwrap();
    }
    assert_eq!(replayed(&h), 60);
    assert_eq!(h.balance("alice"), 61, "every credit replayed once");
}

#[test]
fn d5_an_excluded_accounts_spam_is_skipped_cheaply_and_cannot_stall_the_replay() {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    let good = h.height();
    h.next_block();
    for _ in 0..150 {
        h.exec("mallory", ExecuteMsg::Credit { amount: 1 }).unwrap();
    }
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    h.next_block();
    h.start_restore(good, &["mallory"]).unwrap();
    h.next_block();
    h.crank().unwrap(); // the rollback
    h.crank_with(Some(200)).unwrap();
    let status = h.status();
    assert_eq!(
        (status.skipped_executions, status.replayed_executions),
        (100, 0),
        "a skipped record weighs one unit; a crank reads at most a page of 100"
    );
    h.crank_with(Some(200)).unwrap();
    let status = h.status();
    assert_eq!(status.phase, RestorationPhase::Complete);
    assert_eq!(
        (status.skipped_executions, status.replayed_executions),
        (150, 1)
    );
    assert_eq!(h.balance("alice"), 2);
    assert_eq!(h.balance("mallory"), 0);
}

#[test]
fn r17_crank_before_replays_only_the_records_below_its_height_and_reports_the_next() {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    let good = h.height();
    let mut heights = vec![];
    for _ in 0..3 {
        h.next_block();
        heights.push(h.height());
        h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
        h.exec("bob", ExecuteMsg::Credit { amount: 1 }).unwrap();
    }
    h.next_block();
    h.start_restore(good, &[]).unwrap();
    h.next_block();
    h.crank().unwrap(); // the rollback
    let next = |h: &Harness| h.status().next_replay.map(|id| (id.height, id.index));
    assert_eq!(next(&h), Some((heights[0], 0)));
    let keeper = h.addr("keeper");
    let crank_before = |h: &mut Harness, height: u64| {
        h.app.execute_contract(
            keeper.clone(),
            h.contract.clone(),
            &RestorableExecuteMsg::CrankBefore {
                limit: Some(200),
                height,
            },
            &[],
        )
    };
    crank_before(&mut h, heights[1]).unwrap();
    assert_eq!(
        h.status().replayed_executions,
        2,
        "only the block below the bound"
    );
    assert_eq!(next(&h), Some((heights[1], 0)));
    crank_before(&mut h, heights[1]).unwrap();
    assert_eq!(
        h.status().replayed_executions,
        2,
        "nothing below the bound is left"
    );
    crank_before(&mut h, heights[2] + 1).unwrap();
    assert_eq!(h.status().replayed_executions, 6);
    assert_eq!(next(&h), None);
    assert_eq!(h.status().phase, RestorationPhase::Complete);
}

#[test]
fn r18_a_callback_on_behalf_of_the_excluded_account_is_not_replayed_and_is_refused_after() {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    let good = h.height();
    h.next_block();
    let (mallory, alice, sybil) = (h.addr("mallory"), h.addr("alice"), h.addr("sybil"));
    h.exec("mallory", ExecuteMsg::Credit { amount: 1 }).unwrap();
    // A token contract's callbacks: mallory's send credits a fresh account, alice's her own.
    let receive = |sender: &cosmwasm_std::Addr, to: &cosmwasm_std::Addr| ExecuteMsg::Receive {
        sender: sender.to_string(),
        to: to.to_string(),
        amount: 50,
    };
    h.exec("token", receive(&mallory, &sybil)).unwrap();
    h.exec("token", receive(&alice, &alice)).unwrap();
    h.next_block();

    h.restore(good, &["mallory"]).unwrap();

    assert_eq!(
        h.balance("sybil"),
        0,
        "the callback belonged to mallory's transaction"
    );
    assert_eq!(h.balance("alice"), 51);
    let entries = report(&h, None, 10);
    let excluded = entries
        .iter()
        .filter(|e| e.outcome == ReplayOutcome::Excluded {})
        .count();
    assert_eq!(
        excluded, 2,
        "mallory's own execution and the callback for her"
    );
    assert_error(
        h.exec("token", receive(&mallory, &sybil)),
        format!("rewind: {mallory} is frozen by a restoration"),
    );
    h.exec("token", receive(&alice, &alice)).unwrap();
}

#[test]
fn r18_replies_and_self_calls_replay_with_their_execution_or_are_skipped_with_it() {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    h.exec("mallory", ExecuteMsg::Credit { amount: 1 }).unwrap();
    let good = h.height();
    h.next_block();
    // Each Echo: its record, then its call to the contract itself, then the reply to it.
    h.exec("mallory", ExecuteMsg::Echo {}).unwrap();
    h.exec("alice", ExecuteMsg::Echo {}).unwrap();
    h.next_block();
    let contract = h.contract.to_string();
    let credited = |h: &Harness| -> u64 {
        h.query(&QueryMsg::Balance {
            address: contract.clone(),
        })
    };
    let replies = |h: &Harness| -> u64 { h.query(&QueryMsg::Replies {}) };
    assert_eq!((credited(&h), replies(&h)), (2, 2));

    h.restore(good, &["mallory"]).unwrap();

    assert_eq!(
        (credited(&h), replies(&h)),
        (1, 1),
        "alice's call and reply replayed once each; mallory's skipped with her Echo"
    );
    let entries = report(&h, None, 10);
    let outcomes: Vec<&ReplayOutcome> = entries.iter().map(|e| &e.outcome).collect();
    assert_eq!(outcomes[0], &ReplayOutcome::Excluded {}, "{outcomes:?}");
    assert_eq!(
        outcomes[1],
        &ReplayOutcome::FollowsSkipped {
            parent: entries[0].id
        },
        "mallory's call to the contract"
    );
    assert_eq!(
        outcomes[2],
        &ReplayOutcome::FollowsSkipped {
            parent: entries[1].id
        },
        "the reply to it"
    );
    assert!(
        matches!(outcomes[3], ReplayOutcome::Unsent { .. }),
        "alice's Echo, replayed, its call not sent again: {outcomes:?}"
    );
    assert_eq!(outcomes.len(), 4);
    let status = h.status();
    assert_eq!(
        (status.replayed_executions, status.skipped_executions),
        (3, 3)
    );
}

/// Row B2: Rewind's execute messages take no funds; the library refuses them, whoever sends
/// them, before anything runs.
#[test]
fn b2_rewinds_own_execute_messages_refuse_funds() {
    let mut h = Harness::new();
    let rich = h.addr("rich");
    let guardian = h.guardian.clone();
    let funds = cosmwasm_std::coins(1, "uatom");
    h.app
        .send_tokens(rich.clone(), guardian.clone(), &funds)
        .unwrap();
    let until = h.app.block_info().time.plus_seconds(60);
    let cases = [
        (
            guardian,
            RestorableExecuteMsg::Gate(GateMsg::SetPause {
                scope: PauseScope::ALL,
                until,
            }),
            "gate",
        ),
        (
            rich.clone(),
            RestorableExecuteMsg::Crank { limit: None },
            "crank",
        ),
        (
            rich.clone(),
            RestorableExecuteMsg::CrankBefore {
                limit: None,
                height: 1,
            },
            "crank_before",
        ),
        (rich, RestorableExecuteMsg::Prune { limit: None }, "prune"),
    ];
    for (sender, msg, action) in cases {
        let contract = h.contract.clone();
        let err = h
            .app
            .execute_contract(sender, contract, &msg, &funds)
            .unwrap_err();
        assert_eq!(
            contract_error_text(&err),
            format!("rewind: {action} takes no funds"),
        );
    }
}

#[test]
fn x9_a_restoration_that_fails_its_digest_changes_nothing_freezes_the_exclusions_and_opens_the_exits(
) {
    let mut h = Harness::new();
    h.exec("alice", ExecuteMsg::Credit { amount: 5 }).unwrap();
    h.exec("mallory", ExecuteMsg::Credit { amount: 7 }).unwrap();
    let good = h.height();
    h.next_block();
    h.exec("alice", ExecuteMsg::Credit { amount: 1 }).unwrap();
    h.exec("mallory", ExecuteMsg::Credit { amount: 9 }).unwrap();
    h.next_block();
    // A write behind the journal's back, on a key the rollback touches: alice's balance.
    let key = rewind_journal::keys::concat(
        &rewind_journal::keys::state_root(),
        &ledger::BALANCES.key(&h.addr("alice")),
    );
    let contract = h.contract.clone();
    {
        let mut store = h.app.contract_storage_mut(&contract);
        let mut raw = store.get(&key).unwrap();
        raw.truncate(9);
        raw.extend_from_slice(b"600");
        store.set(&key, &raw);
    }
    let live = (h.balance("alice"), h.balance("mallory"));
    assert_eq!(live, (600, 16));

    h.start_restore(good, &["mallory"]).unwrap();
    h.next_block();
    h.crank_with(Some(1)).unwrap(); // the verify pass reads one entry per unit
    assert_eq!(h.status().phase, RestorationPhase::RollingBack);
    while h.status().phase == RestorationPhase::RollingBack {
        h.next_block();
        h.crank_with(Some(1)).unwrap();
    }
    let status = h.status();
    assert!(
        status
            .failure
            .as_deref()
            .is_some_and(|f| f.contains("digest mismatch")),
        "{status:?}"
    );
    assert_eq!(status.undone_entries, 0, "the verify pass undid nothing");
    // Settling the live ledger (this contract settles nothing of its own), then over.
    while status_phase(&h) != RestorationPhase::Failed {
        h.next_block();
        h.crank().unwrap();
    }
    assert_eq!(
        (h.balance("alice"), h.balance("mallory")),
        live,
        "the live ledger stays"
    );
    // Exit-only, and the voted exclusion frozen all the same.
    assert!(h.status().exit_only);
    let offline: rewind_types::successor::OfflineStatusResponse =
        h.query(&RestorableQueryMsg::OfflineStatus {});
    assert!(offline.exit_only);
    let risk = contract_error_text(
        &h.exec("alice", ExecuteMsg::Credit { amount: 1 })
            .unwrap_err(),
    );
    assert!(risk.contains("since a restoration failed"), "{risk}");
    let bob = h.addr("bob").to_string();
    h.exec(
        "alice",
        ExecuteMsg::Send {
            to: bob.clone(),
            amount: 100,
        },
    )
    .expect("an exit runs");
    let frozen = contract_error_text(
        &h.exec("mallory", ExecuteMsg::Send { to: bob, amount: 1 })
            .unwrap_err(),
    );
    assert!(frozen.contains("frozen"), "{frozen}");
    let crank = h.crank().unwrap_err().to_string();
    assert!(crank.contains("the restoration failed"), "{crank}");
}

fn status_phase(h: &Harness) -> RestorationPhase {
    h.status().phase
}

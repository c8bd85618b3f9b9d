//! The conformance suite an integrator runs against their own restorable contract.
//!
//! Describe the contract once as a [`Subject`] (its code, its instantiate message, one example
//! of every execute variant with the scope that gates it, and a proptest strategy of its own
//! messages), then call [`check_all`] from a test. Each check panics with a message that says
//! what is wrong and how to fix it:
//!
//! - [`gate_covers_every_variant`]: every variant of the contract's execute schema has an
//!   example, and a pause of its scope, or of `all`, refuses it;
//! - [`rollback_matches_history`]: over random histories of the contract's own messages, a
//!   rollback to a random retained height leaves exactly the journaled state recorded at the
//!   end of that height (compared key by key, not only by digest), and the contract works
//!   normally once released;
//! - [`replay_matches_honest_history`]: over random histories with an attacker, a
//!   restoration that excludes it ends in exactly the journaled state of a fresh instance
//!   that ran the history without the attacker's executions after the height; without an
//!   exclusion the replay reproduces the present;
//! - [`digest_recomputes_from_raw_storage`]: the digest the contract reports equals the one
//!   recomputed from its raw storage ([`rewind_journal::recompute_digest`]);
//! - [`migrate_refuses_wrong_names_and_versions`]: an upgrade over another contract's state or
//!   from a newer version is refused, as is a restoration migration from a non-admin, with
//!   the state unchanged;
//! - [`assert_all_writes_journaled`] (run after every action of the histories above): every
//!   raw key the contract holds is either journaled, Rewind's own, cw2's, or in a namespace
//!   the contract declared plain.
//!
//! The suite drives the contract directly: the guardian and the executor are plain addresses
//! ([`Roles`]), so it needs none of the Rewind contracts.

use std::collections::BTreeMap;

use cosmwasm_std::storage_keys::to_length_prefixed;
use cosmwasm_std::{Addr, Coin, Empty, HexBinary, Order, Storage};
use cw_multi_test::{App, AppBuilder, Contract, Executor};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rewind_journal::keys::{state_root, Stored};
use rewind_types::restorable::{
    DigestAtResponse, JournalInfoResponse, RestorableExecuteMsg, RestorableMigrateMsg,
    RestorableQueryMsg, RestorationPhase, RestorationStatusResponse,
};
use rewind_types::{GateMsg, PauseScope, ShortfallPolicy};
use schemars::schema::RootSchema;
use serde_json::Value;

use crate::base::BLOCK_SECONDS;

/// How many users the suite funds and hands to the subject's messages.
pub const USERS: usize = 4;

/// The addresses the suite plays with.
#[derive(Clone, Debug)]
pub struct Roles {
    /// Sends `Gate` (the contract's configured guardian).
    pub guardian: Addr,
    /// The wasm admin: sends the restoration migrations (the executor's role).
    pub admin: Addr,
    /// Users who send the contract's own messages.
    pub users: Vec<Addr>,
    /// The account that instantiates the contract.
    pub deployer: Addr,
}

impl Roles {
    fn new(app: &App) -> Roles {
        let api = app.api();
        Roles {
            guardian: api.addr_make("guardian"),
            admin: api.addr_make("executor"),
            users: (0..USERS)
                .map(|i| api.addr_make(&format!("user{i}")))
                .collect(),
            deployer: api.addr_make("deployer"),
        }
    }

    /// Any other named address (a feeder, an insurance account, ...).
    pub fn named(&self, app: &App, name: &str) -> Addr {
        app.api().addr_make(name)
    }
}

/// One of the contract's own execute messages, sent by `users[sender]` with `funds`.
#[derive(Clone, Debug)]
pub struct Action {
    /// Index into [`Roles::users`].
    pub sender: usize,
    /// The message JSON, exactly as a client sends it.
    pub msg: Value,
    /// Attached funds.
    pub funds: Vec<Coin>,
}

/// An example of one execute variant and the scope that gates it.
#[derive(Clone, Debug)]
pub struct Example {
    /// A message of the variant that would otherwise run (or at least pass the gate).
    pub action: Action,
    /// The scope the contract gates it by; `None` declares the variant deliberately ungated
    /// (a price feed, a configuration change by governance), which the suite checks too: a
    /// pause of `all` must not refuse it.
    pub scope: Option<PauseScope>,
}

/// A contract under test.
pub struct Subject {
    /// A name for messages.
    pub label: &'static str,
    /// The contract's code (its restorable entry points).
    pub code: fn() -> Box<dyn Contract<Empty>>,
    /// Its instantiate message, with `roles.guardian` as its guardian and a retention window
    /// of at least 1,000 blocks and a day.
    pub instantiate: fn(&App, &Roles) -> Value,
    /// What every user holds at genesis.
    pub genesis_funds: fn() -> Vec<Coin>,
    /// Anything to do once after instantiation (a price feed, a first deposit, ...).
    pub setup: fn(&mut App, &Roles, &Addr),
    /// The contract's execute schema (`schemars::schema_for!(ExecuteMsg)` of its OWN message).
    pub execute_schema: fn() -> RootSchema,
    /// One example of every variant of the execute schema.
    pub examples: fn(&App, &Roles) -> Vec<Example>,
    /// Random messages of the contract's own (any mix; failing ones are part of a history).
    pub actions: fn(&Roles) -> BoxedStrategy<Action>,
    /// The namespaces the contract keeps out of the journal.
    pub plain: &'static [&'static str],
    /// The journaled namespaces the contract's settle hook may rewrite after a replay that
    /// excluded an account (a pool's reserves, cut to its bank balance): the replay check
    /// compares their keys with the honest history's, not their values. Empty for a
    /// contract without a settle hook.
    pub settled: &'static [&'static str],
}

/// A deployed subject.
pub struct Deployed {
    /// The chain.
    pub app: App,
    /// The roles.
    pub roles: Roles,
    /// The contract.
    pub contract: Addr,
    /// Its code id.
    pub code_id: u64,
}

impl Deployed {
    /// Moves one block on.
    pub fn next_block(&mut self) {
        self.app.update_block(|b| {
            b.height += 1;
            b.time = b.time.plus_seconds(BLOCK_SECONDS);
        });
    }

    /// Sends an action; the error text if it failed.
    pub fn send(&mut self, action: &Action) -> Result<(), String> {
        let sender = self.roles.users[action.sender % USERS].clone();
        self.app
            .execute_contract(sender, self.contract.clone(), &action.msg, &action.funds)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Sends a gate message as the guardian.
    pub fn gate(&mut self, msg: GateMsg) {
        let guardian = self.roles.guardian.clone();
        self.app
            .execute_contract(
                guardian,
                self.contract.clone(),
                &RestorableExecuteMsg::Gate(msg),
                &[],
            )
            .unwrap_or_else(|e| panic!("the guardian's gate message is accepted: {e}"));
    }

    /// A restorable query.
    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &RestorableQueryMsg) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.contract, msg)
            .unwrap_or_else(|e| panic!("a restorable query failed: {e}"))
    }

    /// The contract's journaled state, key by key (headers stripped, tombstones skipped).
    pub fn journaled_state(&self) -> BTreeMap<Vec<u8>, Vec<u8>> {
        let storage = self.app.contract_storage(&self.contract);
        journaled_state(storage.as_ref())
    }

    /// Rolls the contract back to `height` as the executor would (lock, `Restore`, cranks with
    /// `limit`), stopping as soon as the rollback itself is done. Returns the status then.
    pub fn roll_back(&mut self, height: u64, limit: u32) -> RestorationStatusResponse {
        self.roll_back_excluding(height, vec![], limit)
    }

    /// [`Deployed::roll_back`] with `exclusions` (addresses).
    pub fn roll_back_excluding(
        &mut self,
        height: u64,
        exclusions: Vec<String>,
        limit: u32,
    ) -> RestorationStatusResponse {
        let digest: DigestAtResponse = self.query(&RestorableQueryMsg::DigestAt { height });
        let until = self.app.block_info().time.plus_seconds(86_400);
        self.gate(GateMsg::SetRestorationLock { until: Some(until) });
        let restore = RestorableMigrateMsg::Restore {
            height,
            exclusions,
            shortfall_policy: ShortfallPolicy::ProRataHaircut,
            expected_digest: digest.digest,
        };
        let (admin, contract) = (self.roles.admin.clone(), self.contract.clone());
        self.app
            .migrate_contract(admin, contract, &restore, self.code_id)
            .unwrap_or_else(|e| panic!("Restore is accepted from the wasm admin: {e}"));
        loop {
            self.next_block();
            let crank = RestorableExecuteMsg::Crank { limit: Some(limit) };
            let anyone = self.roles.users[0].clone();
            self.app
                .execute_contract(anyone, self.contract.clone(), &crank, &[])
                .unwrap_or_else(|e| panic!("a crank progresses: {e}"));
            let status: RestorationStatusResponse =
                self.query(&RestorableQueryMsg::RestorationStatus {});
            if status.phase != RestorationPhase::RollingBack {
                return status;
            }
        }
    }
}

/// Instantiates the subject on a fresh chain, funds the users, runs its setup.
pub fn deploy(subject: &Subject) -> Deployed {
    let mut app = AppBuilder::new().build(|_, _, _| {});
    let roles = Roles::new(&app);
    let funds = (subject.genesis_funds)();
    if !funds.is_empty() {
        app.init_modules(|router, _, storage| {
            for user in &roles.users {
                router
                    .bank
                    .init_balance(storage, user, funds.clone())
                    .expect("genesis balances");
            }
        });
    }
    let code_id = app.store_code((subject.code)());
    let msg = (subject.instantiate)(&app, &roles);
    let contract = app
        .instantiate_contract(
            code_id,
            roles.deployer.clone(),
            &msg,
            &[],
            subject.label,
            Some(roles.admin.to_string()),
        )
        .unwrap_or_else(|e| panic!("{}: instantiate failed: {e}", subject.label));
    (subject.setup)(&mut app, &roles, &contract);
    let mut deployed = Deployed {
        app,
        roles,
        contract,
        code_id,
    };
    deployed.next_block();
    deployed
}

/// The journaled state in a contract's raw storage.
pub fn journaled_state(storage: &dyn Storage) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let root = state_root();
    let end = rewind_journal::keys::prefix_end(&root);
    storage
        .range(Some(&root), Some(&end), Order::Ascending)
        .filter_map(|(k, v)| {
            let stored = Stored::decode(&v).expect("a journaled value has a header");
            stored.json().map(|json| (k, json.to_vec()))
        })
        .collect()
}

/// The variant names of an externally tagged execute enum's schema.
pub fn variant_names(schema: &RootSchema) -> Vec<String> {
    let value = serde_json::to_value(schema).expect("a schema serialises");
    let variants = value
        .get("oneOf")
        .or_else(|| value.get("anyOf"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    variants
        .iter()
        .flat_map(|v| {
            let required = v.get("required").and_then(Value::as_array).cloned();
            let enumerated = v.get("enum").and_then(Value::as_array).cloned();
            required.or(enumerated).unwrap_or_default()
        })
        .filter_map(|name| name.as_str().map(str::to_string))
        .collect()
}

fn top_key(msg: &Value) -> Option<String> {
    msg.as_object()
        .and_then(|o| o.keys().next().cloned())
        .or_else(|| msg.as_str().map(str::to_string))
}

const PAUSED: &str = "is paused until";
/// Rewind's execute variants (`RestorableExecuteMsg`).
const REWIND_EXECUTE: [&str; 2] = ["gate", "crank"];

/// Every variant of the execute schema has an example, and a pause of its scope, and of
/// `all`, refuses it; without a pause the gate lets it through.
pub fn gate_covers_every_variant(subject: &Subject) {
    let label = subject.label;
    // Rewind's own variants, when the contract's enum carries them, are not the contract's.
    let names: Vec<String> = variant_names(&(subject.execute_schema)())
        .into_iter()
        .filter(|n| !REWIND_EXECUTE.contains(&n.as_str()))
        .collect();
    assert!(
        !names.is_empty(),
        "{label}: the execute schema lists no variant"
    );
    let probe = deploy(subject);
    let examples = (subject.examples)(&probe.app, &probe.roles);
    for name in &names {
        assert!(
            examples
                .iter()
                .any(|e| top_key(&e.action.msg).as_ref() == Some(name)),
            "{label}: execute variant `{name}` has no example, so the suite cannot check that \
             it is gated; add one to `examples`"
        );
    }
    for example in &examples {
        let variant = top_key(&example.action.msg).unwrap_or_default();
        let Some(own) = example.scope.clone() else {
            let mut d = deploy(subject);
            let until = d.app.block_info().time.plus_seconds(3_600);
            d.gate(GateMsg::SetPause {
                scope: PauseScope::ALL,
                until,
            });
            let result = d.send(&example.action);
            assert!(
                !result.as_ref().is_err_and(|e| e.contains(PAUSED)),
                "{label}: `{variant}` is declared ungated but a pause of `all` refused it: {result:?}"
            );
            continue;
        };
        for scope in [own, PauseScope::ALL] {
            let mut d = deploy(subject);
            let until = d.app.block_info().time.plus_seconds(3_600);
            d.gate(GateMsg::SetPause {
                scope: scope.clone(),
                until,
            });
            let refused = d.send(&example.action);
            assert!(
                refused.as_ref().is_err_and(|e| e.contains(PAUSED)),
                "{label}: `{variant}` ran while its scope `{scope:?}` was paused: {refused:?}. \
                 Gate it by the scope its `Gated::scope` returns."
            );
        }
        let mut open = deploy(subject);
        let result = open.send(&example.action);
        assert!(
            !result.as_ref().is_err_and(|e| e.contains(PAUSED)),
            "{label}: `{variant}` is refused as paused with no pause set: {result:?}"
        );
    }
}

/// Every raw key of `contract` is journaled, Rewind's own (`rj/...`), cw2's, or in one of the
/// `plain` namespaces; panics naming the first key written around the journal.
pub fn assert_all_writes_journaled(app: &App, contract: &Addr, plain: &[&str]) {
    let storage = app.contract_storage(contract);
    for (key, _) in storage.range(None, None, Order::Ascending) {
        if let Some(why) = unjournaled(&key, plain) {
            panic!(
                "{contract}: raw key {} ({:?}) was written outside the journal ({why}): it is \
                 not in the digest and no rollback restores it. Write it through the \
                 journaled storage, or declare its namespace plain if it must never roll back.",
                HexBinary::from(key.clone()),
                String::from_utf8_lossy(&key)
            );
        }
    }
}

fn unjournaled(key: &[u8], plain: &[&str]) -> Option<&'static str> {
    let ours =
        |ns: &str| key == ns.as_bytes() || key.starts_with(&to_length_prefixed(ns.as_bytes()));
    let reserved = rewind_journal::INTERNAL_NAMESPACES
        .iter()
        .any(|ns| ours(ns));
    let declared = key == b"contract_info" || plain.iter().any(|ns| ours(ns));
    (!reserved && !declared).then_some("not journaled, not Rewind's, not declared plain")
}

/// Random histories of the subject's own messages over several blocks; each case rolls back
/// to a random retained height and compares the journaled state, key by key, with the state
/// recorded at the end of that height; then the contract is released and used again.
pub fn rollback_matches_history(subject: &Subject, cases: u32) {
    let probe = deploy(subject);
    let strategy = (
        prop::collection::vec(
            prop::collection::vec((subject.actions)(&probe.roles), 1..4),
            2..7,
        ),
        any::<prop::sample::Index>(),
        1u32..60,
    );
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |(blocks, pick, limit)| {
        let mut d = deploy(subject);
        let mut snapshots = BTreeMap::new();
        snapshots.insert(d.app.block_info().height - 1, d.journaled_state());
        for block in &blocks {
            for action in block {
                let _ = d.send(action); // a refused message is part of the history too
                assert_all_writes_journaled(&d.app, &d.contract, subject.plain);
            }
            snapshots.insert(d.app.block_info().height, d.journaled_state());
            d.next_block();
        }
        let heights: Vec<u64> = snapshots.keys().copied().collect();
        let height = heights[pick.index(heights.len())];
        let status = d.roll_back(height, limit);
        prop_assert!(status.digest_verified, "digest not verified: {status:?}");
        let state = d.journaled_state();
        let expected = &snapshots[&height];
        if &state != expected {
            return Err(TestCaseError::fail(describe_difference(
                expected, &state, height,
            )));
        }
        release_and_use(&mut d, subject, &blocks);
        Ok(())
    });
    if let Err(e) = result {
        panic!(
            "{}: rollback does not match the recorded history: {e}",
            subject.label
        );
    }
}

fn describe_difference(
    expected: &BTreeMap<Vec<u8>, Vec<u8>>,
    actual: &BTreeMap<Vec<u8>, Vec<u8>>,
    height: u64,
) -> String {
    let show = |k: &Vec<u8>| String::from_utf8_lossy(k).into_owned();
    let missing: Vec<_> = expected
        .keys()
        .filter(|k| !actual.contains_key(*k))
        .map(show)
        .collect();
    let extra: Vec<_> = actual
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .map(show)
        .collect();
    let changed: Vec<_> = expected
        .iter()
        .filter(|(k, v)| actual.get(*k).is_some_and(|a| a != *v))
        .map(|(k, _)| show(k))
        .collect();
    format!(
        "after rolling back to {height}: missing keys {missing:?}, extra keys {extra:?}, \
         changed values {changed:?}"
    )
}

/// Cranks the running restoration (its replay) with `limit` until it is complete, then
/// sends `Release` and lifts the lock.
fn complete_and_release(d: &mut Deployed, limit: u32) {
    let anyone = d.roles.users[1].clone();
    for _ in 0..1_000 {
        let status: RestorationStatusResponse = d.query(&RestorableQueryMsg::RestorationStatus {});
        if status.phase == RestorationPhase::Complete {
            break;
        }
        d.next_block();
        let crank = RestorableExecuteMsg::Crank { limit: Some(limit) };
        d.app
            .execute_contract(anyone.clone(), d.contract.clone(), &crank, &[])
            .unwrap_or_else(|e| panic!("the restoration completes: {e}"));
    }
    let (admin, contract) = (d.roles.admin.clone(), d.contract.clone());
    d.app
        .migrate_contract(
            admin,
            contract,
            &RestorableMigrateMsg::Release { config: None },
            d.code_id,
        )
        .unwrap_or_else(|e| panic!("Release is accepted once complete: {e}"));
    d.gate(GateMsg::SetRestorationLock { until: None });
    d.next_block();
}

/// Completes the restoration and checks that the contract accepts its own messages again.
fn release_and_use(d: &mut Deployed, subject: &Subject, blocks: &[Vec<Action>]) {
    complete_and_release(d, 200);
    let info: JournalInfoResponse = d.query(&RestorableQueryMsg::JournalInfo {});
    assert!(
        !info.restoring,
        "{}: still restoring after Release",
        subject.label
    );
    for action in blocks.iter().flatten() {
        let result = d.send(action);
        assert!(
            !result
                .as_ref()
                .is_err_and(|e| e.contains("locked") || e.contains(PAUSED)),
            "{}: refused after the restoration was released: {result:?}",
            subject.label
        );
        assert_all_writes_journaled(&d.app, &d.contract, subject.plain);
    }
}

/// Random histories by the users, `users[0]` playing the attacker; each case restores to a
/// random retained height, excluding the attacker when it acted after it, and replays. The
/// journaled state must equal that of a fresh instance that ran the same history without
/// the attacker's executions after the height, unless an honest execution there wrote one
/// of the attacker's keys (it depended on the attacker: the frozen account refuses it).
/// Without an exclusion the replay must reproduce the present exactly. Assumes the contract
/// has no freeze hook (a hook changes the rolled-back state on purpose). A settle hook may
/// rewrite the values of [`Subject::settled`] after such a replay; they are not compared.
pub fn replay_matches_honest_history(subject: &Subject, cases: u32) {
    let probe = deploy(subject);
    let strategy = (
        prop::collection::vec(
            prop::collection::vec((subject.actions)(&probe.roles), 1..5),
            2..7,
        ),
        any::<prop::sample::Index>(),
        8u32..200,
    );
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |(blocks, pick, limit)| {
        let mut restored = deploy(subject);
        let first = restored.app.block_info().height;
        let attacker = restored.roles.users[0].clone();
        let is_attacker = |a: &Action| a.sender.is_multiple_of(USERS);
        let height = first - 1 + pick.index(blocks.len() + 1) as u64;
        let mut attacker_acted_after = false;
        for (i, block) in blocks.iter().enumerate() {
            for action in block {
                let ok = restored.send(action).is_ok();
                attacker_acted_after |= ok && is_attacker(action) && first + i as u64 > height;
            }
            restored.next_block();
        }
        let present = restored.journaled_state();
        let exclusions = match attacker_acted_after {
            true => vec![attacker.to_string()],
            false => vec![],
        };
        restored.roll_back_excluding(height, exclusions, limit);
        complete_and_release(&mut restored, limit);
        assert_all_writes_journaled(&restored.app, &restored.contract, subject.plain);
        let state = restored.journaled_state();
        if !attacker_acted_after {
            prop_assert!(
                state == present,
                "{}",
                describe_difference(&present, &state, height)
            );
            return Ok(());
        }

        let mut fresh = deploy(subject);
        for (i, block) in blocks.iter().enumerate() {
            let after = first + i as u64 > height;
            for action in block {
                if after && is_attacker(action) {
                    continue;
                }
                let before = fresh.journaled_state();
                let _ = fresh.send(action);
                let touched_attacker = after
                    && changed_keys(&before, &fresh.journaled_state()).any(|key| {
                        key.windows(attacker.as_str().len())
                            .any(|w| w == attacker.as_bytes())
                    });
                if touched_attacker {
                    return Ok(()); // depended on the attacker: not comparable
                }
            }
            fresh.next_block();
        }
        let (state, expected) = (
            unsettled(state, subject.settled),
            unsettled(fresh.journaled_state(), subject.settled),
        );
        prop_assert!(
            state == expected,
            "replayed without the attacker: {}",
            describe_difference(&expected, &state, height)
        );
        Ok(())
    });
    if let Err(e) = result {
        panic!(
            "{}: the replay does not match the honest history: {e}",
            subject.label
        );
    }
}

/// The journaled state with the values of the `settled` namespaces blanked (keys kept).
fn unsettled(
    mut state: BTreeMap<Vec<u8>, Vec<u8>>,
    settled: &[&str],
) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let root = state_root();
    for (key, value) in state.iter_mut() {
        let key = &key[root.len()..];
        let ours =
            |ns: &&str| key == ns.as_bytes() || key.starts_with(&to_length_prefixed(ns.as_bytes()));
        if settled.iter().any(ours) {
            value.clear();
        }
    }
    state
}

/// The keys whose value differs between two journaled states (added, changed or removed).
fn changed_keys<'a>(
    a: &'a BTreeMap<Vec<u8>, Vec<u8>>,
    b: &'a BTreeMap<Vec<u8>, Vec<u8>>,
) -> impl Iterator<Item = &'a Vec<u8>> {
    let changed_or_added = b
        .iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, _)| k);
    let removed = a.keys().filter(|k| !b.contains_key(*k));
    changed_or_added.chain(removed)
}

/// Random histories; after each, the digest recomputed from the raw storage equals the digest
/// the contract reports for the current height.
pub fn digest_recomputes_from_raw_storage(subject: &Subject, cases: u32) {
    let probe = deploy(subject);
    let strategy = prop::collection::vec((subject.actions)(&probe.roles), 1..12);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |actions| {
        let mut d = deploy(subject);
        for action in &actions {
            let _ = d.send(action);
        }
        let height = d.app.block_info().height;
        d.next_block();
        let reported: DigestAtResponse = d.query(&RestorableQueryMsg::DigestAt { height });
        let storage = d.app.contract_storage(&d.contract);
        let raw: Vec<_> = storage.range(None, None, Order::Ascending).collect();
        let recomputed =
            rewind_journal::recompute_digest(raw.iter().map(|(k, v)| (k.as_slice(), v.as_slice())))
                .expect("digest recomputes");
        prop_assert_eq!(reported.digest.as_slice(), recomputed.as_slice());
        Ok(())
    });
    if let Err(e) = result {
        panic!(
            "{}: the reported digest is not the raw storage's: {e}",
            subject.label
        );
    }
}

/// `Upgrade {}` over another contract's cw2 name, or from a newer stored version, is refused;
/// a restoration migration from anyone but the wasm admin is refused; the state is unchanged;
/// an upgrade from an older release of the same contract is accepted and records the version.
pub fn migrate_refuses_wrong_names_and_versions(subject: &Subject) {
    let label = subject.label;
    let mut d = deploy(subject);
    let stored = cw2::query_contract_info(&d.app.wrap(), d.contract.to_string())
        .unwrap_or_else(|e| panic!("{label}: no cw2 record: {e}"));
    let before = d.journaled_state();
    let upgrade = RestorableMigrateMsg::Upgrade {};
    let wrong = [
        (
            "crates.io:another-contract".to_string(),
            stored.version.clone(),
            "another contract's name",
        ),
        (
            stored.contract.clone(),
            "999.0.0".to_string(),
            "a newer stored version",
        ),
    ];
    for (contract, version, why) in wrong {
        set_cw2(&mut d, &contract, &version);
        let (admin, addr) = (d.roles.admin.clone(), d.contract.clone());
        let result = d.app.migrate_contract(admin, addr, &upgrade, d.code_id);
        assert!(result.is_err(), "{label}: Upgrade accepted over {why}");
        assert_eq!(
            d.journaled_state(),
            before,
            "{label}: a refused Upgrade changed state"
        );
    }
    set_cw2(&mut d, &stored.contract, &stored.version);
    let stranger = d.roles.users[1].clone();
    let restore = RestorableMigrateMsg::Release { config: None };
    let addr = d.contract.clone();
    assert!(
        d.app
            .migrate_contract(stranger, addr, &restore, d.code_id)
            .is_err(),
        "{label}: a migration from a non-admin was accepted"
    );
    // The positive case: an older release of the same contract upgrades to this code.
    set_cw2(&mut d, &stored.contract, "0.0.1");
    let (admin, addr) = (d.roles.admin.clone(), d.contract.clone());
    d.app
        .migrate_contract(admin, addr, &upgrade, d.code_id)
        .unwrap_or_else(|e| panic!("{label}: Upgrade from an older version refused: {e}"));
    let after = cw2::query_contract_info(&d.app.wrap(), d.contract.to_string())
        .unwrap_or_else(|e| panic!("{label}: no cw2 record after Upgrade: {e}"));
    assert_eq!(
        after, stored,
        "{label}: Upgrade did not record the code's version"
    );
}

fn set_cw2(d: &mut Deployed, contract: &str, version: &str) {
    let info = cw2::ContractVersion {
        contract: contract.to_string(),
        version: version.to_string(),
    };
    let raw = serde_json::to_vec(&info).expect("cw2 serialises");
    d.app
        .contract_storage_mut(&d.contract)
        .set(b"contract_info", &raw);
}

/// Every check, with `cases` random histories for the property checks.
pub fn check_all(subject: &Subject, cases: u32) {
    gate_covers_every_variant(subject);
    migrate_refuses_wrong_names_and_versions(subject);
    digest_recomputes_from_raw_storage(subject, cases);
    rollback_matches_history(subject, cases);
    replay_matches_honest_history(subject, cases);
}

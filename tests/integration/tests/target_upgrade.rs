//! Governance acting on a target after deployment, on the real contracts:
//! - `ConfigureTarget` changes a vault's configuration (its retention): governance carries
//!   the vault's own `VaultConfigUpdate` JSON, the vault checks it at proposal
//!   (`CheckConfig`), and the executor, its wasm admin, applies it (`Configure`).
//! - A restoration's `post_restore_config` rotates the vault's feeder in the same vote that
//!   restores, applied with the release at completion.
//! - `UpgradeTarget` is the voted way out of a rollback stuck on its digest check (row R4):
//!   the vault stays locked (safe failure) until governance ships fixed code, whose
//!   migration abandons the rollback through `rewind_journal::abandon_rollback`.

use cosmwasm_std::{to_json_binary, Binary, DepsMut, Empty, Env, HexBinary, Response};
use cw_multi_test::{Contract, ContractWrapper};
use rewind_journal::JournalError;
use rewind_testing::assert_error;
use rewind_testing::suite::{RestorationProposal, Suite, SuiteBuilder, HOUR, USDC};
use rewind_testing::SuiteBase;
use rewind_types::executor::RestorationState;
use rewind_types::governance::{ExecuteMsg as GovMsg, ParameterChange, ProposalStatus};
use rewind_types::restorable::RestorationPhase;
use rewind_types::vault::{ConfigResponse, MigrateMsg, QueryMsg as VaultQuery, VaultConfigUpdate};
use rewind_types::{PinnedCode, ShortfallPolicy};
use rewind_vault::state::{COLLATERAL, RESTORATION};

/// The stand-in for a fixed vault version: this vault's code, whose `Upgrade {}` migration
/// does what a real next version's state migration would for a stuck rollback: abandon it
/// in the journal and reset the vault's own restoration record. (Multi-test cannot give the
/// same code a bumped cw2 version, so the migration is replaced rather than the version.)
fn fixed_migrate(
    deps: DepsMut,
    env: Env,
    msg: rewind_target::MigrateMsg<rewind_target::NoMigrateMsg>,
) -> Result<Response, rewind_target::ContractError<rewind_vault::ContractError>> {
    let rewind_target::Wrapped::Rewind(MigrateMsg::Upgrade {}) = msg else {
        return rewind_vault::contract::entry::migrate(deps, env, msg);
    };
    let abandoned = rewind_journal::abandon_rollback(deps.storage, &env)?;
    // The vault's record and rewind-target's: no restoration runs any more.
    RESTORATION.remove(deps.storage);
    rewind_target::state::STATUS.save(
        deps.storage,
        &rewind_target::state::status(rewind_types::restorable::RestorationPhase::Idle, None),
    )?;
    rewind_target::state::REPLAY.remove(deps.storage);
    rewind_target::state::EXCLUSIONS.remove(deps.storage);
    Ok(Response::new()
        .add_attribute("action", "upgrade")
        .add_attribute(
            "abandoned_height",
            abandoned.map_or("none".into(), |s| s.height.to_string()),
        ))
}

fn fixed_vault() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            rewind_vault::contract::entry::execute,
            rewind_vault::contract::entry::instantiate,
            rewind_vault::contract::entry::query,
        )
        .with_migrate(fixed_migrate),
    )
}

fn vault_config(s: &Suite) -> ConfigResponse {
    s.query(&s.vaults[0], &VaultQuery::Config {})
}

/// A vault's own config-update JSON, as governance carries it.
fn vault_json(update: &VaultConfigUpdate) -> Binary {
    to_json_binary(update).unwrap()
}

#[test]
fn configure_target_changes_the_vault_retention() {
    let mut s = SuiteBuilder::new().build();
    let before = vault_config(&s).retention_blocks;
    let retention = before + 5_000;
    let vault = s.vaults[0].to_string();
    let id = s.pass_parameters(
        "Target change",
        vec![ParameterChange::ConfigureTarget {
            contract: vault.clone(),
            config: vault_json(&VaultConfigUpdate {
                retention_blocks: Some(retention),
                ..VaultConfigUpdate::default()
            }),
        }],
    );
    assert_eq!(s.proposal(id).status, ProposalStatus::Executed);
    assert_eq!(vault_config(&s).retention_blocks, retention);
    assert_eq!(s.journal_info(0).retention_blocks, retention);
}

#[test]
fn configure_target_the_vault_refuses_is_refused_at_proposal_or_fails_at_close() {
    let mut s = SuiteBuilder::new().build();
    let before = vault_config(&s);
    let vault = s.vaults[0].to_string();
    let holder = s.holder(0);
    let propose = |changes: Vec<ParameterChange>| GovMsg::ProposeParameters {
        title: "Target change".into(),
        description: "Voted on the normal track".into(),
        changes,
    };
    // A breaker pause above the vault's cap on its own pauses: the vault says so at
    // proposal, and no proposal is created.
    let over_cap = ParameterChange::ConfigureTarget {
        contract: vault.clone(),
        config: vault_json(&VaultConfigUpdate {
            breaker_pause_seconds: Some(before.max_pause_seconds + 1),
            ..VaultConfigUpdate::default()
        }),
    };
    let err = s.propose(&holder, &propose(vec![over_cap])).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(&format!("target {vault} refuses the configuration"))
            && text.contains("breaker_pause_seconds"),
        "{text}"
    );
    // Two changes each valid alone, invalid together: the second is refused when applied,
    // so the whole proposal fails and nothing applies (row R6).
    assert!(before.breaker_pause_seconds < before.breaker_max_trip_seconds);
    let id = s.pass_parameters(
        "Target change",
        vec![
            ParameterChange::ConfigureTarget {
                contract: vault.clone(),
                config: vault_json(&VaultConfigUpdate {
                    breaker_max_trip_seconds: Some(before.breaker_pause_seconds),
                    ..VaultConfigUpdate::default()
                }),
            },
            ParameterChange::ConfigureTarget {
                contract: vault.clone(),
                config: vault_json(&VaultConfigUpdate {
                    breaker_pause_seconds: Some(before.breaker_max_trip_seconds),
                    ..VaultConfigUpdate::default()
                }),
            },
        ],
    );
    let p = s.proposal(id);
    assert_eq!(p.status, ProposalStatus::ExecutionFailed);
    let error = p.execution_error.unwrap();
    assert!(error.contains("breaker_pause_seconds"), "{error}");
    assert_eq!(vault_config(&s), before);
}

/// The feeder that pushed the manipulated price is rotated in the vote that restores: the
/// restoration carries the vault's config update, the spec's content hash covers it, and
/// the vault takes it with its release at completion.
#[test]
fn r14_a_restoration_rotates_the_compromised_feeder_at_completion() {
    let mut s = SuiteBuilder::new().build();
    let (u0, u1) = (s.user(0), s.user(1));
    s.deposit(&u0, 0, 10_000).unwrap();
    s.advance_blocks(1);
    let h = s.height();
    s.advance_blocks(1);
    s.deposit(&u1, 0, 5_000).unwrap();
    s.advance_blocks(1);
    let old_feeder = vault_config(&s).feeder;
    let new_feeder = s.app.api().addr_make("new-feeder");
    let p = RestorationProposal {
        targets: vec![0],
        heights: vec![h],
        exclusions: vec![],
        policy: ShortfallPolicy::ProRataHaircut,
        expedited: false,
    };
    let mut msg = s.restoration_msg(&p);
    let GovMsg::ProposeRestoration { targets, .. } = &mut msg else {
        unreachable!()
    };
    // A config the vault refuses refuses the proposal.
    targets[0].post_restore_config = Some(Binary::from(br#"{"feeder":"Not An Address"}"#.to_vec()));
    let holder = s.holder(0);
    let err = s.propose(&holder, &msg).unwrap_err();
    assert!(
        err.to_string().contains("refuses the configuration"),
        "{err}"
    );
    let GovMsg::ProposeRestoration { targets, .. } = &mut msg else {
        unreachable!()
    };
    targets[0].post_restore_config = Some(vault_json(&VaultConfigUpdate {
        feeder: Some(new_feeder.to_string()),
        ..VaultConfigUpdate::default()
    }));
    let id = s.propose(&holder, &msg).unwrap();
    s.vote_all_holders(id, h);
    let period = s.config.normal.voting_period_seconds;
    s.advance_by(period, period / 5);
    s.close(id).unwrap();
    let op_id = s.operation_of(id);
    s.advance_by(12 * HOUR, 100);
    s.execute_op(op_id).unwrap();
    assert_eq!(vault_config(&s).feeder, old_feeder, "not before completion");
    s.crank_until_done(op_id, Some(50), 20);
    let r = s.restoration(op_id);
    assert_eq!(r.state, RestorationState::Complete);
    assert!(r.spec.targets[0].post_restore_config.is_some());
    assert!(!s.journal_info(0).restoring);
    assert_eq!(vault_config(&s).feeder, new_feeder);
}

#[test]
fn r4_a_stuck_rollback_is_released_only_by_a_voted_upgrade() {
    let mut s = SuiteBuilder::new().build();
    let (u0, u1) = (s.user(0), s.user(1));
    s.deposit(&u0, 0, 10_000).unwrap();
    s.deposit(&u1, 0, 10_000).unwrap();
    s.advance_blocks(1);
    let h = s.height();
    s.advance_blocks(1);
    s.withdraw(&u0, 0, 1_000).unwrap();
    s.advance_blocks(1);
    // Tamper: u0's collateral inflated behind the journal's back (a bug or a bad write).
    // The raw key of the journaled value: the journal's state root, then the Map's key.
    let key = rewind_journal::keys::concat(
        &rewind_journal::keys::state_root(),
        &COLLATERAL.key((u0.clone(), USDC.to_string())),
    );
    {
        let vault = s.vaults[0].clone();
        let mut store = s.app.contract_storage_mut(&vault);
        let mut raw = store.get(&key).unwrap();
        raw.truncate(9);
        raw.extend_from_slice(b"\"900000\"");
        store.set(&key, &raw);
    }
    s.advance_blocks(1);

    // The restoration is voted, queued, executed, and fails its digest check.
    let holder = s.holder(0);
    let p = RestorationProposal {
        targets: vec![0],
        heights: vec![h],
        exclusions: vec![],
        policy: ShortfallPolicy::ProRataHaircut,
        expedited: false,
    };
    let id = s.propose_restoration(&holder, &p).unwrap();
    s.vote_all_holders(id, h);
    let period = s.config.normal.voting_period_seconds;
    s.advance_by(period, period / 5);
    s.close(id).unwrap();
    let op_id = s.operation_of(id);
    s.advance_by(12 * HOUR, 100);
    s.execute_op(op_id).unwrap();
    s.crank_until_done(op_id, Some(50), 20);
    let RestorationState::Failed { error } = s.restoration(op_id).state else {
        panic!("expected Failed, got {:?}", s.restoration(op_id).state);
    };
    // The verify pass found the mismatch before it undid anything, and the target recorded
    // it; settling the live ledger then refused, since its claims (the inflated one counted)
    // exceed the bank (row R11): the executor's restoration failed with that error.
    let status = s.restoration_status(0);
    let failure = status
        .failure
        .clone()
        .expect("the target records its failure");
    assert!(failure.contains("digest mismatch"), "{failure}");
    assert_eq!(status.undone_entries, 0, "nothing was undone");
    assert!(error.contains("exceed the bank balance"), "{error}");

    // Safe failure: locked for good; the executor can neither restore again nor unlock it.
    assert!(s.journal_info(0).restoring);
    assert_eq!(status.phase, RestorationPhase::Replaying);
    assert_error(
        s.deposit(&u1, 0, 1),
        rewind_target::ContractError::<rewind_vault::ContractError>::from(JournalError::Restoring),
    );

    // Governance votes the fixed code, and aborts the failed restoration (lock released).
    let fixed = s.app.store_code(fixed_vault());
    let vault = s.vaults[0].to_string();
    let checksum = s.app.wrap().query_wasm_code_info(fixed).unwrap().checksum;
    let vote_id = s.pass_parameters(
        "Target change",
        vec![
            ParameterChange::UpgradeTarget {
                contract: vault.clone(),
                new_code: PinnedCode {
                    code_id: fixed,
                    checksum: HexBinary::from(checksum.as_slice()),
                },
            },
            ParameterChange::AbortRestoration {
                restoration_id: op_id,
            },
        ],
    );
    assert_eq!(s.proposal(vote_id).status, ProposalStatus::Executed);
    let info = s.app.wrap().query_wasm_contract_info(&s.vaults[0]).unwrap();
    assert_eq!(info.code_id, fixed);
    assert_eq!(s.restoration(op_id).state, RestorationState::Aborted);
    let journal = s.journal_info(0);
    assert!(!journal.restoring);
    assert_eq!(journal.restoration_lock_until, None);
    assert_eq!(s.restoration_status(0).phase, RestorationPhase::Idle);

    // The vault works again.
    s.advance_blocks(1);
    s.deposit(&u1, 0, 500).unwrap();
    s.withdraw(&u1, 0, 200).unwrap();
}

//! `Sweep { to }` (rows G10, R5, T2): the voted sweep of frozen claims and the surplus.

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{coins, Addr};
use cw_multi_test::Executor;
use rewind_journal::JournalError;
use rewind_testing::SuiteBase;
use rewind_types::vault::MigrateMsg;
use rewind_types::{GateMsg, ShortfallPolicy};

use super::suite::direct::{instantiate, migrate};
use super::suite::*;
use crate::error::ContractError;
use crate::instantiate::CONTRACT_NAME;

struct Setup {
    s: Suite,
    alice: Addr,
    mallory: Addr,
}

/// Alice (honest) holds 1 000 USDC, Mallory 300 USDC at `h`; Mallory deposits 200 more
/// after `h` (not replayed: she is excluded, so it becomes surplus) and 40 ATOM. The
/// restoration to `h` excluding Mallory completes and is released.
fn restored() -> Setup {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    let mallory = s.user("mallory");
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.deposit(&mallory, 300, USDC).unwrap();
    s.deposit(&mallory, 40, ATOM).unwrap();
    let h = s.height();
    s.next_block();
    s.deposit(&mallory, 200, USDC).unwrap();
    s.next_block();
    s.restore(h, &[&mallory], ShortfallPolicy::ProRataHaircut)
        .unwrap();
    s.crank_to_end(&[7]);
    Setup { s, alice, mallory }
}

fn sweep(s: &mut Suite, to: Option<&Addr>) -> cosmwasm_std::StdResult<cw_multi_test::AppResponse> {
    let executor = s.roles.executor.clone();
    s.migrate_as(
        &executor,
        &MigrateMsg::Sweep {
            to: to.map(|a| a.to_string()),
        },
    )
}

fn attr(res: &cw_multi_test::AppResponse, key: &str) -> String {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
        .unwrap_or_else(|| panic!("no attribute {key}"))
}

/// Rows G10, R5: frozen claims plus the surplus (the excluded account's skipped deposit and
/// a donation) go to the insurance account or the named address; honest claims are
/// untouched; afterwards the claims equal the bank; the account stays frozen.
#[test]
fn r5_g10_sweep_moves_frozen_claims_and_surplus_only() {
    for named in [false, true] {
        let Setup {
            mut s,
            alice,
            mallory,
        } = restored();
        let donor = s.user("donor");
        s.app
            .send_tokens(donor, s.vault.clone(), &coins(50, USDC))
            .unwrap();
        let recipient = if named {
            s.user("treasury")
        } else {
            s.roles.insurance.clone()
        };
        let before_usdc = s.bank(&recipient, USDC);
        let before_atom = s.bank(&recipient, ATOM);
        assert_eq!(s.free(&mallory, USDC), 300);
        let res = sweep(&mut s, named.then_some(&recipient)).unwrap();
        assert_eq!(attr(&res, "action"), "sweep");
        assert_eq!(attr(&res, "accounts"), "1");
        assert_eq!(attr(&res, "recipient"), recipient.to_string());
        // 300 frozen + 200 skipped deposit + 50 donation; 40 frozen ATOM.
        assert_eq!(s.bank(&recipient, USDC) - before_usdc, 550);
        assert_eq!(s.bank(&recipient, ATOM) - before_atom, 40);
        assert_eq!(s.free(&alice, USDC), 1_000);
        assert_eq!(s.free(&mallory, USDC), 0);
        assert_eq!(s.free(&mallory, ATOM), 0);
        let vault = s.vault.clone();
        for denom in [USDC, ATOM] {
            assert_eq!(s.totals(denom), s.bank(&vault, denom), "R5 {denom}");
        }
        // Still frozen: nothing she may move.
        s.mint(&mallory, coins(10, USDC));
        expect_rewind(
            s.deposit(&mallory, 10, USDC),
            rewind_target::TargetError::FrozenSender {
                account: mallory.clone(),
            },
        );
        // Row T2 (target side): a second sweep has nothing left and sends nothing.
        let res = sweep(&mut s, named.then_some(&recipient)).unwrap();
        assert_eq!(attr(&res, "amount"), "");
        assert_eq!(s.bank(&recipient, USDC) - before_usdc, 550);
        assert_eq!(s.free(&alice, USDC), 1_000);
    }
}

/// Row R5 when the bank fell short after the restoration (funds left outside the ledger):
/// the sweep sends only what the remaining claims do not need, never honest funds.
#[test]
fn r5_sweep_never_takes_what_honest_claims_need() {
    // (stolen after the restoration, expected USDC sent)
    for (stolen, sent) in [(0u128, 500u128), (100, 400), (500, 0), (700, 0)] {
        let Setup { mut s, alice, .. } = restored();
        let vault = s.vault.clone();
        let thief = s.user("thief");
        if stolen > 0 {
            s.app
                .send_tokens(vault.clone(), thief, &coins(stolen, USDC))
                .unwrap();
        }
        let insurance = s.roles.insurance.clone();
        let before = s.bank(&insurance, USDC);
        sweep(&mut s, None).unwrap();
        assert_eq!(s.bank(&insurance, USDC) - before, sent, "stolen {stolen}");
        assert_eq!(s.free(&alice, USDC), 1_000);
        assert_eq!(s.bank(&vault, USDC), 1_500 - stolen - sent);
        if stolen <= 500 {
            assert!(s.totals(USDC) <= s.bank(&vault, USDC), "R5 stolen {stolen}");
        }
    }
}

/// Row G10: refused while a restoration runs, while it is complete but not released, and
/// under the guardian's restoration lock; nothing moves.
#[test]
fn g10_sweep_refused_while_restoring_or_locked() {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    let mallory = s.user("mallory");
    s.deposit(&alice, 1_000, USDC).unwrap();
    s.deposit(&mallory, 300, USDC).unwrap();
    let h = s.height();
    s.next_block();
    s.deposit(&mallory, 200, USDC).unwrap();
    s.next_block();
    s.restore(h, &[&mallory], ShortfallPolicy::ProRataHaircut)
        .unwrap();
    let vault = s.vault.clone();
    expect_err(
        sweep(&mut s, None),
        ContractError::Journal(JournalError::Restoring),
    );
    s.crank_to_complete(&[7]);
    expect_err(
        sweep(&mut s, None),
        ContractError::Journal(JournalError::Restoring),
    );
    s.release().unwrap();
    let until = s.app.block_info().time.plus_seconds(600);
    s.gate(GateMsg::SetRestorationLock { until: Some(until) })
        .unwrap();
    expect_err(
        sweep(&mut s, None),
        ContractError::Journal(JournalError::RestorationLocked { until }),
    );
    assert_eq!(s.bank(&vault, USDC), 1_500);
    assert_eq!(s.free(&mallory, USDC), 300);
    s.gate(GateMsg::SetRestorationLock { until: None }).unwrap();
    sweep(&mut s, None).unwrap();
    assert_eq!(s.free(&mallory, USDC), 0);
    assert_eq!(s.bank(&vault, USDC), 1_000);
}

/// Row G10: only the wasm admin (the executor) can send the migration, and a bad `to` is
/// refused; nothing moves.
#[test]
fn g10_sweep_refuses_others_and_bad_recipient() {
    let Setup { mut s, mallory, .. } = restored();
    let vault = s.vault.clone();
    for who in [mallory.clone(), s.roles.governance.clone()] {
        let err = s
            .migrate_as(&who, &MigrateMsg::Sweep { to: None })
            .unwrap_err();
        assert!(err.to_string().contains("Only admin can migrate"), "{err}");
    }
    let executor = s.roles.executor.clone();
    let err = s
        .migrate_as(
            &executor,
            &MigrateMsg::Sweep {
                to: Some("not an address".into()),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("not an address"), "{err}");
    assert_eq!(s.free(&mallory, USDC), 300);
    assert_eq!(s.bank(&vault, USDC), 1_500);
}

/// `Sweep` is a same-version migration: it cannot ride on a code upgrade.
#[test]
fn g10_sweep_needs_the_same_version() {
    let mut deps = mock_dependencies();
    let api = deps.api;
    let roles = Roles {
        governance: api.addr_make("governance"),
        guardian: api.addr_make("guardian"),
        feeder: api.addr_make("feeder"),
        insurance: api.addr_make("insurance"),
        executor: api.addr_make("executor"),
    };
    let msg = SuiteBuilder::default().instantiate_msg(&roles);
    instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&roles.governance, &[]),
        msg,
    )
    .unwrap();
    cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "0.0.1").unwrap();
    let err = migrate(deps.as_mut(), mock_env(), MigrateMsg::Sweep { to: None }).unwrap_err();
    assert_eq!(
        err,
        rewind_text(rewind_target::TargetError::WrongCode {
            action: "sweep",
            stored: format!("{CONTRACT_NAME} 0.0.1"),
            name: CONTRACT_NAME,
            version: crate::instantiate::CONTRACT_VERSION,
        })
    );
}

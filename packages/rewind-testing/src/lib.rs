//! Test helpers shared by the Rewind contracts' multi-tests.
//!
//! cw-multi-test 3 surfaces a contract's error as text only (`StdError::msg`), so a test
//! cannot downcast to the contract's `ContractError`. [`assert_error`] compares the rendered
//! variant instead: the message ends with exactly the expected variant's `Display`, fields
//! included, which pins the variant and its context.
//!
//! With the `suite` feature, [`suite`] deploys the whole real system (stake, governance with
//! the timelock, guardian and executor it instantiates, and one or two vaults whose wasm admin
//! is the executor) in cw-multi-test, for cross-contract tests.
//!
//! With the `mock-target` feature, [`mock_target`] is the one mock restorable target (a
//! counter that rolls back), with [`mock_target::contract`] to store it in cw-multi-test.
//!
//! With the `modules` feature, [`modules`] deploys the timelock, guardian and executor with a
//! plain-address governance and mock restorable targets, for those contracts' own tests.
//!
//! With the `conformance` feature, [`conformance`] is the suite an integrator runs against
//! their own restorable contract (gate coverage, rollback against recorded history, digest,
//! migrate rules, no write around the journal).
//!
//! With the `voting-weights` feature (part of `suite`), [`voting_weights`] is a second DAO DAO
//! voting module, with member weights set by its DAO, to show that governance works with any
//! voting module.

#[cfg(feature = "app")]
pub mod base;
#[cfg(feature = "conformance")]
pub mod conformance;
#[cfg(any(feature = "suite", feature = "modules"))]
pub mod contracts;
#[cfg(feature = "mock-target")]
pub mod mock_target;
#[cfg(feature = "modules")]
pub mod modules;
#[cfg(feature = "app")]
pub mod release;
#[cfg(feature = "suite")]
pub mod suite;
#[cfg(feature = "voting-weights")]
pub mod voting_weights;

use std::fmt::Display;

#[cfg(feature = "app")]
pub use base::SuiteBase;

use cosmwasm_std::StdError;

/// The address instantiate2 gives `code_id` instantiated by `creator` with `salt`, as the
/// chain computes it (governance predicts its modules the same way).
#[cfg(feature = "app")]
pub fn predict_address(
    app: &cw_multi_test::App,
    code_id: u64,
    creator: &cosmwasm_std::Addr,
    salt: &str,
) -> cosmwasm_std::Addr {
    use cosmwasm_std::Api;
    let checksum = app
        .wrap()
        .query_wasm_code_info(code_id)
        .expect("code info")
        .checksum;
    let canonical = app
        .api()
        .addr_canonicalize(creator.as_str())
        .expect("canonical creator");
    let address =
        cosmwasm_std::instantiate2_address(checksum.as_slice(), &canonical, salt.as_bytes())
            .expect("instantiate2 address");
    app.api().addr_humanize(&address).expect("human address")
}

/// The innermost error text of a multi-test failure: what the contract's error displayed.
pub fn contract_error_text(err: &StdError) -> String {
    let text = err.to_string();
    match text.rfind("error: ") {
        Some(at) => text[at + "error: ".len()..].to_string(),
        None => text,
    }
}

/// Asserts that `result` failed with exactly `expected` (compared by its `Display`).
#[track_caller]
pub fn assert_error<T: std::fmt::Debug>(result: Result<T, StdError>, expected: impl Display) {
    match result {
        Ok(value) => panic!(
            "expected error {expected:?}, got Ok({value:?})",
            expected = expected.to_string()
        ),
        Err(err) => assert_eq!(contract_error_text(&err), expected.to_string()),
    }
}

/// Asserts that `result` failed with an error whose text contains `expected`'s `Display`:
/// looser than [`assert_error`], for tests whose error arrives wrapped in a submessage's.
#[track_caller]
pub fn assert_err<T: std::fmt::Debug>(result: Result<T, StdError>, expected: impl Display) {
    let err = result.unwrap_err().to_string();
    let expected = expected.to_string();
    assert!(err.contains(&expected), "error {err:?} is not {expected:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn innermost_text_is_compared() {
        let err = StdError::msg("Error executing WasmMsg:\n  sender: x\nkind: Other, error: amount must be greater than zero");
        assert_eq!(
            contract_error_text(&err),
            "amount must be greater than zero"
        );
        assert_error::<()>(Err(err), "amount must be greater than zero");
    }

    #[test]
    #[should_panic]
    fn a_different_error_fails() {
        assert_error::<()>(
            Err(StdError::msg("kind: Other, error: nothing to claim")),
            "zero",
        );
    }

    #[test]
    fn contained_text_is_enough_for_assert_err() {
        let err = StdError::msg("Error executing WasmMsg: dispatch: nothing to claim");
        assert_err::<()>(Err(err), "nothing to claim");
    }

    #[test]
    #[should_panic]
    fn assert_err_fails_on_ok() {
        assert_err::<u8>(Ok(1), "nothing to claim");
    }
}

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

#[cfg(feature = "suite")]
pub mod suite;

use std::fmt::Display;

use cosmwasm_std::StdError;

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
}

//! How a core contract is upgraded: governance, its wasm admin, migrates it after a voted
//! `UpgradeModule` proposal has waited in the timelock. Every core contract's `migrate`
//! entry point takes [`MigrateMsg`] and starts with [`ensure_upgrade`].

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Response, StdError, Storage};

/// The migrate message of every core contract (governance, timelock, guardian, executor,
/// stake).
#[cw_serde]
pub enum MigrateMsg {
    /// Same cw2 contract name, same or newer version; no state is rewritten unless the
    /// contract's `migrations/` module says so for the stored version.
    Upgrade {},
}

/// Why a migration was refused.
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(thiserror::Error, Debug)]
pub enum UpgradeError {
    /// The stored cw2 version could not be read.
    #[error("{0}")]
    Std(#[from] StdError),

    /// The new code is another contract.
    #[error("wrong contract: expected {expected}, found {found}")]
    WrongContract { expected: String, found: String },

    /// The new code is older than the stored version.
    #[error("cannot migrate from version {stored} down to {new}")]
    Downgrade { stored: String, new: String },
}

/// Checks, with `cw2::ensure_from_older_version`, that the stored contract is `name` and not
/// newer than `version`, then records `version`. Returns the version migrated from.
pub fn ensure_upgrade(
    storage: &mut dyn Storage,
    name: &str,
    version: &str,
) -> Result<String, UpgradeError> {
    let stored = cw2::get_contract_version(storage)?;
    if stored.contract != name {
        return Err(UpgradeError::WrongContract {
            expected: name.to_string(),
            found: stored.contract,
        });
    }
    cw2::ensure_from_older_version(storage, name, version).map_err(|_| {
        UpgradeError::Downgrade {
            stored: stored.version.clone(),
            new: version.to_string(),
        }
    })?;
    Ok(stored.version)
}

/// The response of a successful migration, with the versions it moved between.
pub fn migrated(from_version: String, to_version: &str) -> Response {
    Response::new()
        .add_attribute(crate::ACTION, "migrate")
        .add_attribute("from_version", from_version)
        .add_attribute("to_version", to_version)
}

/// Implements `PartialEq` for an error type by variant and rendered message: `StdError` has
/// no `PartialEq` in cosmwasm-std 3, and every message names all of its variant's fields.
/// The one equality strategy of every Rewind error type, so tests can `assert_eq!`.
#[macro_export]
macro_rules! impl_error_eq {
    ($error:ty) => {
        impl PartialEq for $error {
            fn eq(&self, other: &Self) -> bool {
                std::mem::discriminant(self) == std::mem::discriminant(other)
                    && self.to_string() == other.to_string()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::testing::MockStorage;

    use super::*;

    fn stored(name: &str, version: &str) -> MockStorage {
        let mut storage = MockStorage::new();
        cw2::set_contract_version(&mut storage, name, version).unwrap();
        storage
    }

    #[test]
    fn same_name_same_or_newer_version_migrates_and_records_it() {
        for old in ["0.1.0", "0.2.0", "0.2.1"] {
            let mut storage = stored("crates.io:rewind-x", old);
            let from = ensure_upgrade(&mut storage, "crates.io:rewind-x", "0.2.1").unwrap();
            assert_eq!(from, old);
            let now = cw2::get_contract_version(&storage).unwrap();
            assert_eq!(now.version, "0.2.1");
        }
    }

    #[test]
    fn wrong_name_and_downgrade_are_refused_and_nothing_is_written() {
        let mut storage = stored("crates.io:rewind-x", "0.2.0");
        assert!(matches!(
            ensure_upgrade(&mut storage, "crates.io:other", "0.3.0"),
            Err(UpgradeError::WrongContract { expected, found })
                if expected == "crates.io:other" && found == "crates.io:rewind-x"
        ));
        assert!(matches!(
            ensure_upgrade(&mut storage, "crates.io:rewind-x", "0.1.9"),
            Err(UpgradeError::Downgrade { stored, new }) if stored == "0.2.0" && new == "0.1.9"
        ));
        assert_eq!(
            cw2::get_contract_version(&storage).unwrap().version,
            "0.2.0"
        );
    }
}

//! How the timelock, guardian and executor learn each other's addresses.
//!
//! Governance instantiates the three modules in its own instantiate, and, when the last
//! reply arrives, sends each of them [`ModuleAddresses`] through its `Wire` message. A module
//! accepts `Wire` once, from its governance only, and refuses its other actions before it.
//! No deployer key ever holds authority over them.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Api, StdError};

/// The addresses of the Rewind modules, as governance knows them.
#[cw_serde]
pub struct ModuleAddresses {
    /// rewind-governance: the only source of parameter changes.
    pub governance: Addr,
    /// rewind-timelock: schedules passed restorations.
    pub timelock: Addr,
    /// rewind-guardian: owns pauses and restoration locks on the targets.
    pub guardian: Addr,
    /// rewind-executor: the wasm admin of every target.
    pub executor: Addr,
}

/// How governance instantiates one module: its code and its settings.
#[cw_serde]
pub struct ModuleInit<T> {
    /// The stored code of the module.
    pub code_id: u64,
    /// The contract label.
    pub label: String,
    /// The module's own settings, passed on in its instantiate message.
    pub settings: T,
}

/// Why a module refused `Wire` or a governance-only action. Each module converts it into its
/// own error (see [`impl_from_wiring_error!`](crate::impl_from_wiring_error)), which names
/// the module in its messages.
#[derive(thiserror::Error, Debug)]
pub enum WiringError {
    /// An address in `Wire` is not valid on this chain.
    #[error("{0}")]
    Std(#[from] StdError),

    /// The sender is not the module's governance.
    #[error("unauthorized: {sender} is not governance")]
    NotGovernance { sender: Addr },

    /// An action other than `Wire` arrived before governance wired the modules.
    #[error("the module is not wired yet: governance must send Wire first")]
    NotWired,

    /// `Wire` arrived a second time.
    #[error("the module is already wired")]
    AlreadyWired,

    /// `Wire` named a governance other than the one the module was instantiated with.
    #[error("wire names governance {given}, but the module's governance is {expected}")]
    WrongGovernance { given: Addr, expected: Addr },
}

/// The module addresses a module stored at `Wire`; refuses every action before it.
pub fn wired(modules: Option<ModuleAddresses>) -> Result<ModuleAddresses, WiringError> {
    modules.ok_or(WiringError::NotWired)
}

/// The module addresses, if the module is wired and `sender` is its `governance`. Governance
/// is never subject to a pause (row P4): nothing else is checked.
pub fn ensure_governance(
    modules: Option<ModuleAddresses>,
    governance: &Addr,
    sender: &Addr,
) -> Result<ModuleAddresses, WiringError> {
    let modules = wired(modules)?;
    if sender != governance {
        return Err(WiringError::NotGovernance {
            sender: sender.clone(),
        });
    }
    Ok(modules)
}

/// Checks a `Wire` message, in this order: it comes from the module's `governance`, the
/// module is not wired yet (`Wire` is accepted once), every address is valid (row B1), and
/// it names the same governance. Returns the addresses to store.
pub fn validate_wire(
    api: &dyn Api,
    sender: &Addr,
    governance: &Addr,
    already_wired: bool,
    modules: &ModuleAddresses,
) -> Result<ModuleAddresses, WiringError> {
    if sender != governance {
        return Err(WiringError::NotGovernance {
            sender: sender.clone(),
        });
    }
    if already_wired {
        return Err(WiringError::AlreadyWired);
    }
    let validated = ModuleAddresses {
        governance: api.addr_validate(modules.governance.as_str())?,
        timelock: api.addr_validate(modules.timelock.as_str())?,
        guardian: api.addr_validate(modules.guardian.as_str())?,
        executor: api.addr_validate(modules.executor.as_str())?,
    };
    if validated.governance != *governance {
        return Err(WiringError::WrongGovernance {
            given: validated.governance,
            expected: governance.clone(),
        });
    }
    Ok(validated)
}

/// Implements `From<WiringError>` for a module's `ContractError`, mapping each case onto the
/// module's own variant (so its error messages name the module). The error type must have
/// the variants `Std(StdError)`, `Unauthorized { sender: Addr, required: String }`,
/// `NotWired {}`, `AlreadyWired {}` and `WrongGovernance { given: Addr, expected: Addr }`.
#[macro_export]
macro_rules! impl_from_wiring_error {
    ($error:ty) => {
        impl From<$crate::wiring::WiringError> for $error {
            fn from(err: $crate::wiring::WiringError) -> Self {
                use $crate::wiring::WiringError;
                match err {
                    WiringError::Std(err) => Self::Std(err),
                    WiringError::NotGovernance { sender } => Self::Unauthorized {
                        sender,
                        required: "governance".to_string(),
                    },
                    WiringError::NotWired => Self::NotWired {},
                    WiringError::AlreadyWired => Self::AlreadyWired {},
                    WiringError::WrongGovernance { given, expected } => {
                        Self::WrongGovernance { given, expected }
                    }
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::testing::MockApi;

    use super::*;

    fn modules(api: &MockApi, governance: &str) -> ModuleAddresses {
        ModuleAddresses {
            governance: api.addr_make(governance),
            timelock: api.addr_make("timelock"),
            guardian: api.addr_make("guardian"),
            executor: api.addr_make("executor"),
        }
    }

    #[test]
    fn wire_checks_sender_then_once_then_addresses_then_governance() {
        let api = MockApi::default();
        let gov = api.addr_make("governance");
        let stranger = api.addr_make("stranger");
        let good = modules(&api, "governance");
        assert!(matches!(
            validate_wire(&api, &stranger, &gov, true, &good),
            Err(WiringError::NotGovernance { sender }) if sender == stranger
        ));
        assert!(matches!(
            validate_wire(&api, &gov, &gov, true, &good),
            Err(WiringError::AlreadyWired)
        ));
        let mut invalid = good.clone();
        invalid.executor = Addr::unchecked("not an address");
        assert!(matches!(
            validate_wire(&api, &gov, &gov, false, &invalid),
            Err(WiringError::Std(_))
        ));
        let other = modules(&api, "other");
        assert!(matches!(
            validate_wire(&api, &gov, &gov, false, &other),
            Err(WiringError::WrongGovernance { given, expected })
                if given == other.governance && expected == gov
        ));
        assert_eq!(validate_wire(&api, &gov, &gov, false, &good).unwrap(), good);
    }

    #[test]
    fn governance_only_after_wire() {
        let api = MockApi::default();
        let gov = api.addr_make("governance");
        let stranger = api.addr_make("stranger");
        let wired_modules = modules(&api, "governance");
        assert!(matches!(
            ensure_governance(None, &gov, &gov),
            Err(WiringError::NotWired)
        ));
        assert!(matches!(
            ensure_governance(Some(wired_modules.clone()), &gov, &stranger),
            Err(WiringError::NotGovernance { sender }) if sender == stranger
        ));
        assert_eq!(
            ensure_governance(Some(wired_modules.clone()), &gov, &gov).unwrap(),
            wired_modules
        );
    }
}

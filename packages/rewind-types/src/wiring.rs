//! How the timelock, guardian and executor learn each other's addresses.
//!
//! Governance instantiates the three modules in its own instantiate with instantiate2, so it
//! knows every address before any module exists and passes all of them in each instantiate
//! message. A module accepts them from its governance only. No deployer key ever holds
//! authority over them, and there is no second wiring step.

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

/// Why a module refused its instantiation or a governance-only action. Each module converts
/// it into its own error (see [`impl_from_wiring_error!`](crate::impl_from_wiring_error)).
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(thiserror::Error, Debug)]
pub enum WiringError {
    /// An address is not valid on this chain.
    #[error("{0}")]
    Std(#[from] StdError),

    /// The sender is not the module's governance.
    #[error("unauthorized: {sender} is not governance")]
    NotGovernance { sender: Addr },
}

/// Checks the addresses a module is instantiated with (row B1): every one is valid on this
/// chain, and the sender is the governance they name, which predicted them with
/// instantiate2. Returns the addresses to store.
pub fn validate_modules(
    api: &dyn Api,
    sender: &Addr,
    modules: &ModuleAddresses,
) -> Result<ModuleAddresses, WiringError> {
    let validated = ModuleAddresses {
        governance: api.addr_validate(modules.governance.as_str())?,
        timelock: api.addr_validate(modules.timelock.as_str())?,
        guardian: api.addr_validate(modules.guardian.as_str())?,
        executor: api.addr_validate(modules.executor.as_str())?,
    };
    ensure_governance(&validated, sender)?;
    Ok(validated)
}

/// Refuses any sender but `modules.governance`. Governance is never subject to a pause (row
/// P4): nothing else is checked.
pub fn ensure_governance(modules: &ModuleAddresses, sender: &Addr) -> Result<(), WiringError> {
    if *sender != modules.governance {
        return Err(WiringError::NotGovernance {
            sender: sender.clone(),
        });
    }
    Ok(())
}

/// Implements `From<WiringError>` for a module's `ContractError`, mapping each case onto the
/// module's own variant. The error type must have the variants `Std(StdError)` and
/// `Unauthorized { sender: Addr, required: String }`.
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
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::testing::MockApi;

    use super::*;

    fn modules(api: &MockApi) -> ModuleAddresses {
        ModuleAddresses {
            governance: api.addr_make("governance"),
            timelock: api.addr_make("timelock"),
            guardian: api.addr_make("guardian"),
            executor: api.addr_make("executor"),
        }
    }

    #[test]
    fn b1_instantiate_checks_every_address_then_the_sender() {
        let api = MockApi::default();
        let good = modules(&api);
        let stranger = api.addr_make("stranger");
        let mut invalid = good.clone();
        invalid.executor = Addr::unchecked("not an address");
        assert!(matches!(
            validate_modules(&api, &good.governance, &invalid),
            Err(WiringError::Std(_))
        ));
        assert!(matches!(
            validate_modules(&api, &stranger, &good),
            Err(WiringError::NotGovernance { sender }) if sender == stranger
        ));
        assert_eq!(
            validate_modules(&api, &good.governance, &good).unwrap(),
            good
        );
    }

    #[test]
    fn governance_only() {
        let api = MockApi::default();
        let known = modules(&api);
        let stranger = api.addr_make("stranger");
        assert!(matches!(
            ensure_governance(&known, &stranger),
            Err(WiringError::NotGovernance { sender }) if sender == stranger
        ));
        ensure_governance(&known, &known.governance).unwrap();
    }
}

//! How the timelock, guardian and executor learn each other's addresses.
//!
//! Governance instantiates the three modules in its own instantiate, and, when the last
//! reply arrives, sends each of them [`ModuleAddresses`] through its `Wire` message. A module
//! accepts `Wire` once, from its governance only, and refuses its other actions before it.
//! No deployer key ever holds authority over them.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Addr;

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

//! The real contracts, wrapped for cw-multi-test with every entry point they have: the one
//! place both the whole-system `Suite` and the module suite store their code from.

use cosmwasm_std::Empty;
use cw_multi_test::{Contract, ContractWrapper};

/// rewind-stake.
#[cfg(feature = "suite")]
pub fn stake() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            rewind_stake::contract::execute,
            rewind_stake::contract::instantiate,
            rewind_stake::contract::query,
        )
        .with_migrate(rewind_stake::contract::migrate),
    )
}

/// rewind-governance (replies: the timelock queue and parameter application).
#[cfg(feature = "suite")]
pub fn governance() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            rewind_governance::contract::execute,
            rewind_governance::contract::instantiate,
            rewind_governance::contract::query,
        )
        .with_reply(rewind_governance::contract::reply)
        .with_migrate(rewind_governance::contract::migrate),
    )
}

/// rewind-timelock.
pub fn timelock() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            rewind_timelock::contract::execute,
            rewind_timelock::contract::instantiate,
            rewind_timelock::contract::query,
        )
        .with_migrate(rewind_timelock::contract::migrate),
    )
}

/// rewind-guardian.
pub fn guardian() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            rewind_guardian::contract::execute,
            rewind_guardian::contract::instantiate,
            rewind_guardian::contract::query,
        )
        .with_migrate(rewind_guardian::contract::migrate),
    )
}

/// rewind-executor (replies record migrate and crank results).
pub fn executor() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            rewind_executor::contract::execute,
            rewind_executor::contract::instantiate,
            rewind_executor::contract::query,
        )
        .with_reply(rewind_executor::contract::reply)
        .with_migrate(rewind_executor::contract::migrate),
    )
}

/// rewind-vault (migrate carries `Upgrade {}` and `Restore { .. }`).
#[cfg(feature = "suite")]
pub fn vault() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            rewind_vault::contract::execute,
            rewind_vault::contract::instantiate,
            rewind_vault::contract::query,
        )
        .with_migrate(rewind_vault::contract::migrate),
    )
}

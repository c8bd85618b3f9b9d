//! The configuration, the guardian set and the target registry with its exit policy.

use cosmwasm_std::{Addr, Deps, StdResult};
use rewind_types::guardian::{ConfigResponse, GuardiansResponse, TargetResponse, TargetsResponse};
use rewind_types::page;

use crate::state::{GUARDIANS, MODULES, POLICY, TARGETS};

/// A validated `start_after` address.
fn start_bound(deps: Deps, start_after: Option<String>) -> StdResult<Option<Addr>> {
    start_after.map(|a| deps.api.addr_validate(&a)).transpose()
}

/// The pause caps and the module addresses.
pub fn config(deps: Deps) -> StdResult<ConfigResponse> {
    Ok(ConfigResponse {
        policy: POLICY.load(deps.storage)?,
        modules: MODULES.load(deps.storage)?,
    })
}

/// Whether `address` is a current guardian.
pub fn is_guardian(deps: Deps, address: String) -> StdResult<bool> {
    let address = deps.api.addr_validate(&address)?;
    Ok(GUARDIANS.has(deps.storage, &address))
}

/// A page of guardians, in address order.
pub fn guardians(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<GuardiansResponse> {
    let start = start_bound(deps, start_after)?;
    let guardians = page(&GUARDIANS, deps.storage, start.as_ref(), limit, |g, _| g)?;
    Ok(GuardiansResponse { guardians })
}

/// One target's registration and exit policy, if registered.
pub fn target(deps: Deps, target: String) -> StdResult<Option<TargetResponse>> {
    let target = deps.api.addr_validate(&target)?;
    Ok(TARGETS
        .may_load(deps.storage, &target)?
        .map(|exits_pausable| TargetResponse::new(target, exits_pausable)))
}

/// A page of registered targets with their exit policy, in address order.
pub fn targets(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<TargetsResponse> {
    let start = start_bound(deps, start_after)?;
    let targets = page(
        &TARGETS,
        deps.storage,
        start.as_ref(),
        limit,
        TargetResponse::new,
    )?;
    Ok(TargetsResponse { targets })
}

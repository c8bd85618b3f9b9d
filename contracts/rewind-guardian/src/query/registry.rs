//! The configuration, the guardian set and the target registry with its exit policy.

use cosmwasm_std::{Addr, Deps, StdError, StdResult};
use rewind_types::guardian::{ConfigResponse, GuardiansResponse, TargetResponse, TargetsResponse};
use rewind_types::{page, DeclaredScopes};

use crate::state::{GUARDIANS, MODULES, POLICY, TARGETS, TARGET_SCOPES};

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

/// The registration of `target` with its exit policy and its declared scopes.
fn response(deps: Deps, target: Addr, exits_pausable: bool) -> StdResult<TargetResponse> {
    let scopes = TARGET_SCOPES.load(deps.storage, &target)?;
    let declared = DeclaredScopes::new(scopes).map_err(|e| StdError::msg(e.to_string()))?;
    Ok(TargetResponse::new(target, exits_pausable, &declared))
}

/// One target's registration, exit policy and declared scopes, if registered.
pub fn target(deps: Deps, target: String) -> StdResult<Option<TargetResponse>> {
    let target = deps.api.addr_validate(&target)?;
    TARGETS
        .may_load(deps.storage, &target)?
        .map(|exits_pausable| response(deps, target, exits_pausable))
        .transpose()
}

/// A page of registered targets with their exit policy and scopes, in address order.
pub fn targets(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<TargetsResponse> {
    let start = start_bound(deps, start_after)?;
    let targets = page(&TARGETS, deps.storage, start.as_ref(), limit, |t, e| (t, e))?
        .into_iter()
        .map(|(target, exits_pausable)| response(deps, target, exits_pausable))
        .collect::<StdResult<_>>()?;
    Ok(TargetsResponse { targets })
}

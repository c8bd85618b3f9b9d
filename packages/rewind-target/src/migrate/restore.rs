//! `Restore { .. }`: validate the exclusions, start the rollback, lock.

use cosmwasm_std::{DepsMut, Env, HexBinary, Response};
use rewind_journal::{last_acted_height, start_rollback};
use rewind_types::restorable::RestorationPhase;
use rewind_types::restoration::ShortfallPolicy;

use crate::error::{ContractError, TargetError};
use crate::state::{status, ReplayState, EXCLUSIONS, REPLAY, STATUS};

/// The most distinct excluded accounts a restoration takes (row D3).
pub const MAX_EXCLUSIONS: usize = 50;

/// Starts a rollback to the end of `height`; the crank then replays the recorded executions
/// above it of every account not in `exclusions`, and settles by `shortfall_policy`. Governance checked every exclusion at proposal;
/// this checks again (row G14): an account that did not act after the height cannot have
/// profited from what happened after it.
pub fn restore<E>(
    deps: DepsMut,
    env: Env,
    height: u64,
    exclusions: Vec<String>,
    expected_digest: HexBinary,
    shortfall_policy: ShortfallPolicy,
) -> Result<Response, ContractError<E>> {
    let mut excluded = exclusions
        .iter()
        .map(|a| deps.api.addr_validate(a))
        .collect::<Result<Vec<_>, _>>()?;
    excluded.sort();
    excluded.dedup();
    if excluded.len() > MAX_EXCLUSIONS {
        return Err(TargetError::TooManyExclusions {
            count: excluded.len(),
            max: MAX_EXCLUSIONS,
        }
        .into());
    }
    for account in &excluded {
        let last = last_acted_height(deps.storage, account)?;
        if last.is_none_or(|h| h <= height) {
            return Err(TargetError::DormantExclusion {
                account: account.clone(),
                last_acted_height: last,
                height,
            }
            .into());
        }
    }
    start_rollback(deps.storage, &env, height, expected_digest.as_slice())?;
    crate::offline::observe(deps.storage, &env)?;
    crate::report::close_incidents(deps.storage)?;
    EXCLUSIONS.save(deps.storage, &excluded)?;
    REPLAY.save(
        deps.storage,
        &ReplayState {
            cursor: None,
            shortfall_policy,
            settling: false,
        },
    )?;
    STATUS.save(
        deps.storage,
        &status(RestorationPhase::RollingBack, Some(height)),
    )?;
    Ok(Response::new()
        .add_attribute("action", "restore")
        .add_attribute("height", height.to_string())
        .add_attribute("exclusions", excluded.len().to_string()))
}

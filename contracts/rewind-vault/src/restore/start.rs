//! `Restore { .. }`: validate, start the journal rollback, lock.

use cosmwasm_std::{DepsMut, Env, HexBinary, Response};
use rewind_journal::{last_acted_height, start_rollback};
use rewind_types::vault::RestorationStep;
use rewind_types::ShortfallPolicy;

use super::MAX_EXCLUSIONS;
use crate::error::ContractError;
use crate::state::{DenomWork, Restoration, CONFIG, RESTORATION};

/// Starts a restoration to the end of `height`.
pub fn restore(
    deps: DepsMut,
    env: Env,
    height: u64,
    exclusions: Vec<String>,
    policy: ShortfallPolicy,
    expected_digest: HexBinary,
) -> Result<Response, ContractError> {
    let previous = RESTORATION.may_load(deps.storage)?;
    if let Some(running) = previous.as_ref().filter(|r| {
        !matches!(
            r.step,
            RestorationStep::Complete | RestorationStep::Abandoned
        )
    }) {
        return Err(ContractError::RestoreRunning {
            restoration_id: running.id,
        });
    }
    let mut excluded = exclusions
        .iter()
        .map(|a| deps.api.addr_validate(a))
        .collect::<Result<Vec<_>, _>>()?;
    excluded.sort();
    excluded.dedup();
    if excluded.len() > MAX_EXCLUSIONS {
        return Err(ContractError::TooManyExclusions {
            count: excluded.len(),
            max: MAX_EXCLUSIONS,
        });
    }
    // Row G14, defence in depth (governance checks it at proposal too): an account that has
    // not acted after the restoration height cannot have profited from what happened after
    // it, so excluding it would only confiscate a dormant honest account.
    for account in &excluded {
        let last = last_acted_height(deps.storage, account)?;
        if last.is_none_or(|h| h <= height) {
            return Err(ContractError::DormantExclusion {
                account: account.clone(),
                last_acted_height: last,
                height,
            });
        }
    }

    let status = start_rollback(deps.storage, &env, height, expected_digest.as_slice())?;
    let config = CONFIG.load(deps.storage)?;
    let id = previous.map_or(1, |r| r.id.saturating_add(1));
    let restoration = Restoration {
        id,
        height,
        started_at_height: env.block.height,
        exclusions: excluded,
        policy,
        step: RestorationStep::RollingBack,
        cursor_key: None,
        cursor_seq: None,
        cursor_index: 0,
        undone_entries: status.undone_entries,
        unwound_positions: 0,
        replayed_flows: 0,
        skipped_flows: 0,
        frozen_accounts: 0,
        settled_balances: 0,
        digest_verified: false,
        denoms: config
            .denoms
            .iter()
            .map(|d| DenomWork {
                denom: d.clone(),
                overdraft: Default::default(),
                frozen_before: Default::default(),
                claims_after: Default::default(),
                frozen_after: Default::default(),
                frozen_keep: Default::default(),
                honest_keep: Default::default(),
                insurance_after: None,
                settlement: None,
            })
            .collect(),
        completed_at_height: None,
    };
    RESTORATION.save(deps.storage, &restoration)?;

    Ok(Response::new()
        .add_attribute("action", "restore")
        .add_attribute("restoration_id", id.to_string())
        .add_attribute("height", height.to_string())
        .add_attribute("exclusions", restoration.exclusions.len().to_string())
        .add_attribute("shortfall_policy", format!("{policy:?}"))
        .add_attribute("expected_digest", expected_digest.to_hex()))
}

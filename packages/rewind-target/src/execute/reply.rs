//! The contract's own `reply`, on journaled storage, recorded for the replay.

use cosmwasm_std::{to_json_vec, DepsMut, Env, Reply, Response};
use rewind_journal::{record_execution, NewRecord, RecordKind};

use crate::error::ContractError;
use crate::journaled::run_journaled;
use crate::state::frozen;
use crate::target::{ReplyHandler, Target};

/// Runs the contract's reply handler on journaled storage (writes to frozen accounts' keys
/// refused), then records the reply after the execution whose submessage it answers (the
/// block's last record), so a restoration replays it, or skips it with that execution.
pub fn reply<E>(
    mut deps: DepsMut,
    env: Env,
    msg: Reply,
    target: &Target<E>,
    handler: ReplyHandler<E>,
) -> Result<Response, ContractError<E>> {
    let recorded = to_json_vec(&msg)?;
    let frozen = frozen(deps.storage)?;
    let response = run_journaled(deps.branch(), &env, target, frozen, |deps| {
        handler(deps, env.clone(), msg)
    })?;
    let contract = env.contract.address.clone();
    let record = NewRecord {
        kind: RecordKind::Reply,
        sender: &contract,
        funds: &[],
        msg: &recorded,
        replayable: true,
        follows_last: true,
    };
    record_execution(deps.storage, &env, &record)?;
    Ok(response)
}

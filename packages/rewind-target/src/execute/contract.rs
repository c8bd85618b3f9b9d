//! The contract's own execute message, behind the gate and on journaled storage.

use cosmwasm_std::{to_json_vec, DepsMut, Env, MessageInfo, Response};
use rewind_journal::{
    check_gate, note_activity, record_execution, JournalError, NewRecord, RecordKind,
};
use serde::Serialize;

use crate::error::{ContractError, TargetError};
use crate::invariant::{self, Checked};
use crate::msg::Gated;
use crate::state::frozen;
use crate::target::Target;

/// Checks the message's scope (one read), refuses a frozen sender, notes the sender's
/// activity (row G14), runs the handler on journaled storage and, once it succeeded, appends
/// the execution to the redo log (one write), so a restoration can replay it. Pruning is
/// left to `Prune { limit }`, so a user's action never pays for upkeep.
pub fn contract<M: Gated + Serialize, E: std::fmt::Display>(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: M,
    target: &Target<E>,
    handler: fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>,
) -> Result<Response, ContractError<E>> {
    let declared = target.declared(msg.scope());
    let (ever_stopped, open) = check_gate(deps.storage, &env, &declared);
    let exit = declared.exit && !declared.scope.is_all();
    // A message a pause stops that no exit-only mode lets through is refused by the gate
    // alone: the paused check stays one read. (A lock or a restoration reads the clock: a
    // failed one says so.)
    let open = match open {
        Err(paused @ JournalError::Paused { .. }) if !exit && !msg.offline() => {
            return Err(paused.into())
        }
        open => open,
    };
    // Exit-only by the offline clock (issue 15): exits and `offline:` messages run whatever
    // pause is in force; nothing else does. A target never stopped has no clock to read.
    let clock = match ever_stopped {
        true => Some(crate::offline::load(deps.storage)?),
        false => None,
    };
    match clock.filter(|c| c.exit_only(env.block.time)) {
        Some(clock) => {
            if !exit && !msg.offline() {
                return Err(match clock.failed {
                    true => TargetError::OfflineAfterFailure,
                    false => TargetError::Offline {
                        stopped_seconds: clock.stopped_nanos(env.block.time) / 1_000_000_000,
                        max_offline: clock.max_offline,
                    },
                }
                .into());
            }
        }
        None => open?,
    }
    let frozen = frozen(deps.storage)?;
    // A frozen account acts neither itself nor through a callback on its behalf.
    let acting = msg.on_behalf_of();
    if let Some(account) = frozen
        .iter()
        .find(|f| **f == info.sender || acting == Some(f.as_str()))
    {
        return Err(TargetError::FrozenSender {
            account: account.clone(),
        }
        .into());
    }
    note_activity(deps.storage, &env, &info.sender)?;
    // The message as its clients would send it: serde gives the same JSON back.
    let recorded = to_json_vec(&msg)?;
    let replayable = msg.replayable();
    let (sender, funds) = (info.sender.clone(), info.funds.clone());
    // Declared invariants (issue 16) run the handler on an overlay and may refuse it.
    let refund = (&sender, funds.as_slice());
    let run = invariant::run(deps.branch(), &env, target, frozen, refund, |deps| {
        handler(deps, env.clone(), info, msg)
    });
    let response = match run? {
        Checked::Held(response) => response,
        Checked::Refused(refusal) => return Ok(refusal),
    };
    // The contract's message to itself follows from the execution that sent it.
    let follows_last = sender == env.contract.address;
    let record = NewRecord {
        kind: RecordKind::Execute,
        sender: &sender,
        funds: &funds,
        msg: &recorded,
        replayable,
        follows_last,
    };
    record_execution(deps.storage, &env, &record)?;
    Ok(response)
}

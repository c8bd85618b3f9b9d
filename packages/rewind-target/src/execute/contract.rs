//! The contract's own execute message, behind the gate and on journaled storage.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use rewind_journal::{ensure_open, note_activity};

use crate::error::{ContractError, TargetError};
use crate::journaled::run_journaled;
use crate::msg::Gated;
use crate::state::frozen;
use crate::target::Target;

/// Checks the message's scope (one read), refuses a frozen sender, notes the sender's
/// activity (row G14) and runs the handler on journaled storage. Pruning is left to
/// `Prune { limit }`, so a user's action never pays for upkeep.
pub fn contract<M: Gated, E>(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: M,
    target: &Target<E>,
    handler: fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>,
) -> Result<Response, ContractError<E>> {
    ensure_open(deps.storage, &env, &target.declared(msg.scope()))?;
    let frozen = frozen(deps.storage)?;
    if frozen.contains(&info.sender) {
        return Err(TargetError::FrozenSender {
            account: info.sender,
        }
        .into());
    }
    note_activity(deps.storage, &env, &info.sender)?;
    run_journaled(deps, &env, target, frozen, |deps| {
        handler(deps, env.clone(), info, msg)
    })
}

//! The replay: after the rollback to H, the recorded executions above H run again, in their
//! original order, with their original block, sender and funds, each on an overlay so one
//! that fails leaves nothing behind.

use cosmwasm_std::{
    to_json_binary, Addr, Binary, BlockInfo, CosmosMsg, DepsMut, Env, MessageInfo, Response,
    StdResult, Storage, TransactionInfo,
};
use rewind_journal::{
    execution_exists, executions_after, remove_execution, Execution, JournaledStorage, Overlay,
    RecordKind,
};
use rewind_types::restorable::{ExecutionId, ReplayEntry, ReplayOutcome, RestorableExecuteMsg};
use serde::de::DeserializeOwned;

use super::crank::REPLAY_WEIGHT;
use crate::error::ContractError;
use crate::msg::Gated;
use crate::state::save_report;
use crate::target::Target;

/// Which records a batch handles: those above `height`, after `after`, for at most `units`
/// of work: [`REPLAY_WEIGHT`] per replay (it runs the contract's handler), one per skipped
/// record, and always at least one record.
pub(crate) struct Span {
    pub height: u64,
    pub after: Option<ExecutionId>,
    pub units: u32,
    /// Handle no record at this height or above (the executor's global order).
    pub before: Option<u64>,
}

/// What one replay batch did.
pub(crate) struct Batch {
    pub replayed: u64,
    pub skipped: u64,
    /// The last record handled, if any.
    pub cursor: Option<ExecutionId>,
    /// The next record after the cursor (`None`: no record is left).
    pub next: Option<ExecutionId>,
}

/// Replays the records of `span`. `frozen` are the accounts
/// whose executions are skipped (this restoration's exclusions and earlier ones): their
/// records are deleted from the log, as are those of replays that fail, so the log stays
/// the history the state now reflects and a later restoration never replays them.
pub(crate) fn replay_batch<M: DeserializeOwned + Gated, E: std::fmt::Display>(
    deps: DepsMut,
    env: &Env,
    target: &Target<E>,
    span: Span,
    frozen: &[Addr],
    handler: fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>,
) -> Result<Batch, ContractError<E>> {
    let Span {
        height,
        after: cursor,
        units,
        before,
    } = span;
    let DepsMut {
        storage,
        api,
        querier,
    } = deps;
    // At most one record per unit; a replay weighs more, so fewer may be handled.
    let records = executions_after(storage, height, cursor, units)?;
    let mut batch = Batch {
        replayed: 0,
        skipped: 0,
        cursor,
        next: None,
    };
    let mut left = units;
    for record in records {
        // A record that followed from one the restoration skipped belongs to it: skipped too.
        let orphan = record.parent.filter(|p| !execution_exists(storage, *p));
        let skip = frozen.contains(&record.sender) || !record.replayable || orphan.is_some();
        let cost = if skip { 1 } else { REPLAY_WEIGHT };
        let another_targets_turn = before.is_some_and(|b| record.id.height >= b);
        if another_targets_turn || (cost > left && batch.cursor != cursor) {
            break;
        }
        left = left.saturating_sub(cost);
        batch.cursor = Some(record.id);
        let outcome = if let Some(parent) = orphan {
            Some(ReplayOutcome::FollowsSkipped { parent })
        } else if frozen.contains(&record.sender) {
            Some(ReplayOutcome::Excluded {})
        } else if !record.replayable {
            Some(ReplayOutcome::NeverReplayed {})
        } else {
            let call = match record.kind {
                RecordKind::Execute => {
                    crate::msg::contract_msg::<RestorableExecuteMsg, M>(&record.msg)
                        .map(Call::Execute)
                }
                RecordKind::Reply => Ok(Call::Reply(record.msg.to_vec())),
            };
            match call {
                Err(e) => Some(ReplayOutcome::Failed {
                    error: e.to_string(),
                }),
                Ok(Call::Execute(msg)) if acts_for_frozen(&msg, frozen) => {
                    Some(ReplayOutcome::Excluded {})
                }
                Ok(call) => {
                    let mut overlay = Overlay::new(&*storage);
                    let on = Replay {
                        api,
                        querier,
                        env,
                        target,
                        frozen,
                    };
                    match on.run(&mut overlay, &record, call, handler) {
                        Ok(response) => {
                            overlay.into_writes().commit(storage);
                            batch.replayed += 1;
                            unsent(&response)?.map(|messages| ReplayOutcome::Unsent { messages })
                        }
                        Err(error) => Some(ReplayOutcome::Failed { error }),
                    }
                }
            }
        };
        let Some(outcome) = outcome else { continue };
        if !matches!(outcome, ReplayOutcome::Unsent { .. }) {
            batch.skipped += 1;
            remove_execution(storage, record.id);
        }
        report(storage, height, record, outcome)?;
    }
    batch.next = next_record(storage, height, batch.cursor)?;
    Ok(batch)
}

/// What a record runs: one of the contract's execute messages, or a reply.
enum Call<M> {
    Execute(M),
    /// The recorded `Reply`, as JSON: parsed by the contract's generated replayer.
    Reply(Vec<u8>),
}

/// The next record above `height` after `cursor`, the one the replay handles next.
pub(crate) fn next_record(
    store: &dyn Storage,
    height: u64,
    cursor: Option<ExecutionId>,
) -> StdResult<Option<ExecutionId>> {
    Ok(executions_after(store, height, cursor, 1)?
        .first()
        .map(|e| e.id))
}

/// What every replay of a batch runs with.
struct Replay<'a, E: 'static> {
    api: &'a dyn cosmwasm_std::Api,
    querier: cosmwasm_std::QuerierWrapper<'a>,
    env: &'a Env,
    target: &'a Target<E>,
    frozen: &'a [Addr],
}

impl<E: std::fmt::Display> Replay<'_, E> {
    /// Runs one record through the contract's execute (or reply) handler on journaled
    /// storage over `overlay`: the handler sees the original block, sender and funds; the
    /// journal records its writes at the crank's block. Err: the text of why it failed.
    fn run<M>(
        &self,
        overlay: &mut Overlay,
        record: &Execution,
        call: Call<M>,
        handler: fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>,
    ) -> Result<Response, String> {
        let original = Env {
            block: BlockInfo {
                height: record.id.height,
                time: record.time,
                chain_id: self.env.block.chain_id.clone(),
            },
            transaction: record
                .tx_index
                .map(|index| TransactionInfo::new(index, Binary::default())),
            contract: self.env.contract.clone(),
        };
        let mut store =
            JournaledStorage::new(overlay, self.env, self.target.plain, self.frozen.to_vec());
        let deps = DepsMut {
            storage: &mut store,
            api: self.api,
            querier: self.querier,
        };
        let result = match call {
            Call::Execute(msg) => {
                let info = MessageInfo {
                    sender: record.sender.clone(),
                    funds: record.funds.clone(),
                };
                handler(deps, original, info, msg)
            }
            Call::Reply(reply) => match self.target.reply {
                Some(replay_reply) => match replay_reply(deps, original, &reply) {
                    Ok(result) => result,
                    Err(unparsable) => return Err(unparsable.to_string()),
                },
                None => return Err("the contract handles no replies".to_string()),
            },
        };
        match result {
            Ok(response) => {
                store.finish().map_err(|e| e.to_string())?;
                // A replayed execution that breaks an invariant is skipped, never a pause.
                let broken = crate::invariant::check_all(
                    &*overlay,
                    self.api,
                    self.querier,
                    self.env,
                    self.target,
                    &response,
                    true,
                )
                .map_err(|e| e.to_string())?;
                match broken {
                    Some((invariant, reason)) => Err(crate::TargetError::InvariantViolated {
                        invariant: invariant.name.to_string(),
                        reason,
                    }
                    .to_string()),
                    None => Ok(response),
                }
            }
            // A refused write (a frozen account's key) is the reason, whatever the handler said.
            Err(e) => Err(store
                .into_refusal()
                .map_or_else(|| e.to_string(), |r| r.to_string())),
        }
    }
}

/// Whether the message is a callback for a frozen account (`Gated::on_behalf_of`).
fn acts_for_frozen<M: Gated>(msg: &M, frozen: &[Addr]) -> bool {
    msg.on_behalf_of()
        .is_some_and(|account| frozen.iter().any(|f| f.as_str() == account))
}

/// The replay's outgoing messages other than bank sends, as JSON (`None`: there are none).
fn unsent(response: &Response) -> StdResult<Option<Vec<Binary>>> {
    let messages: Vec<Binary> = response
        .messages
        .iter()
        .filter(|m| !matches!(m.msg, CosmosMsg::Bank(_)))
        .map(|m| to_json_binary(&m.msg))
        .collect::<StdResult<_>>()?;
    Ok((!messages.is_empty()).then_some(messages))
}

fn report(
    store: &mut dyn Storage,
    restoration_height: u64,
    record: Execution,
    outcome: ReplayOutcome,
) -> StdResult<()> {
    let entry = ReplayEntry {
        id: record.id,
        sender: record.sender.into_string(),
        funds: record.funds,
        msg: record.msg,
        outcome,
    };
    save_report(store, restoration_height, &entry)
}

//! rewind-executor: the wasm admin of every target; applies restorations.
//!
//! Governance instantiates it with every module's address (predicted with instantiate2) and
//! is its wasm admin. The timelock hands it a due operation (`Apply`) with the voted spec,
//! which the executor's restoration then holds (the timelock drops it: the spec is stored
//! in one place at a time). It re-checks the content hash, and for each target that it is
//! the wasm admin, that the code checksum is the voted one and that the cw2 name is the voted
//! one (rows G6, R8), then migrates the target with `RestorableMigrateMsg::Restore`. Anyone
//! may then `Crank` the restoration in bounded batches; when every target reports it is
//! complete at the voted height with its digest verified, the executor sends every target
//! `RestorableMigrateMsg::Release {}` and clears the lock in the same step: the targets
//! reopen together or not at all (row R12). If the restoration fails, or is still running
//! when its lock ends, governance may `Abort` it: every target gets
//! `RestorableMigrateMsg::Abandon` and enters exit-only mode (row R13). Governance also
//! upgrades targets (`Upgrade`) and schedules timelocked sweeps of frozen claims.
//!
//! Layout: [`contract`] only dispatches to [`instantiate`], one [`execute`] module per
//! action, [`reply`], [`query`] and [`migrations`] (the migrate rule every core contract
//! shares). The tests drive the shared mock target of `rewind-testing`.

pub mod contract;
pub mod error;
pub mod execute;
pub mod instantiate;
pub mod migrations;
pub mod msg;
pub mod progress;
pub mod query;
pub mod reply;
pub mod settings;
pub mod state;

#[cfg(test)]
mod testing;

pub use crate::error::ContractError;

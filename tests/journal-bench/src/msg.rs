//! The benchmark's messages. Not a production interface: it exists only so the gas harness
//! (`tests/gas`) can price the journal against its anchors in the real VM.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{HexBinary, Timestamp, Uint128};
use rewind_types::PauseScope;

/// Instantiates the benchmark and initialises its journal.
#[cw_serde]
pub struct InstantiateMsg {
    /// The journal's retention window, in blocks (> 0).
    pub retention_blocks: u64,
}

/// Which storage type an operation goes through. Each stores `Addr -> Uint128` (a balance).
#[cw_serde]
#[derive(Copy)]
pub enum StoreKind {
    /// cw-storage-plus `Map`.
    Plain,
    /// cw-storage-plus `SnapshotMap` with `Strategy::EveryBlock`.
    Snapshot,
    /// rewind-journal `JournaledMap` (plus its per-execution digest flush).
    Journaled,
}

/// The benchmark's execute messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Does nothing: the baseline every other figure is taken against.
    Noop {},
    /// Saves `amount` for accounts `first .. first + count` in `store`.
    Write {
        /// The storage type.
        store: StoreKind,
        /// The first account index.
        first: u32,
        /// How many accounts.
        count: u32,
        /// The balance written.
        amount: Uint128,
    },
    /// Loads the balances of accounts `first .. first + count` from `store`.
    Read {
        /// The storage type.
        store: StoreKind,
        /// The first account index.
        first: u32,
        /// How many accounts.
        count: u32,
    },
    /// Pauses `scope` of the journal's gate until `until` (no sender check: benchmark only).
    SetPause {
        /// The scope.
        scope: PauseScope,
        /// When the pause ends.
        until: Timestamp,
    },
    /// A gated action that does nothing once the gate lets it through (one read).
    Gated {
        /// The scope it belongs to.
        scope: PauseScope,
    },
    /// Starts rolling the journaled map back to the end of `height`.
    StartRollback {
        /// The target height.
        height: u64,
        /// The digest recorded at `height`.
        expected_digest: HexBinary,
    },
    /// Undoes at most `limit` journal entries.
    RollbackStep {
        /// The batch size.
        limit: u32,
    },
}

/// The benchmark's queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The journal's digest at the end of `height`.
    #[returns(rewind_types::restorable::DigestAtResponse)]
    DigestAt {
        /// The height.
        height: u64,
    },
    /// The balance of account `index` in `store`.
    #[returns(Uint128)]
    Balance {
        /// The storage type.
        store: StoreKind,
        /// The account index.
        index: u32,
    },
}

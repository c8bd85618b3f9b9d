//! What the timelock stores.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, HexBinary, Timestamp};
use cw_storage_plus::{Item, Map};
use rewind_types::timelock::{GuardianDelay, OperationResponse, OperationStatus, TimelockSettings};
use rewind_types::{ModuleAddresses, RestorationSpec};

/// What an operation does when it executes. Stored explicitly with every operation.
#[cw_serde]
pub enum OperationKind {
    /// A voted restoration, applied by the executor. `spec` is the voted spec while the
    /// operation waits, and `None` once it executed: the timelock passes it to the executor's
    /// `Apply` and drops it, so it is stored in one place at a time (the content hash stays).
    Restoration {
        /// The spec, until the operation executes.
        spec: Option<RestorationSpec>,
    },
    /// A voted upgrade of a core contract: executing it calls governance's
    /// `ApplyUpgrade { proposal_id, content_hash }`. It holds no restoration lock.
    Upgrade {
        /// The governance proposal holding the upgrade.
        proposal_id: u64,
    },
}

/// A queued operation as stored. `status` is the stored state; Expired is also derived from
/// the block time (see [`Operation::effective_status`]).
#[cw_serde]
pub struct Operation {
    /// Its id: 1, 2, ...
    pub id: u64,
    /// Restoration or upgrade.
    pub kind: OperationKind,
    /// The content hash governance computed (a restoration's is re-computed at queue).
    pub content_hash: HexBinary,
    /// The stored status (Queued, or final).
    pub status: OperationStatus,
    /// When it was queued.
    pub queued_at: Timestamp,
    /// The height it was queued at.
    pub queued_height: u64,
    /// The earliest time it may execute.
    pub eta: Timestamp,
    /// The earliest height it may execute.
    pub eta_height: u64,
    /// When it expires.
    pub expires_at: Timestamp,
    /// Who executed, cancelled or expired it.
    pub closed_by: Option<Addr>,
    /// A guardian's one delay (row T4).
    pub guardian_delay: Option<GuardianDelay>,
}

impl Operation {
    /// The status at `now`: a Queued operation past its grace window is Expired.
    pub fn effective_status(&self, now: Timestamp) -> OperationStatus {
        match self.status {
            OperationStatus::Queued if now >= self.expires_at => OperationStatus::Expired,
            s => s,
        }
    }

    /// The restoration spec, while a restoration waits.
    pub fn spec(&self) -> Option<&RestorationSpec> {
        match &self.kind {
            OperationKind::Restoration { spec } => spec.as_ref(),
            OperationKind::Upgrade { .. } => None,
        }
    }

    /// The query view at `now`.
    pub fn to_response(&self, now: Timestamp) -> OperationResponse {
        OperationResponse {
            id: self.id,
            spec: self.spec().cloned(),
            upgrade_proposal_id: match self.kind {
                OperationKind::Upgrade { proposal_id } => Some(proposal_id),
                OperationKind::Restoration { .. } => None,
            },
            content_hash: self.content_hash.clone(),
            status: self.effective_status(now),
            queued_at: self.queued_at,
            queued_height: self.queued_height,
            eta: self.eta,
            eta_height: self.eta_height,
            expires_at: self.expires_at,
            closed_by: self.closed_by.clone(),
            guardian_delay: self.guardian_delay.clone(),
        }
    }

    /// The targets the guardian locks for this operation, as strings: a waiting
    /// restoration's targets; none for an upgrade.
    pub fn lock_targets(&self) -> Vec<String> {
        self.spec()
            .map(|spec| {
                spec.targets
                    .iter()
                    .map(|t| t.contract.to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Governance, guardian, executor (and the timelock itself), fixed at instantiate.
pub const MODULES: Item<ModuleAddresses> = Item::new("modules");
/// The delay and windows.
pub const SETTINGS: Item<TimelockSettings> = Item::new("settings");
/// Every operation, by id.
pub const OPERATIONS: Map<u64, Operation> = Map::new("operations");
/// Every content hash ever queued, to its operation: each restoration or upgrade is
/// consumed once (R2).
pub const BY_HASH: Map<&[u8], u64> = Map::new("by_hash");
/// The next operation id.
pub const NEXT_ID: Item<u64> = Item::new("next_id");

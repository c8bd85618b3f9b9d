use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, HexBinary, Timestamp};
use cw_storage_plus::{Item, Map};
use rewind_types::timelock::{GuardianDelay, OperationResponse, OperationStatus, TimelockSettings};
use rewind_types::{ModuleAddresses, RestorationSpec};

/// Governance and the delay settings.
#[cw_serde]
pub struct Config {
    /// The only source of queues and setting changes.
    pub governance: Addr,
    /// Delay and windows.
    pub settings: TimelockSettings,
}

/// A queued operation as stored. `status` is the stored state; Expired is also derived from
/// the block time (see [`Operation::effective_status`]).
#[cw_serde]
pub struct Operation {
    pub id: u64,
    pub spec: RestorationSpec,
    pub content_hash: HexBinary,
    pub status: OperationStatus,
    pub queued_at: Timestamp,
    pub queued_height: u64,
    pub eta: Timestamp,
    pub eta_height: u64,
    pub expires_at: Timestamp,
    pub closed_by: Option<Addr>,
    /// A guardian's one delay (row T4).
    #[serde(default)]
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

    /// The query view at `now`.
    pub fn to_response(&self, now: Timestamp) -> OperationResponse {
        OperationResponse {
            id: self.id,
            spec: self.spec.clone(),
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

    /// The target addresses as strings, for the guardian's lock messages.
    pub fn target_strings(&self) -> Vec<String> {
        self.spec
            .targets
            .iter()
            .map(|t| t.contract.to_string())
            .collect()
    }
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const MODULES: Item<ModuleAddresses> = Item::new("modules");
pub const OPERATIONS: Map<u64, Operation> = Map::new("operations");
/// Every content hash ever queued, to its operation: each restoration is consumed once (R2).
pub const BY_HASH: Map<&[u8], u64> = Map::new("by_hash");
pub const NEXT_ID: Item<u64> = Item::new("next_id");

//! Other contracts' query answers, read into local types with only the fields governance
//! uses. Each full answer type costs its own JSON deserialiser in governance's wasm; these
//! are plain `Deserialize` (no `deny_unknown_fields`), so the fields left out are skipped.
//! The JSON asked for is unchanged.

use cosmwasm_std::{Addr, Deps, HexBinary, QueryRequest, StdResult, Uint128, WasmQuery};
use rewind_types::restorable::AccountActivity;
use rewind_types::timelock::TimelockSettings;
use serde::Deserialize;

/// What governance reads of a target's `RestorationCheckResponse`.
#[derive(Deserialize)]
pub struct RestorationCheck {
    /// The journal's state.
    pub journal: JournalState,
    /// One outcome per asked height.
    pub digests: Vec<DigestOutcome>,
    /// One answer per asked account.
    #[serde(default)]
    pub activity: Vec<AccountActivity>,
}

/// What governance reads of a target's `JournalInfoResponse`.
#[derive(Deserialize)]
pub struct JournalState {
    /// The oldest height it can restore to.
    pub retained_from: u64,
    /// Whether it is restoring.
    pub restoring: bool,
    /// How many seconds of history it keeps (older targets do not say: 0).
    #[serde(default)]
    pub retention_seconds: u64,
}

/// What governance reads of a `DigestAtOutcome`.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DigestOutcome {
    /// The digest recorded at the height.
    Digest(DigestOnly),
    /// `DigestAt`'s refusal.
    Refused {
        /// The target's text.
        error: String,
    },
}

/// The digest of a `DigestAtResponse`.
#[derive(Deserialize)]
pub struct DigestOnly {
    /// The digest.
    pub digest: HexBinary,
}

/// What governance reads of the timelock's `ConfigResponse`.
#[derive(Deserialize)]
pub struct TimelockConfig {
    /// Delay and windows.
    pub settings: TimelockSettings,
}

/// What governance reads of a voting module's power answers.
#[derive(Deserialize)]
pub struct Power {
    /// The power.
    pub power: Uint128,
}

/// What governance reads of the chain's contract info.
#[derive(Deserialize)]
pub struct ContractInfo {
    /// The contract's code.
    pub code_id: u64,
    /// Its wasm admin.
    pub admin: Option<Addr>,
}

/// What governance reads of the chain's code info.
#[derive(Deserialize)]
pub struct CodeInfo {
    /// The code's sha256 checksum.
    pub checksum: HexBinary,
}

/// The chain's contract info of `contract` (the same query as
/// `QuerierWrapper::query_wasm_contract_info`).
pub fn contract_info(deps: Deps, contract: impl Into<String>) -> StdResult<ContractInfo> {
    deps.querier
        .query(&QueryRequest::Wasm(WasmQuery::ContractInfo {
            contract_addr: contract.into(),
        }))
}

/// The chain's checksum of `code_id` (the same query as
/// `QuerierWrapper::query_wasm_code_info`).
pub fn code_checksum(deps: Deps, code_id: u64) -> StdResult<HexBinary> {
    deps.querier
        .query::<CodeInfo>(&QueryRequest::Wasm(WasmQuery::CodeInfo { code_id }))
        .map(|c| c.checksum)
}

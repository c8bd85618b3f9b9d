//! The claims vault's messages.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Coin, HexBinary};
use rewind_types::successor::ClaimRecord;

pub use rewind_types::successor::ClaimsPage;

/// Instantiation: the source targets whose users may move their claims here.
#[cw_serde]
pub struct InstantiateMsg {
    /// Source target contracts (1 to [`crate::instantiate::MAX_SOURCES`]).
    pub sources: Vec<String>,
}

/// Execute messages. `ReceiveClaim` is the JSON of
/// `rewind_types::successor::SuccessorExecuteMsg::ReceiveClaim`.
#[cw_serde]
pub enum ExecuteMsg {
    /// A migrated claim, from a registered source only, with exactly its funds.
    ReceiveClaim {
        /// The claim.
        record: ClaimRecord,
        /// `record.digest()`.
        digest: HexBinary,
    },
    /// The sender withdraws its credited claim in `denom`, or in every denom.
    Withdraw {
        /// One denom; `None`: all.
        denom: Option<String>,
    },
}

/// Queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The registered sources.
    #[returns(ConfigResponse)]
    Config {},
    /// One account's credited claims.
    #[returns(Vec<Coin>)]
    Claim {
        /// The account.
        account: String,
    },
    /// Every credited claim, by (account, denom), after `start_after`.
    #[returns(ClaimsPage)]
    Claims {
        /// The last (account, denom) of the previous page.
        start_after: Option<(String, String)>,
        /// At most this many (default 30, at most 100).
        limit: Option<u32>,
    },
}

/// The answer to `Config {}`.
#[cw_serde]
pub struct ConfigResponse {
    /// The registered sources.
    pub sources: Vec<Addr>,
    /// Claim records received so far.
    pub received: u64,
}

/// Migration: nothing to convert yet.
#[cw_serde]
pub struct MigrateMsg {}

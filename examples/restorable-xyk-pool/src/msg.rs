//! The pool's messages and query responses.
//!
//! cw-schema (the `Schemaifier` half of `#[cw_serde]`) has no fixed-size arrays, so the four
//! types holding a `[T; 2]` ([`InstantiateMsg`], [`ExecuteMsg`], [`PoolResponse`],
//! [`ConfigResponse`]) derive the rest of `#[cw_serde]` by hand and take their cw-schema from
//! a private mirror with a 2-tuple instead: the same JSON, a two-element array.

use cosmwasm_schema::schemars::JsonSchema;
use cosmwasm_schema::serde::{Deserialize, Serialize};
use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Coin, Uint128};

/// Implements `Schemaifier` for a type holding a `[T; 2]` by its mirror in [`mirror`].
macro_rules! schema_from_mirror {
    ($ty:ident) => {
        impl cosmwasm_schema::cw_schema::Schemaifier for $ty {
            fn visit_schema(
                visitor: &mut cosmwasm_schema::cw_schema::SchemaVisitor,
            ) -> cosmwasm_schema::cw_schema::DefinitionReference {
                <mirror::$ty as cosmwasm_schema::cw_schema::Schemaifier>::visit_schema(visitor)
            }
        }
    };
}

/// Creates the pool.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(crate = "cosmwasm_schema::serde")]
#[schemars(crate = "cosmwasm_schema::schemars")]
pub struct InstantiateMsg {
    /// The two native denoms the pool trades: different, each valid denom text.
    pub denoms: [String; 2],
    /// The swap fee in basis points of the return: at most [`crate::state::MAX_FEE_BPS`].
    pub fee_bps: u16,
}

/// The pool's execute messages.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(crate = "cosmwasm_schema::serde")]
#[schemars(crate = "cosmwasm_schema::schemars")]
#[serde(rename_all = "snake_case")]
pub enum ExecuteMsg {
    /// Deposits both denoms (attached as funds, both non-zero) for LP shares. Any excess of
    /// one side over the pool's ratio is refunded.
    ProvideLiquidity {
        /// Refuse if fewer shares would be minted.
        min_share: Option<Uint128>,
    },
    /// Burns `share` of the sender's LP shares for both denoms, pro rata.
    WithdrawLiquidity {
        /// How many shares to burn.
        share: Uint128,
        /// Refuse if either denom's amount (in the pool's denom order) would be smaller.
        min_assets: Option<[Uint128; 2]>,
    },
    /// Swaps the one attached coin (of either pool denom) for the other denom.
    Swap {
        /// Refuse if the return, after the fee, would be smaller.
        min_return: Option<Uint128>,
        /// Who receives the return; the sender by default.
        to: Option<String>,
    },
}

/// The pool's queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The reserves and the total LP share.
    #[returns(PoolResponse)]
    Pool {},
    /// The LP shares `address` holds.
    #[returns(Uint128)]
    Share {
        /// The provider.
        address: String,
    },
    /// What a swap of `offer` would return now, and its fee.
    #[returns(SimulationResponse)]
    Simulation {
        /// The coin offered.
        offer: Coin,
    },
    /// The denoms and the fee.
    #[returns(ConfigResponse)]
    Config {},
    /// Every LP share holder, paginated.
    #[returns(AllSharesResponse)]
    AllShares {
        /// Start after this address.
        start_after: Option<String>,
        /// At most this many (default 10, max 30).
        limit: Option<u32>,
    },
}

/// The `pool` query's answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(crate = "cosmwasm_schema::serde")]
#[schemars(crate = "cosmwasm_schema::schemars")]
pub struct PoolResponse {
    /// The reserves, in the pool's denom order.
    pub assets: [Coin; 2],
    /// Every LP share, the locked minimum included.
    pub total_share: Uint128,
}

/// The `simulation` query's answer.
#[cw_serde]
pub struct SimulationResponse {
    /// What the trader would receive, after the fee.
    pub return_amount: Uint128,
    /// The fee kept by the pool, in the asked denom.
    pub fee_amount: Uint128,
}

/// The `config` query's answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(crate = "cosmwasm_schema::serde")]
#[schemars(crate = "cosmwasm_schema::schemars")]
pub struct ConfigResponse {
    /// The two denoms, in the pool's order.
    pub denoms: [String; 2],
    /// The swap fee in basis points.
    pub fee_bps: u16,
}

/// One LP share holder, in [`AllSharesResponse`].
#[cw_serde]
pub struct ShareInfo {
    /// The holder (the pool itself holds the locked minimum).
    pub address: String,
    /// Its shares.
    pub share: Uint128,
}

/// The `all_shares` query's answer.
#[cw_serde]
pub struct AllSharesResponse {
    /// Holders by address, ascending.
    pub shares: Vec<ShareInfo>,
}

schema_from_mirror!(InstantiateMsg);
schema_from_mirror!(ExecuteMsg);
schema_from_mirror!(PoolResponse);
schema_from_mirror!(ConfigResponse);

/// The cw-schema mirrors: each public type above with `(T, T)` for `[T; 2]`.
mod mirror {
    #![allow(missing_docs, dead_code)]

    use cosmwasm_schema::cw_serde;
    use cosmwasm_std::{Coin, Uint128};

    /// Creates the pool.
    #[cw_serde]
    pub struct InstantiateMsg {
        pub denoms: (String, String),
        pub fee_bps: u16,
    }

    /// The pool's execute messages.
    #[cw_serde]
    pub enum ExecuteMsg {
        ProvideLiquidity {
            min_share: Option<Uint128>,
        },
        WithdrawLiquidity {
            share: Uint128,
            min_assets: Option<(Uint128, Uint128)>,
        },
        Swap {
            min_return: Option<Uint128>,
            to: Option<String>,
        },
    }

    /// The `pool` query's answer.
    #[cw_serde]
    pub struct PoolResponse {
        pub assets: (Coin, Coin),
        pub total_share: Uint128,
    }

    /// The `config` query's answer.
    #[cw_serde]
    pub struct ConfigResponse {
        pub denoms: (String, String),
        pub fee_bps: u16,
    }
}

//! Storage: the configuration, the reserves, and the LP share ledger.

use cosmwasm_schema::serde::{Deserialize, Serialize};
use cosmwasm_std::{Addr, Uint128};
use cw_storage_plus::{Item, Map};

/// Shares minted by the first deposit and kept by the pool forever (as Astroport), so the
/// total share never returns to zero and the first provider cannot inflate the share price.
pub const MINIMUM_LIQUIDITY: Uint128 = Uint128::new(1_000);

/// The largest fee: 10%.
pub const MAX_FEE_BPS: u16 = 1_000;

/// Basis points in one.
pub const BPS_DENOMINATOR: u16 = 10_000;

/// The pool's configuration, fixed at instantiation. (Plain serde: storage needs no schema,
/// and cw-schema has no arrays.)
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(crate = "cosmwasm_schema::serde")]
pub struct Config {
    /// The two native denoms, in the pool's order (the order of every `[_; 2]` here).
    pub denoms: [String; 2],
    /// The swap fee in basis points of the return.
    pub fee_bps: u16,
}

impl Config {
    /// The index of `denom` in [`Config::denoms`], if it is one of them.
    pub fn index_of(&self, denom: &str) -> Option<usize> {
        self.denoms.iter().position(|d| d == denom)
    }
}

/// The configuration.
pub const CONFIG: Item<Config> = Item::new("config");

/// What the pool holds of each denom, as the pool counts it: deposits and swaps in, payouts
/// out. The bank balance may be larger (donations), never smaller.
pub const RESERVES: Item<[Uint128; 2]> = Item::new("reserves");

/// Every LP share: always the sum of [`SHARES`].
pub const TOTAL_SHARE: Item<Uint128> = Item::new("total_share");

/// Each holder's LP shares; the pool's own address holds [`MINIMUM_LIQUIDITY`].
pub const SHARES: Map<&Addr, Uint128> = Map::new("shares");

//! Storage: the token's metadata and supply, the balances, and every allowance indexed both
//! by (owner, spender) and by (spender, owner).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Uint128};
use cw_storage_plus::{Item, Map};

use crate::msg::AllowanceResponse;

/// The minter and its cap, with a validated address.
#[cw_serde]
pub struct MinterData {
    /// The only account allowed to mint.
    pub minter: Addr,
    /// The greatest total supply minting may reach; `None` for no limit.
    pub cap: Option<Uint128>,
}

/// The token's metadata and supply.
#[cw_serde]
pub struct TokenInfo {
    /// The token's name.
    pub name: String,
    /// The ticker.
    pub symbol: String,
    /// The number of decimals.
    pub decimals: u8,
    /// Every token in existence: always the sum of [`BALANCES`].
    pub total_supply: Uint128,
    /// Who may mint; `None` once minting is disabled (or if it never was enabled).
    pub mint: Option<MinterData>,
}

impl TokenInfo {
    /// The minting cap, if there is a minter with one.
    pub fn cap(&self) -> Option<Uint128> {
        self.mint.as_ref().and_then(|m| m.cap)
    }
}

/// The token's metadata and supply.
pub const TOKEN_INFO: Item<TokenInfo> = Item::new("token_info");

/// Every account's balance. An account stays listed (possibly at zero) once credited.
pub const BALANCES: Map<&Addr, Uint128> = Map::new("balance");

/// Allowances by (owner, spender).
pub const ALLOWANCES: Map<(&Addr, &Addr), AllowanceResponse> = Map::new("allowance");

/// The same allowances by (spender, owner), for `all_spender_allowances`.
pub const ALLOWANCES_SPENDER: Map<(&Addr, &Addr), AllowanceResponse> =
    Map::new("allowance_spender");

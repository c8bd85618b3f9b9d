//! Storage: plain cw-storage-plus `Item`s and `Map`s, all of them. The ledger's are journaled
//! because the entry points hand every handler a `rewind_journal::JournaledStorage` (rolled
//! back by a restoration; a ledger key lands at exactly the raw key a `JournaledMap` of the
//! same namespace would use, so the layout and the digest are those of the journaled maps
//! the vault had before); the namespaces in [`PLAIN`] (configuration and restoration
//! bookkeeping) pass through unjournaled (never rolled back: a rollback must not rewind its
//! own cursor or the reports of earlier restorations).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Coin, Decimal, Int128, Uint128};
use cw_storage_plus::{Item, Map};
use rewind_journal::PlainNamespaces;
use rewind_types::vault::{
    DenomSettlement, MarketParams, PriceRecord, RestorationReport, RestorationStep,
};
use rewind_types::ShortfallPolicy;

use crate::error::ContractError;

/// The vault's configuration (plain: a voted `Configure` changes it, a rollback does not). Stored in
/// exactly the shape the `Config {}` query answers.
pub use rewind_types::vault::ConfigResponse as Config;

/// An open position (the key holds the account and the market id).
#[cw_serde]
pub struct Position {
    /// Signed size: positive long, negative short.
    pub size: Int128,
    /// The price it was opened at.
    pub entry_price: Decimal,
    /// Its margin, in the market's denom.
    pub margin: Uint128,
    /// The block it was opened in.
    pub opened_at_height: u64,
}

/// A restoration as the vault sees it (plain storage): created by the first hook of a
/// restoration the library runs (the freeze hook of its first exclusion, or the settle hook),
/// completed by the settle hook, which works through the ledger in bounded batches.
#[cw_serde]
pub struct Restoration {
    /// 1, 2, ...
    pub id: u64,
    /// The height restored to.
    pub height: u64,
    /// The block the restore migration ran in (the journal's rollback record: it tells one
    /// restoration from the next).
    pub started_at_height: u64,
    /// This restoration's excluded accounts (handed to the freeze hook), sorted, distinct.
    pub exclusions: Vec<Addr>,
    /// How the shortfall is settled (known once the settle hook runs).
    pub policy: Option<ShortfallPolicy>,
    /// `Replaying` until the settle hook starts; `Reconciling` while it sums the ledger,
    /// `Settling` while it applies the settlement, then `Complete`.
    pub step: RestorationStep,
    /// Where the settlement is in the ledger: the last (account, denom) balance, or
    /// (account, market) position, it handled.
    pub cursor: Option<(Addr, String)>,
    /// In the `Reconciling` step: whether the balances are summed and the positions are next.
    pub positions_next: bool,
    /// Positions unwound at their entry price (honest ones, only when a haircut needs it).
    pub unwound_positions: u64,
    /// Account balances settled.
    pub settled_balances: u64,
    /// Per-denom work, in config order.
    pub denoms: Vec<DenomWork>,
    /// The block it completed in.
    pub completed_at_height: Option<u64>,
}

impl Restoration {
    /// The per-denom work record of `denom`.
    pub fn denom_mut(&mut self, denom: &str) -> Result<&mut DenomWork, ContractError> {
        self.denoms
            .iter_mut()
            .find(|d| d.denom == denom)
            .ok_or_else(|| ContractError::UnknownDenom {
                denom: denom.to_string(),
            })
    }
}

/// Per-denom settlement accumulators and, once reconciled, the settlement.
#[cw_serde]
#[derive(Default)]
pub struct DenomWork {
    /// The denom.
    pub denom: String,
    /// Sum of every claim as the ledger holds it (free collateral plus margins).
    pub claims: Uint128,
    /// Sum of the frozen (excluded) accounts' claims.
    pub frozen_before: Uint128,
    /// Running sum of settled claims (all accounts).
    pub claims_after: Uint128,
    /// Running sum of settled frozen claims.
    pub frozen_after: Uint128,
    /// Running sum of what honest cuts took out of the ledger.
    pub cut: Uint128,
    /// Frozen claims keep `frozen_keep.0 / frozen_keep.1` of their value.
    pub frozen_keep: (Uint128, Uint128),
    /// Honest claims keep `honest_keep.0 / honest_keep.1` of their value.
    pub honest_keep: (Uint128, Uint128),
    /// Under `InsuranceFirst`: the insurance claim after settlement.
    pub insurance_after: Option<Uint128>,
    /// The settlement figures, once reconciled.
    pub settlement: Option<DenomSettlement>,
}

/// An account's claim snapshot fixed by a restoration (plain storage).
#[cw_serde]
#[derive(Default)]
pub struct ClaimEntry {
    /// Excluded, frozen, subordinated.
    pub frozen: bool,
    /// Claims after replay, before settlement.
    pub before: Vec<Coin>,
    /// Claims after settlement.
    pub after: Vec<Coin>,
}

/// Configuration (plain).
pub const CONFIG: Item<Config> = Item::new("vault_config");
/// Market parameters by id (plain: configuration).
pub const MARKETS: Map<&str, MarketParams> = Map::new("vault_markets");

/// Free collateral by (account, denom). Journaled.
pub const COLLATERAL: Map<(Addr, String), Uint128> = Map::new("vault_collateral");
/// Open positions by (account, market id). Journaled.
pub const POSITIONS: Map<(Addr, String), Position> = Map::new("vault_positions");
/// Last price by market id. Journaled.
pub const PRICES: Map<String, PriceRecord> = Map::new("vault_prices");
/// The fallback price by market id (issue 15): the last price pushed while the vault was
/// neither stopped (no pause, lock or restoration in force) nor exit-only, and did not trip
/// the breaker. Exit-only closes and moves use it. Journaled.
pub const FALLBACK_PRICES: Map<String, Decimal> = Map::new("vault_fallback");
/// Liabilities (free collateral + margin of open positions) by denom. Journaled.
pub const TOTALS: Map<String, Uint128> = Map::new("vault_totals");

/// The current or last restoration (plain).
pub const RESTORATION: Item<Restoration> = Item::new("vault_restoration");
/// Reports of completed restorations by id (plain).
pub const REPORTS: Map<u64, RestorationReport> = Map::new("vault_reports");
/// Claims fixed by each restoration, by (restoration id, account) (plain).
pub const CLAIMS: Map<(u64, &Addr), ClaimEntry> = Map::new("vault_claims");

/// The circuit breaker's own record (plain: a rollback must not reset its budget).
pub const BREAKER: Item<BreakerState> = Item::new("vault_breaker");

/// The circuit breaker's state (row P7).
#[cw_serde]
#[derive(Default)]
pub struct BreakerState {
    /// When the current (or last) continuous breaker pause started.
    pub trip_started: Option<cosmwasm_std::Timestamp>,
    /// When the current (or last) breaker pause ends.
    pub paused_until: Option<cosmwasm_std::Timestamp>,
    /// The start of every trip inside the rolling window (at most
    /// `MAX_BREAKER_BUDGET_TRIPS`).
    pub trips: Vec<cosmwasm_std::Timestamp>,
    /// The block of the last trip or renewal. A push from an earlier block can only be a
    /// restoration's replay: it neither trips nor is refused (see `push_price::trip`).
    #[serde(default)]
    pub decided_at_height: Option<u64>,
}

/// Every storage namespace the vault uses (row B5: a test asserts they are distinct).
pub const NAMESPACES: [&str; 13] = [
    "vault_config",
    "vault_markets",
    "vault_collateral",
    "vault_positions",
    "vault_prices",
    "vault_totals",
    "vault_restoration",
    "vault_reports",
    "vault_claims",
    "vault_breaker",
    "vault_fallback",
    "vault_guard",
    "vault_book",
];

/// Free collateral of `account` in `denom` (zero when absent).
pub fn collateral(
    store: &dyn cosmwasm_std::Storage,
    account: &Addr,
    denom: &str,
) -> Result<Uint128, ContractError> {
    Ok(COLLATERAL
        .may_load(store, (account.clone(), denom.to_string()))?
        .unwrap_or_default())
}

/// Adds `amount` to `account`'s free collateral in `denom`.
pub fn credit(
    store: &mut dyn cosmwasm_std::Storage,
    account: &Addr,
    denom: &str,
    amount: Uint128,
) -> Result<Uint128, ContractError> {
    let next = collateral(store, account, denom)?.checked_add(amount)?;
    COLLATERAL.save(store, (account.clone(), denom.to_string()), &next)?;
    Ok(next)
}

/// Takes `amount` from `account`'s free collateral in `denom`, refusing an overdraft.
pub fn debit(
    store: &mut dyn cosmwasm_std::Storage,
    account: &Addr,
    denom: &str,
    amount: Uint128,
) -> Result<Uint128, ContractError> {
    let available = collateral(store, account, denom)?;
    let next =
        available
            .checked_sub(amount)
            .map_err(|_| ContractError::InsufficientCollateral {
                account: account.clone(),
                denom: denom.to_string(),
                available,
                needed: amount,
            })?;
    COLLATERAL.save(store, (account.clone(), denom.to_string()), &next)?;
    Ok(next)
}

/// Liabilities in `denom` (zero when absent).
pub fn total(store: &dyn cosmwasm_std::Storage, denom: &str) -> Result<Uint128, ContractError> {
    Ok(TOTALS
        .may_load(store, denom.to_string())?
        .unwrap_or_default())
}

/// Moves liabilities in `denom` by `delta` (checked both ways).
pub fn adjust_total(
    store: &mut dyn cosmwasm_std::Storage,
    denom: &str,
    increase: Uint128,
    decrease: Uint128,
) -> Result<Uint128, ContractError> {
    let next = total(store, denom)?
        .checked_add(increase)?
        .checked_sub(decrease)?;
    TOTALS.save(store, denom.to_string(), &next)?;
    Ok(next)
}

/// Whether `account` is frozen by a restoration (the library's list of every account a
/// restoration excluded; read through the plain `rj/z`).
pub fn is_frozen(store: &dyn cosmwasm_std::Storage, account: &Addr) -> Result<bool, ContractError> {
    Ok(rewind_target::state::frozen(store)?.contains(account))
}

/// The market's parameters.
pub fn market(store: &dyn cosmwasm_std::Storage, id: &str) -> Result<MarketParams, ContractError> {
    MARKETS
        .may_load(store, id)?
        .ok_or_else(|| ContractError::UnknownMarket {
            market: id.to_string(),
        })
}

/// The market's last price.
pub fn price(store: &dyn cosmwasm_std::Storage, id: &str) -> Result<Decimal, ContractError> {
    PRICES
        .may_load(store, id.to_string())?
        .map(|r| r.price)
        .ok_or_else(|| ContractError::NoPrice {
            market: id.to_string(),
        })
}

/// The price a position closes at: the last pushed price, or in exit-only mode by the offline
/// clock the fallback price (the position's entry price for a market that never had one: no
/// PnL either way).
pub fn exit_price(
    store: &dyn cosmwasm_std::Storage,
    env: &cosmwasm_std::Env,
    id: &str,
    position: &Position,
) -> Result<Decimal, ContractError> {
    if rewind_target::offline::exit_only_by_clock(store, env)? {
        return Ok(FALLBACK_PRICES
            .may_load(store, id.to_string())?
            .unwrap_or(position.entry_price));
    }
    price(store, id)
}

/// The namespaces kept out of the journal (the `plain:` list of `restorable!` in
/// `contract.rs`; a test checks they are the same): configuration, the breaker and the
/// restoration bookkeeping (never rolled back). Every other vault namespace is journaled.
///
/// Also records of the journal and of rewind-target that the vault's hooks read or write
/// through the storage the library hands them (raw, as the library keeps them): the pause
/// gate (`rj/g`: the breaker sets its pause from inside `PushPrice`), the journal's meta
/// (`rj/m`: a voted retention change), the offline clock (`rj/w`: the breaker's pause and the
/// fallback price read it), the library's settings (`rj/t`: a voted guardian
/// change), its restoration status (`rj/q`) and frozen accounts (`rj/z`), and the journal's
/// rollback record (`rj/r`: which restoration a hook belongs to); the reporters' bounty
/// budget (`rj/nb`, issue 16: in the bank balance but no user's claim).
pub const PLAIN: PlainNamespaces = PlainNamespaces(&[
    "vault_config",
    "vault_markets",
    "vault_restoration",
    "vault_reports",
    "vault_claims",
    "vault_breaker",
    "vault_guard",
    "rj/g",
    "rj/m",
    "rj/t",
    "rj/q",
    "rj/z",
    "rj/r",
    "rj/w",
    "rj/nb",
]);

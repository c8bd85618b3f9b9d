//! rewind-vault: the reference protected protocol, a small margin and perpetuals ledger.
//!
//! The vault is made restorable by rewind-target: its entry points take its own messages
//! ([`ExecuteMsg`], [`QueryMsg`]) and Rewind's ([`RestorableExecuteMsg`]: `gate`, `crank`,
//! `prune`; [`crate::restorable::RestorableQueryMsg`]: `journal_info`, `digest_at`,
//! `restoration_status`, `restoration_check`, `scopes`, `check_config`, `replay_report`,
//! `replay_preview`; [`MigrateMsg`]), told apart by the top-level key. The JSON is the one
//! the vault always took.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Coin, Decimal, Decimal256, Int128, Int256, Timestamp, Uint128, Uint256};

use crate::restoration::ShortfallPolicy;
use crate::scope::{PauseScope, ScopeInfo};

pub use crate::restorable::{RestorableExecuteMsg, RestorableMigrateMsg};

/// Adding collateral.
pub const DEPOSIT: PauseScope = PauseScope::named("deposit");
/// Exits: taking collateral out. Pausable only where governance allowed it.
pub const WITHDRAW: PauseScope = PauseScope::named("withdraw");
/// Opening, changing and closing positions.
pub const TRADE: PauseScope = PauseScope::named("trade");
/// Liquidating under-collateralised positions.
pub const LIQUIDATE: PauseScope = PauseScope::named("liquidate");
/// The feeder's price pushes: open while the other scopes are paused (prices stay fresh),
/// stopped by a pause of `all` or of `feed` itself (a feeder that cannot be trusted any
/// more is stopped alone, exits stay open), by the restoration lock and while restoring.
pub const FEED: PauseScope = PauseScope::named("feed");

/// The scopes the vault declares (its `Scopes {}` answer), in this order: the names of the
/// first, closed scope list, then `feed`.
pub const SCOPES: [ScopeInfo; 5] = [
    ScopeInfo::action(DEPOSIT),
    ScopeInfo::exit(WITHDRAW),
    ScopeInfo::action(TRADE),
    ScopeInfo::action(LIQUIDATE),
    ScopeInfo::action(FEED),
];

/// The vault's migrate message: a normal `Upgrade {}` or a `Restore { .. }`.
pub type MigrateMsg = RestorableMigrateMsg;

/// The parameters of one perpetual market.
#[cw_serde]
pub struct MarketParams {
    /// The market id, e.g. `"BTC-PERP"` (1 to 32 characters of `A-Z a-z 0-9 - _ /`).
    pub id: String,
    /// The collateral denom its margin and PnL are settled in (one of the vault's denoms).
    pub denom: String,
    /// The margin an opening needs, as a share of the notional (0 < ratio <= 1).
    pub initial_margin_ratio: Decimal,
    /// Below this share of the notional a position may be liquidated
    /// (0 < ratio <= `initial_margin_ratio`).
    pub maintenance_margin_ratio: Decimal,
    /// The share of the remaining margin a liquidator earns.
    pub liquidation_reward_ratio: Decimal,
    /// The share of the remaining margin the insurance account receives on a liquidation
    /// (`liquidation_reward_ratio + liquidation_fee_ratio <= 1`).
    pub liquidation_fee_ratio: Decimal,
}

/// Instantiates rewind-vault.
#[cw_serde]
pub struct InstantiateMsg {
    /// Governance, recorded and reported. It is not an authority of the vault: the vault's
    /// configuration changes only through its wasm admin's `Configure` migration (sent by
    /// the executor after a vote).
    pub governance: String,
    /// The guardian contract: the only sender of `Gate(..)`.
    pub guardian: String,
    /// The price feeder: the only sender of `PushPrice`.
    pub feeder: String,
    /// The insurance account: receives liquidation fees; under `InsuranceFirst` its claim
    /// covers a restoration shortfall first.
    pub insurance: String,
    /// The native collateral denoms (1 to 5, distinct).
    pub denoms: Vec<String>,
    /// The markets (1 to 20, distinct ids).
    pub markets: Vec<MarketParams>,
    /// The circuit breaker bound: a push moving a price more than this many basis points
    /// away from the price at the start of the block trips a `trade` pause (> 0).
    pub breaker_bound_bps: u32,
    /// How long a tripped breaker pauses `trade` and `liquidate`, in seconds
    /// (0 < x <= `breaker_max_trip_seconds`).
    pub breaker_pause_seconds: u64,
    /// The cap on any pause the vault sets by itself (the guardian's `max_pause`), seconds.
    pub max_pause_seconds: u64,
    /// The journal's retention window, in blocks (> 0).
    pub retention_blocks: u64,
    /// The journal's retention window, in seconds (0 < x <= one year): a height is pruned
    /// only once it is older than both windows.
    pub retention_seconds: u64,
    /// The longest one breaker pause may last, renewals included, in seconds
    /// (`breaker_pause_seconds` <= x <= `max_pause_seconds`).
    pub breaker_max_trip_seconds: u64,
    /// After a breaker pause ends, no new trip for this many seconds (0 < x <= 7 days): a
    /// price move beyond the bound is refused instead.
    pub breaker_cooldown_seconds: u64,
    /// The most breaker trips in any rolling `breaker_window_seconds` (1 to 10); beyond it a
    /// price move beyond the bound is refused.
    pub breaker_budget_trips: u32,
    /// The rolling window of the trip budget, in seconds (0 < x <= 30 days).
    pub breaker_window_seconds: u64,
    /// The in-line invariants (issue 16): off when absent.
    #[serde(default)]
    pub invariants: Option<InvariantSettings>,
}

/// The vault's in-line invariants, checked after each execution (issue 16). A refusal
/// drops the execution's effects and pauses `trade` and `withdraw` with the price
/// breaker's cap, cooldown and trip budget.
#[cw_serde]
pub struct InvariantSettings {
    /// Solvency: every claim (free collateral and margins) plus the unrealised PnL of the
    /// open positions at the last prices must stay within the bank balance plus the
    /// insurance account's claim, per denom.
    pub solvency: bool,
    /// Oracle agreement: the independent reference feeder (the only sender of
    /// `PushReferencePrice`); `None` turns the oracle invariant off.
    pub reference_feeder: Option<String>,
    /// Oracle agreement: the most a market's price may differ from its reference price, in
    /// basis points (1 to 10,000).
    pub oracle_bound_bps: u32,
    /// `true` (the default): a breaking execution is refused in-line. `false`: detect-only,
    /// every execution is taken and only a `Report` (the full evaluation, anyone's) proves a
    /// violation, records the incident and trips the pause.
    #[serde(default = "yes")]
    pub in_line: bool,
}

/// `true` (a serde default).
#[doc(hidden)]
pub fn yes() -> bool {
    true
}

/// One market's running totals, as the invariants read them (`Invariants {}`). Short JSON
/// names: the vault writes (and journals) the record on every trade and price push.
#[cw_serde]
pub struct MarketBook {
    /// The market id.
    #[serde(rename = "id")]
    pub market: String,
    /// Its denom.
    #[serde(rename = "d")]
    pub denom: String,
    /// The sum of the long positions' sizes.
    #[serde(rename = "l")]
    pub long: Uint128,
    /// The sum of the short positions' sizes (absolute).
    #[serde(rename = "s")]
    pub short: Uint128,
    /// The sum of `size * entry price` of the longs.
    #[serde(rename = "lc")]
    pub long_cost: Decimal256,
    /// The sum of `|size| * entry price` of the shorts.
    #[serde(rename = "sc")]
    pub short_cost: Decimal256,
    /// The feeder's last price.
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    /// The reference feeder's last price.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Decimal>,
}

/// What solvency compares in one denom.
#[cw_serde]
pub struct DenomBacking {
    /// The denom.
    pub denom: String,
    /// Every claim: free collateral plus margins.
    pub liabilities: Uint128,
    /// The bank balance, less the bounty budget.
    pub bank: Uint256,
    /// The insurance account's claim (counted as assets: subordinated).
    pub insurance: Uint128,
}

/// The in-line invariants' settings and every input they read, at one height: what a
/// watcher evaluates off-chain (`rewind watch`).
#[cw_serde]
pub struct InvariantsResponse {
    /// Solvency is declared.
    pub solvency: bool,
    /// The reference feeder; `None`: the oracle agreement is not declared.
    pub reference_feeder: Option<Addr>,
    /// The oracle bound in basis points.
    pub oracle_bound_bps: u32,
    /// Whether the checks refuse in-line (`false`: detect-only).
    pub in_line: bool,
    /// The running totals of every market with a price or a position.
    pub markets: Vec<MarketBook>,
    /// Per configured denom (empty without solvency).
    pub denoms: Vec<DenomBacking>,
}

/// rewind-vault's execute messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Add the attached native funds (configured denoms only) to the sender's collateral.
    Deposit {},
    /// Take free collateral out to the sender.
    Withdraw {
        /// The denom.
        denom: String,
        /// The amount (> 0).
        amount: Uint128,
    },
    /// Open a position in `market` at the last pushed price, moving `margin` from free
    /// collateral into it.
    OpenPosition {
        /// The market id.
        market: String,
        /// Signed size in base units: positive is long, negative is short (non-zero).
        size: Int128,
        /// The margin, in the market's denom.
        margin: Uint128,
    },
    /// Close the sender's position in `market` at the last pushed price and settle its PnL
    /// into free collateral.
    ClosePosition {
        /// The market id.
        market: String,
    },
    /// Liquidate `account`'s position in `market` if its equity is below the maintenance
    /// margin. Anyone may call it and earns the liquidation reward.
    Liquidate {
        /// The account whose position is liquidated.
        account: String,
        /// The market id.
        market: String,
    },
    /// The feeder pushes the price of `market`. May trip the circuit breaker.
    PushPrice {
        /// The market id.
        market: String,
        /// The price of one base unit in units of the market's denom (> 0).
        price: Decimal,
    },
    /// The reference feeder pushes the independent reference price of `market` (the oracle
    /// agreement invariant compares the feeder's price with it).
    PushReferencePrice {
        /// The market id.
        market: String,
        /// The reference price of one base unit (> 0).
        price: Decimal,
    },
}

/// The vault's mutable configuration update: the JSON a voted `ConfigureTarget` (or a
/// restoration's `post_restore_config`) carries for a vault, which the vault parses in
/// `RestorableMigrateMsg::Configure`, `Release { config }` and
/// `RestorableQueryMsg::CheckConfig`. `None` keeps a field. Unknown fields are refused: a
/// misspelt field in a voted change must not be a silent no-op.
#[cw_serde]
#[derive(Default)]
#[serde(deny_unknown_fields)]
#[schemaifier(mute_warnings)]
pub struct VaultConfigUpdate {
    /// A new price feeder.
    pub feeder: Option<String>,
    /// A new guardian contract.
    pub guardian: Option<String>,
    /// A new recorded governance address.
    pub governance: Option<String>,
    /// A new breaker bound, in basis points.
    pub breaker_bound_bps: Option<u32>,
    /// A new breaker pause, in seconds.
    pub breaker_pause_seconds: Option<u64>,
    /// A new journal retention window, in blocks.
    pub retention_blocks: Option<u64>,
    /// A new journal retention window, in seconds.
    #[serde(default)]
    pub retention_seconds: Option<u64>,
    /// A new cap on one breaker pause, renewals included, in seconds.
    #[serde(default)]
    pub breaker_max_trip_seconds: Option<u64>,
    /// A new breaker cooldown, in seconds.
    #[serde(default)]
    pub breaker_cooldown_seconds: Option<u64>,
    /// A new breaker trip budget per rolling window.
    #[serde(default)]
    pub breaker_budget_trips: Option<u32>,
    /// A new rolling window of the trip budget, in seconds.
    #[serde(default)]
    pub breaker_window_seconds: Option<u64>,
}

/// rewind-vault's queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The configuration.
    #[returns(ConfigResponse)]
    Config {},
    /// One account: collateral, positions, equity at the last prices, frozen flag and its
    /// claim after the last restoration.
    #[returns(AccountResponse)]
    Account {
        /// The account address.
        address: String,
    },
    /// One market with its last price.
    #[returns(MarketResponse)]
    Market {
        /// The market id.
        market: String,
    },
    /// Markets with their last prices, paginated by id.
    #[returns(MarketsResponse)]
    Markets {
        /// Start after this market id (exclusive).
        start_after: Option<String>,
        /// At most this many; capped.
        limit: Option<u32>,
    },
    /// The last price of a market.
    #[returns(PriceResponse)]
    Price {
        /// The market id.
        market: String,
    },
    /// The total liabilities of the ledger per denom (free collateral plus margin).
    #[returns(TotalsResponse)]
    Totals {},
    /// The in-line invariants' settings and inputs (issue 16), for off-chain watchers.
    #[returns(InvariantsResponse)]
    Invariants {},
    /// The pause state of every scope with time left, and the restoration locks.
    #[returns(PauseStatusResponse)]
    PauseStatus {},
    /// The detailed progress of the current or last restoration.
    #[returns(RestorationProgressResponse)]
    RestorationProgress {},
    /// The report of a completed restoration; `None` means the last one.
    #[returns(Option<RestorationReport>)]
    RestorationReport {
        /// The restoration id; `None` for the last one.
        restoration_id: Option<u64>,
    },
    /// Per-account claims fixed by a completed restoration, paginated by account.
    #[returns(ClaimsResponse)]
    RestorationClaims {
        /// The restoration id; `None` for the last one.
        restoration_id: Option<u64>,
        /// Start after this account (exclusive).
        start_after: Option<String>,
        /// At most this many; capped.
        limit: Option<u32>,
    },
}

/// The vault's configuration.
#[cw_serde]
pub struct ConfigResponse {
    /// Governance.
    pub governance: Addr,
    /// The guardian contract.
    pub guardian: Addr,
    /// The price feeder.
    pub feeder: Addr,
    /// The insurance account.
    pub insurance: Addr,
    /// The collateral denoms.
    pub denoms: Vec<String>,
    /// The breaker bound in basis points.
    pub breaker_bound_bps: u32,
    /// The breaker pause in seconds.
    pub breaker_pause_seconds: u64,
    /// The cap on vault-set pauses in seconds.
    pub max_pause_seconds: u64,
    /// The journal retention window in blocks.
    pub retention_blocks: u64,
    /// The journal retention window in seconds.
    #[serde(default)]
    pub retention_seconds: u64,
    /// The cap on one breaker pause, renewals included, in seconds.
    #[serde(default)]
    pub breaker_max_trip_seconds: u64,
    /// No new breaker trip for this many seconds after a breaker pause ended.
    #[serde(default)]
    pub breaker_cooldown_seconds: u64,
    /// The most breaker trips in any rolling `breaker_window_seconds`.
    #[serde(default)]
    pub breaker_budget_trips: u32,
    /// The rolling window of the trip budget, in seconds.
    #[serde(default)]
    pub breaker_window_seconds: u64,
}

/// One open position, valued at the market's last price.
#[cw_serde]
pub struct PositionResponse {
    /// The market id.
    pub market: String,
    /// The market's denom.
    pub denom: String,
    /// Signed size.
    pub size: Int128,
    /// The price it was opened at.
    pub entry_price: Decimal,
    /// Its margin.
    pub margin: Uint128,
    /// Unrealised PnL at the last price.
    pub pnl: Int128,
    /// Margin plus PnL.
    pub equity: Int128,
    /// Whether it may be liquidated now.
    pub liquidatable: bool,
}

/// Equity of an account in one denom.
#[cw_serde]
pub struct DenomEquity {
    /// The denom.
    pub denom: String,
    /// Free collateral plus the equity of the positions in this denom (256-bit: never
    /// overflows).
    pub equity: Int256,
}

/// An account.
#[cw_serde]
pub struct AccountResponse {
    /// The account.
    pub account: Addr,
    /// Free collateral per denom (zero balances omitted).
    pub collateral: Vec<Coin>,
    /// Open positions.
    pub positions: Vec<PositionResponse>,
    /// Equity per configured denom at the last prices.
    pub equity: Vec<DenomEquity>,
    /// Whether a restoration froze the account (it was excluded).
    pub frozen: bool,
    /// The account's claims as fixed by the last restoration, if it had any.
    pub claim: Option<Vec<Coin>>,
}

/// The last pushed price of a market.
#[cw_serde]
pub struct PriceRecord {
    /// The price.
    pub price: Decimal,
    /// The block it was pushed in.
    pub height: u64,
    /// The block time it was pushed at.
    pub time: Timestamp,
    /// The price standing at the start of that block (the breaker's reference).
    pub block_start_price: Option<Decimal>,
}

/// A market and its last price.
#[cw_serde]
pub struct MarketResponse {
    /// The parameters.
    pub params: MarketParams,
    /// The last price, if any was pushed.
    pub price: Option<PriceRecord>,
}

/// A page of markets.
#[cw_serde]
pub struct MarketsResponse {
    /// The markets, by id.
    pub markets: Vec<MarketResponse>,
}

/// The last price of a market.
#[cw_serde]
pub struct PriceResponse {
    /// The market id.
    pub market: String,
    /// The last price, if any was pushed.
    pub price: Option<PriceRecord>,
}

/// The ledger's liabilities.
#[cw_serde]
pub struct TotalsResponse {
    /// Free collateral plus margin, per configured denom.
    pub totals: Vec<Coin>,
}

/// One scope's pause state.
#[cw_serde]
pub struct ScopePause {
    /// The scope.
    pub scope: PauseScope,
    /// Whether actions of this scope are stopped now (by this scope or by `All`, or by the
    /// restoration lock). Whether exits may be paused at all is the guardian registry's
    /// `exits_pausable`: it refuses such a pause before it reaches the vault.
    pub blocked: bool,
    /// When this scope's own pause ends, if it is paused.
    pub paused_until: Option<Timestamp>,
    /// Seconds left of this scope's own pause.
    pub seconds_left: u64,
}

/// The pause state of the vault.
#[cw_serde]
pub struct PauseStatusResponse {
    /// `all`, then every scope of [`SCOPES`], in that order.
    pub scopes: Vec<ScopePause>,
    /// The guardian's restoration lock, if held and not expired.
    pub restoration_lock_until: Option<Timestamp>,
    /// A restoration is running (or complete and awaiting its release).
    pub restoring: bool,
    /// Only exits may run now (after an abandoned restoration, or a restoration stuck past
    /// its lock).
    #[serde(default)]
    pub exit_only: bool,
}

/// The internal phase of a restoration (finer than `RestorationPhase`).
#[cw_serde]
#[derive(Copy, Eq)]
pub enum RestorationStep {
    /// Undoing journal entries above the height.
    RollingBack,
    /// Unwinding positions open at the height at their entry price (margin to collateral).
    Unwinding,
    /// Replaying the flows of non-excluded accounts.
    Replaying,
    /// Freezing excluded accounts and summing their claims.
    Freezing,
    /// Comparing the ledger with the bank balance.
    Reconciling,
    /// Applying the settlement to every account.
    Settling,
    /// Done and verified; locked until the executor's `Release {}` (row R12).
    Complete,
    /// Stopped by a voted `Abandon { .. }` (row R13): the ledger stays as it stood, exit-only
    /// until the given end.
    Abandoned,
    /// The rollback failed its digest check before it undid anything: the live ledger,
    /// settled by the voted rule with the exclusions frozen; exit-only (issue 15).
    Failed,
}

/// The detailed progress of a restoration.
#[cw_serde]
pub struct RestorationProgressResponse {
    /// The restoration id (1, 2, ...), if one ever started.
    pub restoration_id: Option<u64>,
    /// The restoration height.
    pub height: Option<u64>,
    /// The current step.
    pub step: Option<RestorationStep>,
    /// Undo entries applied.
    pub undone_entries: u64,
    /// Positions unwound.
    pub unwound_positions: u64,
    /// Flows of non-excluded accounts replayed.
    pub replayed_flows: u64,
    /// Flows of excluded accounts skipped.
    pub skipped_flows: u64,
    /// Excluded accounts frozen.
    pub frozen_accounts: u64,
    /// Account balances settled.
    pub settled_balances: u64,
}

/// The settlement of one denom.
#[cw_serde]
pub struct DenomSettlement {
    /// The denom.
    pub denom: String,
    /// The vault's bank balance at reconciliation.
    pub bank_balance: Uint128,
    /// Sum of all claims after the replay, before settlement.
    pub claims_before: Uint128,
    /// Sum of all claims after settlement (never above `bank_balance`).
    pub claims_after: Uint128,
    /// Excluded (frozen) claims before settlement.
    pub frozen_before: Uint128,
    /// Excluded (frozen) claims after settlement.
    pub frozen_after: Uint128,
    /// The insurance account's claim before settlement.
    pub insurance_before: Uint128,
    /// The part of the insurance claim used to cover the shortfall.
    pub insurance_used: Uint128,
    /// `claims_before - bank_balance`, or zero.
    pub shortfall: Uint128,
    /// The part of the shortfall spread pro rata over the honest claims.
    pub haircut_shortfall: Uint128,
    /// The pro-rata cut of honest claims (`haircut_shortfall / honest claims`).
    pub haircut_ratio: Decimal,
    /// `bank_balance - claims_before`, or zero (donations and unowned trading losses).
    pub surplus: Uint128,
    /// Withdrawals replayed beyond the balance they came from (clamped at zero).
    pub overdraft: Uint128,
}

/// The report of a completed restoration.
#[cw_serde]
pub struct RestorationReport {
    /// The restoration id.
    pub restoration_id: u64,
    /// The height restored to.
    pub height: u64,
    /// The block the restoration started in.
    pub started_at_height: u64,
    /// The block it completed in.
    pub completed_at_height: u64,
    /// The shortfall policy applied.
    pub shortfall_policy: ShortfallPolicy,
    /// The excluded accounts.
    pub exclusions: Vec<Addr>,
    /// Undo entries applied.
    pub undone_entries: u64,
    /// Positions unwound at entry price.
    pub unwound_positions: u64,
    /// Flows replayed.
    pub replayed_flows: u64,
    /// Flows of excluded accounts not replayed.
    pub skipped_flows: u64,
    /// The settlement per denom.
    pub denoms: Vec<DenomSettlement>,
}

/// An account's claim fixed by a restoration.
#[cw_serde]
pub struct AccountClaim {
    /// The account.
    pub account: Addr,
    /// Whether it was excluded (frozen, subordinated).
    pub frozen: bool,
    /// Claims after the replay, before settlement.
    pub before: Vec<Coin>,
    /// Claims after settlement: the account's collateral once the vault unlocked.
    pub after: Vec<Coin>,
}

/// A page of claims.
#[cw_serde]
pub struct ClaimsResponse {
    /// The restoration id.
    pub restoration_id: Option<u64>,
    /// The claims, by account.
    pub claims: Vec<AccountClaim>,
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::{from_json, to_json_string};

    use super::VaultConfigUpdate;

    /// The update keeps its field names; a missing field keeps the value; an unknown field
    /// (a typo, or the former `exits_pausable`, whose policy lives in the guardian's
    /// registry only) is refused.
    #[test]
    fn config_update_json_shape_and_unknown_fields() {
        let update = VaultConfigUpdate {
            retention_blocks: Some(42),
            ..VaultConfigUpdate::default()
        };
        assert_eq!(
            to_json_string(&update).unwrap(),
            r#"{"feeder":null,"guardian":null,"governance":null,"breaker_bound_bps":null,"breaker_pause_seconds":null,"retention_blocks":42,"retention_seconds":null,"breaker_max_trip_seconds":null,"breaker_cooldown_seconds":null,"breaker_budget_trips":null,"breaker_window_seconds":null}"#
        );
        let parsed: VaultConfigUpdate = from_json(r#"{"breaker_budget_trips":3}"#).unwrap();
        assert_eq!(
            parsed,
            VaultConfigUpdate {
                breaker_budget_trips: Some(3),
                ..VaultConfigUpdate::default()
            }
        );
        for unknown in [r#"{"exits_pausable":true}"#, r#"{"feeedr":"x"}"#] {
            let err = from_json::<VaultConfigUpdate>(unknown).unwrap_err();
            assert!(err.to_string().contains("unknown field"), "{err}");
        }
    }
}

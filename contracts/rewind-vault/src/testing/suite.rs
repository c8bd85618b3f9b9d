//! A multi-test suite around one vault, with the test playing guardian, feeder and executor
//! (the vault's wasm admin, the only sender of its voted `Configure`).

use cosmwasm_std::{
    coin, coins, to_json_binary, Addr, Coin, CosmosMsg, Decimal, Empty, HexBinary, Int128,
    StdResult, Uint128, WasmMsg,
};
use cw_multi_test::{App, AppResponse, BankSudo, Contract, ContractWrapper, Executor, SudoMsg};
use rewind_testing::SuiteBase;
use rewind_types::restorable::{DigestAtResponse, RestorationStatusResponse};
use rewind_types::vault::{
    AccountResponse, ClaimsResponse, ExecuteMsg, InstantiateMsg, MarketParams, MigrateMsg,
    PauseStatusResponse, QueryMsg, RestorationProgressResponse, RestorationReport, TotalsResponse,
    VaultConfigUpdate,
};
use rewind_types::{GateMsg, PauseScope, ShortfallPolicy};
use std::str::FromStr;

use crate::contract::entry::{execute, instantiate, migrate, query};
use crate::error::ContractError;
use rewind_types::restorable::{RestorableExecuteMsg, RestorableQueryMsg};
use serde::Serialize;

pub const USDC: &str = "uusdc";
pub const ATOM: &str = "uatom";
pub const BTC: &str = "BTC-PERP";
pub const ETH: &str = "ETH-PERP";
pub const MAX_PAUSE: u64 = 72 * 3600;
pub const BREAKER_PAUSE: u64 = 3600;
pub const BREAKER_MAX_TRIP: u64 = 4 * 3600;
pub const BREAKER_COOLDOWN: u64 = 1800;
pub const BREAKER_BUDGET: u32 = 3;
pub const BREAKER_WINDOW: u64 = 24 * 3600;
/// One second: the window in blocks decides, as before retention in time existed.
pub const RETENTION_SECONDS: u64 = 1;

pub fn vault_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(execute, instantiate, query).with_migrate(migrate))
}

/// The raw key a ledger key (a plain `Map` key of a journaled namespace) is stored at: the
/// journal's state root, then the key.
pub fn raw_ledger_key(key: &[u8]) -> Vec<u8> {
    rewind_journal::keys::concat(&rewind_journal::keys::state_root(), key)
}

pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// multi-test 3 renders contract errors into `StdError` text: the contract error's display
/// is the end of the message, so the exact variant and its context are compared there.
///
/// A journal refusal is rewind-target's now (the gate, the rollback, the replay): its text is
/// the journal's own, after `rewind: ` instead of the vault's `journal: `.
#[track_caller]
pub fn expect_rewind(res: StdResult<AppResponse>, expected: rewind_target::TargetError) {
    let err = res.expect_err("expected an error").to_string();
    let want = format!("rewind: {expected}");
    assert!(err.ends_with(&want), "expected error `{want}`, got `{err}`");
}

/// [`expect_err`] for a refusal of rewind-target's own.
#[track_caller]
pub fn expect_err(res: StdResult<AppResponse>, expected: ContractError) {
    let err = res.expect_err("expected an error").to_string();
    let want = match expected {
        ContractError::Journal(journal) => format!("rewind: {journal}"),
        other => other.to_string(),
    };
    assert!(err.ends_with(&want), "expected error `{want}`, got `{err}`");
}

pub fn market(id: &str, denom: &str) -> MarketParams {
    MarketParams {
        id: id.into(),
        denom: denom.into(),
        initial_margin_ratio: dec("0.1"),
        maintenance_margin_ratio: dec("0.05"),
        liquidation_reward_ratio: dec("0.05"),
        liquidation_fee_ratio: dec("0.05"),
    }
}

pub struct SuiteBuilder {
    pub breaker_bound_bps: u32,
    pub retention_blocks: u64,
    pub invariants: Option<rewind_types::vault::InvariantSettings>,
}

impl Default for SuiteBuilder {
    fn default() -> Self {
        SuiteBuilder {
            breaker_bound_bps: 2_000,
            retention_blocks: 10_000,
            invariants: None,
        }
    }
}

impl SuiteBuilder {
    pub fn with_breaker_bound_bps(mut self, v: u32) -> Self {
        self.breaker_bound_bps = v;
        self
    }
    pub fn with_invariants(mut self, v: rewind_types::vault::InvariantSettings) -> Self {
        self.invariants = Some(v);
        self
    }
    pub fn with_retention_blocks(mut self, v: u64) -> Self {
        self.retention_blocks = v;
        self
    }

    pub fn instantiate_msg(&self, s: &Roles) -> InstantiateMsg {
        InstantiateMsg {
            governance: s.governance.to_string(),
            guardian: s.guardian.to_string(),
            feeder: s.feeder.to_string(),
            insurance: s.insurance.to_string(),
            denoms: vec![USDC.into(), ATOM.into()],
            markets: vec![market(BTC, USDC), market(ETH, ATOM)],
            breaker_bound_bps: self.breaker_bound_bps,
            breaker_pause_seconds: BREAKER_PAUSE,
            max_pause_seconds: MAX_PAUSE,
            retention_blocks: self.retention_blocks,
            retention_seconds: RETENTION_SECONDS,
            breaker_max_trip_seconds: BREAKER_MAX_TRIP,
            breaker_cooldown_seconds: BREAKER_COOLDOWN,
            breaker_budget_trips: BREAKER_BUDGET,
            breaker_window_seconds: BREAKER_WINDOW,
            invariants: self.invariants.clone(),
        }
    }

    pub fn build(self) -> Suite {
        let mut app = App::default();
        let roles = Roles::new(&app);
        let code_id = app.store_code(vault_contract());
        let vault = app
            .instantiate_contract(
                code_id,
                roles.governance.clone(),
                &self.instantiate_msg(&roles),
                &[],
                "rewind-vault",
                Some(roles.executor.to_string()),
            )
            .unwrap();
        app.update_block(|b| {
            b.height += 1;
            b.time = b.time.plus_seconds(5);
        });
        Suite {
            app,
            vault,
            code_id,
            roles,
        }
    }
}

#[derive(Clone)]
pub struct Roles {
    pub governance: Addr,
    pub guardian: Addr,
    pub feeder: Addr,
    pub insurance: Addr,
    pub executor: Addr,
}

impl Roles {
    pub fn new(app: &App) -> Roles {
        Roles {
            governance: app.api().addr_make("governance"),
            guardian: app.api().addr_make("guardian"),
            feeder: app.api().addr_make("feeder"),
            insurance: app.api().addr_make("insurance"),
            executor: app.api().addr_make("executor"),
        }
    }
}

pub struct Suite {
    pub app: App,
    pub vault: Addr,
    pub code_id: u64,
    pub roles: Roles,
}

impl Suite {
    /// A funded user.
    pub fn user(&mut self, name: &str) -> Addr {
        let a = self.addr(name);
        self.mint(
            &a,
            vec![coin(1_000_000_000, USDC), coin(1_000_000_000, ATOM)],
        );
        a
    }

    pub fn mint(&mut self, to: &Addr, amount: Vec<Coin>) {
        self.app
            .sudo(SudoMsg::Bank(BankSudo::Mint {
                to_address: to.to_string(),
                amount,
            }))
            .unwrap();
    }

    pub fn next_block(&mut self) {
        self.advance_blocks(1);
    }

    pub fn exec(
        &mut self,
        sender: &Addr,
        msg: &(impl Serialize + std::fmt::Debug),
        funds: &[Coin],
    ) -> StdResult<AppResponse> {
        self.app
            .execute_contract(sender.clone(), self.vault.clone(), msg, funds)
    }

    pub fn deposit(&mut self, who: &Addr, amount: u128, denom: &str) -> StdResult<AppResponse> {
        self.exec(who, &ExecuteMsg::Deposit {}, &coins(amount, denom))
    }

    pub fn withdraw(&mut self, who: &Addr, amount: u128, denom: &str) -> StdResult<AppResponse> {
        let msg = ExecuteMsg::Withdraw {
            denom: denom.into(),
            amount: Uint128::new(amount),
        };
        self.exec(who, &msg, &[])
    }

    pub fn open(
        &mut self,
        who: &Addr,
        market: &str,
        size: i128,
        margin: u128,
    ) -> StdResult<AppResponse> {
        let msg = ExecuteMsg::OpenPosition {
            market: market.into(),
            size: Int128::new(size),
            margin: Uint128::new(margin),
        };
        self.exec(who, &msg, &[])
    }

    pub fn close(&mut self, who: &Addr, market: &str) -> StdResult<AppResponse> {
        let msg = ExecuteMsg::ClosePosition {
            market: market.into(),
        };
        self.exec(who, &msg, &[])
    }

    pub fn liquidate(
        &mut self,
        who: &Addr,
        account: &Addr,
        market: &str,
    ) -> StdResult<AppResponse> {
        let msg = ExecuteMsg::Liquidate {
            account: account.to_string(),
            market: market.into(),
        };
        self.exec(who, &msg, &[])
    }

    pub fn push_price(&mut self, market: &str, price: &str) -> StdResult<AppResponse> {
        let feeder = self.roles.feeder.clone();
        let msg = ExecuteMsg::PushPrice {
            market: market.into(),
            price: dec(price),
        };
        self.exec(&feeder, &msg, &[])
    }

    pub fn gate(&mut self, msg: GateMsg) -> StdResult<AppResponse> {
        let guardian = self.roles.guardian.clone();
        self.exec(&guardian, &RestorableExecuteMsg::Gate(msg), &[])
    }

    pub fn pause(&mut self, scope: PauseScope, seconds: u64) -> StdResult<AppResponse> {
        let until = self.app.block_info().time.plus_seconds(seconds);
        self.gate(GateMsg::SetPause { scope, until })
    }

    pub fn crank(&mut self, limit: Option<u32>) -> StdResult<AppResponse> {
        let anyone = self.addr("cranker");
        self.exec(&anyone, &RestorableExecuteMsg::Crank { limit }, &[])
    }

    pub fn query<T: cosmwasm_schema::serde::de::DeserializeOwned>(
        &self,
        msg: &impl Serialize,
    ) -> T {
        self.app
            .wrap()
            .query_wasm_smart(self.vault.clone(), msg)
            .unwrap()
    }

    pub fn account(&self, who: &Addr) -> AccountResponse {
        self.query(&QueryMsg::Account {
            address: who.to_string(),
        })
    }

    /// Free collateral plus the margin of open positions, in `denom` (the claim basis).
    pub fn claim_basis(&self, who: &Addr, denom: &str) -> u128 {
        let a = self.account(who);
        let free: u128 = a
            .collateral
            .iter()
            .filter(|c| c.denom == denom)
            .map(|c| Uint128::try_from(c.amount).unwrap().u128())
            .sum();
        let margin: u128 = a
            .positions
            .iter()
            .filter(|p| p.denom == denom)
            .map(|p| p.margin.u128())
            .sum();
        free + margin
    }

    pub fn free(&self, who: &Addr, denom: &str) -> u128 {
        self.account(who)
            .collateral
            .iter()
            .filter(|c| c.denom == denom)
            .map(|c| Uint128::try_from(c.amount).unwrap().u128())
            .sum()
    }

    pub fn bank(&self, who: &Addr, denom: &str) -> u128 {
        let amount = self.app.wrap().query_balance(who, denom).unwrap().amount;
        Uint128::try_from(amount).unwrap().u128()
    }

    pub fn totals(&self, denom: &str) -> u128 {
        let t: TotalsResponse = self.query(&QueryMsg::Totals {});
        t.totals
            .iter()
            .filter(|c| c.denom == denom)
            .map(|c| Uint128::try_from(c.amount).unwrap().u128())
            .sum()
    }

    pub fn pause_status(&self) -> PauseStatusResponse {
        self.query(&QueryMsg::PauseStatus {})
    }

    pub fn digest_at(&self, height: u64) -> HexBinary {
        let d: DigestAtResponse = self.query(&RestorableQueryMsg::DigestAt { height });
        d.digest
    }

    pub fn status(&self) -> RestorationStatusResponse {
        self.query(&RestorableQueryMsg::RestorationStatus {})
    }

    pub fn progress(&self) -> RestorationProgressResponse {
        self.query(&QueryMsg::RestorationProgress {})
    }

    pub fn report(&self) -> Option<RestorationReport> {
        self.query(&QueryMsg::RestorationReport {
            restoration_id: None,
        })
    }

    pub fn all_claims(&self) -> Vec<rewind_types::vault::AccountClaim> {
        let mut out = vec![];
        let mut start_after = None;
        loop {
            let page: ClaimsResponse = self.query(&QueryMsg::RestorationClaims {
                restoration_id: None,
                start_after: start_after.clone(),
                limit: Some(30),
            });
            if page.claims.is_empty() {
                return out;
            }
            start_after = page.claims.last().map(|c| c.account.to_string());
            out.extend(page.claims);
        }
    }

    /// The executor (wasm admin) sends `WasmMsg::Migrate` with `msg`.
    pub fn migrate_as(&mut self, sender: &Addr, msg: &MigrateMsg) -> StdResult<AppResponse> {
        let wasm = WasmMsg::Migrate {
            contract_addr: self.vault.to_string(),
            new_code_id: self.code_id,
            msg: to_json_binary(msg)?,
        };
        self.app.execute(sender.clone(), CosmosMsg::Wasm(wasm))
    }

    pub fn restore_msg(
        &self,
        height: u64,
        exclusions: &[&Addr],
        policy: ShortfallPolicy,
    ) -> MigrateMsg {
        MigrateMsg::Restore {
            height,
            exclusions: exclusions.iter().map(|a| a.to_string()).collect(),
            shortfall_policy: policy,
            expected_digest: self.digest_at(height),
        }
    }

    /// Starts a restoration as the executor.
    pub fn restore(
        &mut self,
        height: u64,
        exclusions: &[&Addr],
        policy: ShortfallPolicy,
    ) -> StdResult<AppResponse> {
        let msg = self.restore_msg(height, exclusions, policy);
        let executor = self.roles.executor.clone();
        self.migrate_as(&executor, &msg)
    }

    /// Cranks with the given limits (cycled) until complete, then releases (the executor's
    /// `Release { config: None }` once every target is complete); returns the number of
    /// cranks.
    pub fn crank_to_end(&mut self, limits: &[u32]) -> usize {
        let n = self.crank_to_complete(limits);
        self.release().unwrap();
        n
    }

    /// Cranks with the given limits (cycled) until complete, without releasing.
    pub fn crank_to_complete(&mut self, limits: &[u32]) -> usize {
        let mut n = 0;
        while self.status().phase != rewind_types::restorable::RestorationPhase::Complete {
            let limit = limits[n % limits.len()];
            self.crank(Some(limit)).unwrap();
            n += 1;
            assert!(n < 100_000, "restoration does not end");
        }
        n
    }

    /// The newest height `who` acted at, from `RestorationCheck { accounts }`.
    pub fn last_acted(&self, who: &Addr) -> Option<u64> {
        let r: rewind_types::restorable::RestorationCheckResponse =
            self.query(&RestorableQueryMsg::RestorationCheck {
                heights: vec![],
                accounts: vec![who.to_string()],
            });
        assert_eq!(r.activity.len(), 1);
        r.activity[0].last_acted_height
    }

    /// The executor sends `Release {}`.
    pub fn release(&mut self) -> StdResult<AppResponse> {
        let executor = self.roles.executor.clone();
        self.migrate_as(&executor, &MigrateMsg::Release { config: None })
    }

    /// The executor (the wasm admin, after a vote) sends `Configure` with `update`.
    pub fn configure(&mut self, update: &VaultConfigUpdate) -> StdResult<AppResponse> {
        let executor = self.roles.executor.clone();
        let config = to_json_binary(update)?;
        self.migrate_as(&executor, &MigrateMsg::Configure { config })
    }

    /// The vault's answer to `CheckConfig` for `config`.
    pub fn check_config(&self, config: &[u8]) -> Option<String> {
        let r: rewind_types::restorable::CheckConfigResponse =
            self.query(&RestorableQueryMsg::CheckConfig {
                config: cosmwasm_std::Binary::from(config.to_vec()),
            });
        r.error
    }

    /// The executor sends `Abandon { exit_only_until }`, `seconds` from now.
    pub fn abandon(&mut self, seconds: u64) -> StdResult<AppResponse> {
        let executor = self.roles.executor.clone();
        let until = self.app.block_info().time.plus_seconds(seconds);
        self.migrate_as(
            &executor,
            &MigrateMsg::Abandon {
                exit_only_until: until,
            },
        )
    }
}

impl SuiteBase for Suite {
    fn app(&self) -> &App {
        &self.app
    }
    fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

/// The generated entry points called directly with the vault's typed messages (as the old
/// hand-written ones were); errors as the text the chain would show.
pub mod direct {
    use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};
    use rewind_target::{RewindSettings, Wrapped};
    use rewind_types::vault::{InstantiateMsg, MigrateMsg};
    use serde::Serialize;

    use crate::contract::entry;

    /// `entry::instantiate` with the vault's message (its settings at the top level).
    pub fn instantiate(
        deps: DepsMut,
        env: Env,
        info: MessageInfo,
        msg: InstantiateMsg,
    ) -> Result<Response, String> {
        let rewind = RewindSettings {
            guardian: msg.guardian.clone(),
            retention_blocks: msg.retention_blocks,
            retention_seconds: msg.retention_seconds,
            max_offline: None,
        };
        let msg = rewind_target::InstantiateMsg {
            rewind,
            contract: msg,
        };
        entry::instantiate(deps, env, info, msg).map_err(|e| e.to_string())
    }

    /// `entry::migrate` with one of Rewind's migrations.
    pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, String> {
        entry::migrate(deps, env, Wrapped::Rewind(msg)).map_err(|e| e.to_string())
    }

    /// `entry::query` with any query JSON (the vault's own or Rewind's).
    pub fn query(deps: Deps, env: Env, msg: &impl Serialize) -> Result<Binary, String> {
        let msg = cosmwasm_std::from_json(cosmwasm_std::to_json_vec(msg).unwrap()).unwrap();
        entry::query(deps, env, msg).map_err(|e| e.to_string())
    }
}

/// The text of a refusal of rewind-target's own.
pub fn rewind_text(e: rewind_target::TargetError) -> String {
    format!("rewind: {e}")
}

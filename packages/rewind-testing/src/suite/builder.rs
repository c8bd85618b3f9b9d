//! The [`SuiteBuilder`]: settings, `with_*` setters and the deployment itself.

use crate::SuiteBase;
use cosmwasm_std::{coin, Addr, Binary, Decimal};

use crate::{contracts, predict_address};

use cw_multi_test::{AppBuilder, Executor};
use rewind_types::executor::ExecutorSettings;
use rewind_types::governance::{
    ConfigResponse as GovernanceConfigResponse, GovernanceConfigInput, InstantiateMsg,
    QueryMsg as GovernanceQuery, TargetRegistration, VotingRules,
};
use rewind_types::guardian::{GuardianSettings, PausePolicy};
use rewind_types::timelock::TimelockSettings;
use rewind_types::vault::{ExecuteMsg as VaultExecute, InstantiateMsg as VaultInit, MarketParams};
use rewind_types::wiring::ModuleInit;

use super::{
    dec, ActorNames, Codes, Suite, DAY, DEPOSIT, GENESIS_BALANCE, GOVERNANCE_SALT, GOV_DENOM, HOUR,
    MARKET, MAX_VAULTS, STAKE_DENOM, USDC, VAULT_SALTS,
};

/// The vaults' settings.
#[derive(Clone, Debug)]
pub struct VaultConfig {
    /// Whether governance allowed pausing exits (`withdraw`, `all`).
    pub exits_pausable: bool,
    /// The circuit breaker bound in basis points.
    pub breaker_bound_bps: u32,
    /// How long a tripped breaker pauses `trade`.
    pub breaker_pause_seconds: u64,
    /// The journal retention window in blocks.
    pub retention_blocks: u64,
    /// The journal retention window in seconds; it must outlive voting + delay + grace.
    pub retention_seconds: u64,
    /// The market (denom [`USDC`]).
    pub market: MarketParams,
    /// The price the feeder pushes at deployment.
    pub initial_price: Decimal,
    /// The vault's in-line invariants (issue 16); `None`: none.
    pub invariants: Option<rewind_types::vault::InvariantSettings>,
}

impl Default for VaultConfig {
    fn default() -> Self {
        VaultConfig {
            exits_pausable: true,
            breaker_bound_bps: 2_000,
            breaker_pause_seconds: HOUR,
            retention_blocks: 100_000,
            retention_seconds: 30 * DAY,
            market: MarketParams {
                id: MARKET.into(),
                denom: USDC.into(),
                initial_margin_ratio: dec("0.1"),
                maintenance_margin_ratio: dec("0.05"),
                liquidation_reward_ratio: dec("0.05"),
                liquidation_fee_ratio: dec("0.05"),
            },
            initial_price: Decimal::from_ratio(100u128, 1u128),
            invariants: None,
        }
    }
}

/// Builds a [`Suite`]. Defaults follow DESIGN.md: 3-day normal and 24 h expedited tracks
/// (2/3 threshold), a 12 h timelock delay with 100 blocks and a 7-day grace window, 72 h
/// pauses with a 24 h cooldown and a 7-in-30-day budget.
#[derive(Clone, Debug)]
pub struct SuiteBuilder {
    /// Normal-track rules.
    pub normal: VotingRules,
    /// Expedited-track rules.
    pub expedited: VotingRules,
    /// Minimum voting period.
    pub min_voting_period_seconds: u64,
    /// Whether voters may change their vote.
    pub allow_revoting: bool,
    /// The timelock settings.
    pub timelock: TimelockSettings,
    /// The pause policy.
    pub policy: PausePolicy,
    /// The executor settings.
    pub executor: ExecutorSettings,
    /// The stake's unbonding period.
    pub unbonding_seconds: u64,
    /// Token holders (`holder0`, `holder1`, ...).
    pub holders: usize,
    /// Each holder's stake at genesis (0: none).
    pub holder_stake: u128,
    /// Vault users (`user0`, `user1`, ...).
    pub users: usize,
    /// Number of vaults (1 or 2).
    pub vaults: usize,
    /// The vaults' settings.
    pub vault: VaultConfig,
    /// Named guardian keys besides `guardian` (each funded and registered).
    pub extra_guardians: Vec<String>,
    /// Another DAO DAO voting module in place of rewind-stake: its code and instantiate
    /// message. `None`: rewind-stake.
    pub voting_module: Option<(VotingModuleCode, Binary)>,
    /// Targets of any code besides the vaults, registered at genesis after them.
    pub targets: Vec<TargetCode>,
}

/// A target of any code: how to store it and how to instantiate it once the modules exist.
#[derive(Clone, Copy, Debug)]
pub struct TargetCode {
    /// Its label on the chain.
    pub label: &'static str,
    /// Its code (restorable entry points).
    pub code: VotingModuleCode,
    /// Its instantiate message, given the deployed modules (its guardian is
    /// `modules.guardian`).
    pub instantiate: fn(&TargetModules) -> serde_json::Value,
    /// Whether guardians may pause its exit scopes.
    pub exits_pausable: bool,
    /// The scopes it declares (its `Scopes {}` answer; for a rewind-target contract,
    /// `<ExecuteMsg as Gated>::SCOPES`).
    pub scopes: &'static [rewind_types::ScopeInfo],
}

/// The addresses a target's instantiate message may need.
#[derive(Clone, Debug)]
pub struct TargetModules {
    /// rewind-governance.
    pub governance: Addr,
    /// rewind-guardian: the target's guardian.
    pub guardian: Addr,
    /// rewind-executor: the target's wasm admin.
    pub executor: Addr,
}

/// The instantiate2 salt of the `i`-th target of any code.
pub fn target_salt(i: usize) -> String {
    format!("rewind-target-{i}")
}

/// The code of a voting module for [`SuiteBuilder::voting_module`].
pub type VotingModuleCode = fn() -> Box<dyn cw_multi_test::Contract<cosmwasm_std::Empty>>;

impl Default for SuiteBuilder {
    fn default() -> Self {
        SuiteBuilder {
            normal: VotingRules {
                voting_period_seconds: 3 * DAY,
                quorum: Decimal::percent(20),
                threshold: Decimal::percent(50),
                veto_threshold: Decimal::from_ratio(1u128, 3u128),
            },
            expedited: VotingRules {
                voting_period_seconds: DAY,
                quorum: Decimal::percent(20),
                threshold: Decimal::from_ratio(2u128, 3u128),
                veto_threshold: Decimal::from_ratio(1u128, 3u128),
            },
            min_voting_period_seconds: HOUR,
            allow_revoting: false,
            timelock: TimelockSettings {
                delay_seconds: 12 * HOUR,
                min_delay_seconds: 12 * HOUR,
                max_delay_seconds: 14 * DAY,
                min_delay_blocks: 100,
                grace_period_seconds: 7 * DAY,
                guardian_delay_seconds: DAY,
                guardian_delay_blocks: 200,
            },
            policy: PausePolicy {
                max_pause_seconds: 72 * HOUR,
                cooldown_seconds: DAY,
                budget_seconds: 7 * DAY,
                budget_window_seconds: 30 * DAY,
                min_charge_seconds: HOUR,
            },
            executor: ExecutorSettings {
                default_crank_limit: 50,
                max_crank_limit: 200,
                lock_seconds: DAY,
                exit_only_seconds: 7 * DAY,
            },
            unbonding_seconds: DAY,
            holders: 3,
            holder_stake: 1_000_000,
            users: 3,
            vaults: 1,
            vault: VaultConfig::default(),
            extra_guardians: Vec::new(),
            voting_module: None,
            targets: Vec::new(),
        }
    }
}

impl SuiteBuilder {
    /// Adds a target of any code, deployed and registered after the vaults (its index in
    /// [`Suite::targets`] is the number of vaults plus its position among these).
    pub fn with_target(mut self, target: TargetCode) -> Self {
        self.targets.push(target);
        self
    }

    /// Registers one more guardian key, `name` (see [`super::Suite::addr`]).
    pub fn with_extra_guardian(mut self, name: &str) -> Self {
        self.extra_guardians.push(name.to_string());
        self
    }

    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Both tracks' rules.
    pub fn with_voting_rules(mut self, normal: VotingRules, expedited: VotingRules) -> Self {
        self.normal = normal;
        self.expedited = expedited;
        self
    }

    /// The minimum voting period.
    pub fn with_min_voting_period(mut self, seconds: u64) -> Self {
        self.min_voting_period_seconds = seconds;
        self
    }

    /// Allow or forbid revoting.
    pub fn with_revoting(mut self, allow: bool) -> Self {
        self.allow_revoting = allow;
        self
    }

    /// The timelock delay (seconds and blocks); the lower bound follows the delay.
    pub fn with_timelock_delay(mut self, seconds: u64, blocks: u64) -> Self {
        self.timelock.delay_seconds = seconds;
        self.timelock.min_delay_seconds = self.timelock.min_delay_seconds.min(seconds);
        self.timelock.min_delay_blocks = blocks;
        self
    }

    /// The timelock's grace window.
    pub fn with_grace_period(mut self, seconds: u64) -> Self {
        self.timelock.grace_period_seconds = seconds;
        self
    }

    /// The guardian pause policy; the vaults' own pause cap follows `max_pause_seconds`.
    pub fn with_pause_policy(mut self, policy: PausePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The executor's crank bounds and lock.
    pub fn with_executor_settings(mut self, settings: ExecutorSettings) -> Self {
        self.executor = settings;
        self
    }

    /// The number of token holders and each one's genesis stake.
    pub fn with_holders(mut self, holders: usize, stake: u128) -> Self {
        self.holders = holders;
        self.holder_stake = stake;
        self
    }

    /// The number of vault users.
    pub fn with_users(mut self, users: usize) -> Self {
        self.users = users;
        self
    }

    /// The number of vaults (1 or 2).
    pub fn with_vaults(mut self, vaults: usize) -> Self {
        assert!(
            (1..=MAX_VAULTS).contains(&vaults),
            "1 to {MAX_VAULTS} vaults"
        );
        self.vaults = vaults;
        self
    }

    /// The vaults' settings.
    pub fn with_vault_config(mut self, config: VaultConfig) -> Self {
        self.vault = config;
        self
    }

    /// Whether the vaults' exits may be paused (registration and vault config agree).
    pub fn with_exits_pausable(mut self, pausable: bool) -> Self {
        self.vault.exits_pausable = pausable;
        self
    }

    /// Another DAO DAO voting module in place of rewind-stake (its wasm admin is governance
    /// too). Holders then get their power from `init`, not from staking: set
    /// `holder_stake` to 0.
    pub fn with_voting_module(mut self, code: VotingModuleCode, init: Binary) -> Self {
        self.voting_module = Some((code, init));
        self.holder_stake = 0;
        self
    }

    /// Deploys the system and moves one block on.
    pub fn build(self) -> Suite {
        let names = ActorNames::new(self.holders, self.users);
        let mut app = AppBuilder::new().build(|router, api, storage| {
            for name in names.all() {
                let funds = vec![
                    coin(GENESIS_BALANCE, STAKE_DENOM),
                    coin(GENESIS_BALANCE, GOV_DENOM),
                    coin(GENESIS_BALANCE, USDC),
                ];
                router
                    .bank
                    .init_balance(storage, &api.addr_make(&name), funds)
                    .expect("genesis balances");
            }
        });
        let deployer = app.api().addr_make("deployer");
        let codes = Codes {
            stake: app.store_code(contracts::stake()),
            governance: app.store_code(contracts::governance()),
            timelock: app.store_code(contracts::timelock()),
            guardian: app.store_code(contracts::guardian()),
            executor: app.store_code(contracts::executor()),
            vault: app.store_code(contracts::vault()),
        };
        // Governance is the wasm admin of itself and of the voting module: its address is
        // predicted with instantiate2 before anything is instantiated.
        let governance_address =
            predict_address(&app, codes.governance, &deployer, GOVERNANCE_SALT);
        let stake = match &self.voting_module {
            None => app
                .instantiate_contract(
                    codes.stake,
                    deployer.clone(),
                    &rewind_types::stake::InstantiateMsg {
                        dao: Some(governance_address.to_string()),
                        denom: STAKE_DENOM.into(),
                        unstaking_duration: rewind_types::stake::Duration::Time(
                            self.unbonding_seconds,
                        ),
                    },
                    &[],
                    "rewind-stake",
                    Some(governance_address.to_string()),
                )
                .expect("stake instantiates"),
            Some((contract, init)) => {
                let code = app.store_code(contract());
                // The message is already JSON: send it as is.
                let res = app
                    .execute(
                        deployer.clone(),
                        cosmwasm_std::WasmMsg::Instantiate {
                            admin: Some(governance_address.to_string()),
                            code_id: code,
                            msg: init.clone(),
                            funds: vec![],
                            label: "voting-module".into(),
                        }
                        .into(),
                    )
                    .expect("the voting module instantiates");
                let address =
                    super::attribute(&res, "_contract_address").expect("instantiate event");
                Addr::unchecked(address)
            }
        };

        let predicted: Vec<Addr> = VAULT_SALTS[..self.vaults]
            .iter()
            .map(|salt| predict_address(&app, codes.vault, &deployer, salt))
            .collect();
        let target_codes: Vec<u64> = self
            .targets
            .iter()
            .map(|t| app.store_code((t.code)()))
            .collect();
        let predicted_targets: Vec<Addr> = target_codes
            .iter()
            .enumerate()
            .map(|(i, code)| predict_address(&app, *code, &deployer, &target_salt(i)))
            .collect();
        let guardian_key = app.api().addr_make("guardian");
        let msg = InstantiateMsg {
            config: GovernanceConfigInput {
                voting_module: stake.to_string(),
                normal: self.normal,
                expedited: self.expedited,
                min_voting_period_seconds: self.min_voting_period_seconds,
                deposit: coin(DEPOSIT, GOV_DENOM),
                refund_failed_quorum: true,
                allow_revoting: self.allow_revoting,
                max_candidates: 3,
                max_targets: (MAX_VAULTS + self.targets.len()) as u32,
                max_exclusions: 10,
                min_proposer_power: cosmwasm_std::Uint128::one(),
                max_candidate_age_blocks: 100_000,
            },
            targets: predicted
                .iter()
                .map(|v| TargetRegistration {
                    contract: v.to_string(),
                    exits_pausable: self.vault.exits_pausable,
                    scopes: rewind_types::vault::SCOPES.to_vec(),
                })
                .chain(
                    predicted_targets
                        .iter()
                        .zip(&self.targets)
                        .map(|(t, code)| TargetRegistration {
                            contract: t.to_string(),
                            exits_pausable: code.exits_pausable,
                            scopes: code.scopes.to_vec(),
                        }),
                )
                .collect(),
            timelock: ModuleInit {
                code_id: codes.timelock,
                label: "rewind-timelock".into(),
                settings: self.timelock.clone(),
            },
            guardian: ModuleInit {
                code_id: codes.guardian,
                label: "rewind-guardian".into(),
                settings: GuardianSettings {
                    guardians: std::iter::once(guardian_key.to_string())
                        .chain(
                            self.extra_guardians
                                .iter()
                                .map(|name| app.api().addr_make(name).to_string()),
                        )
                        .collect(),
                    policy: self.policy.clone(),
                },
            },
            executor: ModuleInit {
                code_id: codes.executor,
                label: "rewind-executor".into(),
                settings: self.executor.clone(),
            },
        };
        let governance = app
            .instantiate2_contract(
                codes.governance,
                deployer.clone(),
                &msg,
                &[],
                "rewind-governance",
                Some(governance_address.to_string()),
                GOVERNANCE_SALT.as_bytes().to_vec(),
            )
            .expect("governance instantiates its modules");
        assert_eq!(
            governance, governance_address,
            "governance address prediction"
        );
        let config: GovernanceConfigResponse = app
            .wrap()
            .query_wasm_smart(&governance, &GovernanceQuery::Config {})
            .expect("governance config");
        let modules = config.modules;

        let feeder = app.api().addr_make("feeder");
        let insurance = app.api().addr_make("insurance");
        let mut vaults = vec![];
        for (i, salt) in VAULT_SALTS[..self.vaults].iter().enumerate() {
            let init = VaultInit {
                governance: governance.to_string(),
                guardian: modules.guardian.to_string(),
                feeder: feeder.to_string(),
                insurance: insurance.to_string(),
                denoms: vec![USDC.into()],
                markets: vec![self.vault.market.clone()],
                breaker_bound_bps: self.vault.breaker_bound_bps,
                breaker_pause_seconds: self.vault.breaker_pause_seconds,
                max_pause_seconds: self.policy.max_pause_seconds,
                retention_blocks: self.vault.retention_blocks,
                retention_seconds: self.vault.retention_seconds,
                // The breaker's bounds (row P7): one trip may be renewed up to the pause cap,
                // half an hour of cooldown, three trips a day.
                breaker_max_trip_seconds: self.policy.max_pause_seconds,
                breaker_cooldown_seconds: 1_800,
                breaker_budget_trips: 3,
                breaker_window_seconds: 24 * HOUR,
                invariants: self.vault.invariants.clone(),
            };
            let vault = app
                .instantiate2_contract(
                    codes.vault,
                    deployer.clone(),
                    &init,
                    &[],
                    format!("rewind-vault-{i}"),
                    Some(modules.executor.to_string()),
                    salt.as_bytes().to_vec(),
                )
                .expect("vault instantiates at its predicted address");
            assert_eq!(vault, predicted[i], "instantiate2 address prediction");
            app.execute_contract(
                feeder.clone(),
                vault.clone(),
                &VaultExecute::PushPrice {
                    market: MARKET.into(),
                    price: self.vault.initial_price,
                },
                &[],
            )
            .expect("initial price");
            vaults.push(vault);
        }

        let target_modules = TargetModules {
            governance: governance.clone(),
            guardian: modules.guardian.clone(),
            executor: modules.executor.clone(),
        };
        let mut targets = vaults.clone();
        for (i, (target, code)) in self.targets.iter().zip(&target_codes).enumerate() {
            let init = (target.instantiate)(&target_modules);
            let address = app
                .instantiate2_contract(
                    *code,
                    deployer.clone(),
                    &init,
                    &[],
                    target.label,
                    Some(modules.executor.to_string()),
                    target_salt(i).into_bytes(),
                )
                .unwrap_or_else(|e| panic!("target {} instantiates: {e}", target.label));
            assert_eq!(
                address, predicted_targets[i],
                "instantiate2 address prediction"
            );
            targets.push(address);
        }

        let mut suite = Suite {
            app,
            codes,
            stake,
            governance,
            timelock: modules.timelock,
            guardian: modules.guardian,
            executor: modules.executor,
            vaults,
            targets,
            names,
            config: self.clone(),
        };
        if self.holder_stake > 0 {
            for i in 0..self.holders {
                let holder = suite.holder(i);
                suite
                    .stake(&holder, self.holder_stake)
                    .expect("genesis stake");
            }
        }
        suite.advance_blocks(1);
        suite
    }
}

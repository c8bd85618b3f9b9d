//! A multi-test suite: governance with recording modules, two of the shared mock targets
//! (`rewind_testing::mock_target`), and either the mock DAO DAO voting module or
//! rewind-stake.

use std::collections::BTreeMap;

use cosmwasm_std::{coin, coins, Addr, Coin, Decimal, Empty, HexBinary, StdResult, Uint128};

use cw_multi_test::{App, AppBuilder, AppResponse, Contract, ContractWrapper, Executor};
pub use rewind_testing::SuiteBase;
use rewind_types::executor::ExecutorSettings;
use rewind_types::governance::{
    Candidate, ConfigResponse, ExecuteMsg, GovernanceConfigInput, InstantiateMsg, ParameterChange,
    ProposalResponse, ProposedTarget, QueryMsg, TargetRegistration, VoteOption, VotingRules,
};
use rewind_types::guardian::{GuardianSettings, PausePolicy};
use rewind_types::timelock::TimelockSettings;
use rewind_types::wiring::ModuleInit;
use rewind_types::ShortfallPolicy;

use rewind_testing::mock_target::{self, digest_for, MockExecuteMsg, MockInstantiateMsg};

use super::mocks::{self, MockControl, MockModuleQuery, MockVotingMsg};

/// The deposit denom.
pub const DENOM: &str = "ugov";
/// The staking denom of rewind-stake.
pub const STAKE_DENOM: &str = "ustake";
/// The deposit amount.
pub const DEPOSIT: u128 = 1_000;
/// Seconds per block in the suite.
/// The normal voting period.
pub const NORMAL_PERIOD: u64 = 3 * 24 * 3600;
/// The expedited voting period.
pub const EXPEDITED_PERIOD: u64 = 24 * 3600;
/// Names funded at genesis.
pub const USERS: [&str; 8] = [
    "proposer", "alice", "bob", "carol", "dave", "erin", "whale", "attacker",
];

/// Where voting power comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Backend {
    /// The mock that only answers the DAO DAO query shapes.
    Mock,
    /// rewind-stake.
    Stake,
}

/// The default configuration.
pub fn default_config(voting_module: &Addr) -> GovernanceConfigInput {
    GovernanceConfigInput {
        voting_module: voting_module.to_string(),
        normal: VotingRules {
            voting_period_seconds: NORMAL_PERIOD,
            quorum: Decimal::percent(20),
            threshold: Decimal::percent(50),
            veto_threshold: Decimal::from_ratio(1u128, 3u128),
        },
        expedited: VotingRules {
            voting_period_seconds: EXPEDITED_PERIOD,
            quorum: Decimal::percent(20),
            threshold: Decimal::from_ratio(2u128, 3u128),
            veto_threshold: Decimal::from_ratio(1u128, 3u128),
        },
        min_voting_period_seconds: 3600,
        deposit: coin(DEPOSIT, DENOM),
        refund_failed_quorum: true,
        allow_revoting: false,
        max_candidates: 3,
        max_targets: 2,
        max_exclusions: 5,
        min_proposer_power: Uint128::one(),
        max_candidate_age_blocks: MAX_CANDIDATE_AGE,
    }
}

/// The power the suites give "proposer" (the default `min_proposer_power` is 1).
pub const PROPOSER_POWER: u128 = 1;

/// The default `max_candidate_age_blocks`.
pub const MAX_CANDIDATE_AGE: u64 = 100_000;
/// The height the suite's "attacker" last acted at on both targets: after every candidate
/// a test names, so excluding it is always allowed (row G14).
pub const ATTACKER_ACTED_AT: u64 = 1_000_000_000;

/// The cw2 name of the suite's mock targets.
pub const TARGET_NAME: &str = "crates.io:mock-target";

/// The suite's default retention in seconds: 30 days, more than the default normal period
/// + timelock delay + grace (3 d + 12 h + 7 d).
pub const DEFAULT_RETENTION_SECONDS: u64 = 30 * 86_400;

/// The lowest restorable height of the suite's mock targets.
pub const TARGET_RETAINED_FROM: u64 = 12_000;

/// How the suite instantiates a mock target: named [`TARGET_NAME`], history retained from
/// [`TARGET_RETAINED_FROM`] and `retention_seconds` long, and refusing `JournalInfo`:
/// governance asks a target one `RestorationCheck` per proposal, and used to send
/// `JournalInfo` first, so any test proposing through it proves governance no longer does.
/// Governance's tests send no `Gate`, so the deployer stands in as the target's guardian.
pub fn target_init(deployer: &Addr, retention_seconds: u64) -> MockInstantiateMsg {
    MockInstantiateMsg {
        retained_from: TARGET_RETAINED_FROM,
        retention_seconds,
        refuse_journal_info: true,
        ..MockInstantiateMsg::new(deployer.as_str(), TARGET_NAME)
    }
}

/// Module settings used by every suite.
pub fn timelock_settings() -> TimelockSettings {
    TimelockSettings {
        delay_seconds: 43_200,
        min_delay_seconds: 43_200,
        max_delay_seconds: 14 * 86_400,
        min_delay_blocks: 100,
        grace_period_seconds: 7 * 86_400,
        guardian_delay_seconds: 86_400,
        guardian_delay_blocks: 200,
    }
}

/// Guardian settings used by every suite.
pub fn guardian_settings(guardian: &Addr) -> GuardianSettings {
    GuardianSettings {
        guardians: vec![guardian.to_string()],
        policy: PausePolicy {
            max_pause_seconds: 72 * 3600,
            cooldown_seconds: 24 * 3600,
            budget_seconds: 7 * 86_400,
            budget_window_seconds: 30 * 86_400,
            min_charge_seconds: 3_600,
        },
    }
}

/// Executor settings used by every suite.
pub fn executor_settings() -> ExecutorSettings {
    ExecutorSettings {
        default_crank_limit: 50,
        max_crank_limit: 200,
        lock_seconds: 86_400,
        exit_only_seconds: 7 * 86_400,
    }
}

/// The governance contract for multi-test.
pub fn governance_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            crate::contract::execute,
            crate::contract::instantiate,
            crate::contract::query,
        )
        .with_reply(crate::contract::reply)
        .with_migrate(crate::contract::migrate),
    )
}

fn stake_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        rewind_stake::contract::execute,
        rewind_stake::contract::instantiate,
        rewind_stake::contract::query,
    ))
}

/// A change to the instantiate configuration.
pub type ConfigEdit = Box<dyn FnOnce(&mut GovernanceConfigInput)>;

/// The instantiate2 salt of governance in the tests.
pub const GOVERNANCE_SALT: &str = "rewind-governance";

/// Builds a [`Suite`].
pub struct SuiteBuilder {
    backend: Backend,
    edit: Vec<ConfigEdit>,
}

impl Default for SuiteBuilder {
    fn default() -> Self {
        Self {
            backend: Backend::Mock,
            edit: vec![],
        }
    }
}

/// The ids of the codes a suite stored.
pub struct Codes {
    /// Governance.
    pub governance: u64,
    /// The mock timelock.
    pub timelock: u64,
    /// The mock guardian.
    pub guardian: u64,
    /// The mock executor.
    pub executor: u64,
    /// The mock target.
    pub target: u64,
    /// A second target code (to pin as new code).
    pub alt_target: u64,
}

impl SuiteBuilder {
    /// Default: mock voting module.
    pub fn new() -> Self {
        Self::default()
    }

    /// Use this voting backend.
    pub fn with_backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Edit the instantiate configuration.
    pub fn with_config(mut self, f: impl FnOnce(&mut GovernanceConfigInput) + 'static) -> Self {
        self.edit.push(Box::new(f));
        self
    }

    /// The app with codes stored and users funded, before governance exists.
    pub fn prepare(self) -> (App, Codes, Addr, Backend, GovernanceConfigInput, Vec<Addr>) {
        let mut app = AppBuilder::new().build(|router, api, storage| {
            for name in USERS {
                router
                    .bank
                    .init_balance(
                        storage,
                        &api.addr_make(name),
                        vec![coin(1_000_000, DENOM), coin(1_000_000_000, STAKE_DENOM)],
                    )
                    .unwrap();
            }
        });
        let deployer = app.api().addr_make("deployer");
        let codes = Codes {
            governance: app.store_code(governance_contract()),
            timelock: app.store_code(mocks::timelock_module()),
            guardian: app.store_code(mocks::guardian_module()),
            executor: app.store_code(mocks::executor_module()),
            target: app.store_code(mock_target::contract()),
            alt_target: app.store_code(mock_target::contract()),
        };
        let voting = match self.backend {
            Backend::Mock => {
                let code = app.store_code(mocks::voting_module());
                app.instantiate_contract(code, deployer.clone(), &Empty {}, &[], "voting", None)
                    .unwrap()
            }
            Backend::Stake => {
                let code = app.store_code(stake_contract());
                let msg = rewind_types::stake::InstantiateMsg {
                    denom: STAKE_DENOM.into(),
                    dao: None,
                    unstaking_duration: cw_utils::Duration::Time(86_400),
                };
                app.instantiate_contract(code, deployer.clone(), &msg, &[], "stake", None)
                    .unwrap()
            }
        };
        let mut config = default_config(&voting);
        for f in self.edit {
            f(&mut config);
        }
        let mut targets = vec![];
        for label in ["target-a", "target-b"] {
            let t = app
                .instantiate_contract(
                    codes.target,
                    deployer.clone(),
                    &target_init(&deployer, DEFAULT_RETENTION_SECONDS),
                    &[],
                    label,
                    Some(deployer.to_string()),
                )
                .unwrap();
            targets.push(t);
        }
        (app, codes, voting, self.backend, config, targets)
    }

    /// The instantiate message for the prepared app.
    pub fn instantiate_msg(
        app: &App,
        codes: &Codes,
        config: GovernanceConfigInput,
        targets: &[Addr],
    ) -> InstantiateMsg {
        InstantiateMsg {
            config,
            targets: targets
                .iter()
                .map(|t| TargetRegistration {
                    contract: t.to_string(),
                    exits_pausable: false,
                    scopes: rewind_testing::mock_target::default_scopes(),
                })
                .collect(),
            timelock: ModuleInit {
                code_id: codes.timelock,
                label: "timelock".into(),
                settings: timelock_settings(),
            },
            guardian: ModuleInit {
                code_id: codes.guardian,
                label: "guardian".into(),
                settings: guardian_settings(&app.api().addr_make("guardian")),
            },
            executor: ModuleInit {
                code_id: codes.executor,
                label: "executor".into(),
                settings: executor_settings(),
            },
        }
    }

    /// Instantiates governance, hands the targets' admin to the executor.
    pub fn build(self) -> Suite {
        let (mut app, codes, voting, backend, config, targets) = self.prepare();
        let deployer = app.api().addr_make("deployer");
        let msg = Self::instantiate_msg(&app, &codes, config, &targets);
        // Governance is its own wasm admin: instantiate2 at the address predicted for it.
        let predicted =
            rewind_testing::predict_address(&app, codes.governance, &deployer, GOVERNANCE_SALT);
        let gov = app
            .instantiate2_contract(
                codes.governance,
                deployer.clone(),
                &msg,
                &[],
                "governance",
                Some(predicted.to_string()),
                GOVERNANCE_SALT.as_bytes().to_vec(),
            )
            .unwrap();
        assert_eq!(gov, predicted);
        let cfg: ConfigResponse = app
            .wrap()
            .query_wasm_smart(&gov, &QueryMsg::Config {})
            .unwrap();
        let modules = cfg.modules;
        for t in &targets {
            app.execute(
                deployer.clone(),
                cosmwasm_std::WasmMsg::UpdateAdmin {
                    contract_addr: t.to_string(),
                    admin: modules.executor.to_string(),
                }
                .into(),
            )
            .unwrap();
        }
        let attacker = app.api().addr_make("attacker");
        for t in &targets {
            app.execute_contract(
                deployer.clone(),
                t.clone(),
                &MockExecuteMsg::SetActivity {
                    account: attacker.to_string(),
                    height: Some(ATTACKER_ACTED_AT),
                },
                &[],
            )
            .unwrap();
        }
        // Start from a fresh block.
        let mut suite = Suite {
            app,
            gov,
            voting,
            backend,
            timelock: modules.timelock,
            guardian: modules.guardian,
            executor: modules.executor,
            targets,
            codes,
            stakes: BTreeMap::new(),
        };
        suite.advance_blocks(1);
        suite
    }
}

/// The running suite.
pub struct Suite {
    /// The app.
    pub app: App,
    /// Governance.
    pub gov: Addr,
    /// The voting module.
    pub voting: Addr,
    /// Which backend.
    pub backend: Backend,
    /// The timelock.
    pub timelock: Addr,
    /// The guardian.
    pub guardian: Addr,
    /// The executor.
    pub executor: Addr,
    /// Two registered targets.
    pub targets: Vec<Addr>,
    /// Stored codes.
    pub codes: Codes,
    stakes: BTreeMap<Addr, u128>,
}

impl Suite {
    /// Sets an address's power (from the next block on) through the backend.
    pub fn set_power_addr(&mut self, who: &Addr, power: u128) {
        match self.backend {
            Backend::Mock => {
                let msg = MockVotingMsg::SetPower {
                    address: who.to_string(),
                    power: Uint128::new(power),
                };
                self.app
                    .execute_contract(who.clone(), self.voting.clone(), &msg, &[])
                    .unwrap();
            }
            Backend::Stake => {
                let current = self.stakes.get(who).copied().unwrap_or(0);
                if power > current {
                    let msg = rewind_types::stake::ExecuteMsg::Stake {};
                    self.app
                        .execute_contract(
                            who.clone(),
                            self.voting.clone(),
                            &msg,
                            &coins(power - current, STAKE_DENOM),
                        )
                        .unwrap();
                } else if power < current {
                    let msg = rewind_types::stake::ExecuteMsg::Unstake {
                        amount: Uint128::new(current - power),
                    };
                    self.app
                        .execute_contract(who.clone(), self.voting.clone(), &msg, &[])
                        .unwrap();
                }
            }
        }
        self.stakes.insert(who.clone(), power);
    }

    /// Sets a named user's power (from the next block on).
    pub fn set_power(&mut self, name: &str, power: u128) {
        let who = self.addr(name);
        self.set_power_addr(&who, power);
    }

    /// A restoration of target 0 with the given candidates and correct digests.
    pub fn restoration_msg(&self, candidates: &[u64]) -> ExecuteMsg {
        self.restoration_msg_for(&[0], candidates)
    }

    /// A restoration of the given targets with correct digests.
    pub fn restoration_msg_for(&self, targets: &[usize], candidates: &[u64]) -> ExecuteMsg {
        ExecuteMsg::ProposeRestoration {
            title: "Restore after the exploit".into(),
            description: "Oracle manipulation".into(),
            targets: targets
                .iter()
                .map(|&i| ProposedTarget {
                    contract: self.targets[i].to_string(),
                    new_code: None,
                    post_restore_config: None,
                })
                .collect(),
            candidates: candidates
                .iter()
                .map(|&h| Candidate {
                    height: h,
                    expected_digests: targets.iter().map(|_| digest_for(h)).collect(),
                })
                .collect(),
            exclusions: vec![self.addr("attacker").to_string()],
            shortfall_policy: ShortfallPolicy::ProRataHaircut,
            expedited: false,
        }
    }

    /// A parameter proposal.
    pub fn parameters_msg(changes: Vec<ParameterChange>) -> ExecuteMsg {
        ExecuteMsg::ProposeParameters {
            title: "Parameters".into(),
            description: "Tune".into(),
            changes,
        }
    }

    /// Executes on governance with `funds`.
    pub fn execute(
        &mut self,
        sender: &str,
        msg: &ExecuteMsg,
        funds: &[Coin],
    ) -> StdResult<AppResponse> {
        let sender = self.addr(sender);
        self.app
            .execute_contract(sender, self.gov.clone(), msg, funds)
    }

    /// Proposes with the deposit attached; returns the new proposal id.
    pub fn propose(&mut self, sender: &str, msg: &ExecuteMsg) -> StdResult<u64> {
        let res = self.execute(sender, msg, &coins(DEPOSIT, DENOM))?;
        let id = res
            .events
            .iter()
            .flat_map(|e| e.attributes.iter())
            .find(|a| a.key == "proposal_id")
            .map(|a| a.value.parse::<u64>().unwrap())
            .unwrap();
        Ok(id)
    }

    /// Votes.
    pub fn vote(
        &mut self,
        voter: &str,
        proposal_id: u64,
        vote: VoteOption,
    ) -> StdResult<AppResponse> {
        self.execute(voter, &ExecuteMsg::Vote { proposal_id, vote }, &[])
    }

    /// Closes (as anyone).
    pub fn close(&mut self, proposal_id: u64) -> StdResult<AppResponse> {
        self.execute("dave", &ExecuteMsg::Close { proposal_id }, &[])
    }

    /// One proposal.
    pub fn proposal(&self, proposal_id: u64) -> ProposalResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.gov, &QueryMsg::Proposal { proposal_id })
            .unwrap()
    }

    /// A governance query.
    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.gov, msg).unwrap()
    }

    /// Every message a recording module received.
    pub fn received(&self, module: &Addr) -> Vec<(Addr, cosmwasm_std::Binary)> {
        self.app
            .wrap()
            .query_wasm_smart(module, &MockModuleQuery::Received {})
            .unwrap()
    }

    /// The state the mock executor answers for every restoration.
    pub fn set_restoration_state(&mut self, state: rewind_types::executor::RestorationState) {
        let (anyone, executor) = (self.addr("dave"), self.executor.clone());
        self.app
            .execute_contract(
                anyone,
                executor,
                &super::mocks::MockControl::SetRestorationState { state },
                &[],
            )
            .unwrap();
    }

    /// Make a recording module fail (or stop failing).
    pub fn set_module_fail(&mut self, module: &Addr, fail: bool) {
        let anyone = self.addr("dave");
        self.app
            .execute_contract(anyone, module.clone(), &MockControl::SetFail { fail }, &[])
            .unwrap();
    }

    /// The deposit-denom balance of a named user.
    pub fn balance(&self, name: &str) -> u128 {
        let b = self
            .app
            .wrap()
            .query_balance(self.addr(name), DENOM)
            .unwrap()
            .amount;
        Uint128::try_from(b).unwrap().u128()
    }

    /// The total supply of the deposit denom.
    pub fn supply(&self) -> u128 {
        let s = self.app.wrap().query_supply(DENOM).unwrap().amount;
        Uint128::try_from(s).unwrap().u128()
    }

    /// Records on target `target` that the named user last acted at `height` (row G14).
    pub fn set_activity(&mut self, target: usize, name: &str, height: Option<u64>) {
        let msg = MockExecuteMsg::SetActivity {
            account: self.addr(name).to_string(),
            height,
        };
        let t = self.targets[target].clone();
        self.app
            .execute_contract(self.addr("dave"), t, &msg, &[])
            .unwrap();
    }

    /// A new mock target (not registered), its admin the executor, reporting `retention`
    /// seconds of history.
    pub fn new_target(&mut self, label: &str, retention_seconds: u64) -> Addr {
        let deployer = self.addr("deployer");
        self.app
            .instantiate_contract(
                self.codes.target,
                deployer.clone(),
                &target_init(&deployer, retention_seconds),
                &[],
                label,
                Some(self.executor.to_string()),
            )
            .unwrap()
    }

    /// The expected digest helper, re-exported.
    pub fn digest(height: u64) -> HexBinary {
        digest_for(height)
    }
}

/// A suite where the proposer, alice, bob and carol hold power, ten blocks on.
pub fn suite_with_power() -> Suite {
    let mut suite = SuiteBuilder::new().build();
    suite.set_power("proposer", PROPOSER_POWER);
    suite.set_power("alice", 400);
    suite.set_power("bob", 300);
    suite.set_power("carol", 300);
    suite.advance_blocks(10);
    suite
}

impl SuiteBase for Suite {
    fn app(&self) -> &App {
        &self.app
    }
    fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

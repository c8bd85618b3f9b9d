//! The three modules in cw-multi-test, for the timelock's and the executor's own tests:
//! governance is a plain address, the timelock, guardian and executor are the real contracts,
//! instantiated by governance with instantiate2 at the addresses it predicted (as governance
//! deploys them), with governance as their wasm admin; the targets are the shared mock
//! restorable target ([`crate::mock_target`]). Feature `modules`.
//!
//! A contract testing itself through this suite runs its own code built as a dependency of
//! this crate: the same source, so the tests cover it all the same. A test may replace the
//! timelock's or the executor's code (e.g. an older release, to test its migration) with
//! [`SuiteBuilder::timelock_contract`] and [`SuiteBuilder::executor_contract`].

use cosmwasm_std::{Addr, Coin, Empty, HexBinary, StdResult};
use cw_multi_test::{App, AppResponse, Contract, Executor};

use crate::contracts;
use rewind_types::executor::{ExecuteMsg, ExecutorSettings, RestorationResponse};
use rewind_types::guardian::{GuardianSettings, PausePolicy};
use rewind_types::timelock::{OperationResponse, TimelockSettings};
use rewind_types::{ModuleAddresses, RestorationSpec, RestorationTarget, ShortfallPolicy};

pub use crate::assert_err;
use crate::mock_target::{self, MockInstantiateMsg, MockQueryMsg, MockState, Reenter};

/// The cw2 name every mock target reports.
pub const TARGET_NAME: &str = "crates.io:mock-target";

/// One mock target to create.
#[derive(Clone)]
pub struct TargetConfig {
    /// Units of crank work its restoration needs.
    pub work: u64,
    /// Whether its finished restoration reports the digest verified.
    pub verify_digest: bool,
    /// The lowest height it restores.
    pub retained_from: u64,
    /// The executor is its wasm admin (`false`: governance is).
    pub executor_is_admin: bool,
    /// Malicious mode: re-enter the executor's crank, swallowing the error (`Some(true)`) or
    /// not (`Some(false)`).
    pub reenter_catch: Option<bool>,
}

impl Default for TargetConfig {
    fn default() -> Self {
        Self {
            work: 250,
            verify_digest: true,
            retained_from: 1,
            executor_is_admin: true,
            reenter_catch: None,
        }
    }
}

/// The deployed modules and targets.
pub struct Suite {
    /// The chain.
    pub app: App,
    /// Governance: a plain address, the wasm admin of the three modules.
    pub governance: Addr,
    /// The guardian set.
    pub guardians: Vec<Addr>,
    /// rewind-timelock.
    pub timelock: Addr,
    /// rewind-guardian.
    pub guardian: Addr,
    /// rewind-executor.
    pub executor: Addr,
    /// The mock targets, in [`SuiteBuilder::targets`] order.
    pub targets: Vec<Addr>,
    /// The mock target's code.
    pub target_code: u64,
    /// The code the timelock was instantiated with.
    pub timelock_code: u64,
    /// The code the executor was instantiated with.
    pub executor_code: u64,
}

/// How to build a [`Suite`].
pub struct SuiteBuilder {
    /// The timelock's settings.
    pub timelock: TimelockSettings,
    /// The guardian's pause policy.
    pub policy: PausePolicy,
    /// The executor's settings.
    pub executor: ExecutorSettings,
    /// The mock targets to create and register.
    pub targets: Vec<TargetConfig>,
    /// The timelock code to instantiate; the real one when `None`.
    pub timelock_contract: Option<Box<dyn Contract<Empty>>>,
    /// The executor code to instantiate; the real one when `None`.
    pub executor_contract: Option<Box<dyn Contract<Empty>>>,
}

impl Default for SuiteBuilder {
    fn default() -> Self {
        Self {
            timelock: TimelockSettings {
                delay_seconds: 12 * 3600,
                min_delay_seconds: 12 * 3600,
                max_delay_seconds: 14 * 86400,
                min_delay_blocks: 100,
                grace_period_seconds: 7 * 86400,
                guardian_delay_seconds: 86400,
                guardian_delay_blocks: 200,
            },
            policy: rewind_guardian::policy::default_policy(),
            executor: rewind_executor::settings::default_settings(),
            targets: vec![TargetConfig::default()],
            timelock_contract: None,
            executor_contract: None,
        }
    }
}

impl SuiteBuilder {
    /// The mock targets to create.
    pub fn with_targets(mut self, targets: Vec<TargetConfig>) -> Self {
        self.targets = targets;
        self
    }

    /// Deploys the modules (governance predicts their addresses and passes them to each),
    /// then the targets, each registered in the guardian.
    pub fn build(self) -> Suite {
        let mut app = App::default();
        let governance = app.api().addr_make("governance");
        let guardians = vec![
            app.api().addr_make("guardian1"),
            app.api().addr_make("guardian2"),
        ];
        let timelock_code =
            app.store_code(self.timelock_contract.unwrap_or_else(contracts::timelock));
        let guardian_code = app.store_code(contracts::guardian());
        let executor_code =
            app.store_code(self.executor_contract.unwrap_or_else(contracts::executor));
        let target_code = app.store_code(mock_target::contract());
        let modules = ModuleAddresses {
            governance: governance.clone(),
            timelock: crate::predict_address(&app, timelock_code, &governance, "timelock"),
            guardian: crate::predict_address(&app, guardian_code, &governance, "guardian"),
            executor: crate::predict_address(&app, executor_code, &governance, "executor"),
        };
        let admin = Some(governance.to_string());
        let timelock = app
            .instantiate2_contract(
                timelock_code,
                governance.clone(),
                &rewind_types::timelock::InstantiateMsg {
                    modules: modules.clone(),
                    settings: self.timelock,
                },
                &[],
                "timelock",
                admin.clone(),
                b"timelock",
            )
            .unwrap();
        let guardian = app
            .instantiate2_contract(
                guardian_code,
                governance.clone(),
                &rewind_types::guardian::InstantiateMsg {
                    modules: modules.clone(),
                    settings: GuardianSettings {
                        guardians: guardians.iter().map(|g| g.to_string()).collect(),
                        policy: self.policy,
                    },
                    targets: vec![],
                },
                &[],
                "guardian",
                admin.clone(),
                b"guardian",
            )
            .unwrap();
        let executor = app
            .instantiate2_contract(
                executor_code,
                governance.clone(),
                &rewind_types::executor::InstantiateMsg {
                    modules: modules.clone(),
                    settings: self.executor,
                },
                &[],
                "executor",
                admin,
                b"executor",
            )
            .unwrap();
        assert_eq!(
            (&timelock, &guardian, &executor),
            (&modules.timelock, &modules.guardian, &modules.executor),
            "instantiate2 addresses differ from the predicted ones"
        );
        let mut targets = vec![];
        for (i, cfg) in self.targets.iter().enumerate() {
            let admin = if cfg.executor_is_admin {
                executor.to_string()
            } else {
                governance.to_string()
            };
            let target = app
                .instantiate_contract(
                    target_code,
                    governance.clone(),
                    &MockInstantiateMsg {
                        retained_from: cfg.retained_from,
                        work: cfg.work,
                        verify_digest: cfg.verify_digest,
                        reenter: cfg.reenter_catch.map(|catch| Reenter {
                            executor: executor.to_string(),
                            catch,
                        }),
                        ..MockInstantiateMsg::new(guardian.as_str(), TARGET_NAME)
                    },
                    &[],
                    format!("target{i}"),
                    Some(admin),
                )
                .unwrap();
            app.execute_contract(
                governance.clone(),
                guardian.clone(),
                &rewind_types::guardian::ExecuteMsg::SetTarget {
                    target: target.to_string(),
                    exits_pausable: true,
                    scopes: mock_target::default_scopes(),
                },
                &[],
            )
            .unwrap();
            targets.push(target);
        }
        Suite {
            app,
            governance,
            guardians,
            timelock,
            guardian,
            executor,
            targets,
            target_code,
            timelock_code,
            executor_code,
        }
    }
}

impl Suite {
    /// A deterministic address for `name`.
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    /// Moves the chain `seconds` and `blocks` forward.
    pub fn advance(&mut self, seconds: u64, blocks: u64) {
        self.app.update_block(|b| {
            b.time = b.time.plus_seconds(seconds);
            b.height += blocks;
        });
    }

    /// The current height.
    pub fn height(&self) -> u64 {
        self.app.block_info().height
    }

    /// A valid spec restoring every target to `height`.
    pub fn spec(&self, height: u64) -> RestorationSpec {
        let checksum = self
            .app
            .wrap()
            .query_wasm_code_info(self.target_code)
            .unwrap()
            .checksum;
        RestorationSpec {
            proposal_id: 1,
            height,
            targets: self
                .targets
                .iter()
                .map(|t| RestorationTarget {
                    contract: t.clone(),
                    contract_name: TARGET_NAME.to_string(),
                    code_id: self.target_code,
                    checksum: HexBinary::from(checksum.as_slice()),
                    expected_digest: HexBinary::from(vec![0u8; 32]),
                    post_restore_config: None,
                })
                .collect(),
            exclusions: vec![self.addr("attacker")],
            shortfall_policy: ShortfallPolicy::ProRataHaircut,
        }
    }

    /// Governance queues `spec`; returns the operation id.
    pub fn queue(&mut self, spec: &RestorationSpec) -> StdResult<u64> {
        let hash = spec.content_hash().unwrap();
        let res = self.app.execute_contract(
            self.governance.clone(),
            self.timelock.clone(),
            &rewind_types::timelock::ExecuteMsg::Queue {
                spec: spec.clone(),
                content_hash: hash,
                veto_window_seconds: None,
            },
            &[],
        )?;
        Ok(attr(&res, "operation_id").parse().unwrap())
    }

    /// Queues a valid spec at `height - 1` and makes it due.
    pub fn queue_due(&mut self) -> u64 {
        let spec = self.spec(self.height() - 1);
        let id = self.queue(&spec).unwrap();
        self.advance(12 * 3600, 100);
        id
    }

    /// Anyone executes timelock operation `id`.
    pub fn execute_op(&mut self, id: u64) -> StdResult<AppResponse> {
        let anyone = self.addr("anyone");
        self.app.execute_contract(
            anyone,
            self.timelock.clone(),
            &rewind_types::timelock::ExecuteMsg::Execute { operation_id: id },
            &[],
        )
    }

    /// Anyone cranks the oldest running restoration.
    pub fn crank(&mut self, limit: Option<u32>) -> StdResult<AppResponse> {
        self.crank_with(limit, &[])
    }

    /// [`Suite::crank`] with funds attached.
    pub fn crank_with(&mut self, limit: Option<u32>, funds: &[Coin]) -> StdResult<AppResponse> {
        let anyone = self.addr("cranker");
        self.app.execute_contract(
            anyone,
            self.executor.clone(),
            &ExecuteMsg::Crank {
                restoration_id: None,
                limit,
            },
            funds,
        )
    }

    /// Governance sends `msg` to the executor.
    pub fn gov_exec(&mut self, msg: &ExecuteMsg) -> StdResult<AppResponse> {
        self.app
            .execute_contract(self.governance.clone(), self.executor.clone(), msg, &[])
    }

    /// The executor's restoration `id`.
    pub fn restoration(&self, id: u64) -> RestorationResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.executor,
                &rewind_types::executor::QueryMsg::Restoration { restoration_id: id },
            )
            .unwrap()
    }

    /// The timelock's operation `id`.
    pub fn operation(&self, id: u64) -> OperationResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.timelock,
                &rewind_types::timelock::QueryMsg::Operation { operation_id: id },
            )
            .unwrap()
    }

    /// The state of mock target `i`.
    pub fn mock(&self, i: usize) -> MockState {
        self.app
            .wrap()
            .query_wasm_smart(&self.targets[i], &MockQueryMsg::State {})
            .unwrap()
    }
}

/// The first wasm attribute named `key`.
pub fn attr(res: &AppResponse, key: &str) -> String {
    res.events
        .iter()
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
        .unwrap()
}

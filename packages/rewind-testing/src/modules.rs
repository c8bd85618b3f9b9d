//! The three modules in cw-multi-test, for the timelock's and the executor's own tests:
//! governance is a plain address, the timelock, guardian and executor are the real contracts
//! (wired as governance would wire them), and the targets are the executor's mock restorable
//! target (its `mock` feature). Feature `modules`.
//!
//! A contract testing itself through this suite runs its own code built as a dependency of
//! this crate: the same source, so the tests cover it all the same.

use cosmwasm_std::{Addr, Coin, HexBinary, StdResult};
use cw_multi_test::{App, AppResponse, ContractWrapper, Executor};
use rewind_executor::testing::mock_target::{
    self, MockInstantiateMsg, MockQueryMsg, MockState, Reenter,
};
use rewind_types::executor::{ExecuteMsg, ExecutorSettings, RestorationResponse};
use rewind_types::guardian::{GuardianSettings, PausePolicy};
use rewind_types::timelock::{OperationResponse, TimelockSettings};
use rewind_types::{ModuleAddresses, RestorationSpec, RestorationTarget, ShortfallPolicy};

pub use crate::assert_err;

/// The cw2 name every mock target reports.
pub const TARGET_NAME: &str = "crates.io:mock-target";

/// One mock target to create.
#[derive(Clone)]
pub struct TargetConfig {
    pub work: u64,
    pub verify_digest: bool,
    pub retained_from: u64,
    pub executor_is_admin: bool,
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

pub struct Suite {
    pub app: App,
    pub governance: Addr,
    pub guardians: Vec<Addr>,
    pub timelock: Addr,
    pub guardian: Addr,
    pub executor: Addr,
    pub targets: Vec<Addr>,
    pub target_code: u64,
}

pub struct SuiteBuilder {
    pub timelock: TimelockSettings,
    pub policy: PausePolicy,
    pub executor: ExecutorSettings,
    pub targets: Vec<TargetConfig>,
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
        }
    }
}

impl SuiteBuilder {
    pub fn with_targets(mut self, targets: Vec<TargetConfig>) -> Self {
        self.targets = targets;
        self
    }

    pub fn build(self) -> Suite {
        let mut app = App::default();
        let governance = app.api().addr_make("governance");
        let guardians = vec![
            app.api().addr_make("guardian1"),
            app.api().addr_make("guardian2"),
        ];
        let timelock_code = app.store_code(Box::new(ContractWrapper::new(
            rewind_timelock::contract::execute,
            rewind_timelock::contract::instantiate,
            rewind_timelock::contract::query,
        )));
        let guardian_code = app.store_code(Box::new(ContractWrapper::new(
            rewind_guardian::contract::execute,
            rewind_guardian::contract::instantiate,
            rewind_guardian::contract::query,
        )));
        let executor_code = app.store_code(Box::new(
            ContractWrapper::new(
                rewind_executor::contract::execute,
                rewind_executor::contract::instantiate,
                rewind_executor::contract::query,
            )
            .with_reply(rewind_executor::contract::reply),
        ));
        let target_code = app.store_code(Box::new(
            ContractWrapper::new(
                mock_target::execute,
                mock_target::instantiate,
                mock_target::query,
            )
            .with_migrate(mock_target::migrate)
            .with_reply(mock_target::reply),
        ));
        let timelock = app
            .instantiate_contract(
                timelock_code,
                governance.clone(),
                &rewind_types::timelock::InstantiateMsg {
                    governance: governance.to_string(),
                    settings: self.timelock,
                },
                &[],
                "timelock",
                None,
            )
            .unwrap();
        let guardian = app
            .instantiate_contract(
                guardian_code,
                governance.clone(),
                &rewind_types::guardian::InstantiateMsg {
                    governance: governance.to_string(),
                    settings: GuardianSettings {
                        guardians: guardians.iter().map(|g| g.to_string()).collect(),
                        policy: self.policy,
                    },
                },
                &[],
                "guardian",
                None,
            )
            .unwrap();
        let executor = app
            .instantiate_contract(
                executor_code,
                governance.clone(),
                &rewind_types::executor::InstantiateMsg {
                    governance: governance.to_string(),
                    settings: self.executor,
                },
                &[],
                "executor",
                None,
            )
            .unwrap();
        let modules = ModuleAddresses {
            governance: governance.clone(),
            timelock: timelock.clone(),
            guardian: guardian.clone(),
            executor: executor.clone(),
        };
        app.execute_contract(
            governance.clone(),
            timelock.clone(),
            &rewind_types::timelock::ExecuteMsg::Wire(modules.clone()),
            &[],
        )
        .unwrap();
        app.execute_contract(
            governance.clone(),
            guardian.clone(),
            &rewind_types::guardian::ExecuteMsg::Wire(modules.clone()),
            &[],
        )
        .unwrap();
        app.execute_contract(
            governance.clone(),
            executor.clone(),
            &ExecuteMsg::Wire(modules),
            &[],
        )
        .unwrap();
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
                        guardian: guardian.to_string(),
                        contract_name: TARGET_NAME.to_string(),
                        retained_from: cfg.retained_from,
                        work: cfg.work,
                        verify_digest: cfg.verify_digest,
                        reenter: cfg.reenter_catch.map(|catch| Reenter {
                            executor: executor.to_string(),
                            catch,
                        }),
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
        }
    }
}

impl Suite {
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn advance(&mut self, seconds: u64, blocks: u64) {
        self.app.update_block(|b| {
            b.time = b.time.plus_seconds(seconds);
            b.height += blocks;
        });
    }

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

    pub fn execute_op(&mut self, id: u64) -> StdResult<AppResponse> {
        let anyone = self.addr("anyone");
        self.app.execute_contract(
            anyone,
            self.timelock.clone(),
            &rewind_types::timelock::ExecuteMsg::Execute { operation_id: id },
            &[],
        )
    }

    pub fn crank(&mut self, limit: Option<u32>) -> StdResult<AppResponse> {
        self.crank_with(limit, &[])
    }

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

    pub fn gov_exec(&mut self, msg: &ExecuteMsg) -> StdResult<AppResponse> {
        self.app
            .execute_contract(self.governance.clone(), self.executor.clone(), msg, &[])
    }

    pub fn restoration(&self, id: u64) -> RestorationResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.executor,
                &rewind_types::executor::QueryMsg::Restoration { restoration_id: id },
            )
            .unwrap()
    }

    pub fn operation(&self, id: u64) -> OperationResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.timelock,
                &rewind_types::timelock::QueryMsg::Operation { operation_id: id },
            )
            .unwrap()
    }

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

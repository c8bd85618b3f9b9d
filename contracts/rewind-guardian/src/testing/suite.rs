//! Multi-test suite for the guardian: governance, timelock and executor are plain addresses;
//! the targets are the guardian's own mock restorable target (`mock_target`).

use cosmwasm_std::{Addr, StdResult, Timestamp};
use cw_multi_test::{App, AppResponse, ContractWrapper, Executor};
use rewind_types::guardian::{
    BudgetResponse, ExecuteMsg, GuardianBudgetResponse, GuardianSettings, InstantiateMsg,
    PauseHistoryResponse, PausePolicy, PauseRecord, PauseStatusResponse, QueryMsg,
};

use super::mock_target::{self, MockInstantiateMsg, MockQueryMsg, MockState};
use rewind_types::{ModuleAddresses, PauseScope};

use crate::policy::default_policy;

pub use rewind_testing::assert_err;

pub const HOUR: u64 = 3600;

pub struct Suite {
    pub app: App,
    pub governance: Addr,
    pub guardians: Vec<Addr>,
    pub timelock: Addr,
    pub executor: Addr,
    pub guardian: Addr,
    /// targets[0] allows exit pauses; targets[1] does not.
    pub targets: Vec<Addr>,
}

impl Suite {
    pub fn new() -> Self {
        Self::with_policy(default_policy())
    }

    pub fn with_policy(policy: PausePolicy) -> Self {
        let mut app = App::default();
        // Whole seconds: the guardian reasons in seconds, and so do the tests.
        app.update_block(|b| b.time = Timestamp::from_seconds(b.time.seconds()));
        let governance = app.api().addr_make("governance");
        let guardians = vec![
            app.api().addr_make("guardian1"),
            app.api().addr_make("guardian2"),
        ];
        let timelock = app.api().addr_make("timelock");
        let executor = app.api().addr_make("executor");
        let code = app.store_code(Box::new(ContractWrapper::new(
            crate::contract::execute,
            crate::contract::instantiate,
            crate::contract::query,
        )));
        let target_code = app.store_code(Box::new(ContractWrapper::new(
            mock_target::execute,
            mock_target::instantiate,
            mock_target::query,
        )));
        let guardian = app
            .instantiate_contract(
                code,
                governance.clone(),
                &InstantiateMsg {
                    governance: governance.to_string(),
                    settings: GuardianSettings {
                        guardians: guardians.iter().map(|g| g.to_string()).collect(),
                        policy,
                    },
                },
                &[],
                "guardian",
                None,
            )
            .unwrap();
        app.execute_contract(
            governance.clone(),
            guardian.clone(),
            &ExecuteMsg::Wire(ModuleAddresses {
                governance: governance.clone(),
                timelock: timelock.clone(),
                guardian: guardian.clone(),
                executor: executor.clone(),
            }),
            &[],
        )
        .unwrap();
        let mut targets = vec![];
        for (i, exits_pausable) in [true, false].into_iter().enumerate() {
            let target = app
                .instantiate_contract(
                    target_code,
                    governance.clone(),
                    &MockInstantiateMsg {
                        guardian: guardian.to_string(),
                    },
                    &[],
                    format!("target{i}"),
                    None,
                )
                .unwrap();
            app.execute_contract(
                governance.clone(),
                guardian.clone(),
                &ExecuteMsg::SetTarget {
                    target: target.to_string(),
                    exits_pausable,
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
            executor,
            guardian,
            targets,
        }
    }

    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn now(&self) -> Timestamp {
        self.app.block_info().time
    }

    pub fn advance(&mut self, seconds: u64) {
        self.app.update_block(|b| {
            b.time = b.time.plus_seconds(seconds);
            b.height += 1 + seconds / 6;
        });
    }

    pub fn exec(&mut self, sender: &Addr, msg: &ExecuteMsg) -> StdResult<AppResponse> {
        self.app
            .execute_contract(sender.clone(), self.guardian.clone(), msg, &[])
    }

    pub fn gov(&mut self, msg: &ExecuteMsg) -> StdResult<AppResponse> {
        let gov = self.governance.clone();
        self.exec(&gov, msg)
    }

    /// A pause by the guardian at `guardians[guardian]`.
    pub fn pause(
        &mut self,
        guardian: usize,
        target: usize,
        scope: PauseScope,
        duration_seconds: u64,
    ) -> StdResult<AppResponse> {
        let g = self.guardians[guardian].clone();
        let msg = ExecuteMsg::Pause {
            target: self.targets[target].to_string(),
            scope,
            duration_seconds,
            reason: "incident".into(),
        };
        self.exec(&g, &msg)
    }

    pub fn end_pause(
        &mut self,
        guardian: usize,
        target: usize,
        scope: PauseScope,
    ) -> StdResult<AppResponse> {
        let g = self.guardians[guardian].clone();
        let msg = ExecuteMsg::EndPause {
            target: self.targets[target].to_string(),
            scope,
        };
        self.exec(&g, &msg)
    }

    pub fn status(&self, target: usize) -> PauseStatusResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.guardian,
                &QueryMsg::PauseStatus {
                    target: self.targets[target].to_string(),
                },
            )
            .unwrap()
    }

    pub fn budget(&self, target: usize) -> BudgetResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.guardian,
                &QueryMsg::Budget {
                    target: self.targets[target].to_string(),
                },
            )
            .unwrap()
    }

    /// One guardian's budget on one target.
    pub fn guardian_budget(&self, guardian: usize, target: usize) -> GuardianBudgetResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.guardian,
                &QueryMsg::GuardianBudget {
                    target: self.targets[target].to_string(),
                    guardian: self.guardians[guardian].to_string(),
                },
            )
            .unwrap()
    }

    /// Governance adds `name` as a guardian; returns its index in `guardians`.
    pub fn add_guardian(&mut self, name: &str) -> usize {
        let g = self.addr(name);
        self.gov(&ExecuteMsg::UpdateGuardians {
            add: vec![g.to_string()],
            remove: vec![],
        })
        .unwrap();
        self.guardians.push(g);
        self.guardians.len() - 1
    }

    pub fn history_page(
        &self,
        target: usize,
        start_before: Option<u64>,
        limit: Option<u32>,
    ) -> Vec<PauseRecord> {
        let res: PauseHistoryResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.guardian,
                &QueryMsg::PauseHistory {
                    target: self.targets[target].to_string(),
                    start_before,
                    limit,
                },
            )
            .unwrap();
        res.pauses
    }

    /// Every record of a target, newest first, read page by page.
    pub fn history(&self, target: usize) -> Vec<PauseRecord> {
        let mut all: Vec<PauseRecord> = vec![];
        loop {
            let page = self.history_page(target, all.last().map(|r| r.id), Some(30));
            if page.is_empty() {
                return all;
            }
            all.extend(page);
        }
    }

    /// The pause end the target stored for `scope`, as pushed by the guardian.
    pub fn target_pause(&self, target: usize, scope: PauseScope) -> Option<Timestamp> {
        self.app
            .wrap()
            .query_wasm_smart(&self.targets[target], &MockQueryMsg::Pause { scope })
            .unwrap()
    }

    pub fn target_state(&self, target: usize) -> MockState {
        self.app
            .wrap()
            .query_wasm_smart(&self.targets[target], &MockQueryMsg::State {})
            .unwrap()
    }
}

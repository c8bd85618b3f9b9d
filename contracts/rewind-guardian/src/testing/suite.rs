//! Multi-test suite for the guardian: governance, timelock and executor are plain addresses;
//! the targets are the guardian's own mock restorable target (`mock_target`). As in
//! production, governance instantiates the guardian with instantiate2 at the address it
//! predicted, registers the targets in the instantiate message, and is its wasm admin.

use cosmwasm_std::{Addr, Empty, StdResult, Timestamp};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use rewind_testing::SuiteBase;
use rewind_types::governance::TargetRegistration;
use rewind_types::guardian::{
    BudgetResponse, ExecuteMsg, GuardianBudgetResponse, GuardianSettings, InstantiateMsg,
    PauseHistoryResponse, PausePolicy, PauseRecord, PauseStatusResponse, QueryMsg,
};

use rewind_testing::mock_target::{self, MockInstantiateMsg, MockQueryMsg, MockState};
use rewind_types::{ModuleAddresses, PauseScope, ScopeInfo};

use crate::policy::default_policy;

pub use rewind_testing::assert_err;

pub const HOUR: u64 = 3600;

/// The salt governance instantiates the guardian with.
pub const GUARDIAN_SALT: &str = "guardian";

/// The guardian's real entry points, migrate included.
pub fn guardian_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            crate::contract::execute,
            crate::contract::instantiate,
            crate::contract::query,
        )
        .with_migrate(crate::contract::migrate),
    )
}

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
        Self::build(policy, guardian_contract())
    }

    /// The suite, with the guardian instantiated from `code` (the migration tests pass an
    /// older version).
    pub fn build(policy: PausePolicy, code: Box<dyn Contract<Empty>>) -> Self {
        Self::build_with_scopes(policy, code, mock_target::default_scopes())
    }

    /// The suite with targets that declare `scopes` (and are registered with them).
    pub fn with_scopes(scopes: Vec<ScopeInfo>) -> Self {
        Self::build_with_scopes(default_policy(), guardian_contract(), scopes)
    }

    /// The suite, with the guardian instantiated from `code` and targets that declare
    /// `scopes`.
    pub fn build_with_scopes(
        policy: PausePolicy,
        code: Box<dyn Contract<Empty>>,
        scopes: Vec<ScopeInfo>,
    ) -> Self {
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
        let code = app.store_code(code);
        let target_code = app.store_code(mock_target::contract());
        // Governance predicts the guardian's address (instantiate2), so the targets know
        // their guardian before it exists and are registered in its instantiate message.
        let predicted = rewind_testing::predict_address(&app, code, &governance, GUARDIAN_SALT);
        let mut targets = vec![];
        for i in 0..2 {
            let target = app
                .instantiate_contract(
                    target_code,
                    governance.clone(),
                    &MockInstantiateMsg {
                        scopes: scopes.clone(),
                        ..MockInstantiateMsg::new(predicted.to_string(), "crates.io:mock-target")
                    },
                    &[],
                    format!("target{i}"),
                    None,
                )
                .unwrap();
            targets.push(target);
        }
        let guardian = app
            .instantiate2_contract(
                code,
                governance.clone(),
                &InstantiateMsg {
                    modules: ModuleAddresses {
                        governance: governance.clone(),
                        timelock: timelock.clone(),
                        guardian: predicted.clone(),
                        executor: executor.clone(),
                    },
                    settings: GuardianSettings {
                        guardians: guardians.iter().map(|g| g.to_string()).collect(),
                        policy,
                    },
                    targets: targets
                        .iter()
                        .zip([true, false])
                        .map(|(t, exits_pausable)| TargetRegistration {
                            contract: t.to_string(),
                            exits_pausable,
                            scopes: scopes.clone(),
                        })
                        .collect(),
                },
                &[],
                "guardian",
                Some(governance.to_string()),
                GUARDIAN_SALT.as_bytes(),
            )
            .unwrap();
        assert_eq!(guardian, predicted);
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

    pub fn advance(&mut self, seconds: u64) {
        self.advance_by(seconds, 1 + seconds / 6);
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

impl SuiteBase for Suite {
    fn app(&self) -> &App {
        &self.app
    }
    fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

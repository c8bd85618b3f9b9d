//! A small multi-test suite for rewind-stake.

use cosmwasm_std::{coin, Addr, Coin, Empty, StdError, Uint128};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use rewind_testing::SuiteBase;

use crate::msg::{
    ClaimsResponse, Duration, ExecuteMsg, InstantiateMsg, ListStakersResponse, QueryMsg,
    TotalPowerAtHeightResponse, VotingPowerAtHeightResponse,
};

pub const DENOM: &str = "ustake";
/// The unstaking duration of [`Suite::new`], in seconds.
pub const UNBONDING: u64 = 3_600;
/// The DAO named in [`Suite::new`]'s instantiate message.
pub const DAO: &str = "dao";

/// rewind-stake with its migrate entry point.
pub fn stake_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            crate::contract::execute,
            crate::contract::instantiate,
            crate::contract::query,
        )
        .with_migrate(crate::contract::migrate),
    )
}

/// The instantiate message of [`Suite::new`]: a time-based unstaking duration.
pub fn instantiate_msg(app: &App) -> InstantiateMsg {
    InstantiateMsg {
        dao: Some(app.api().addr_make(DAO).to_string()),
        denom: DENOM.into(),
        unstaking_duration: Duration::Time(UNBONDING),
    }
}

pub struct Suite {
    pub app: App,
    pub contract: Addr,
}

impl Suite {
    /// Funded users, each with `balance` of the staking denom and some `other`; the DAO is
    /// the wasm admin.
    pub fn new(users: &[&str], balance: u128) -> Self {
        Self::with(users, balance, instantiate_msg, stake_contract())
    }

    /// Like [`Suite::new`], with another instantiate message or code (e.g. an older version).
    pub fn with(
        users: &[&str],
        balance: u128,
        msg: impl FnOnce(&App) -> InstantiateMsg,
        code: Box<dyn Contract<Empty>>,
    ) -> Self {
        let mut app = App::default();
        let addrs: Vec<Addr> = users.iter().map(|u| app.api().addr_make(u)).collect();
        app.init_modules(|router, _, storage| {
            for addr in &addrs {
                router
                    .bank
                    .init_balance(
                        storage,
                        addr,
                        vec![coin(balance, DENOM), coin(balance, "other")],
                    )
                    .unwrap();
            }
        });
        let code_id = app.store_code(code);
        let owner = app.api().addr_make("deployer");
        let admin = app.api().addr_make(DAO).to_string();
        let msg = msg(&app);
        let contract = app
            .instantiate_contract(code_id, owner, &msg, &[], "rewind-stake", Some(admin))
            .unwrap();
        Suite { app, contract }
    }

    pub fn next_block(&mut self) {
        self.advance_by(5, 1);
    }

    pub fn execute(
        &mut self,
        user: &str,
        msg: &ExecuteMsg,
        funds: &[Coin],
    ) -> Result<AppResponse, StdError> {
        let sender = self.addr(user);
        self.app
            .execute_contract(sender, self.contract.clone(), msg, funds)
    }

    pub fn stake(&mut self, user: &str, amount: u128) -> Result<AppResponse, StdError> {
        self.execute(user, &ExecuteMsg::Stake {}, &[coin(amount, DENOM)])
    }

    pub fn unstake(&mut self, user: &str, amount: u128) -> Result<AppResponse, StdError> {
        self.execute(
            user,
            &ExecuteMsg::Unstake {
                amount: Uint128::new(amount),
            },
            &[],
        )
    }

    pub fn claim(&mut self, user: &str) -> Result<AppResponse, StdError> {
        self.execute(user, &ExecuteMsg::Claim {}, &[])
    }

    pub fn power(&self, user: &str, height: Option<u64>) -> u128 {
        let response: VotingPowerAtHeightResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.contract,
                &QueryMsg::VotingPowerAtHeight {
                    address: self.addr(user).to_string(),
                    height,
                },
            )
            .unwrap();
        response.power.u128()
    }

    pub fn total(&self, height: Option<u64>) -> u128 {
        let response: TotalPowerAtHeightResponse = self
            .app
            .wrap()
            .query_wasm_smart(&self.contract, &QueryMsg::TotalPowerAtHeight { height })
            .unwrap();
        response.power.u128()
    }

    pub fn stakers(&self, start_after: Option<String>, limit: Option<u32>) -> ListStakersResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.contract,
                &QueryMsg::ListStakers { start_after, limit },
            )
            .unwrap()
    }

    pub fn claims(&self, user: &str) -> ClaimsResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.contract,
                &QueryMsg::Claims {
                    address: self.addr(user).to_string(),
                },
            )
            .unwrap()
    }

    pub fn balance(&self, user: &str) -> u128 {
        self.app
            .wrap()
            .query_balance(self.addr(user), DENOM)
            .unwrap()
            .amount
            .try_into()
            .map(|amount: Uint128| amount.u128())
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

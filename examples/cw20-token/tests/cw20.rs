//! The cw20 spec tests (tests/spec) against the plain token.

use cosmwasm_std::Empty;
use cw_multi_test::{App, Contract, ContractWrapper};

use cw20_token as token;

mod spec;

fn token_contract() -> Box<dyn Contract<Empty>> {
    use token::contract::{execute, instantiate, migrate, query};
    Box::new(ContractWrapper::new(execute, instantiate, query).with_migrate(migrate))
}

/// The instantiate message as the token takes it: the plain token takes it as it is.
fn deployable(_app: &App, msg: token::msg::InstantiateMsg) -> serde_json::Value {
    serde_json::to_value(msg).expect("the instantiate message serialises")
}

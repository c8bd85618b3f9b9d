//! The plain token's own cw20 spec tests (examples/cw20-token/tests/spec), unchanged, against
//! the restorable token: protecting it changed none of its behaviour.

use cosmwasm_std::Empty;
use cw_multi_test::{App, Contract, ContractWrapper};

use restorable_cw20_token as token;

#[path = "../../cw20-token/tests/spec/mod.rs"]
mod spec;

fn token_contract() -> Box<dyn Contract<Empty>> {
    use token::contract::entry::{execute, instantiate, migrate, query};
    Box::new(ContractWrapper::new(execute, instantiate, query).with_migrate(migrate))
}

/// The instantiate message as the restorable token takes it: the same, plus Rewind's settings.
fn deployable(app: &App, msg: token::msg::InstantiateMsg) -> serde_json::Value {
    let settings = rewind_target::RewindSettings {
        guardian: app.api().addr_make("guardian").to_string(),
        retention_blocks: 1_000,
        retention_seconds: 86_400,
        max_offline: None,
    };
    let msg = rewind_target::InstantiateMsg {
        rewind: settings,
        contract: msg,
    };
    serde_json::to_value(msg).expect("the instantiate message serialises")
}

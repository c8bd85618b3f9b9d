//! Writes rewind-stake's JSON schema (`cargo schema`).

use cosmwasm_schema::write_api;
use rewind_stake::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

fn main() {
    write_api! {
        instantiate: InstantiateMsg,
        execute: ExecuteMsg,
        query: QueryMsg,
        migrate: MigrateMsg,
    }
}

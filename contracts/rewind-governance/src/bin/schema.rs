//! Writes rewind-governance's JSON schema (schema/ at the repository root).
use cosmwasm_schema::write_api;

use rewind_governance::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

fn main() {
    write_api! {
        instantiate: InstantiateMsg,
        execute: ExecuteMsg,
        query: QueryMsg,
        migrate: MigrateMsg,
    }
}

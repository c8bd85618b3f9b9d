//! Writes the vault's JSON schema (`cargo run -p rewind-vault --bin schema`).

use cosmwasm_schema::write_api;
use rewind_types::vault::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

fn main() {
    write_api! {
        instantiate: InstantiateMsg,
        execute: ExecuteMsg,
        query: QueryMsg,
        migrate: MigrateMsg,
    }
}

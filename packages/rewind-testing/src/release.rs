//! An earlier (or a foreign) release of a contract, for migration tests: the contract's own
//! entry points, except that `instantiate` then records the given cw2 name and version, as
//! that release would have. Migrating it to the real code exercises the real `migrate`.

use cosmwasm_std::{Binary, Deps, DepsMut, Empty, Env, MessageInfo, Reply, Response, StdResult};
use cw_multi_test::Contract;

/// `code`, whose instantiate records `name` and `version` in cw2.
pub fn released_as(
    code: Box<dyn Contract<Empty>>,
    name: &'static str,
    version: &'static str,
) -> Box<dyn Contract<Empty>> {
    Box::new(Release {
        code,
        name,
        version,
    })
}

struct Release {
    code: Box<dyn Contract<Empty>>,
    name: &'static str,
    version: &'static str,
}

impl Contract<Empty> for Release {
    fn instantiate(
        &self,
        mut deps: DepsMut,
        env: Env,
        info: MessageInfo,
        msg: Vec<u8>,
    ) -> StdResult<Response> {
        let response = self.code.instantiate(deps.branch(), env, info, msg)?;
        cw2::set_contract_version(deps.storage, self.name, self.version)?;
        Ok(response)
    }

    fn execute(
        &self,
        deps: DepsMut,
        env: Env,
        info: MessageInfo,
        msg: Vec<u8>,
    ) -> StdResult<Response> {
        self.code.execute(deps, env, info, msg)
    }

    fn query(&self, deps: Deps, env: Env, msg: Vec<u8>) -> StdResult<Binary> {
        self.code.query(deps, env, msg)
    }

    fn reply(&self, deps: DepsMut, env: Env, msg: Reply) -> StdResult<Response> {
        self.code.reply(deps, env, msg)
    }

    fn sudo(&self, deps: DepsMut, env: Env, msg: Vec<u8>) -> StdResult<Response> {
        self.code.sudo(deps, env, msg)
    }

    fn migrate(&self, deps: DepsMut, env: Env, msg: Vec<u8>) -> StdResult<Response> {
        self.code.migrate(deps, env, msg)
    }
}

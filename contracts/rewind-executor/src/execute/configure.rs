//! Governance changes a target's configuration with `RestorableMigrateMsg::Configure`: the
//! target's own config-update JSON, sent by its wasm admin as a same-code migration. The
//! executor never reads the configuration; the target validates its own schema.

use cosmwasm_std::{to_json_binary, Binary, DepsMut, Env, MessageInfo, Response, WasmMsg};
use rewind_types::{RestorableMigrateMsg, ACTION};

use super::ensure_governance;
use crate::error::ContractError;
use crate::state::ACTIVE_TARGETS;

/// `Configure { contract, config }`, from governance only. Refuses while a Running or Failed
/// restoration holds the target (its post-restore configuration, if any, is the voted one;
/// a Failed restoration is retried or aborted first), re-checks through the chain's own
/// query that the executor is the target's wasm admin (row R8), and migrates the target to
/// its CURRENT code id with `Configure { config }`. A plain message: if the target refuses
/// the configuration, the whole parameter proposal reverts.
pub fn configure(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    contract: String,
    config: Binary,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&contract)?;
    if let Some(restoration_id) = ACTIVE_TARGETS.may_load(deps.storage, &target)? {
        return Err(ContractError::ConfigureDuringRestoration {
            target,
            restoration_id,
        });
    }
    let info = deps.querier.query_wasm_contract_info(target.to_string())?;
    if info.admin.as_ref() != Some(&env.contract.address) {
        return Err(ContractError::NotAdmin {
            target,
            admin: info.admin,
        });
    }
    let migrate = WasmMsg::Migrate {
        contract_addr: target.to_string(),
        new_code_id: info.code_id,
        msg: to_json_binary(&RestorableMigrateMsg::Configure { config })?,
    };
    Ok(Response::new()
        .add_message(migrate)
        .add_attribute(ACTION, "configure")
        .add_attribute("target", target)
        .add_attribute("code_id", info.code_id.to_string()))
}

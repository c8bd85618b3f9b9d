//! Governance migrates a target to voted new code with `RestorableMigrateMsg::Upgrade {}`:
//! the way out for a target whose rollback is stuck (the new code's migration repairs it).

use cosmwasm_std::{to_json_binary, DepsMut, Env, HexBinary, MessageInfo, Response, WasmMsg};
use rewind_types::{RestorableMigrateMsg, ACTION};

use super::{ensure_governance, running_restoration_of};
use crate::error::ContractError;

/// `Upgrade { contract, code_id, checksum }`, from governance only. Re-checks, through the
/// chain's own queries, that the executor is the target's wasm admin (row R8) and that
/// `code_id` has the voted checksum (row G6); refuses while the target is part of a Running
/// restoration (a Failed one is exactly what an upgrade may have to fix; an Aborted or
/// Complete one no longer holds the target). The migration is a plain message: if the
/// target refuses it, the whole parameter proposal reverts.
pub fn upgrade(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    contract: String,
    code_id: u64,
    checksum: HexBinary,
) -> Result<Response, ContractError> {
    ensure_governance(deps.as_ref(), &info.sender)?;
    let target = deps.api.addr_validate(&contract)?;
    if let Some(restoration_id) = running_restoration_of(deps.as_ref(), &target)? {
        return Err(ContractError::UpgradeDuringRestoration {
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
    let code = deps.querier.query_wasm_code_info(code_id)?;
    if code.checksum.as_slice() != checksum.as_slice() {
        return Err(ContractError::ChecksumMismatch {
            code_id,
            expected: checksum,
            actual: HexBinary::from(code.checksum.as_slice()),
        });
    }
    let migrate = WasmMsg::Migrate {
        contract_addr: target.to_string(),
        new_code_id: code_id,
        msg: to_json_binary(&RestorableMigrateMsg::Upgrade {})?,
    };
    Ok(Response::new()
        .add_message(migrate)
        .add_attribute(ACTION, "upgrade")
        .add_attribute("target", target)
        .add_attribute("from_code_id", info.code_id.to_string())
        .add_attribute("code_id", code_id.to_string())
        .add_attribute("checksum", checksum.to_hex()))
}

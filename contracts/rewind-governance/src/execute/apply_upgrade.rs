//! `ApplyUpgrade`: the timelock, when a queued upgrade is due, calls governance, which
//! re-checks what was voted and migrates the module as its wasm admin (row G7).

use cosmwasm_std::{DepsMut, Env, HexBinary, MessageInfo, Response, WasmMsg};
use rewind_types::governance::{ProposalKind, ProposalStatus};

use crate::execute::propose_upgrade::validate_upgrade_module;
use crate::state::{load_proposal, MODULES};
use crate::ContractError;

/// `ApplyUpgrade` logic: from the timelock only; the proposal is a passed upgrade whose
/// hash is the one the timelock carries; governance is still the module's admin and the
/// checksum still the pinned one. A failure reverts the timelock's `Execute`, so the
/// operation stays queued until it expires.
pub fn apply_upgrade(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    proposal_id: u64,
    content_hash: HexBinary,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if info.sender != MODULES.load(deps.storage)?.timelock {
        return Err(ContractError::Unauthorized {});
    }
    let proposal = load_proposal(deps.storage, proposal_id)?;
    let ProposalKind::Upgrade(upgrade) = proposal.kind else {
        return Err(ContractError::NotAQueuedUpgrade { id: proposal_id });
    };
    if proposal.status != ProposalStatus::Executed || proposal.operation_id.is_none() {
        return Err(ContractError::NotAQueuedUpgrade { id: proposal_id });
    }
    let actual = upgrade.content_hash()?;
    if actual != content_hash {
        return Err(ContractError::UpgradeHashMismatch {
            id: proposal_id,
            expected: content_hash,
            actual,
        });
    }
    let contract = validate_upgrade_module(deps.as_ref(), &env, &upgrade)?;
    Ok(Response::new()
        .add_message(WasmMsg::Migrate {
            contract_addr: contract.to_string(),
            new_code_id: upgrade.code_id,
            msg: upgrade.msg,
        })
        .add_attribute("action", "apply_upgrade")
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_attribute("module", contract)
        .add_attribute("code_id", upgrade.code_id.to_string()))
}

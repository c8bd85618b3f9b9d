//! `ProposeUpgrade`: a voted migration of a core contract (governance itself, the timelock,
//! guardian, executor or the voting module). Normal track only; once passed it waits in the
//! timelock like a restoration, so guardians and holders see it coming (row G7).

use cosmwasm_std::{Addr, Deps, DepsMut, Env, MessageInfo, Response};
use rewind_types::governance::{CoreModule, ProposalKind, UpgradeModule};

use crate::execute::target_changes::check_checksum;
use crate::execute::{check_text, store_proposal, take_deposit, NewProposal};
use crate::state::{CONFIG, MODULES};
use crate::ContractError;

/// The address of `module` now.
pub fn module_address(deps: Deps, env: &Env, module: CoreModule) -> Result<Addr, ContractError> {
    let modules = MODULES.load(deps.storage)?;
    Ok(match module {
        CoreModule::Governance => env.contract.address.clone(),
        CoreModule::Timelock => modules.timelock,
        CoreModule::Guardian => modules.guardian,
        CoreModule::Executor => modules.executor,
        CoreModule::VotingModule => CONFIG.load(deps.storage)?.voting_module,
    })
}

/// The upgrade can run: governance is the module's wasm admin and the pinned checksum is
/// the chain's checksum of the code. Checked at proposal and again when it executes.
pub fn validate_upgrade_module(
    deps: Deps,
    env: &Env,
    upgrade: &UpgradeModule,
) -> Result<Addr, ContractError> {
    let contract = module_address(deps, env, upgrade.module)?;
    let admin = crate::answers::contract_info(deps, &contract)?.admin;
    if admin.as_ref() != Some(&env.contract.address) {
        return Err(ContractError::GovernanceNotAdmin {
            contract: contract.to_string(),
            admin: admin.map(|a| a.to_string()),
        });
    }
    check_checksum(deps, upgrade.code_id, &upgrade.checksum)?;
    Ok(contract)
}

/// `ProposeUpgrade` logic: deposit, text caps, then the upgrade checks; power is read at the
/// proposal's start height, as for parameter proposals.
pub fn propose_upgrade(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    title: String,
    description: String,
    upgrade: UpgradeModule,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let deposit = take_deposit(&info, &config)?;
    check_text(&title, &description)?;
    let contract = validate_upgrade_module(deps.as_ref(), &env, &upgrade)?;
    let new = NewProposal {
        title,
        description,
        kind: ProposalKind::Upgrade(upgrade.clone()),
        expedited: false,
        power_height: env.block.height,
        candidate_heights: vec![],
        fast_track: None,
    };
    let (proposal, ballot) = store_proposal(deps, &env, info.sender, &config, deposit, new)?;
    Ok(Response::new()
        .add_attribute("action", "propose_upgrade")
        .add_attribute("proposal_id", proposal.id.to_string())
        .add_attribute("proposer", proposal.proposer.as_str())
        .add_attribute("module", contract)
        .add_attribute("code_id", upgrade.code_id.to_string())
        .add_attribute("checksum", upgrade.checksum.to_hex())
        .add_attribute("end_time", ballot.end_time.to_string()))
}

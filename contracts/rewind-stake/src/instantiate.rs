//! `instantiate`: the DAO, the denom and the unstaking duration, validated once.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use cw_utils::Duration;

use crate::error::ContractError;
use crate::msg::InstantiateMsg;
use crate::state::{Config, CONFIG, TOTAL_STAKED};

/// The cw2 contract name, checked by every migration.
pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
/// The cw2 contract version; a migration never goes below it.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Checks the message (no funds, a valid DAO address and denom, a non-zero unstaking
/// duration), records the cw2 version and a zero total at this height.
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    // The DAO this module serves: the sender unless named (row B1: validated).
    let dao = match msg.dao {
        Some(dao) => deps.api.addr_validate(&dao)?,
        None => info.sender,
    };
    validate_denom(&msg.denom)?;
    if matches!(
        msg.unstaking_duration,
        Duration::Height(0) | Duration::Time(0)
    ) {
        return Err(ContractError::ZeroUnstakingDuration {});
    }
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    CONFIG.save(
        deps.storage,
        &Config {
            dao: dao.clone(),
            denom: msg.denom.clone(),
            unstaking_duration: msg.unstaking_duration,
        },
    )?;
    TOTAL_STAKED.save(deps.storage, &Uint128::zero(), env.block.height)?;
    Ok(Response::new()
        .add_attribute(rewind_types::ACTION, "instantiate")
        .add_attribute("dao", dao)
        .add_attribute("denom", msg.denom)
        .add_attribute("unstaking_duration", msg.unstaking_duration.to_string()))
}

/// The Cosmos SDK denom rule: a letter, then 2 to 127 of `[a-zA-Z0-9/:._-]`.
fn validate_denom(denom: &str) -> Result<(), ContractError> {
    let valid_len = (3..=128).contains(&denom.len());
    let mut chars = denom.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_valid = chars.all(|c| c.is_ascii_alphanumeric() || "/:._-".contains(c));
    if valid_len && starts_with_letter && rest_valid {
        Ok(())
    } else {
        Err(ContractError::InvalidDenom {
            denom: denom.to_string(),
        })
    }
}

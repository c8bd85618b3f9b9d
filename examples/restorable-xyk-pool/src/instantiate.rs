//! `instantiate`: validate the two denoms and the fee, start with empty reserves.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::msg::InstantiateMsg;
use crate::state::{Config, CONFIG, MAX_FEE_BPS, RESERVES, TOTAL_SHARE};

/// The cw2 contract name, checked by every migration.
pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
/// The cw2 contract version; a migration never goes below it.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Refuses funds, an invalid or repeated denom and a fee above [`MAX_FEE_BPS`]; then stores
/// the configuration with zero reserves and no share.
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    for denom in &msg.denoms {
        validate_denom(denom)?;
    }
    if msg.denoms[0] == msg.denoms[1] {
        return Err(ContractError::SameDenoms {
            denom: msg.denoms[0].clone(),
        });
    }
    if msg.fee_bps > MAX_FEE_BPS {
        return Err(ContractError::FeeTooHigh {
            fee_bps: msg.fee_bps,
            max: MAX_FEE_BPS,
        });
    }
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    CONFIG.save(
        deps.storage,
        &Config {
            denoms: msg.denoms.clone(),
            fee_bps: msg.fee_bps,
        },
    )?;
    RESERVES.save(deps.storage, &[Uint128::zero(); 2])?;
    TOTAL_SHARE.save(deps.storage, &Uint128::zero())?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("denoms", msg.denoms.join(","))
        .add_attribute("fee_bps", msg.fee_bps.to_string()))
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

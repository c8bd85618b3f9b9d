//! `update_minter`: the minter hands minting on, or ends it.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::state::{MinterData, TOKEN_INFO};

/// Makes `new_minter` the minter (keeping the cap), or disables minting forever with `None`.
/// Only the current minter may.
pub fn execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    new_minter: Option<String>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let mut token = TOKEN_INFO.load(deps.storage)?;
    let current = token
        .mint
        .as_ref()
        .ok_or(ContractError::MintingDisabled {})?;
    if current.minter != info.sender {
        return Err(ContractError::Unauthorized {});
    }
    let cap = current.cap;
    token.mint = match new_minter {
        Some(minter) => Some(MinterData {
            minter: deps.api.addr_validate(&minter)?,
            cap,
        }),
        None => None,
    };
    TOKEN_INFO.save(deps.storage, &token)?;
    let shown = token
        .mint
        .map(|m| m.minter.into_string())
        .unwrap_or_else(|| "None".to_string());
    Ok(Response::new()
        .add_attribute("action", "update_minter")
        .add_attribute("new_minter", shown))
}

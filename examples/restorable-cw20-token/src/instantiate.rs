//! `instantiate`: validate the token, credit the initial balances, record the cw2 version.

use std::collections::BTreeSet;

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::msg::InstantiateMsg;
use crate::state::{MinterData, TokenInfo, BALANCES, TOKEN_INFO};

/// The cw2 contract name, checked by every migration.
pub const CONTRACT_NAME: &str = concat!("crates.io:", env!("CARGO_PKG_NAME"));
/// The cw2 contract version; a migration never goes below it.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The greatest number of decimals a token may declare.
pub const MAX_DECIMALS: u8 = 18;

/// Refuses funds, a malformed name, symbol or decimals, a repeated or zero initial balance
/// and initial balances above the cap; then stores the token and credits every account.
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    validate_name(&msg.name)?;
    validate_symbol(&msg.symbol)?;
    if msg.decimals > MAX_DECIMALS {
        return Err(ContractError::InvalidDecimals {});
    }

    let mut seen = BTreeSet::new();
    let mut total_supply = Uint128::zero();
    for coin in &msg.initial_balances {
        let address = deps.api.addr_validate(&coin.address)?;
        if coin.amount.is_zero() {
            return Err(ContractError::InvalidZeroAmount {});
        }
        if !seen.insert(address.clone()) {
            return Err(ContractError::DuplicateInitialBalanceAddresses {
                address: address.into_string(),
            });
        }
        total_supply = total_supply.checked_add(coin.amount)?;
        BALANCES.save(deps.storage, &address, &coin.amount)?;
    }

    let mint = match msg.mint {
        Some(m) => Some(MinterData {
            minter: deps.api.addr_validate(&m.minter)?,
            cap: m.cap,
        }),
        None => None,
    };
    if let Some(cap) = mint.as_ref().and_then(|m| m.cap) {
        if total_supply > cap {
            return Err(ContractError::InitialSupplyExceedsCap {
                supply: total_supply,
                cap,
            });
        }
    }

    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    TOKEN_INFO.save(
        deps.storage,
        &TokenInfo {
            name: msg.name.clone(),
            symbol: msg.symbol.clone(),
            decimals: msg.decimals,
            total_supply,
            mint,
        },
    )?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("name", msg.name)
        .add_attribute("symbol", msg.symbol)
        .add_attribute("total_supply", total_supply))
}

/// 3 to 50 characters.
fn validate_name(name: &str) -> Result<(), ContractError> {
    if (3..=50).contains(&name.chars().count()) {
        Ok(())
    } else {
        Err(ContractError::InvalidName {})
    }
}

/// 3 to 12 characters, each a letter or `-`.
fn validate_symbol(symbol: &str) -> Result<(), ContractError> {
    let valid_len = (3..=12).contains(&symbol.len());
    if valid_len && symbol.chars().all(|c| c.is_ascii_alphabetic() || c == '-') {
        Ok(())
    } else {
        Err(ContractError::InvalidSymbol {})
    }
}

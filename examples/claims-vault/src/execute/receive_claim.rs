//! `ReceiveClaim { record, digest }`: a claim moved here by a registered source.

use cosmwasm_std::{DepsMut, HexBinary, MessageInfo, Response, Uint128};
use rewind_types::successor::{normalize, ClaimRecord};

use crate::error::ContractError;
use crate::state::{CLAIMS, RECEIVED, SEEN, SOURCES};

/// Credits `record.account` with the record's funds: only from a registered source that is
/// the record's own source, with a matching digest, exactly the record's funds, once.
pub fn receive_claim(
    deps: DepsMut,
    info: MessageInfo,
    record: ClaimRecord,
    digest: HexBinary,
) -> Result<Response, ContractError> {
    if !SOURCES.load(deps.storage)?.contains(&info.sender) {
        return Err(ContractError::UnknownSource {
            sender: info.sender,
        });
    }
    if record.source != info.sender {
        return Err(ContractError::WrongSource {
            source_addr: record.source,
            sender: info.sender,
        });
    }
    if record.digest() != digest {
        return Err(ContractError::DigestMismatch);
    }
    if normalize(info.funds.clone())? != record.funds || record.funds.is_empty() {
        return Err(ContractError::FundsMismatch);
    }
    let key = (&record.source, record.sequence);
    if SEEN.has(deps.storage, key) {
        return Err(ContractError::Duplicate {
            source_addr: record.source.clone(),
            sequence: record.sequence,
        });
    }
    SEEN.save(deps.storage, key, &())?;
    let account = deps.api.addr_validate(record.account.as_str())?;
    for coin in &record.funds {
        let amount = Uint128::try_from(coin.amount)
            .map_err(|e| cosmwasm_std::StdError::msg(e.to_string()))?;
        let key = (&account, coin.denom.as_str());
        let next = CLAIMS
            .may_load(deps.storage, key)?
            .unwrap_or_default()
            .checked_add(amount)?;
        CLAIMS.save(deps.storage, key, &next)?;
    }
    RECEIVED.update(deps.storage, |n| -> Result<u64, ContractError> {
        Ok(n + 1)
    })?;
    Ok(Response::new()
        .add_attribute("action", "receive_claim")
        .add_attribute("source", record.source.as_str())
        .add_attribute("account", account.as_str())
        .add_attribute("sequence", record.sequence.to_string())
        .add_attribute("digest", digest.to_hex()))
}

//! The queries. Lists are paginated like cw20-base: `start_after` excludes its key,
//! `limit` defaults to [`DEFAULT_LIMIT`] and is capped at [`MAX_LIMIT`].

use cosmwasm_std::{Deps, Env, Order, StdResult};
use cw_storage_plus::Bound;

use crate::msg::{
    AllAccountsResponse, AllAllowancesResponse, AllSpenderAllowancesResponse, AllowanceInfo,
    AllowanceResponse, BalanceResponse, MinterResponse, SpenderAllowanceInfo, TokenInfoResponse,
};
use crate::state::{ALLOWANCES, ALLOWANCES_SPENDER, BALANCES, TOKEN_INFO};

/// Page size when none is asked.
pub const DEFAULT_LIMIT: u32 = 10;
/// The largest page.
pub const MAX_LIMIT: u32 = 30;

fn page_size(limit: Option<u32>) -> usize {
    limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

/// The balance of `address`; zero for an account never credited.
pub fn balance(deps: Deps, address: String) -> StdResult<BalanceResponse> {
    let address = deps.api.addr_validate(&address)?;
    let balance = BALANCES
        .may_load(deps.storage, &address)?
        .unwrap_or_default();
    Ok(BalanceResponse { balance })
}

/// Name, symbol, decimals and total supply.
pub fn token_info(deps: Deps) -> StdResult<TokenInfoResponse> {
    let token = TOKEN_INFO.load(deps.storage)?;
    Ok(TokenInfoResponse {
        name: token.name,
        symbol: token.symbol,
        decimals: token.decimals,
        total_supply: token.total_supply,
    })
}

/// The minter and its cap, or `None` when minting is disabled.
pub fn minter(deps: Deps) -> StdResult<Option<MinterResponse>> {
    let token = TOKEN_INFO.load(deps.storage)?;
    Ok(token.mint.map(|m| MinterResponse {
        minter: m.minter.into_string(),
        cap: m.cap,
    }))
}

/// The allowance `owner` gave `spender` (zero, never expiring, when there is none). An
/// expired allowance is shown as it is stored; spending it is refused.
pub fn allowance(
    deps: Deps,
    _env: Env,
    owner: String,
    spender: String,
) -> StdResult<AllowanceResponse> {
    let owner = deps.api.addr_validate(&owner)?;
    let spender = deps.api.addr_validate(&spender)?;
    Ok(ALLOWANCES
        .may_load(deps.storage, (&owner, &spender))?
        .unwrap_or_default())
}

/// The allowances `owner` gave, by spender address, one page.
pub fn all_allowances(
    deps: Deps,
    owner: String,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<AllAllowancesResponse> {
    let owner = deps.api.addr_validate(&owner)?;
    let start = start_after
        .map(|s| deps.api.addr_validate(&s))
        .transpose()?;
    let allowances = ALLOWANCES
        .prefix(&owner)
        .range(
            deps.storage,
            start.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_size(limit))
        .map(|item| {
            item.map(|(spender, a)| AllowanceInfo {
                spender: spender.into_string(),
                allowance: a.allowance,
                expires: a.expires,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(AllAllowancesResponse { allowances })
}

/// The allowances `spender` holds, by owner address, one page.
pub fn all_spender_allowances(
    deps: Deps,
    spender: String,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<AllSpenderAllowancesResponse> {
    let spender = deps.api.addr_validate(&spender)?;
    let start = start_after
        .map(|s| deps.api.addr_validate(&s))
        .transpose()?;
    let allowances = ALLOWANCES_SPENDER
        .prefix(&spender)
        .range(
            deps.storage,
            start.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_size(limit))
        .map(|item| {
            item.map(|(owner, a)| SpenderAllowanceInfo {
                owner: owner.into_string(),
                allowance: a.allowance,
                expires: a.expires,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(AllSpenderAllowancesResponse { allowances })
}

/// Every account ever credited, ascending, one page.
pub fn all_accounts(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<AllAccountsResponse> {
    let start = start_after
        .map(|s| deps.api.addr_validate(&s))
        .transpose()?;
    let accounts = BALANCES
        .keys(
            deps.storage,
            start.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_size(limit))
        .map(|key| key.map(String::from))
        .collect::<StdResult<_>>()?;
    Ok(AllAccountsResponse { accounts })
}

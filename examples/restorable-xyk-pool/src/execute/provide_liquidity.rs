//! `provide_liquidity`: deposit both denoms for LP shares.

use cosmwasm_std::{BankMsg, Coin, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::execute::add_share;
use crate::math::{mul_div_ceil, mul_div_floor, sqrt_of_product};
use crate::state::{Config, CONFIG, MINIMUM_LIQUIDITY, RESERVES, TOTAL_SHARE};

/// Mints shares for the two attached denoms. The first deposit mints `sqrt(a * b)`, of which
/// [`MINIMUM_LIQUIDITY`] go to the pool itself, locked forever. Later deposits mint
/// `min(a * total / A, b * total / B)`; the pool keeps what those shares are worth of each
/// side (rounded up) and refunds the rest.
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    min_share: Option<Uint128>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let deposit = attached_pair(&config, &info.funds)?;
    let reserves = RESERVES.load(deps.storage)?;
    let total = TOTAL_SHARE.load(deps.storage)?;

    let (share, kept) = if total.is_zero() {
        let minted = sqrt_of_product(deposit[0], deposit[1])?;
        if minted <= MINIMUM_LIQUIDITY {
            return Err(ContractError::InsufficientInitialLiquidity {
                share: minted,
                minimum: MINIMUM_LIQUIDITY,
            });
        }
        add_share(deps.storage, &env.contract.address, MINIMUM_LIQUIDITY)?;
        (minted.checked_sub(MINIMUM_LIQUIDITY)?, deposit)
    } else {
        let share = mul_div_floor(deposit[0], total, reserves[0])?.min(mul_div_floor(
            deposit[1],
            total,
            reserves[1],
        )?);
        if share.is_zero() {
            return Err(ContractError::ZeroShare {});
        }
        // What `share` is worth of each side, rounded in the pool's favour; never above the
        // deposit, since `share <= deposit[i] * total / reserves[i]`.
        let kept = [
            mul_div_ceil(share, reserves[0], total)?,
            mul_div_ceil(share, reserves[1], total)?,
        ];
        (share, kept)
    };
    if let Some(min_share) = min_share {
        if share < min_share {
            return Err(ContractError::ShareBelowMinimum { share, min_share });
        }
    }

    let minted = if total.is_zero() {
        share.checked_add(MINIMUM_LIQUIDITY)?
    } else {
        share
    };
    TOTAL_SHARE.save(deps.storage, &total.checked_add(minted)?)?;
    let held = add_share(deps.storage, &info.sender, share)?;
    RESERVES.save(
        deps.storage,
        &[
            reserves[0].checked_add(kept[0])?,
            reserves[1].checked_add(kept[1])?,
        ],
    )?;

    let mut refund = vec![];
    for i in 0..2 {
        let excess = deposit[i].checked_sub(kept[i])?;
        if !excess.is_zero() {
            refund.push(Coin::new(excess, config.denoms[i].clone()));
        }
    }
    let mut response = Response::new()
        .add_attribute("action", "provide_liquidity")
        .add_attribute("provider", info.sender.as_str())
        .add_attribute("assets", coins_text(&config, kept))
        .add_attribute("share", share)
        .add_attribute("provider_share", held);
    if !refund.is_empty() {
        response = response
            .add_attribute(
                "refund",
                refund
                    .iter()
                    .map(Coin::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            )
            .add_message(BankMsg::Send {
                to_address: info.sender.into_string(),
                amount: refund,
            });
    }
    Ok(response)
}

/// The attached amounts of the two pool denoms, in pool order: each exactly once, non-zero,
/// and nothing else.
fn attached_pair(config: &Config, funds: &[Coin]) -> Result<[Uint128; 2], ContractError> {
    let mut amounts: [Option<Uint128>; 2] = [None, None];
    for coin in funds {
        let i = config
            .index_of(&coin.denom)
            .ok_or_else(|| ContractError::UnexpectedDenom {
                denom: coin.denom.clone(),
            })?;
        if amounts[i].is_some() {
            return Err(ContractError::DuplicateDenom {
                denom: coin.denom.clone(),
            });
        }
        if coin.amount.is_zero() {
            return Err(ContractError::ZeroAmount {
                denom: coin.denom.clone(),
            });
        }
        amounts[i] = Some(Uint128::try_from(coin.amount)?);
    }
    let get = |i: usize| {
        amounts[i].ok_or_else(|| ContractError::MissingAsset {
            denom: config.denoms[i].clone(),
        })
    };
    Ok([get(0)?, get(1)?])
}

fn coins_text(config: &Config, amounts: [Uint128; 2]) -> String {
    format!(
        "{}{},{}{}",
        amounts[0], config.denoms[0], amounts[1], config.denoms[1]
    )
}

//! The successor (issue 15): registered by a voted `{"rewind": {"successor": ..}}`, it
//! receives each user's settled claim when that user alone sends `MoveToSuccessor {}` in
//! exit-only mode. One bounded record (raw key `rj/y`, never rolled back): the pin, the
//! move counter, what moved per denom, and the height of the last move (a restoration may
//! not roll back below it: the funds have left).

use cosmwasm_std::{
    to_json_binary, Addr, Coin, Deps, DepsMut, Env, HexBinary, MessageInfo, QuerierWrapper,
    Response, StdResult, Storage, Uint128, WasmMsg,
};
use cw_storage_plus::{Item, Map};
use rewind_types::codec::{Reader, Record, RecordItem, Writer};
use rewind_types::successor::{
    normalize, ClaimRecord, RemainingClaimsResponse, RewindConfig, SuccessorExecuteMsg,
    SuccessorPin, MIN_MAX_OFFLINE,
};

use crate::error::{ContractError, TargetError};
use crate::journaled::run_journaled;
use crate::offline;
use crate::state::frozen;
use crate::target::{ClaimRule, Target};

/// The successor record's raw key.
pub use rewind_journal::keys::NS_SUCCESSOR;

const SUCCESSOR: RecordItem<SuccessorState> = RecordItem::new(NS_SUCCESSOR);

/// See the module doc.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SuccessorState {
    /// The registered successor and its pinned checksum.
    pub pin: Option<(Addr, HexBinary)>,
    /// Moves so far.
    pub moves: u64,
    /// Moved so far, per denom (sorted).
    pub moved: Vec<Coin>,
    /// The block of the last move (0: none).
    pub last_move_height: u64,
}

impl Record for SuccessorState {
    fn encode(&self, w: &mut Writer) -> StdResult<()> {
        w.bool(self.pin.is_some());
        if let Some((addr, checksum)) = &self.pin {
            w.str(addr.as_str());
            w.bytes(checksum.as_slice());
        }
        w.u64(self.moves);
        w.list(&self.moved, Writer::coin);
        w.u64(self.last_move_height);
        Ok(())
    }

    fn decode(r: &mut Reader) -> StdResult<Self> {
        let pin = match r.bool()? {
            true => Some((r.addr()?, HexBinary::from(r.bytes()?))),
            false => None,
        };
        Ok(SuccessorState {
            pin,
            moves: r.u64()?,
            moved: r.list(Reader::coin)?,
            last_move_height: r.u64()?,
        })
    }
}

/// The successor record (empty when none was ever registered).
pub fn load(store: &dyn Storage) -> StdResult<SuccessorState> {
    Ok(SUCCESSOR.may_load(store)?.unwrap_or_default())
}

/// The checksum of the code `address` runs: ContractInfo, then CodeInfo.
fn running_checksum(querier: &QuerierWrapper, address: &Addr) -> StdResult<HexBinary> {
    let info = querier.query_wasm_contract_info(address)?;
    let code = querier.query_wasm_code_info(info.code_id)?;
    Ok(HexBinary::from(code.checksum.as_slice()))
}

/// Refuses a successor that does not run the pinned code.
fn ensure_pinned(
    querier: &QuerierWrapper,
    address: &Addr,
    pinned: &HexBinary,
) -> Result<(), TargetError> {
    let found = running_checksum(querier, address).map_err(|e| TargetError::SuccessorChecksum {
        successor: address.clone(),
        expected: pinned.clone(),
        found: format!("no code: {e}"),
    })?;
    if found != *pinned {
        return Err(TargetError::SuccessorChecksum {
            successor: address.clone(),
            expected: pinned.clone(),
            found: found.to_hex(),
        });
    }
    Ok(())
}

/// Whether `config` is the library's (`{"rewind": ..}` at the top level) rather than the
/// contract's own.
pub fn is_rewind_config(config: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        rewind: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Probe>(config).is_ok_and(|p| p.rewind.is_some())
}

/// Parses and validates the library's configuration (the successor's code checked now);
/// nothing written.
pub fn check_rewind_config(deps: Deps, config: &[u8]) -> Result<RewindConfig, TargetError> {
    let msg: rewind_types::successor::RewindConfigMsg = cosmwasm_std::from_json(config)?;
    let cfg = msg.rewind;
    if cfg == RewindConfig::default() {
        return Err(TargetError::InvalidRewindConfig {
            reason: "changes nothing".into(),
        });
    }
    if let Some(seconds) = cfg.max_offline {
        if seconds < MIN_MAX_OFFLINE {
            return Err(TargetError::InvalidRewindConfig {
                reason: format!("max_offline {seconds} s, at least {MIN_MAX_OFFLINE} s"),
            });
        }
    }
    if let Some(pin) = &cfg.successor {
        let address = deps.api.addr_validate(&pin.address)?;
        if pin.checksum.len() != 32 {
            return Err(TargetError::InvalidRewindConfig {
                reason: format!("checksum of {} bytes, expected 32", pin.checksum.len()),
            });
        }
        ensure_pinned(&deps.querier, &address, &pin.checksum)?;
    }
    Ok(cfg)
}

/// Applies the library's voted configuration (`Configure` or `Release { config }`).
pub fn apply_rewind_config(
    deps: DepsMut,
    env: &Env,
    config: &[u8],
) -> Result<Response, TargetError> {
    let cfg = check_rewind_config(deps.as_ref(), config)?;
    let mut response = Response::new().add_attribute("action", "configure_rewind");
    if let Some(seconds) = cfg.max_offline {
        offline::set_max_offline(deps.storage, seconds)?;
        response = response.add_attribute("max_offline", seconds.to_string());
    }
    if let Some(pin) = cfg.successor {
        let mut state = load(deps.storage)?;
        let address = deps.api.addr_validate(&pin.address)?;
        response = response
            .add_attribute("successor", address.as_str())
            .add_attribute("successor_checksum", pin.checksum.to_hex());
        state.pin = Some((address, pin.checksum));
        SUCCESSOR.save(deps.storage, &state)?;
    }
    if cfg.reopen {
        offline::reopen(deps.storage, env)?;
        response = response.add_attribute("reopened", "true");
    }
    Ok(response)
}

/// `MoveToSuccessor {}`: see [`rewind_types::restorable::RestorableExecuteMsg`].
pub fn move_to_successor<E>(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    target: &Target<E>,
) -> Result<Response, ContractError<E>> {
    let rule = target.claim.as_ref().ok_or(TargetError::NoClaimRule)?;
    let status = offline::status(deps.storage, &env)?;
    if !status.exit_only {
        return Err(TargetError::NotExitOnly {
            stopped_seconds: status.stopped_seconds,
            max_offline: status.max_offline,
        }
        .into());
    }
    // A running restoration is never exit-only, and the crank is refused in every
    // exit-only state: a move never interleaves with a rollback step.
    let frozen = frozen(deps.storage)?;
    if frozen.contains(&info.sender) {
        return Err(TargetError::FrozenSender {
            account: info.sender,
        }
        .into());
    }
    let mut state = load(deps.storage)?;
    let (successor, checksum) = state.pin.clone().ok_or(TargetError::NoSuccessor)?;
    ensure_pinned(&deps.querier, &successor, &checksum)?;

    let account = info.sender.clone();
    let claim = match rule {
        ClaimRule::Hook(take, _) => run_journaled(deps.branch(), &env, target, frozen, |deps| {
            take(deps, &env, &account)
        })?,
        ClaimRule::Shares { shares, total } => {
            share_claim(deps.branch(), &env, target, frozen, &account, shares, total)?
        }
    };
    let funds = normalize(claim)?;
    if funds.is_empty() {
        return Err(TargetError::NothingToMove { account }.into());
    }
    // The bank pays the move: what moves can never exceed what the target holds.
    for coin in &funds {
        let balance = deps
            .querier
            .query_balance(&env.contract.address, &coin.denom)?
            .amount;
        if balance < coin.amount {
            return Err(TargetError::MoveUnderfunded {
                denom: coin.denom.clone(),
                claim: coin.amount,
                balance,
            }
            .into());
        }
    }
    state.moves += 1;
    state.last_move_height = env.block.height;
    let mut moved = state.moved.clone();
    moved.extend(funds.iter().cloned());
    state.moved = normalize(moved)?;
    SUCCESSOR.save(deps.storage, &state)?;
    rewind_journal::note_activity(deps.storage, &env, &account)?;

    let record = ClaimRecord {
        source: env.contract.address.clone(),
        source_chain: env.block.chain_id.clone(),
        account: account.clone(),
        funds: funds.clone(),
        sequence: state.moves,
        height: env.block.height,
        time: env.block.time,
    };
    let digest = record.digest();
    let amount = funds
        .iter()
        .map(Coin::to_string)
        .collect::<Vec<_>>()
        .join(",");
    Ok(Response::new()
        .add_attribute("action", "move_to_successor")
        .add_attribute("account", account.as_str())
        .add_attribute("successor", successor.as_str())
        .add_attribute("amount", amount)
        .add_attribute("sequence", state.moves.to_string())
        .add_attribute("digest", digest.to_hex())
        .add_message(WasmMsg::Execute {
            contract_addr: successor.into_string(),
            msg: to_json_binary(&SuccessorExecuteMsg::ReceiveClaim { record, digest })?,
            funds,
        }))
}

/// The claim of a share ledger (`shares: ("shares", "total_share")`): the account's share
/// of every held denom, rounded down; its shares are burnt and the holdings reduced.
fn share_claim<E>(
    deps: DepsMut,
    env: &Env,
    target: &Target<E>,
    frozen: Vec<Addr>,
    account: &Addr,
    shares_ns: &'static str,
    total_ns: &'static str,
) -> Result<Vec<Coin>, ContractError<E>> {
    let (held, set_held) = target.holdings.ok_or(TargetError::NoClaimRule)?;
    let shares: Map<&Addr, Uint128> = Map::new(shares_ns);
    let total: Item<Uint128> = Item::new(total_ns);
    let mut claim = Vec::new();
    let mut failure: Option<TargetError> = None;
    run_journaled(deps, env, target, frozen, |deps| {
        let mine = shares
            .may_load(deps.storage, account)
            .ok()
            .flatten()
            .unwrap_or_default();
        let all = total
            .may_load(deps.storage)
            .ok()
            .flatten()
            .unwrap_or_default();
        if mine.is_zero() || all.is_zero() {
            return Ok(());
        }
        let holdings = held(deps.as_ref())?;
        let mut after = Vec::with_capacity(holdings.len());
        for c in holdings {
            let part = match c.amount.checked_multiply_ratio(mine, all) {
                Ok(part) => part,
                Err(e) => {
                    failure = Some(cosmwasm_std::StdError::msg(e.to_string()).into());
                    return Ok(());
                }
            };
            claim.push(Coin::new(part, c.denom.clone()));
            after.push(Coin::new(c.amount - part, c.denom));
        }
        shares.remove(deps.storage, account);
        if let Err(e) = total.save(deps.storage, &(all - mine)) {
            failure = Some(e.into());
            return Ok(());
        }
        set_held(deps, &after)
    })?;
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(claim),
    }
}

/// `RemainingClaims {}`.
pub fn remaining<E: std::fmt::Display>(
    deps: Deps,
    target: &Target<E>,
) -> Result<RemainingClaimsResponse, TargetError> {
    let view = rewind_journal::JournaledView::new(deps.storage, target.plain);
    let read = Deps {
        storage: &view,
        api: deps.api,
        querier: deps.querier,
    };
    let refused = |e: E| TargetError::Std(cosmwasm_std::StdError::msg(e.to_string()));
    let remaining = match (&target.claim, target.holdings) {
        (Some(ClaimRule::Hook(_, total)), _) => total(read).map_err(refused)?,
        (Some(ClaimRule::Shares { .. }), Some((held, _))) => held(read).map_err(refused)?,
        _ => vec![],
    };
    let state = load(deps.storage)?;
    Ok(RemainingClaimsResponse {
        remaining: normalize(remaining)?,
        moved: state.moved,
        moves: state.moves,
        successor: state.pin.map(|(address, checksum)| SuccessorPin {
            address: address.into_string(),
            checksum,
        }),
    })
}

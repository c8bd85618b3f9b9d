//! A small contract written against plain cw-storage-plus (a `Map`, an `IndexedMap` with a
//! `MultiIndex`, a `SnapshotMap` and a plain `Item`), made restorable by rewind-target, and
//! a multi-test harness around it.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Deps, DepsMut, Empty, Env, MessageInfo, Order, Response,
    StdError, StdResult,
};
use cw_multi_test::{App, AppBuilder, AppResponse, Contract, ContractWrapper, Executor};
use cw_storage_plus::{Index, IndexList, IndexedMap, Item, Map, MultiIndex, SnapshotMap, Strategy};
use rewind_types::restorable::{
    DigestAtResponse, RestorableExecuteMsg, RestorableMigrateMsg, RestorableQueryMsg,
    RestorationPhase, RestorationStatusResponse,
};
use rewind_types::{GateMsg, ShortfallPolicy};
use serde_json::json;

pub const NAME: &str = "crates.io:ledger";
pub const VERSION: &str = "1.0.0";

pub const BALANCES: Map<&Addr, u64> = Map::new("balances");
pub const CONFIG: Item<Addr> = Item::new("config");
pub const HISTORY: SnapshotMap<&Addr, u64> = SnapshotMap::new(
    "history",
    "history__check",
    "history__change",
    Strategy::EveryBlock,
);
pub const FREEZE_LOG: Map<&Addr, u64> = Map::new("freeze_log");
pub const FEED: Item<u64> = Item::new("feed");
pub const REPLIES: Item<u64> = Item::new("replies");

#[cw_serde]
pub struct Token {
    pub owner: Addr,
}

pub struct TokenIndexes<'a> {
    pub owner: MultiIndex<'a, Addr, Token, u64>,
}

impl IndexList<Token> for TokenIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Token>> + '_> {
        let v: Vec<&dyn Index<Token>> = vec![&self.owner];
        Box::new(v.into_iter())
    }
}

pub fn tokens<'a>() -> IndexedMap<u64, Token, TokenIndexes<'a>> {
    IndexedMap::new(
        "tokens",
        TokenIndexes {
            owner: MultiIndex::new(|_, t| t.owner.clone(), "tokens", "tokens__owner"),
        },
    )
}

#[cw_serde]
pub struct InstantiateMsg {
    pub admin: String,
}

#[cw_serde]
pub enum ExecuteMsg {
    Credit {
        amount: u64,
    },
    Send {
        to: String,
        amount: u64,
    },
    Mint {
        id: u64,
    },
    Give {
        id: u64,
        to: String,
    },
    Record {
        value: u64,
    },
    SetAdmin {
        admin: String,
    },
    /// Credits the sender by 1 through a call of the contract to itself.
    Echo {},
    /// Sends the attached funds on to `to`.
    Pay {
        to: String,
    },
    /// A price-feed-like value that a restoration must never replay.
    Feed {
        value: u64,
    },
    /// A token contract's callback: `sender` sent `amount` for `to`.
    Receive {
        sender: String,
        to: String,
        amount: u64,
    },
}

#[cw_serde]
pub enum QueryMsg {
    Balance { address: String },
    TokensOf { owner: String },
    RecordAt { address: String, height: u64 },
    Admin {},
    Feed {},
    Replies {},
}

#[derive(thiserror::Error, Debug)]
pub enum LedgerError {
    #[error("{0}")]
    Std(#[from] StdError),
    #[error("insufficient balance")]
    Insufficient,
    #[error("not the owner")]
    NotOwner,
}

pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, LedgerError> {
    CONFIG.save(deps.storage, &deps.api.addr_validate(&msg.admin)?)?;
    cw2::set_contract_version(deps.storage, NAME, VERSION)?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, LedgerError> {
    let sender = info.sender.clone();
    match msg {
        ExecuteMsg::Credit { amount } => {
            BALANCES.update(deps.storage, &sender, |b| -> StdResult<_> {
                Ok(b.unwrap_or(0) + amount)
            })?;
        }
        ExecuteMsg::Send { to, amount } => {
            let to = deps.api.addr_validate(&to)?;
            BALANCES.update(deps.storage, &sender, |b| {
                b.unwrap_or(0)
                    .checked_sub(amount)
                    .ok_or(LedgerError::Insufficient)
            })?;
            BALANCES.update(deps.storage, &to, |b| -> StdResult<_> {
                Ok(b.unwrap_or(0) + amount)
            })?;
        }
        ExecuteMsg::Mint { id } => tokens().save(deps.storage, id, &Token { owner: sender })?,
        ExecuteMsg::Give { id, to } => {
            let to = deps.api.addr_validate(&to)?;
            let token = tokens().load(deps.storage, id)?;
            if token.owner != sender {
                return Err(LedgerError::NotOwner);
            }
            tokens().replace(deps.storage, id, Some(&Token { owner: to }), Some(&token))?;
        }
        ExecuteMsg::Record { value } => {
            HISTORY.save(deps.storage, &sender, &value, env.block.height)?
        }
        ExecuteMsg::SetAdmin { admin } => {
            CONFIG.save(deps.storage, &deps.api.addr_validate(&admin)?)?
        }
        ExecuteMsg::Echo {} => {
            let credit = to_json_binary(&ExecuteMsg::Credit { amount: 1 })?;
            let call = cosmwasm_std::WasmMsg::Execute {
                contract_addr: env.contract.address.to_string(),
                msg: credit,
                funds: vec![],
            };
            return Ok(Response::new()
                .add_attribute("action", "echo")
                .add_submessage(cosmwasm_std::SubMsg::reply_on_success(call, 1)));
        }
        ExecuteMsg::Pay { to } => {
            let to = deps.api.addr_validate(&to)?;
            BALANCES.update(deps.storage, &to, |b| -> StdResult<_> {
                Ok(b.unwrap_or(0) + info.funds.len() as u64)
            })?;
            let pay = cosmwasm_std::BankMsg::Send {
                to_address: to.to_string(),
                amount: info.funds,
            };
            return Ok(Response::new()
                .add_attribute("action", "pay")
                .add_message(pay));
        }
        ExecuteMsg::Feed { value } => FEED.save(deps.storage, &value)?,
        ExecuteMsg::Receive { to, amount, .. } => {
            let to = deps.api.addr_validate(&to)?;
            BALANCES.update(deps.storage, &to, |b| -> StdResult<_> {
                Ok(b.unwrap_or(0) + amount)
            })?;
        }
    }
    Ok(Response::new().add_attribute("action", "ledger"))
}

pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Balance { address } => {
            let address = deps.api.addr_validate(&address)?;
            to_json_binary(&BALANCES.may_load(deps.storage, &address)?.unwrap_or(0))
        }
        QueryMsg::TokensOf { owner } => {
            let owner = deps.api.addr_validate(&owner)?;
            let ids: Vec<u64> = tokens()
                .idx
                .owner
                .prefix(owner)
                .keys(deps.storage, None, None, Order::Ascending)
                .collect::<StdResult<_>>()?;
            to_json_binary(&ids)
        }
        QueryMsg::RecordAt { address, height } => {
            let address = deps.api.addr_validate(&address)?;
            to_json_binary(&HISTORY.may_load_at_height(deps.storage, &address, height)?)
        }
        QueryMsg::Admin {} => to_json_binary(&CONFIG.load(deps.storage)?),
        QueryMsg::Feed {} => to_json_binary(&FEED.may_load(deps.storage)?),
        QueryMsg::Replies {} => to_json_binary(&REPLIES.may_load(deps.storage)?.unwrap_or(0)),
    }
}

/// Counts the replies to `Echo`'s call.
pub fn reply(deps: DepsMut, _env: Env, _msg: cosmwasm_std::Reply) -> Result<Response, LedgerError> {
    let replies = REPLIES.may_load(deps.storage)?.unwrap_or(0);
    REPLIES.save(deps.storage, &(replies + 1))?;
    Ok(Response::new().add_attribute("action", "reply"))
}

/// Marks the account as frozen in the contract's own ledger (the hook runs on the state at
/// the restoration height).
pub fn freeze(deps: DepsMut, env: &Env, account: &Addr) -> Result<(), LedgerError> {
    FREEZE_LOG.save(deps.storage, account, &env.block.height)?;
    Ok(())
}

/// The ledger's voted configuration: a new admin.
#[cw_serde]
pub struct ConfigUpdate {
    pub admin: String,
}

fn parse_config(deps: Deps, config: &Binary) -> Result<Addr, LedgerError> {
    let update: ConfigUpdate = cosmwasm_std::from_json(config)?;
    Ok(deps.api.addr_validate(&update.admin)?)
}

pub fn check_config(deps: Deps, _env: &Env, config: &Binary) -> Result<(), LedgerError> {
    parse_config(deps, config).map(|_| ())
}

pub fn apply_config(deps: DepsMut, _env: &Env, config: &Binary) -> Result<(), LedgerError> {
    let admin = parse_config(deps.as_ref(), config)?;
    CONFIG.save(deps.storage, &admin)?;
    Ok(())
}

rewind_target::gated!(ExecuteMsg {
    deposit => ExecuteMsg::Credit { .. },
    #[exit] withdraw => ExecuteMsg::Send { .. },
    trade => ExecuteMsg::Mint { .. } | ExecuteMsg::Give { .. } | ExecuteMsg::Record { .. },
    admin => ExecuteMsg::SetAdmin { .. },
    echo => ExecuteMsg::Echo {} | ExecuteMsg::Pay { .. } | ExecuteMsg::Feed { .. }
        | ExecuteMsg::Receive { .. },
}
never_replay: ExecuteMsg::Feed { .. },
on_behalf: ExecuteMsg::Receive { sender, .. } => sender.as_str(),);

rewind_target::restorable! {
    name: NAME,
    version: VERSION,
    instantiate: instantiate(InstantiateMsg),
    execute: execute(ExecuteMsg) -> LedgerError,
    query: query(QueryMsg) -> StdError,
    reply: reply,
    plain: ["config"],
    freeze: freeze,
    config: (check_config, apply_config),
}

pub fn code() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(entry::execute, entry::instantiate, entry::query)
            .with_migrate(entry::migrate)
            .with_reply(entry::reply),
    )
}

/// The ledger on a fresh chain, with a guardian and an executor (its wasm admin).
pub struct Harness {
    pub app: App,
    pub contract: Addr,
    pub code_id: u64,
    pub guardian: Addr,
    pub admin: Addr,
}

impl Harness {
    pub fn new() -> Harness {
        let mut app = AppBuilder::new().build(|router, api, storage| {
            let rich = api.addr_make("rich");
            router
                .bank
                .init_balance(storage, &rich, cosmwasm_std::coins(1_000, "uatom"))
                .unwrap();
        });
        let guardian = app.api().addr_make("guardian");
        let admin = app.api().addr_make("executor");
        let code_id = app.store_code(code());
        let msg = json!({
            "admin": app.api().addr_make("admin"),
            "rewind": {"guardian": guardian, "retention_blocks": 100, "retention_seconds": 3600},
        });
        let contract = app
            .instantiate_contract(
                code_id,
                app.api().addr_make("deployer"),
                &msg,
                &[],
                "ledger",
                Some(admin.to_string()),
            )
            .unwrap();
        let mut h = Harness {
            app,
            contract,
            code_id,
            guardian,
            admin,
        };
        h.next_block();
        h
    }

    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn height(&self) -> u64 {
        self.app.block_info().height
    }

    pub fn next_block(&mut self) {
        self.app.update_block(|b| {
            b.height += 1;
            b.time = b.time.plus_seconds(5);
        });
    }

    pub fn exec(&mut self, who: &str, msg: ExecuteMsg) -> StdResult<AppResponse> {
        let sender = self.addr(who);
        self.app
            .execute_contract(sender, self.contract.clone(), &msg, &[])
    }

    pub fn exec_paying(
        &mut self,
        who: &str,
        msg: ExecuteMsg,
        funds: &[cosmwasm_std::Coin],
    ) -> StdResult<AppResponse> {
        let sender = self.addr(who);
        self.app
            .execute_contract(sender, self.contract.clone(), &msg, funds)
    }

    pub fn gate(&mut self, sender: &Addr, msg: GateMsg) -> StdResult<AppResponse> {
        self.app.execute_contract(
            sender.clone(),
            self.contract.clone(),
            &RestorableExecuteMsg::Gate(msg),
            &[],
        )
    }

    pub fn crank(&mut self) -> StdResult<AppResponse> {
        self.crank_with(Some(200))
    }

    pub fn crank_with(&mut self, limit: Option<u32>) -> StdResult<AppResponse> {
        let anyone = self.addr("keeper");
        self.app.execute_contract(
            anyone,
            self.contract.clone(),
            &RestorableExecuteMsg::Crank { limit },
            &[],
        )
    }

    /// Locks and sends `Restore`, without cranking.
    pub fn start_restore(&mut self, height: u64, exclusions: &[&str]) -> StdResult<()> {
        let digest: DigestAtResponse = self.query(&RestorableQueryMsg::DigestAt { height });
        let until = self.app.block_info().time.plus_seconds(3_600);
        let guardian = self.guardian.clone();
        self.gate(
            &guardian,
            GateMsg::SetRestorationLock { until: Some(until) },
        )?;
        let exclusions = exclusions
            .iter()
            .map(|n| self.addr(n).to_string())
            .collect();
        self.migrate(&RestorableMigrateMsg::Restore {
            height,
            exclusions,
            shortfall_policy: ShortfallPolicy::ProRataHaircut,
            expected_digest: digest.digest,
        })?;
        Ok(())
    }

    pub fn migrate(&mut self, msg: &RestorableMigrateMsg) -> StdResult<AppResponse> {
        let admin = self.admin.clone();
        self.app
            .migrate_contract(admin, self.contract.clone(), msg, self.code_id)
    }

    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &impl serde::Serialize) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.contract, msg)
            .unwrap()
    }

    /// The error text of a query the contract refuses.
    pub fn query_err(&self, msg: &impl serde::Serialize) -> String {
        self.app
            .wrap()
            .query_wasm_smart::<serde_json::Value>(&self.contract, msg)
            .unwrap_err()
            .to_string()
    }

    pub fn balance(&self, who: &str) -> u64 {
        self.query(&QueryMsg::Balance {
            address: self.addr(who).to_string(),
        })
    }

    pub fn status(&self) -> RestorationStatusResponse {
        self.query(&RestorableQueryMsg::RestorationStatus {})
    }

    /// Lock, `Restore` to `height` excluding `exclusions`, crank to completion, `Release`.
    pub fn restore(&mut self, height: u64, exclusions: &[&str]) -> StdResult<()> {
        self.start_restore(height, exclusions)?;
        while self.status().phase != RestorationPhase::Complete {
            self.next_block();
            self.crank()?;
        }
        self.migrate(&RestorableMigrateMsg::Release { config: None })?;
        let guardian = self.guardian.clone();
        self.gate(&guardian, GateMsg::SetRestorationLock { until: None })?;
        self.next_block();
        Ok(())
    }
}

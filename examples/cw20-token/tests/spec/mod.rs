//! The cw20 spec tests: every execute message's success and refusals, the receive hook,
//! pagination, migration, and a property test of supply conservation. They run against the
//! token that the including test crate names `crate::token` (the plain token, and the same
//! file against the restorable one), through `crate::token_contract` and `crate::deployable`.

use crate::token::msg::{
    AllAccountsResponse, AllAllowancesResponse, AllSpenderAllowancesResponse, AllowanceResponse,
    BalanceResponse, Cw20Coin, Cw20ReceiveMsg, Cw20ReceiverExecuteMsg, ExecuteMsg, InstantiateMsg,
    MinterResponse, QueryMsg, TokenInfoResponse,
};
use crate::token::{ContractError, MigrateMsg};
use crate::{deployable, token_contract};
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    coins, to_json_binary, Addr, Binary, Deps, DepsMut, Empty, Env, MessageInfo, OverflowError,
    OverflowOperation, Response, StdError, StdResult, Uint128,
};
use cw_multi_test::{App, AppBuilder, Contract, ContractWrapper, Executor};
use cw_storage_plus::Item;
use cw_utils::{Expiration, PaymentError};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------
// A tiny cw20 receiver: records every `Cw20ReceiveMsg` it gets; refuses the message "fail".

const RECEIVED: Item<Vec<Cw20ReceiveMsg>> = Item::new("received");

#[cw_serde]
struct ReceivedQuery {}

fn receiver_instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    _msg: Empty,
) -> StdResult<Response> {
    RECEIVED.save(deps.storage, &vec![])?;
    Ok(Response::new())
}

fn receiver_execute(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: Cw20ReceiverExecuteMsg,
) -> StdResult<Response> {
    let Cw20ReceiverExecuteMsg::Receive(received) = msg;
    if received.msg.as_slice() == b"fail" {
        return Err(StdError::msg("receiver refuses"));
    }
    RECEIVED.update(deps.storage, |mut all| -> StdResult<_> {
        all.push(received);
        Ok(all)
    })?;
    Ok(Response::new())
}

fn receiver_query(deps: Deps, _env: Env, _msg: ReceivedQuery) -> StdResult<Binary> {
    to_json_binary(&RECEIVED.load(deps.storage)?)
}

fn receiver_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        receiver_execute,
        receiver_instantiate,
        receiver_query,
    ))
}

// ---------------------------------------------------------------------------------------
// The suite.

struct Suite {
    app: App,
    token: Addr,
    minter: Addr,
    alice: Addr,
    bob: Addr,
    carol: Addr,
}

/// What the ledger looks like: every account's balance and the total supply.
type Snapshot = (Vec<(String, Uint128)>, Uint128);

fn addr(app: &App, name: &str) -> Addr {
    app.api().addr_make(name)
}

fn instantiate_msg(app: &App, initial: &[(&str, u128)], cap: Option<u128>) -> InstantiateMsg {
    InstantiateMsg {
        name: "Rewind Test Token".to_string(),
        symbol: "RTT".to_string(),
        decimals: 6,
        initial_balances: initial
            .iter()
            .map(|(name, amount)| Cw20Coin {
                address: addr(app, name).to_string(),
                amount: Uint128::new(*amount),
            })
            .collect(),
        mint: Some(MinterResponse {
            minter: addr(app, "minter").to_string(),
            cap: cap.map(Uint128::new),
        }),
    }
}

impl Suite {
    fn new() -> Self {
        Self::with(&[("alice", 1_000), ("bob", 500)], Some(10_000))
    }

    fn with(initial: &[(&str, u128)], cap: Option<u128>) -> Self {
        let mut app = App::default();
        let msg = instantiate_msg(&app, initial, cap);
        Self::from_msg(&mut app, msg)
            .map(|token| Self::finish(app, token))
            .unwrap()
    }

    fn from_msg(app: &mut App, msg: InstantiateMsg) -> StdResult<Addr> {
        let code = app.store_code(token_contract());
        let owner = app.api().addr_make("owner");
        let msg = deployable(app, msg);
        app.instantiate_contract(
            code,
            owner.clone(),
            &msg,
            &[],
            "token",
            Some(owner.to_string()),
        )
    }

    fn finish(app: App, token: Addr) -> Self {
        Suite {
            minter: addr(&app, "minter"),
            alice: addr(&app, "alice"),
            bob: addr(&app, "bob"),
            carol: addr(&app, "carol"),
            app,
            token,
        }
    }

    fn exec(&mut self, sender: &Addr, msg: &ExecuteMsg) -> StdResult<cw_multi_test::AppResponse> {
        self.app
            .execute_contract(sender.clone(), self.token.clone(), msg, &[])
    }

    /// Executes `msg` and expects exactly `expected`, with the ledger untouched.
    #[track_caller]
    fn refused(&mut self, sender: &Addr, msg: &ExecuteMsg, expected: ContractError) {
        let before = self.snapshot();
        let allowances_before = self.all_allowances_of(&[&self.alice.clone(), &self.bob.clone()]);
        assert_refused(self.exec(sender, msg), expected);
        assert_eq!(self.snapshot(), before, "the ledger moved on a refusal");
        assert_eq!(
            self.all_allowances_of(&[&self.alice.clone(), &self.bob.clone()]),
            allowances_before,
            "allowances moved on a refusal"
        );
    }

    fn query<T: cosmwasm_schema::serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.token, msg).unwrap()
    }

    fn balance(&self, who: &Addr) -> u128 {
        let r: BalanceResponse = self.query(&QueryMsg::Balance {
            address: who.to_string(),
        });
        r.balance.u128()
    }

    fn total_supply(&self) -> u128 {
        let r: TokenInfoResponse = self.query(&QueryMsg::TokenInfo {});
        r.total_supply.u128()
    }

    fn allowance(&self, owner: &Addr, spender: &Addr) -> AllowanceResponse {
        self.query(&QueryMsg::Allowance {
            owner: owner.to_string(),
            spender: spender.to_string(),
        })
    }

    /// Every account, read page by page.
    fn accounts(&self, page: u32) -> Vec<String> {
        let mut all = vec![];
        let mut start_after = None;
        loop {
            let r: AllAccountsResponse = self.query(&QueryMsg::AllAccounts {
                start_after: start_after.clone(),
                limit: Some(page),
            });
            assert!(r.accounts.len() <= page as usize);
            if r.accounts.is_empty() {
                return all;
            }
            start_after = r.accounts.last().cloned();
            all.extend(r.accounts);
        }
    }

    fn snapshot(&self) -> Snapshot {
        let balances = self
            .accounts(30)
            .into_iter()
            .map(|a| {
                let r: BalanceResponse = self.query(&QueryMsg::Balance { address: a.clone() });
                (a, r.balance)
            })
            .collect();
        (balances, Uint128::new(self.total_supply()))
    }

    fn all_allowances_of(&self, owners: &[&Addr]) -> Vec<AllAllowancesResponse> {
        owners
            .iter()
            .map(|o| {
                self.query(&QueryMsg::AllAllowances {
                    owner: o.to_string(),
                    start_after: None,
                    limit: Some(30),
                })
            })
            .collect()
    }

    fn store_receiver(&mut self) -> Addr {
        let code = self.app.store_code(receiver_contract());
        self.app
            .instantiate_contract(code, self.alice.clone(), &Empty {}, &[], "receiver", None)
            .unwrap()
    }

    fn received(&self, receiver: &Addr) -> Vec<Cw20ReceiveMsg> {
        self.app
            .wrap()
            .query_wasm_smart(receiver, &ReceivedQuery {})
            .unwrap()
    }

    fn sum_of_balances(&self) -> u128 {
        self.snapshot().0.iter().map(|(_, b)| b.u128()).sum()
    }
}

/// Asserts that `result` failed with exactly `expected`: multi-test gives the contract's
/// error as text, which ends with the variant's message (unique per variant).
#[track_caller]
fn assert_refused<T: std::fmt::Debug>(result: StdResult<T>, expected: ContractError) {
    let err = result.expect_err("expected a refusal");
    let text = err.to_string();
    let expected = expected.to_string();
    assert!(
        text.ends_with(&expected),
        "error {text:?} is not {expected:?}"
    );
}

fn amount(n: u128) -> Uint128 {
    Uint128::new(n)
}

// ---------------------------------------------------------------------------------------
// instantiate

#[test]
fn instantiate_stores_token_balances_and_minter() {
    let s = Suite::new();
    let info: TokenInfoResponse = s.query(&QueryMsg::TokenInfo {});
    assert_eq!(
        info,
        TokenInfoResponse {
            name: "Rewind Test Token".to_string(),
            symbol: "RTT".to_string(),
            decimals: 6,
            total_supply: amount(1_500),
        }
    );
    assert_eq!(s.balance(&s.alice), 1_000);
    assert_eq!(s.balance(&s.bob), 500);
    assert_eq!(s.balance(&s.carol), 0);
    let minter: Option<MinterResponse> = s.query(&QueryMsg::Minter {});
    assert_eq!(
        minter,
        Some(MinterResponse {
            minter: s.minter.to_string(),
            cap: Some(amount(10_000)),
        })
    );
    let version = cw2::query_contract_info(&s.app.wrap(), s.token.to_string()).unwrap();
    assert_eq!(version.contract, crate::token::instantiate::CONTRACT_NAME);
}

#[test]
fn instantiate_without_minter_has_fixed_supply() {
    let mut app = App::default();
    let mut msg = instantiate_msg(&app, &[("alice", 7)], None);
    msg.mint = None;
    let token = Suite::from_msg(&mut app, msg).unwrap();
    let mut s = Suite::finish(app, token);
    let minter: Option<MinterResponse> = s.query(&QueryMsg::Minter {});
    assert_eq!(minter, None);
    let minter = s.minter.clone();
    s.refused(
        &minter,
        &ExecuteMsg::Mint {
            recipient: minter.to_string(),
            amount: amount(1),
        },
        ContractError::MintingDisabled {},
    );
}

/// A change to a valid instantiate message that makes it invalid.
type Change = Box<dyn Fn(&mut InstantiateMsg, &App)>;

#[test]
fn instantiate_refusals() {
    // MockApi addresses depend on the name only, so every App agrees on alice's.
    let alice = addr(&App::default(), "alice");
    let cases: Vec<(Change, ContractError)> = vec![
        (
            Box::new(|m, _| m.name = "ab".to_string()),
            ContractError::InvalidName {},
        ),
        (
            Box::new(|m, _| m.name = "x".repeat(51)),
            ContractError::InvalidName {},
        ),
        (
            Box::new(|m, _| m.symbol = "AB".to_string()),
            ContractError::InvalidSymbol {},
        ),
        (
            Box::new(|m, _| m.symbol = "ABCDEFGHIJKLM".to_string()),
            ContractError::InvalidSymbol {},
        ),
        (
            Box::new(|m, _| m.symbol = "AB1".to_string()),
            ContractError::InvalidSymbol {},
        ),
        (
            Box::new(|m, _| m.decimals = 19),
            ContractError::InvalidDecimals {},
        ),
        (
            Box::new(|m, app| {
                m.initial_balances.push(Cw20Coin {
                    address: addr(app, "alice").to_string(),
                    amount: amount(1),
                })
            }),
            ContractError::DuplicateInitialBalanceAddresses {
                address: alice.to_string(),
            },
        ),
        (
            Box::new(|m, _| m.initial_balances[0].amount = Uint128::zero()),
            ContractError::InvalidZeroAmount {},
        ),
        (
            Box::new(|m, _| m.mint.as_mut().unwrap().cap = Some(amount(1_499))),
            ContractError::InitialSupplyExceedsCap {
                supply: amount(1_500),
                cap: amount(1_499),
            },
        ),
    ];
    for (change, expected) in cases {
        let mut app = App::default();
        let mut msg = instantiate_msg(&app, &[("alice", 1_000), ("bob", 500)], Some(10_000));
        change(&mut msg, &app);
        assert_refused(Suite::from_msg(&mut app, msg), expected);
    }
    // Symbols may hold dashes; a cap equal to the initial supply is fine.
    let mut app = App::default();
    let mut msg = instantiate_msg(&app, &[("alice", 1_000)], Some(1_000));
    msg.symbol = "R-T".to_string();
    Suite::from_msg(&mut app, msg).unwrap();
}

#[test]
fn instantiate_refuses_funds() {
    let mut app = AppBuilder::new().build(|router, api, storage| {
        router
            .bank
            .init_balance(storage, &api.addr_make("owner"), coins(10, "ucoin"))
            .unwrap();
    });
    let code = app.store_code(token_contract());
    let msg = instantiate_msg(&app, &[("alice", 1)], None);
    let sender = app.api().addr_make("owner");
    assert_refused(
        app.instantiate_contract(
            code,
            sender,
            &deployable(&app, msg),
            &coins(1, "ucoin"),
            "token",
            None,
        ),
        ContractError::Payment(PaymentError::NonPayable {}),
    );
}

// ---------------------------------------------------------------------------------------
// transfer, burn, send

#[test]
fn transfer_moves_tokens() {
    let mut s = Suite::new();
    let (alice, carol) = (s.alice.clone(), s.carol.clone());
    let res = s
        .exec(
            &alice,
            &ExecuteMsg::Transfer {
                recipient: carol.to_string(),
                amount: amount(300),
            },
        )
        .unwrap();
    assert!(res.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "transfer")
            .add_attribute("from", alice.to_string())
            .add_attribute("to", carol.to_string())
            .add_attribute("amount", "300")
    ));
    assert_eq!(s.balance(&alice), 700);
    assert_eq!(s.balance(&carol), 300);
    assert_eq!(s.total_supply(), 1_500);
}

#[test]
fn transfer_refusals() {
    let mut s = Suite::new();
    let (alice, carol) = (s.alice.clone(), s.carol.clone());
    s.refused(
        &alice,
        &ExecuteMsg::Transfer {
            recipient: carol.to_string(),
            amount: Uint128::zero(),
        },
        ContractError::InvalidZeroAmount {},
    );
    s.refused(
        &alice,
        &ExecuteMsg::Transfer {
            recipient: carol.to_string(),
            amount: amount(1_001),
        },
        ContractError::InsufficientFunds {
            balance: amount(1_000),
            required: amount(1_001),
        },
    );
    s.refused(
        &carol,
        &ExecuteMsg::Transfer {
            recipient: alice.to_string(),
            amount: amount(1),
        },
        ContractError::InsufficientFunds {
            balance: Uint128::zero(),
            required: amount(1),
        },
    );
    // An invalid recipient address is refused too, with nothing moved.
    let before = s.snapshot();
    assert!(s
        .exec(
            &alice,
            &ExecuteMsg::Transfer {
                recipient: "not-an-address".to_string(),
                amount: amount(1),
            },
        )
        .is_err());
    assert_eq!(s.snapshot(), before);
}

#[test]
fn executes_refuse_funds() {
    let mut app = AppBuilder::new().build(|router, api, storage| {
        router
            .bank
            .init_balance(storage, &api.addr_make("alice"), coins(10, "ucoin"))
            .unwrap();
    });
    let msg = instantiate_msg(&app, &[("alice", 1_000)], None);
    let token = Suite::from_msg(&mut app, msg).unwrap();
    let mut s = Suite::finish(app, token);
    let (alice, bob) = (s.alice.clone(), s.bob.clone());
    let before = s.snapshot();
    assert_refused(
        s.app.execute_contract(
            alice.clone(),
            s.token.clone(),
            &ExecuteMsg::Transfer {
                recipient: bob.to_string(),
                amount: amount(1),
            },
            &coins(1, "ucoin"),
        ),
        ContractError::Payment(PaymentError::NonPayable {}),
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn burn_lowers_balance_and_supply() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let res = s
        .exec(
            &alice,
            &ExecuteMsg::Burn {
                amount: amount(400),
            },
        )
        .unwrap();
    assert!(res.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "burn")
            .add_attribute("from", alice.to_string())
            .add_attribute("amount", "400")
    ));
    assert_eq!(s.balance(&alice), 600);
    assert_eq!(s.total_supply(), 1_100);
    s.refused(
        &alice,
        &ExecuteMsg::Burn {
            amount: Uint128::zero(),
        },
        ContractError::InvalidZeroAmount {},
    );
    s.refused(
        &alice,
        &ExecuteMsg::Burn {
            amount: amount(601),
        },
        ContractError::InsufficientFunds {
            balance: amount(600),
            required: amount(601),
        },
    );
}

#[test]
fn send_delivers_a_receive_msg() {
    let mut s = Suite::new();
    let receiver = s.store_receiver();
    let alice = s.alice.clone();
    let res = s
        .exec(
            &alice,
            &ExecuteMsg::Send {
                contract: receiver.to_string(),
                amount: amount(250),
                msg: Binary::from(b"hello".to_vec()),
            },
        )
        .unwrap();
    assert!(res.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "send")
            .add_attribute("from", alice.to_string())
            .add_attribute("to", receiver.to_string())
            .add_attribute("amount", "250")
    ));
    assert_eq!(s.balance(&alice), 750);
    assert_eq!(s.balance(&receiver), 250);
    assert_eq!(
        s.received(&receiver),
        vec![Cw20ReceiveMsg {
            sender: alice.to_string(),
            amount: amount(250),
            msg: Binary::from(b"hello".to_vec()),
        }]
    );
}

#[test]
fn send_refusals_and_a_failing_receiver_undo_everything() {
    let mut s = Suite::new();
    let receiver = s.store_receiver();
    let alice = s.alice.clone();
    let send = |amount: Uint128, msg: &[u8]| ExecuteMsg::Send {
        contract: receiver.to_string(),
        amount,
        msg: Binary::from(msg.to_vec()),
    };
    s.refused(
        &alice,
        &send(Uint128::zero(), b"x"),
        ContractError::InvalidZeroAmount {},
    );
    s.refused(
        &alice,
        &send(amount(1_001), b"x"),
        ContractError::InsufficientFunds {
            balance: amount(1_000),
            required: amount(1_001),
        },
    );
    // The receiver refuses: the whole send is undone.
    let before = s.snapshot();
    let err = s.exec(&alice, &send(amount(10), b"fail")).unwrap_err();
    assert!(err.to_string().contains("receiver refuses"), "{err}");
    assert_eq!(s.snapshot(), before);
    assert!(s.received(&receiver).is_empty());
}

// ---------------------------------------------------------------------------------------
// mint, update_minter

#[test]
fn mint_within_cap() {
    let mut s = Suite::new();
    let (minter, carol) = (s.minter.clone(), s.carol.clone());
    let res = s
        .exec(
            &minter,
            &ExecuteMsg::Mint {
                recipient: carol.to_string(),
                amount: amount(8_500),
            },
        )
        .unwrap();
    assert!(res.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "mint")
            .add_attribute("to", carol.to_string())
            .add_attribute("amount", "8500")
    ));
    assert_eq!(s.balance(&carol), 8_500);
    assert_eq!(s.total_supply(), 10_000);
    s.refused(
        &minter,
        &ExecuteMsg::Mint {
            recipient: carol.to_string(),
            amount: amount(1),
        },
        ContractError::CannotExceedCap {
            cap: amount(10_000),
            supply: amount(10_001),
        },
    );
}

#[test]
fn mint_refusals() {
    let mut s = Suite::new();
    let (minter, alice) = (s.minter.clone(), s.alice.clone());
    s.refused(
        &alice,
        &ExecuteMsg::Mint {
            recipient: alice.to_string(),
            amount: amount(1),
        },
        ContractError::Unauthorized {},
    );
    s.refused(
        &minter,
        &ExecuteMsg::Mint {
            recipient: alice.to_string(),
            amount: Uint128::zero(),
        },
        ContractError::InvalidZeroAmount {},
    );
}

#[test]
fn mint_without_cap_is_unbounded_but_checked() {
    let mut s = Suite::with(&[("alice", 1)], None);
    let minter = s.minter.clone();
    s.exec(
        &minter,
        &ExecuteMsg::Mint {
            recipient: minter.to_string(),
            amount: Uint128::MAX - amount(1),
        },
    )
    .unwrap();
    assert_eq!(s.total_supply(), u128::MAX);
    // One more token would overflow: an error, not a panic.
    s.refused(
        &minter,
        &ExecuteMsg::Mint {
            recipient: minter.to_string(),
            amount: amount(1),
        },
        ContractError::Overflow(OverflowError::new(OverflowOperation::Add)),
    );
}

#[test]
fn update_minter_hands_over_and_disables() {
    let mut s = Suite::new();
    let (minter, alice, bob) = (s.minter.clone(), s.alice.clone(), s.bob.clone());
    s.refused(
        &alice,
        &ExecuteMsg::UpdateMinter {
            new_minter: Some(alice.to_string()),
        },
        ContractError::Unauthorized {},
    );
    let res = s
        .exec(
            &minter,
            &ExecuteMsg::UpdateMinter {
                new_minter: Some(alice.to_string()),
            },
        )
        .unwrap();
    assert!(res.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "update_minter")
            .add_attribute("new_minter", alice.to_string())
    ));
    let now: Option<MinterResponse> = s.query(&QueryMsg::Minter {});
    assert_eq!(
        now,
        Some(MinterResponse {
            minter: alice.to_string(),
            cap: Some(amount(10_000)),
        })
    );
    s.refused(
        &minter,
        &ExecuteMsg::Mint {
            recipient: minter.to_string(),
            amount: amount(1),
        },
        ContractError::Unauthorized {},
    );
    s.exec(
        &alice,
        &ExecuteMsg::Mint {
            recipient: bob.to_string(),
            amount: amount(5),
        },
    )
    .unwrap();
    assert_eq!(s.balance(&bob), 505);
    // Disabled for good.
    s.exec(&alice, &ExecuteMsg::UpdateMinter { new_minter: None })
        .unwrap();
    let now: Option<MinterResponse> = s.query(&QueryMsg::Minter {});
    assert_eq!(now, None);
    s.refused(
        &alice,
        &ExecuteMsg::Mint {
            recipient: bob.to_string(),
            amount: amount(1),
        },
        ContractError::MintingDisabled {},
    );
    s.refused(
        &alice,
        &ExecuteMsg::UpdateMinter {
            new_minter: Some(alice.to_string()),
        },
        ContractError::MintingDisabled {},
    );
}

// ---------------------------------------------------------------------------------------
// allowances

fn increase(spender: &Addr, n: u128, expires: Option<Expiration>) -> ExecuteMsg {
    ExecuteMsg::IncreaseAllowance {
        spender: spender.to_string(),
        amount: amount(n),
        expires,
    }
}

fn decrease(spender: &Addr, n: u128, expires: Option<Expiration>) -> ExecuteMsg {
    ExecuteMsg::DecreaseAllowance {
        spender: spender.to_string(),
        amount: amount(n),
        expires,
    }
}

#[test]
fn increase_allowance_adds_and_sets_expiry() {
    let mut s = Suite::new();
    let (alice, bob) = (s.alice.clone(), s.bob.clone());
    let height = s.app.block_info().height;
    let res = s.exec(&alice, &increase(&bob, 100, None)).unwrap();
    assert!(res.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "increase_allowance")
            .add_attribute("owner", alice.to_string())
            .add_attribute("spender", bob.to_string())
            .add_attribute("amount", "100")
    ));
    assert_eq!(
        s.allowance(&alice, &bob),
        AllowanceResponse {
            allowance: amount(100),
            expires: Expiration::Never {},
        }
    );
    let expiry = Expiration::AtHeight(height + 10);
    s.exec(&alice, &increase(&bob, 50, Some(expiry))).unwrap();
    assert_eq!(
        s.allowance(&alice, &bob),
        AllowanceResponse {
            allowance: amount(150),
            expires: expiry,
        }
    );
    let spender: AllSpenderAllowancesResponse = s.query(&QueryMsg::AllSpenderAllowances {
        spender: bob.to_string(),
        start_after: None,
        limit: None,
    });
    assert_eq!(spender.allowances.len(), 1);
    assert_eq!(spender.allowances[0].owner, alice.to_string());
    assert_eq!(spender.allowances[0].allowance, amount(150));
    assert_eq!(spender.allowances[0].expires, expiry);
}

#[test]
fn increase_allowance_refusals() {
    let mut s = Suite::new();
    let (alice, bob) = (s.alice.clone(), s.bob.clone());
    let height = s.app.block_info().height;
    s.refused(
        &alice,
        &increase(&alice, 10, None),
        ContractError::CannotSetOwnAccount {},
    );
    s.refused(
        &alice,
        &increase(&bob, 0, None),
        ContractError::InvalidZeroAmount {},
    );
    s.refused(
        &alice,
        &increase(&bob, 10, Some(Expiration::AtHeight(height))),
        ContractError::InvalidExpiration {},
    );
    let now = s.app.block_info().time;
    s.refused(
        &alice,
        &increase(&bob, 10, Some(Expiration::AtTime(now.minus_seconds(1)))),
        ContractError::InvalidExpiration {},
    );
}

#[test]
fn decrease_allowance_lowers_and_removes() {
    let mut s = Suite::new();
    let (alice, bob) = (s.alice.clone(), s.bob.clone());
    let height = s.app.block_info().height;
    s.exec(&alice, &increase(&bob, 100, None)).unwrap();
    let expiry = Expiration::AtHeight(height + 5);
    let res = s.exec(&alice, &decrease(&bob, 30, Some(expiry))).unwrap();
    assert!(res.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "decrease_allowance")
            .add_attribute("owner", alice.to_string())
            .add_attribute("spender", bob.to_string())
            .add_attribute("amount", "30")
    ));
    assert_eq!(
        s.allowance(&alice, &bob),
        AllowanceResponse {
            allowance: amount(70),
            expires: expiry,
        }
    );
    // More than what is left removes it from both indexes.
    s.exec(&alice, &decrease(&bob, 1_000, None)).unwrap();
    assert_eq!(s.allowance(&alice, &bob), AllowanceResponse::default());
    let spender: AllSpenderAllowancesResponse = s.query(&QueryMsg::AllSpenderAllowances {
        spender: bob.to_string(),
        start_after: None,
        limit: None,
    });
    assert!(spender.allowances.is_empty());
}

#[test]
fn decrease_allowance_refusals() {
    let mut s = Suite::new();
    let (alice, bob, carol) = (s.alice.clone(), s.bob.clone(), s.carol.clone());
    let height = s.app.block_info().height;
    s.exec(&alice, &increase(&bob, 100, None)).unwrap();
    s.refused(
        &alice,
        &decrease(&alice, 10, None),
        ContractError::CannotSetOwnAccount {},
    );
    s.refused(
        &alice,
        &decrease(&bob, 0, None),
        ContractError::InvalidZeroAmount {},
    );
    s.refused(
        &alice,
        &decrease(&carol, 10, None),
        ContractError::NoAllowance {},
    );
    s.refused(
        &alice,
        &decrease(&bob, 10, Some(Expiration::AtHeight(height - 1))),
        ContractError::InvalidExpiration {},
    );
}

#[test]
fn transfer_from_spends_the_allowance() {
    let mut s = Suite::new();
    let (alice, bob, carol) = (s.alice.clone(), s.bob.clone(), s.carol.clone());
    s.exec(&alice, &increase(&bob, 300, None)).unwrap();
    let res = s
        .exec(
            &bob,
            &ExecuteMsg::TransferFrom {
                owner: alice.to_string(),
                recipient: carol.to_string(),
                amount: amount(120),
            },
        )
        .unwrap();
    assert!(res.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "transfer_from")
            .add_attribute("from", alice.to_string())
            .add_attribute("to", carol.to_string())
            .add_attribute("by", bob.to_string())
            .add_attribute("amount", "120")
    ));
    assert_eq!(s.balance(&alice), 880);
    assert_eq!(s.balance(&carol), 120);
    assert_eq!(s.balance(&bob), 500);
    assert_eq!(s.allowance(&alice, &bob).allowance, amount(180));
    let spender: AllSpenderAllowancesResponse = s.query(&QueryMsg::AllSpenderAllowances {
        spender: bob.to_string(),
        start_after: None,
        limit: None,
    });
    assert_eq!(spender.allowances[0].allowance, amount(180));
    assert_eq!(s.total_supply(), 1_500);
}

#[test]
fn transfer_from_refusals() {
    let mut s = Suite::new();
    let (alice, bob, carol) = (s.alice.clone(), s.bob.clone(), s.carol.clone());
    let height = s.app.block_info().height;
    let from = |owner: &Addr, n: u128| ExecuteMsg::TransferFrom {
        owner: owner.to_string(),
        recipient: carol.to_string(),
        amount: amount(n),
    };
    s.refused(&carol, &from(&alice, 1), ContractError::NoAllowance {});
    s.exec(
        &alice,
        &increase(&bob, 2_000, Some(Expiration::AtHeight(height + 2))),
    )
    .unwrap();
    s.refused(&bob, &from(&alice, 0), ContractError::InvalidZeroAmount {});
    // Allowed, but alice holds only 1,000.
    s.refused(
        &bob,
        &from(&alice, 1_001),
        ContractError::InsufficientFunds {
            balance: amount(1_000),
            required: amount(1_001),
        },
    );
    // bob gave alice nothing to decrease.
    s.refused(
        &bob,
        &decrease(&alice, 1, None),
        ContractError::NoAllowance {},
    );
    s.exec(&alice, &decrease(&bob, 1_990, None)).unwrap();
    s.refused(
        &bob,
        &from(&alice, 11),
        ContractError::InsufficientAllowance {
            allowance: amount(10),
            required: amount(11),
        },
    );
    s.app.update_block(|b| b.height += 2);
    s.refused(&bob, &from(&alice, 1), ContractError::Expired {});
}

#[test]
fn send_from_delivers_with_the_spender_as_sender() {
    let mut s = Suite::new();
    let receiver = s.store_receiver();
    let (alice, bob) = (s.alice.clone(), s.bob.clone());
    s.exec(&alice, &increase(&bob, 100, None)).unwrap();
    let send_from = |n: u128, msg: &[u8]| ExecuteMsg::SendFrom {
        owner: alice.to_string(),
        contract: receiver.to_string(),
        amount: amount(n),
        msg: Binary::from(msg.to_vec()),
    };
    let res = s.exec(&bob, &send_from(60, b"pay")).unwrap();
    assert!(res.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "send_from")
            .add_attribute("from", alice.to_string())
            .add_attribute("to", receiver.to_string())
            .add_attribute("by", bob.to_string())
            .add_attribute("amount", "60")
    ));
    assert_eq!(s.balance(&alice), 940);
    assert_eq!(s.balance(&receiver), 60);
    assert_eq!(s.allowance(&alice, &bob).allowance, amount(40));
    assert_eq!(
        s.received(&receiver),
        vec![Cw20ReceiveMsg {
            sender: bob.to_string(),
            amount: amount(60),
            msg: Binary::from(b"pay".to_vec()),
        }]
    );
    s.refused(
        &bob,
        &send_from(0, b"x"),
        ContractError::InvalidZeroAmount {},
    );
    s.refused(
        &bob,
        &send_from(41, b"x"),
        ContractError::InsufficientAllowance {
            allowance: amount(40),
            required: amount(41),
        },
    );
    let carol = s.carol.clone();
    s.refused(&carol, &send_from(1, b"x"), ContractError::NoAllowance {});
    // A failing receiver undoes the spend too.
    let before = s.snapshot();
    assert!(s.exec(&bob, &send_from(5, b"fail")).is_err());
    assert_eq!(s.snapshot(), before);
    assert_eq!(s.allowance(&alice, &bob).allowance, amount(40));
}

#[test]
fn burn_from_spends_the_allowance_and_supply() {
    let mut s = Suite::new();
    let (alice, bob, carol) = (s.alice.clone(), s.bob.clone(), s.carol.clone());
    let height = s.app.block_info().height;
    s.exec(
        &alice,
        &increase(&bob, 100, Some(Expiration::AtHeight(height + 1))),
    )
    .unwrap();
    let burn_from = |n: u128| ExecuteMsg::BurnFrom {
        owner: alice.to_string(),
        amount: amount(n),
    };
    let res = s.exec(&bob, &burn_from(70)).unwrap();
    assert!(res.has_event(
        &cosmwasm_std::Event::new("wasm")
            .add_attribute("action", "burn_from")
            .add_attribute("from", alice.to_string())
            .add_attribute("by", bob.to_string())
            .add_attribute("amount", "70")
    ));
    assert_eq!(s.balance(&alice), 930);
    assert_eq!(s.total_supply(), 1_430);
    assert_eq!(s.allowance(&alice, &bob).allowance, amount(30));
    s.refused(&bob, &burn_from(0), ContractError::InvalidZeroAmount {});
    s.refused(
        &bob,
        &burn_from(31),
        ContractError::InsufficientAllowance {
            allowance: amount(30),
            required: amount(31),
        },
    );
    s.refused(&carol, &burn_from(1), ContractError::NoAllowance {});
    s.app.update_block(|b| b.height += 1);
    s.refused(&bob, &burn_from(1), ContractError::Expired {});
}

// ---------------------------------------------------------------------------------------
// supply conservation, pagination, migration

#[test]
fn supply_is_conserved_across_a_mixed_sequence() {
    let mut s = Suite::new();
    let receiver = s.store_receiver();
    let (alice, bob, carol, minter) = (
        s.alice.clone(),
        s.bob.clone(),
        s.carol.clone(),
        s.minter.clone(),
    );
    let steps: Vec<(Addr, ExecuteMsg)> = vec![
        (
            alice.clone(),
            ExecuteMsg::Transfer {
                recipient: carol.to_string(),
                amount: amount(100),
            },
        ),
        (
            minter.clone(),
            ExecuteMsg::Mint {
                recipient: bob.to_string(),
                amount: amount(1_000),
            },
        ),
        (
            bob.clone(),
            ExecuteMsg::Burn {
                amount: amount(200),
            },
        ),
        (alice.clone(), increase(&carol, 500, None)),
        (
            carol.clone(),
            ExecuteMsg::SendFrom {
                owner: alice.to_string(),
                contract: receiver.to_string(),
                amount: amount(50),
                msg: Binary::default(),
            },
        ),
        (
            carol.clone(),
            ExecuteMsg::BurnFrom {
                owner: alice.to_string(),
                amount: amount(25),
            },
        ),
    ];
    for (sender, msg) in steps {
        s.exec(&sender, &msg).unwrap();
        assert_eq!(s.sum_of_balances(), s.total_supply());
    }
    assert_eq!(s.total_supply(), 1_500 + 1_000 - 200 - 25);
}

#[test]
fn all_accounts_pages() {
    let names: Vec<String> = (0..35).map(|i| format!("holder{i}")).collect();
    let initial: Vec<(&str, u128)> = names.iter().map(|n| (n.as_str(), 1)).collect();
    let s = Suite::with(&initial, None);
    let mut expected: Vec<String> = names.iter().map(|n| addr(&s.app, n).to_string()).collect();
    expected.sort();
    // Default page 10, largest page 30.
    let first: AllAccountsResponse = s.query(&QueryMsg::AllAccounts {
        start_after: None,
        limit: None,
    });
    assert_eq!(first.accounts, expected[..10]);
    let big: AllAccountsResponse = s.query(&QueryMsg::AllAccounts {
        start_after: None,
        limit: Some(100),
    });
    assert_eq!(big.accounts, expected[..30]);
    let rest: AllAccountsResponse = s.query(&QueryMsg::AllAccounts {
        start_after: Some(expected[29].clone()),
        limit: Some(100),
    });
    assert_eq!(rest.accounts, expected[30..]);
    // Pages of 7 cover everything exactly once.
    assert_eq!(s.accounts(7), expected);
}

#[test]
fn allowances_page_by_owner_and_by_spender() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let spenders: Vec<Addr> = (0..23)
        .map(|i| addr(&s.app, &format!("spender{i}")))
        .collect();
    for (i, spender) in spenders.iter().enumerate() {
        s.exec(&alice, &increase(spender, i as u128 + 1, None))
            .unwrap();
    }
    let mut expected: Vec<String> = spenders.iter().map(|a| a.to_string()).collect();
    expected.sort();

    let mut seen = vec![];
    let mut start_after = None;
    loop {
        let page: AllAllowancesResponse = s.query(&QueryMsg::AllAllowances {
            owner: alice.to_string(),
            start_after: start_after.clone(),
            limit: None,
        });
        assert!(page.allowances.len() <= 10);
        if page.allowances.is_empty() {
            break;
        }
        start_after = page.allowances.last().map(|a| a.spender.clone());
        seen.extend(page.allowances);
    }
    assert_eq!(
        seen.iter().map(|a| a.spender.clone()).collect::<Vec<_>>(),
        expected
    );
    for info in &seen {
        let i = spenders
            .iter()
            .position(|a| a.as_str() == info.spender)
            .unwrap();
        assert_eq!(info.allowance, amount(i as u128 + 1));
    }

    // By spender: several owners give one spender an allowance.
    let spender = s.carol.clone();
    let owners: Vec<Addr> = (0..12)
        .map(|i| addr(&s.app, &format!("owner{i}")))
        .collect();
    let minter = s.minter.clone();
    for owner in &owners {
        s.exec(
            &minter,
            &ExecuteMsg::Mint {
                recipient: owner.to_string(),
                amount: amount(1),
            },
        )
        .unwrap();
        s.exec(owner, &increase(&spender, 5, None)).unwrap();
    }
    let mut expected: Vec<String> = owners.iter().map(|a| a.to_string()).collect();
    expected.sort();
    let first: AllSpenderAllowancesResponse = s.query(&QueryMsg::AllSpenderAllowances {
        spender: spender.to_string(),
        start_after: None,
        limit: Some(5),
    });
    let second: AllSpenderAllowancesResponse = s.query(&QueryMsg::AllSpenderAllowances {
        spender: spender.to_string(),
        start_after: Some(first.allowances[4].owner.clone()),
        limit: Some(30),
    });
    let all: Vec<String> = first
        .allowances
        .iter()
        .chain(second.allowances.iter())
        .map(|a| a.owner.clone())
        .collect();
    assert_eq!(all, expected);
}

#[test]
fn migrate_keeps_state_and_the_version() {
    let mut s = Suite::new();
    let owner = s.app.api().addr_make("owner");
    let code = s.app.store_code(token_contract());
    s.app
        .migrate_contract(owner, s.token.clone(), &MigrateMsg {}, code)
        .unwrap();
    assert_eq!(s.balance(&s.alice), 1_000);
    let version = cw2::query_contract_info(&s.app.wrap(), s.token.to_string()).unwrap();
    assert_eq!(version.version, env!("CARGO_PKG_VERSION"));
}

// ---------------------------------------------------------------------------------------
// property: random transfer / mint / burn sequences keep Σ balances == total_supply

#[derive(Debug, Clone)]
enum Op {
    Transfer {
        from: usize,
        to: usize,
        amount: u128,
    },
    Mint {
        to: usize,
        amount: u128,
    },
    Burn {
        from: usize,
        amount: u128,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 0..4usize, 0..1_500u128).prop_map(|(from, to, amount)| Op::Transfer {
            from,
            to,
            amount
        }),
        (0..4usize, 0..3_000u128).prop_map(|(to, amount)| Op::Mint { to, amount }),
        (0..4usize, 0..1_500u128).prop_map(|(from, amount)| Op::Burn { from, amount }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_sequences_conserve_supply(ops in prop::collection::vec(op(), 1..25)) {
        let mut s = Suite::with(&[("alice", 1_000), ("bob", 500)], Some(20_000));
        let people = [s.alice.clone(), s.bob.clone(), s.carol.clone(), s.minter.clone()];
        // An independent model of the ledger.
        let mut model = [1_000u128, 500, 0, 0];
        let mut supply = 1_500u128;
        for op in ops {
            let (sender, msg, ok) = match op {
                Op::Transfer { from, to, amount } => {
                    let ok = amount > 0 && model[from] >= amount;
                    if ok {
                        model[from] -= amount;
                        model[to] += amount;
                    }
                    (from, ExecuteMsg::Transfer { recipient: people[to].to_string(), amount: Uint128::new(amount) }, ok)
                }
                Op::Mint { to, amount } => {
                    let ok = amount > 0 && supply + amount <= 20_000;
                    if ok {
                        model[to] += amount;
                        supply += amount;
                    }
                    (3, ExecuteMsg::Mint { recipient: people[to].to_string(), amount: Uint128::new(amount) }, ok)
                }
                Op::Burn { from, amount } => {
                    let ok = amount > 0 && model[from] >= amount;
                    if ok {
                        model[from] -= amount;
                        supply -= amount;
                    }
                    (from, ExecuteMsg::Burn { amount: Uint128::new(amount) }, ok)
                }
            };
            let result = s.exec(&people[sender], &msg);
            prop_assert_eq!(result.is_ok(), ok, "{:?} -> {:?}", msg, result);
            prop_assert_eq!(s.total_supply(), supply);
            prop_assert_eq!(s.sum_of_balances(), supply);
            for (who, expected) in people.iter().zip(model) {
                prop_assert_eq!(s.balance(who), expected);
            }
        }
    }
}

#[test]
fn migrate_refuses_another_contract_and_a_downgrade() {
    let mut deps = cosmwasm_std::testing::mock_dependencies();
    cw2::set_contract_version(deps.as_mut().storage, "crates.io:another", "0.1.0").unwrap();
    let err = crate::token::contract::migrate(
        deps.as_mut(),
        cosmwasm_std::testing::mock_env(),
        MigrateMsg {},
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("Cannot migrate from crates.io:another"),
        "{err}"
    );
    let name = crate::token::instantiate::CONTRACT_NAME;
    cw2::set_contract_version(deps.as_mut().storage, name, "99.0.0").unwrap();
    let err = crate::token::contract::migrate(
        deps.as_mut(),
        cosmwasm_std::testing::mock_env(),
        MigrateMsg {},
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("Cannot migrate from newer version"),
        "{err}"
    );
}

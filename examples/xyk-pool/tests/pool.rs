//! Multi-test tests of xyk-pool with native balances: providing (first and later, with the
//! refund of an excess), withdrawing, swapping both ways, fees, slippage, every refusal, and
//! a property test of the pool's solvency and of `k` across swaps.

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{coin, coins, Addr, Coin, Empty, Event, StdResult, Uint128, Uint256};
use cw_multi_test::{App, AppBuilder, AppResponse, Contract, ContractWrapper, Executor};
use cw_utils::PaymentError;
use proptest::prelude::*;
use xyk_pool::msg::{
    AllSharesResponse, ConfigResponse, ExecuteMsg, InstantiateMsg, PoolResponse, QueryMsg,
    ShareInfo, SimulationResponse,
};
use xyk_pool::state::{MINIMUM_LIQUIDITY, RESERVES, SHARES, TOTAL_SHARE};
use xyk_pool::{ContractError, MigrateMsg};

const A: &str = "uatom";
const B: &str = "uosmo";
const OTHER: &str = "uother";
const FEE_BPS: u16 = 30;
const RICH: u128 = 1_000_000_000_000;

fn pool_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            xyk_pool::contract::execute,
            xyk_pool::contract::instantiate,
            xyk_pool::contract::query,
        )
        .with_migrate(xyk_pool::contract::migrate),
    )
}

const USERS: [&str; 4] = ["alice", "bob", "carol", "dave"];

struct Suite {
    app: App,
    pool: Addr,
    users: Vec<Addr>,
}

/// Everything a refusal must leave alone: every bank balance involved and the pool's state.
#[derive(Debug, PartialEq)]
struct Snapshot {
    bank: Vec<Vec<Coin>>,
    pool: PoolResponse,
    shares: Vec<ShareInfo>,
}

fn app_with_funds(extra: &[&str]) -> App {
    let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    AppBuilder::new().build(move |router, api, storage| {
        for name in USERS.iter().map(|s| s.to_string()).chain(extra.clone()) {
            router
                .bank
                .init_balance(
                    storage,
                    &api.addr_make(&name),
                    vec![coin(RICH, A), coin(RICH, B), coin(RICH, OTHER)],
                )
                .unwrap();
        }
    })
}

impl Suite {
    fn new() -> Self {
        Self::with_fee(FEE_BPS)
    }

    fn with_fee(fee_bps: u16) -> Self {
        let mut app = app_with_funds(&[]);
        let pool = instantiate(
            &mut app,
            &InstantiateMsg {
                denoms: [A.to_string(), B.to_string()],
                fee_bps,
            },
            &[],
        )
        .unwrap();
        let users = USERS.iter().map(|n| app.api().addr_make(n)).collect();
        Suite { app, pool, users }
    }

    /// A pool with alice's 10,000 A and 40,000 B in it: 20,000 shares, 1,000 locked.
    fn seeded() -> Self {
        let mut s = Self::new();
        let alice = s.users[0].clone();
        s.provide(&alice, 10_000, 40_000, None).unwrap();
        s
    }

    fn user(&self, i: usize) -> Addr {
        self.users[i].clone()
    }

    fn exec(&mut self, sender: &Addr, msg: &ExecuteMsg, funds: &[Coin]) -> StdResult<AppResponse> {
        self.app
            .execute_contract(sender.clone(), self.pool.clone(), msg, funds)
    }

    fn provide(
        &mut self,
        sender: &Addr,
        a: u128,
        b: u128,
        min_share: Option<u128>,
    ) -> StdResult<AppResponse> {
        self.exec(
            sender,
            &ExecuteMsg::ProvideLiquidity {
                min_share: min_share.map(Uint128::new),
            },
            &[coin(a, A), coin(b, B)],
        )
    }

    fn withdraw(&mut self, sender: &Addr, share: u128) -> StdResult<AppResponse> {
        self.exec(
            sender,
            &ExecuteMsg::WithdrawLiquidity {
                share: Uint128::new(share),
                min_assets: None,
            },
            &[],
        )
    }

    fn swap(&mut self, sender: &Addr, offer: Coin) -> StdResult<AppResponse> {
        self.exec(
            sender,
            &ExecuteMsg::Swap {
                min_return: None,
                to: None,
            },
            &[offer],
        )
    }

    fn query<T: cosmwasm_schema::serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.pool, msg).unwrap()
    }

    fn pool_state(&self) -> PoolResponse {
        self.query(&QueryMsg::Pool {})
    }

    fn reserves(&self) -> [u128; 2] {
        let p = self.pool_state();
        assert_eq!(p.assets[0].denom, A);
        assert_eq!(p.assets[1].denom, B);
        [
            Uint128::try_from(p.assets[0].amount).unwrap().u128(),
            Uint128::try_from(p.assets[1].amount).unwrap().u128(),
        ]
    }

    fn k(&self) -> Uint256 {
        let [a, b] = self.reserves();
        Uint256::from(a) * Uint256::from(b)
    }

    fn total_share(&self) -> u128 {
        self.pool_state().total_share.u128()
    }

    fn share(&self, who: &Addr) -> u128 {
        let s: Uint128 = self.query(&QueryMsg::Share {
            address: who.to_string(),
        });
        s.u128()
    }

    fn bank(&self, who: &Addr, denom: &str) -> u128 {
        let c = self.app.wrap().query_balance(who, denom).unwrap();
        Uint128::try_from(c.amount).unwrap().u128()
    }

    fn simulate(&self, offer: Coin) -> SimulationResponse {
        self.query(&QueryMsg::Simulation { offer })
    }

    fn all_shares(&self) -> Vec<ShareInfo> {
        let mut all = vec![];
        let mut start_after = None;
        loop {
            let page: AllSharesResponse = self.query(&QueryMsg::AllShares {
                start_after: start_after.clone(),
                limit: Some(30),
            });
            if page.shares.is_empty() {
                return all;
            }
            start_after = page.shares.last().map(|s| s.address.clone());
            all.extend(page.shares);
        }
    }

    fn snapshot(&self) -> Snapshot {
        let mut holders = self.users.clone();
        holders.push(self.pool.clone());
        Snapshot {
            bank: holders
                .iter()
                .map(|h| {
                    [A, B, OTHER]
                        .iter()
                        .map(|d| self.app.wrap().query_balance(h, *d).unwrap())
                        .collect()
                })
                .collect(),
            pool: self.pool_state(),
            shares: self.all_shares(),
        }
    }

    /// Executes `msg` with `funds` and expects exactly `expected`, with nothing moved.
    #[track_caller]
    fn refused(
        &mut self,
        sender: &Addr,
        msg: &ExecuteMsg,
        funds: &[Coin],
        expected: ContractError,
    ) {
        let before = self.snapshot();
        assert_refused(self.exec(sender, msg, funds), expected);
        assert_eq!(self.snapshot(), before, "something moved on a refusal");
    }
}

fn instantiate(app: &mut App, msg: &InstantiateMsg, funds: &[Coin]) -> StdResult<Addr> {
    let code = app.store_code(pool_contract());
    let owner = app.api().addr_make("alice");
    app.instantiate_contract(
        code,
        owner.clone(),
        msg,
        funds,
        "pool",
        Some(owner.to_string()),
    )
}

/// Asserts that `result` failed with exactly `expected`: multi-test gives the contract's
/// error as text, which ends with the variant's message.
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

/// The constant-product return and fee, computed here independently of the contract.
fn expected_swap(
    offer_reserve: u128,
    ask_reserve: u128,
    offer: u128,
    fee_bps: u16,
) -> (u128, u128) {
    let gross = ask_reserve * offer / (offer_reserve + offer);
    let fee = gross * fee_bps as u128 / 10_000;
    (gross - fee, fee)
}

fn u(n: u128) -> Uint128 {
    Uint128::new(n)
}

// ---------------------------------------------------------------------------------------
// instantiate

#[test]
fn instantiate_stores_config_and_an_empty_pool() {
    let s = Suite::new();
    let config: ConfigResponse = s.query(&QueryMsg::Config {});
    assert_eq!(
        config,
        ConfigResponse {
            denoms: [A.to_string(), B.to_string()],
            fee_bps: FEE_BPS,
        }
    );
    assert_eq!(s.reserves(), [0, 0]);
    assert_eq!(s.total_share(), 0);
    assert!(s.all_shares().is_empty());
    let version = cw2::query_contract_info(&s.app.wrap(), s.pool.to_string()).unwrap();
    assert_eq!(version.contract, "crates.io:xyk-pool");
}

#[test]
fn instantiate_refusals() {
    let mut app = app_with_funds(&[]);
    let msg = |a: &str, b: &str, fee_bps: u16| InstantiateMsg {
        denoms: [a.to_string(), b.to_string()],
        fee_bps,
    };
    assert_refused(
        instantiate(&mut app, &msg(A, A, 30), &[]),
        ContractError::SameDenoms {
            denom: A.to_string(),
        },
    );
    for bad in ["ab", "1atom", "u atom", ""] {
        assert_refused(
            instantiate(&mut app, &msg(A, bad, 30), &[]),
            ContractError::InvalidDenom {
                denom: bad.to_string(),
            },
        );
    }
    assert_refused(
        instantiate(&mut app, &msg(A, B, 1_001), &[]),
        ContractError::FeeTooHigh {
            fee_bps: 1_001,
            max: 1_000,
        },
    );
    assert_refused(
        instantiate(&mut app, &msg(A, B, 30), &coins(1, A)),
        ContractError::Payment(PaymentError::NonPayable {}),
    );
    // IBC-style denoms and the maximum fee are fine.
    instantiate(
        &mut app,
        &msg("ibc/27394FB092D2ECCD", "factory/osmo1x/lp", 1_000),
        &[],
    )
    .unwrap();
}

// ---------------------------------------------------------------------------------------
// provide

#[test]
fn first_provide_mints_sqrt_and_locks_the_minimum() {
    let mut s = Suite::new();
    let alice = s.user(0);
    let res = s.provide(&alice, 10_000, 40_000, Some(19_000)).unwrap();
    assert!(res.has_event(
        &Event::new("wasm")
            .add_attribute("action", "provide_liquidity")
            .add_attribute("provider", alice.to_string())
            .add_attribute("assets", format!("10000{A},40000{B}"))
            .add_attribute("share", "19000")
    ));
    assert_eq!(s.total_share(), 20_000);
    assert_eq!(s.share(&alice), 19_000);
    assert_eq!(s.share(&s.pool.clone()), MINIMUM_LIQUIDITY.u128());
    assert_eq!(s.reserves(), [10_000, 40_000]);
    assert_eq!(s.bank(&s.pool.clone(), A), 10_000);
    assert_eq!(s.bank(&s.pool.clone(), B), 40_000);
    assert_eq!(s.bank(&alice, A), RICH - 10_000);
    // The locked shares can never be withdrawn: even all of alice's leaves them.
    s.withdraw(&alice, 19_000).unwrap();
    assert_eq!(s.total_share(), 1_000);
    assert_eq!(s.reserves(), [500, 2_000]);
}

#[test]
fn first_provide_must_exceed_the_minimum() {
    let mut s = Suite::new();
    let alice = s.user(0);
    s.refused(
        &alice,
        &ExecuteMsg::ProvideLiquidity { min_share: None },
        &[coin(1_000, A), coin(1_000, B)],
        ContractError::InsufficientInitialLiquidity {
            share: u(1_000),
            minimum: MINIMUM_LIQUIDITY,
        },
    );
    s.provide(&alice, 1_001, 1_001, None).unwrap();
    assert_eq!(s.share(&alice), 1);
}

#[test]
fn later_provide_mints_pro_rata_and_refunds_the_excess() {
    let mut s = Suite::seeded();
    let bob = s.user(1);
    // 5,000 A is worth 10,000 shares; 30,000 B would be worth 15,000: 10,000 B come back.
    let res = s.provide(&bob, 5_000, 30_000, None).unwrap();
    assert!(res.has_event(
        &Event::new("wasm")
            .add_attribute("action", "provide_liquidity")
            .add_attribute("assets", format!("5000{A},20000{B}"))
            .add_attribute("share", "10000")
            .add_attribute("refund", format!("10000{B}"))
    ));
    assert!(res.has_event(
        &Event::new("transfer")
            .add_attribute("recipient", bob.to_string())
            .add_attribute("sender", s.pool.to_string())
            .add_attribute("amount", format!("10000{B}"))
    ));
    assert_eq!(s.share(&bob), 10_000);
    assert_eq!(s.total_share(), 30_000);
    assert_eq!(s.reserves(), [15_000, 60_000]);
    assert_eq!(s.bank(&bob, A), RICH - 5_000);
    assert_eq!(s.bank(&bob, B), RICH - 20_000);
    assert_eq!(s.bank(&s.pool.clone(), B), 60_000);

    // The other side in excess: A comes back.
    let carol = s.user(2);
    s.provide(&carol, 9_000, 4_000, None).unwrap();
    assert_eq!(s.share(&carol), 2_000);
    assert_eq!(s.bank(&carol, A), RICH - 1_000);
    assert_eq!(s.reserves(), [16_000, 64_000]);
}

#[test]
fn provide_rounds_in_the_pools_favour() {
    let mut s = Suite::seeded();
    let alice = s.user(0);
    // Make the ratio uneven.
    s.swap(&alice, coin(777, A)).unwrap();
    let [ra, rb] = s.reserves();
    let total = s.total_share();
    let bob = s.user(1);
    s.provide(&bob, 1_000, 1_000_000, None).unwrap();
    let share = s.share(&bob);
    assert_eq!(share, 1_000 * total / ra);
    let [na, nb] = s.reserves();
    // What the pool kept is at least what the share is worth, and at most one unit more.
    let (kept_a, kept_b) = (na - ra, nb - rb);
    assert!(kept_a * total >= share * ra && (kept_a - 1) * total < share * ra);
    assert!(kept_b * total >= share * rb && (kept_b - 1) * total < share * rb);
    assert_eq!(s.bank(&bob, B), RICH - kept_b);
}

#[test]
fn provide_refusals() {
    let mut s = Suite::seeded();
    let bob = s.user(1);
    let provide = ExecuteMsg::ProvideLiquidity { min_share: None };
    s.refused(
        &bob,
        &provide,
        &[coin(100, A)],
        ContractError::MissingAsset {
            denom: B.to_string(),
        },
    );
    s.refused(
        &bob,
        &provide,
        &[coin(100, B)],
        ContractError::MissingAsset {
            denom: A.to_string(),
        },
    );
    s.refused(
        &bob,
        &provide,
        &[],
        ContractError::MissingAsset {
            denom: A.to_string(),
        },
    );
    s.refused(
        &bob,
        &provide,
        &[coin(100, A), coin(400, B), coin(5, OTHER)],
        ContractError::UnexpectedDenom {
            denom: OTHER.to_string(),
        },
    );
    // 1 B is worth half a share: nothing to mint.
    s.refused(
        &bob,
        &provide,
        &[coin(1, A), coin(1, B)],
        ContractError::ZeroShare {},
    );
    s.refused(
        &bob,
        &ExecuteMsg::ProvideLiquidity {
            min_share: Some(u(1_001)),
        },
        &[coin(500, A), coin(2_000, B)],
        ContractError::ShareBelowMinimum {
            share: u(1_000),
            min_share: u(1_001),
        },
    );
}

/// Zero and repeated coins never reach a contract through the bank module, so these two
/// refusals are checked on the entry point directly.
#[test]
fn provide_refuses_zero_and_repeated_coins() {
    let mut deps = mock_dependencies();
    let creator = deps.api.addr_make("creator");
    xyk_pool::contract::instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&creator, &[]),
        InstantiateMsg {
            denoms: [A.to_string(), B.to_string()],
            fee_bps: 30,
        },
    )
    .unwrap();
    let provide = ExecuteMsg::ProvideLiquidity { min_share: None };
    let err = xyk_pool::contract::execute(
        deps.as_mut(),
        mock_env(),
        message_info(&creator, &[coin(5_000, A), coin(0, B)]),
        provide.clone(),
    )
    .unwrap_err();
    assert!(matches!(err, ContractError::ZeroAmount { denom } if denom == B));
    let err = xyk_pool::contract::execute(
        deps.as_mut(),
        mock_env(),
        message_info(&creator, &[coin(5_000, A), coin(5_000, A), coin(5_000, B)]),
        provide,
    )
    .unwrap_err();
    assert!(matches!(err, ContractError::DuplicateDenom { denom } if denom == A));
    let err = xyk_pool::contract::execute(
        deps.as_mut(),
        mock_env(),
        message_info(&creator, &[coin(0, A)]),
        ExecuteMsg::Swap {
            min_return: None,
            to: None,
        },
    )
    .unwrap_err();
    assert!(matches!(err, ContractError::ZeroAmount { denom } if denom == A));
}

// ---------------------------------------------------------------------------------------
// withdraw

#[test]
fn withdraw_pays_both_denoms_pro_rata() {
    let mut s = Suite::seeded();
    let alice = s.user(0);
    let res = s
        .exec(
            &alice,
            &ExecuteMsg::WithdrawLiquidity {
                share: u(5_000),
                min_assets: Some([u(2_500), u(10_000)]),
            },
            &[],
        )
        .unwrap();
    assert!(res.has_event(
        &Event::new("wasm")
            .add_attribute("action", "withdraw_liquidity")
            .add_attribute("provider", alice.to_string())
            .add_attribute("share", "5000")
            .add_attribute("provider_share", "14000")
            .add_attribute("assets", format!("2500{A},10000{B}"))
    ));
    assert_eq!(s.share(&alice), 14_000);
    assert_eq!(s.total_share(), 15_000);
    assert_eq!(s.reserves(), [7_500, 30_000]);
    assert_eq!(s.bank(&alice, A), RICH - 7_500);
    assert_eq!(s.bank(&alice, B), RICH - 30_000);
    assert_eq!(s.bank(&s.pool.clone(), A), 7_500);
    // All of it: alice leaves the ledger.
    s.withdraw(&alice, 14_000).unwrap();
    assert_eq!(s.share(&alice), 0);
    assert_eq!(
        s.all_shares(),
        vec![ShareInfo {
            address: s.pool.to_string(),
            share: MINIMUM_LIQUIDITY,
        }]
    );
}

#[test]
fn withdraw_refusals() {
    let mut s = Suite::seeded();
    let (alice, bob) = (s.user(0), s.user(1));
    let withdraw = |share: u128, min: Option<[u128; 2]>| ExecuteMsg::WithdrawLiquidity {
        share: u(share),
        min_assets: min.map(|[a, b]| [u(a), u(b)]),
    };
    s.refused(
        &alice,
        &withdraw(0, None),
        &[],
        ContractError::ZeroWithdrawal {},
    );
    s.refused(
        &alice,
        &withdraw(19_001, None),
        &[],
        ContractError::InsufficientShare {
            available: u(19_000),
            requested: u(19_001),
        },
    );
    s.refused(
        &bob,
        &withdraw(1, None),
        &[],
        ContractError::InsufficientShare {
            available: Uint128::zero(),
            requested: u(1),
        },
    );
    s.refused(
        &alice,
        &withdraw(5_000, Some([2_500, 10_001])),
        &[],
        ContractError::WithdrawalBelowMinimum {
            denom: B.to_string(),
            amount: u(10_000),
            minimum: u(10_001),
        },
    );
    s.refused(
        &alice,
        &withdraw(5_000, Some([2_501, 0])),
        &[],
        ContractError::WithdrawalBelowMinimum {
            denom: A.to_string(),
            amount: u(2_500),
            minimum: u(2_501),
        },
    );
    s.refused(
        &alice,
        &withdraw(5_000, None),
        &coins(1, A),
        ContractError::Payment(PaymentError::NonPayable {}),
    );
}

/// A share worth less than one unit of either denom pays nothing and is refused. The pool's
/// own arithmetic keeps `A * B >= total²`, so this state is set in storage directly.
#[test]
fn withdraw_of_dust_is_refused() {
    let mut deps = mock_dependencies();
    let alice = deps.api.addr_make("alice");
    xyk_pool::contract::instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&alice, &[]),
        InstantiateMsg {
            denoms: [A.to_string(), B.to_string()],
            fee_bps: 30,
        },
    )
    .unwrap();
    RESERVES
        .save(deps.as_mut().storage, &[u(400), u(999)])
        .unwrap();
    TOTAL_SHARE.save(deps.as_mut().storage, &u(1_010)).unwrap();
    SHARES.save(deps.as_mut().storage, &alice, &u(10)).unwrap();
    let err = xyk_pool::contract::execute(
        deps.as_mut(),
        mock_env(),
        message_info(&alice, &[]),
        ExecuteMsg::WithdrawLiquidity {
            share: u(1),
            min_assets: None,
        },
    )
    .unwrap_err();
    assert!(matches!(err, ContractError::WithdrawalTooSmall {}));
    // Two shares are worth one unit of B: paid, and A's zero is simply not sent.
    let res = xyk_pool::contract::execute(
        deps.as_mut(),
        mock_env(),
        message_info(&alice, &[]),
        ExecuteMsg::WithdrawLiquidity {
            share: u(2),
            min_assets: None,
        },
    )
    .unwrap();
    assert_eq!(
        res.messages[0].msg,
        cosmwasm_std::BankMsg::Send {
            to_address: alice.to_string(),
            amount: vec![coin(1, B)],
        }
        .into()
    );
}

// ---------------------------------------------------------------------------------------
// swap

#[test]
fn swap_a_for_b_and_b_for_a() {
    let mut s = Suite::seeded();
    let bob = s.user(1);

    let (ret, fee) = expected_swap(10_000, 40_000, 1_000, FEE_BPS);
    assert_eq!(
        s.simulate(coin(1_000, A)),
        SimulationResponse {
            return_amount: u(ret),
            fee_amount: u(fee),
        }
    );
    let res = s.swap(&bob, coin(1_000, A)).unwrap();
    assert!(res.has_event(
        &Event::new("wasm")
            .add_attribute("action", "swap")
            .add_attribute("sender", bob.to_string())
            .add_attribute("receiver", bob.to_string())
            .add_attribute("offer_denom", A)
            .add_attribute("ask_denom", B)
            .add_attribute("offer_amount", "1000")
            .add_attribute("return_amount", ret.to_string())
            .add_attribute("fee_amount", fee.to_string())
    ));
    assert_eq!(s.bank(&bob, A), RICH - 1_000);
    assert_eq!(s.bank(&bob, B), RICH + ret);
    assert_eq!(s.reserves(), [11_000, 40_000 - ret]);

    // And back.
    let [ra, rb] = s.reserves();
    let (ret2, _) = expected_swap(rb, ra, 2_000, FEE_BPS);
    s.swap(&bob, coin(2_000, B)).unwrap();
    assert_eq!(s.bank(&bob, A), RICH - 1_000 + ret2);
    assert_eq!(s.reserves(), [ra - ret2, rb + 2_000]);
    assert_eq!(s.bank(&s.pool.clone(), A), ra - ret2);
    assert_eq!(s.bank(&s.pool.clone(), B), rb + 2_000);
}

#[test]
fn swap_pays_to_another_address() {
    let mut s = Suite::seeded();
    let (bob, carol) = (s.user(1), s.user(2));
    let (ret, _) = expected_swap(40_000, 10_000, 4_000, FEE_BPS);
    s.exec(
        &bob,
        &ExecuteMsg::Swap {
            min_return: Some(u(ret)),
            to: Some(carol.to_string()),
        },
        &[coin(4_000, B)],
    )
    .unwrap();
    assert_eq!(s.bank(&bob, B), RICH - 4_000);
    assert_eq!(s.bank(&bob, A), RICH);
    assert_eq!(s.bank(&carol, A), RICH + ret);
}

#[test]
fn fees_stay_in_the_pool_and_raise_k() {
    let mut s = Suite::seeded();
    let (alice, bob) = (s.user(0), s.user(1));
    let k0 = s.k();
    let mut last = k0;
    for _ in 0..5 {
        s.swap(&bob, coin(3_000, A)).unwrap();
        assert!(s.k() > last);
        last = s.k();
        let ret = s.simulate(coin(2_000, B));
        assert!(!ret.fee_amount.is_zero());
        s.swap(&bob, coin(2_000, B)).unwrap();
        assert!(s.k() > last);
        last = s.k();
    }
    // The fees belong to the providers: alice's 19,000 of 20,000 shares now withdraw more
    // than their part of the first k: got_a * got_b > k0 * (19/20)².
    s.withdraw(&alice, 19_000).unwrap();
    let got_a = s.bank(&alice, A) + 10_000 - RICH;
    let got_b = s.bank(&alice, B) + 40_000 - RICH;
    assert!(
        Uint256::from(got_a) * Uint256::from(got_b) * Uint256::from(400u128)
            > k0 * Uint256::from(361u128)
    );

    // Without a fee, k still never falls (rounding favours the pool).
    let mut free = Suite::with_fee(0);
    free.provide(&alice, 10_000, 40_000, None).unwrap();
    let k = free.k();
    let (ret, fee) = expected_swap(10_000, 40_000, 1_000, 0);
    assert_eq!(fee, 0);
    free.swap(&bob, coin(1_000, A)).unwrap();
    assert_eq!(free.bank(&bob, B), RICH + ret);
    assert!(free.k() >= k);
}

#[test]
fn slippage_refusal_leaves_balances_unchanged() {
    let mut s = Suite::seeded();
    let bob = s.user(1);
    let sim = s.simulate(coin(1_000, A));
    s.refused(
        &bob,
        &ExecuteMsg::Swap {
            min_return: Some(sim.return_amount + u(1)),
            to: None,
        },
        &[coin(1_000, A)],
        ContractError::Slippage {
            return_amount: sim.return_amount,
            min_return: sim.return_amount + u(1),
        },
    );
    // Exactly the simulated return is accepted.
    s.exec(
        &bob,
        &ExecuteMsg::Swap {
            min_return: Some(sim.return_amount),
            to: None,
        },
        &[coin(1_000, A)],
    )
    .unwrap();
    assert_eq!(s.bank(&bob, B), RICH + sim.return_amount.u128());
}

#[test]
fn swap_refusals() {
    let mut s = Suite::new();
    let bob = s.user(1);
    let swap = ExecuteMsg::Swap {
        min_return: None,
        to: None,
    };
    s.refused(&bob, &swap, &[coin(100, A)], ContractError::EmptyPool {});
    let alice = s.user(0);
    s.provide(&alice, 10_000, 40_000, None).unwrap();
    s.refused(&bob, &swap, &[], ContractError::NoOffer {});
    s.refused(
        &bob,
        &swap,
        &[coin(100, A), coin(100, B)],
        ContractError::MultipleOffers { count: 2 },
    );
    s.refused(
        &bob,
        &swap,
        &[coin(100, OTHER)],
        ContractError::UnexpectedDenom {
            denom: OTHER.to_string(),
        },
    );
    // 1 B into 40,000 B / 10,000 A returns 0 A.
    s.refused(&bob, &swap, &[coin(1, B)], ContractError::ZeroReturn {});
    let before = s.snapshot();
    assert!(s
        .exec(
            &bob,
            &ExecuteMsg::Swap {
                min_return: None,
                to: Some("not an address".to_string()),
            },
            &[coin(100, A)],
        )
        .is_err());
    assert_eq!(s.snapshot(), before);
}

#[test]
fn simulation_refusals() {
    let s = Suite::new();
    let err = s
        .app
        .wrap()
        .query_wasm_smart::<SimulationResponse>(
            &s.pool,
            &QueryMsg::Simulation { offer: coin(1, A) },
        )
        .unwrap_err();
    assert!(err
        .to_string()
        .contains(&ContractError::EmptyPool {}.to_string()));
    let err = s
        .app
        .wrap()
        .query_wasm_smart::<SimulationResponse>(
            &s.pool,
            &QueryMsg::Simulation {
                offer: coin(1, OTHER),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains(
        &ContractError::UnexpectedDenom {
            denom: OTHER.to_string()
        }
        .to_string()
    ));
}

#[test]
fn a_donation_does_not_move_the_price() {
    let mut s = Suite::seeded();
    let carol = s.user(2);
    let before = s.simulate(coin(1_000, A));
    let pool = s.pool.clone();
    s.app
        .send_tokens(carol, pool.clone(), &[coin(1_000_000, B)])
        .unwrap();
    assert_eq!(s.simulate(coin(1_000, A)), before);
    assert_eq!(s.reserves(), [10_000, 40_000]);
    assert_eq!(s.bank(&pool, B), 1_040_000);
}

// ---------------------------------------------------------------------------------------
// pagination, migration

#[test]
fn all_shares_pages() {
    let names: Vec<String> = (0..14).map(|i| format!("lp{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut app = app_with_funds(&refs);
    let pool = instantiate(
        &mut app,
        &InstantiateMsg {
            denoms: [A.to_string(), B.to_string()],
            fee_bps: FEE_BPS,
        },
        &[],
    )
    .unwrap();
    let users = USERS.iter().map(|n| app.api().addr_make(n)).collect();
    let mut s = Suite { app, pool, users };
    let lps: Vec<Addr> = names.iter().map(|n| s.app.api().addr_make(n)).collect();
    for lp in &lps {
        s.provide(lp, 10_000, 10_000, None).unwrap();
    }
    let mut expected: Vec<String> = lps
        .iter()
        .chain(std::iter::once(&s.pool))
        .map(|a| a.to_string())
        .collect();
    expected.sort();
    let first: AllSharesResponse = s.query(&QueryMsg::AllShares {
        start_after: None,
        limit: None,
    });
    assert_eq!(first.shares.len(), 10);
    let second: AllSharesResponse = s.query(&QueryMsg::AllShares {
        start_after: first.shares.last().map(|s| s.address.clone()),
        limit: None,
    });
    let got: Vec<String> = first
        .shares
        .iter()
        .chain(second.shares.iter())
        .map(|s| s.address.clone())
        .collect();
    assert_eq!(got, expected);
    let sum: u128 = s.all_shares().iter().map(|s| s.share.u128()).sum();
    assert_eq!(sum, s.total_share());
}

#[test]
fn migrate_keeps_state() {
    let mut s = Suite::seeded();
    let alice = s.user(0);
    let code = s.app.store_code(pool_contract());
    s.app
        .migrate_contract(alice.clone(), s.pool.clone(), &MigrateMsg {}, code)
        .unwrap();
    assert_eq!(s.reserves(), [10_000, 40_000]);
    assert_eq!(s.share(&alice), 19_000);
}

#[test]
fn messages_keep_the_json_shape() {
    let json = cosmwasm_std::to_json_string(&ExecuteMsg::WithdrawLiquidity {
        share: u(5),
        min_assets: Some([u(1), u(2)]),
    })
    .unwrap();
    assert_eq!(
        json,
        r#"{"withdraw_liquidity":{"share":"5","min_assets":["1","2"]}}"#
    );
    let msg: InstantiateMsg =
        cosmwasm_std::from_json(r#"{"denoms":["uatom","uosmo"],"fee_bps":30}"#).unwrap();
    assert_eq!(msg.denoms, [A.to_string(), B.to_string()]);
    // The schemas build (cw-schema takes the `[T; 2]` fields from 2-tuple mirrors).
    use cosmwasm_schema::QueryResponses;
    let responses = QueryMsg::response_schemas_cw();
    assert_eq!(responses.len(), 5);
    let _ = cosmwasm_schema::cw_schema::schema_of::<ExecuteMsg>();
    let _ = cosmwasm_schema::cw_schema::schema_of::<InstantiateMsg>();
    let _ = QueryMsg::response_schemas();
}

// ---------------------------------------------------------------------------------------
// property: solvency and k across random provide / swap / withdraw sequences

#[derive(Debug, Clone)]
enum Op {
    Provide {
        who: usize,
        a: u128,
        b: u128,
    },
    Swap {
        who: usize,
        a_to_b: bool,
        amount: u128,
    },
    Withdraw {
        who: usize,
        per_mille: u128,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 1..5_000_000u128, 1..5_000_000u128).prop_map(|(who, a, b)| Op::Provide {
            who,
            a,
            b
        }),
        (0..4usize, any::<bool>(), 1..2_000_000u128).prop_map(|(who, a_to_b, amount)| Op::Swap {
            who,
            a_to_b,
            amount
        }),
        (0..4usize, 1..=1_000u128).prop_map(|(who, per_mille)| Op::Withdraw { who, per_mille }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn pool_stays_solvent_and_k_never_falls_on_swaps(
        fee_bps in 0..=1_000u16,
        seed in [2_000..10_000_000u128, 2_000..10_000_000u128],
        ops in prop::collection::vec(op(), 1..30),
    ) {
        let mut s = Suite::with_fee(fee_bps);
        let pool = s.pool.clone();
        // A first deposit of random size, so swaps and withdrawals have a pool to work on.
        let first = s.user(0);
        s.provide(&first, seed[0], seed[1], None).unwrap();
        for op in ops {
            let k_before = s.k();
            let result = match op {
                Op::Provide { who, a, b } => {
                    let who = s.user(who);
                    s.provide(&who, a, b, None).map(|_| ())
                }
                Op::Swap { who, a_to_b, amount } => {
                    let who = s.user(who);
                    let offer = coin(amount, if a_to_b { A } else { B });
                    let sim = s.app.wrap().query_wasm_smart::<SimulationResponse>(
                        &pool, &QueryMsg::Simulation { offer: offer.clone() });
                    let ask = if a_to_b { B } else { A };
                    let bank_before = s.bank(&who, ask);
                    let result = s.swap(&who, offer).map(|_| ());
                    if result.is_ok() {
                        // The simulation told the truth, and k did not fall.
                        let sim = sim.unwrap();
                        prop_assert_eq!(s.bank(&who, ask), bank_before + sim.return_amount.u128());
                        prop_assert!(s.k() >= k_before, "k fell on a swap");
                    }
                    result
                }
                Op::Withdraw { who, per_mille } => {
                    let who = s.user(who);
                    let share = s.share(&who) * per_mille / 1_000;
                    s.withdraw(&who, share).map(|_| ())
                }
            };
            let _ = result; // refusals (tiny amounts, empty pool, no share) are fine here
            let [ra, rb] = s.reserves();
            prop_assert!(s.bank(&pool, A) >= ra, "pool holds less {} than its reserve", A);
            prop_assert!(s.bank(&pool, B) >= rb, "pool holds less {} than its reserve", B);
            let sum: u128 = s.all_shares().iter().map(|x| x.share.u128()).sum();
            prop_assert_eq!(sum, s.total_share());
            if s.total_share() > 0 {
                prop_assert!(ra > 0 && rb > 0);
                prop_assert!(s.share(&pool) == MINIMUM_LIQUIDITY.u128());
            }
        }
    }
}

#[test]
fn migrate_refuses_another_contract_and_a_downgrade() {
    let mut deps = cosmwasm_std::testing::mock_dependencies();
    cw2::set_contract_version(deps.as_mut().storage, "crates.io:another", "0.1.0").unwrap();
    let err = xyk_pool::contract::migrate(
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
    cw2::set_contract_version(deps.as_mut().storage, "crates.io:xyk-pool", "99.0.0").unwrap();
    let err = xyk_pool::contract::migrate(
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

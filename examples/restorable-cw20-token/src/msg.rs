//! The cw20 interface, with the spec's JSON: instantiate, execute and query messages, the
//! query responses, and the [`Cw20ReceiveMsg`] a receiving contract gets from `send`.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{to_json_binary, Binary, CosmosMsg, StdResult, Uint128, WasmMsg};
use cw_utils::Expiration;

/// An initial balance: `amount` tokens for `address`.
#[cw_serde]
pub struct Cw20Coin {
    /// The account credited at instantiation.
    pub address: String,
    /// Its initial balance.
    pub amount: Uint128,
}

/// Who may mint, and up to which total supply. Also the `minter {}` query's answer.
#[cw_serde]
pub struct MinterResponse {
    /// The only account allowed to mint.
    pub minter: String,
    /// The greatest total supply minting may reach; `None` for no limit.
    pub cap: Option<Uint128>,
}

/// Creates the token.
#[cw_serde]
pub struct InstantiateMsg {
    /// The token's name: 3 to 50 characters.
    pub name: String,
    /// The ticker: 3 to 12 characters of `[a-zA-Z-]`.
    pub symbol: String,
    /// The number of decimals a client shows: at most 18.
    pub decimals: u8,
    /// The accounts credited at instantiation, each at most once.
    pub initial_balances: Vec<Cw20Coin>,
    /// The minter and its cap; `None` for a fixed supply.
    pub mint: Option<MinterResponse>,
}

/// The cw20 execute messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Moves `amount` tokens from the sender to `recipient`.
    Transfer {
        /// The account credited.
        recipient: String,
        /// How many tokens.
        amount: Uint128,
    },
    /// Destroys `amount` of the sender's tokens, lowering the total supply.
    Burn {
        /// How many tokens.
        amount: Uint128,
    },
    /// Moves `amount` tokens to `contract` and calls its `receive` with a [`Cw20ReceiveMsg`].
    Send {
        /// The receiving contract.
        contract: String,
        /// How many tokens.
        amount: Uint128,
        /// Passed to the receiver unchanged.
        msg: Binary,
    },
    /// Lets `spender` move `amount` more of the sender's tokens, optionally until `expires`.
    IncreaseAllowance {
        /// The account allowed to spend.
        spender: String,
        /// Added to the allowance.
        amount: Uint128,
        /// The new expiry; `None` keeps the current one.
        expires: Option<Expiration>,
    },
    /// Lowers `spender`'s allowance by `amount`; to zero removes it.
    DecreaseAllowance {
        /// The account allowed to spend.
        spender: String,
        /// Taken from the allowance.
        amount: Uint128,
        /// The new expiry; `None` keeps the current one.
        expires: Option<Expiration>,
    },
    /// Moves `amount` of `owner`'s tokens to `recipient`, using the sender's allowance.
    TransferFrom {
        /// The account debited.
        owner: String,
        /// The account credited.
        recipient: String,
        /// How many tokens.
        amount: Uint128,
    },
    /// Sends `amount` of `owner`'s tokens to `contract`, using the sender's allowance.
    SendFrom {
        /// The account debited.
        owner: String,
        /// The receiving contract.
        contract: String,
        /// How many tokens.
        amount: Uint128,
        /// Passed to the receiver unchanged.
        msg: Binary,
    },
    /// Burns `amount` of `owner`'s tokens, using the sender's allowance.
    BurnFrom {
        /// The account debited.
        owner: String,
        /// How many tokens.
        amount: Uint128,
    },
    /// The minter only: creates `amount` new tokens for `recipient`, within the cap.
    Mint {
        /// The account credited.
        recipient: String,
        /// How many tokens.
        amount: Uint128,
    },
    /// The minter only: hands minting to `new_minter`, or ends it for good with `None`.
    UpdateMinter {
        /// The next minter; `None` disables minting forever.
        new_minter: Option<String>,
    },
}

/// The cw20 queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The balance of `address` (zero when unknown).
    #[returns(BalanceResponse)]
    Balance {
        /// The account.
        address: String,
    },
    /// Name, symbol, decimals and total supply.
    #[returns(TokenInfoResponse)]
    TokenInfo {},
    /// The minter and its cap, or `null` when minting is disabled.
    #[returns(Option<MinterResponse>)]
    Minter {},
    /// What `spender` may still move of `owner`'s tokens.
    #[returns(AllowanceResponse)]
    Allowance {
        /// The account whose tokens are spent.
        owner: String,
        /// The account allowed to spend.
        spender: String,
    },
    /// Every allowance `owner` has given, by spender, paginated.
    #[returns(AllAllowancesResponse)]
    AllAllowances {
        /// The account whose tokens are spent.
        owner: String,
        /// Start after this spender.
        start_after: Option<String>,
        /// At most this many (default 10, max 30).
        limit: Option<u32>,
    },
    /// Every allowance `spender` holds, by owner, paginated.
    #[returns(AllSpenderAllowancesResponse)]
    AllSpenderAllowances {
        /// The account allowed to spend.
        spender: String,
        /// Start after this owner.
        start_after: Option<String>,
        /// At most this many (default 10, max 30).
        limit: Option<u32>,
    },
    /// Every account that ever held a balance, paginated.
    #[returns(AllAccountsResponse)]
    AllAccounts {
        /// Start after this account.
        start_after: Option<String>,
        /// At most this many (default 10, max 30).
        limit: Option<u32>,
    },
}

/// The `balance` query's answer.
#[cw_serde]
pub struct BalanceResponse {
    /// The account's balance.
    pub balance: Uint128,
}

/// The `token_info` query's answer.
#[cw_serde]
pub struct TokenInfoResponse {
    /// The token's name.
    pub name: String,
    /// The ticker.
    pub symbol: String,
    /// The number of decimals.
    pub decimals: u8,
    /// Every token in existence.
    pub total_supply: Uint128,
}

/// One allowance: how much is left and until when. Also the `allowance` query's answer.
#[cw_serde]
#[derive(Default)]
pub struct AllowanceResponse {
    /// What the spender may still move.
    pub allowance: Uint128,
    /// When the allowance lapses.
    pub expires: Expiration,
}

/// One allowance given by an owner, in [`AllAllowancesResponse`].
#[cw_serde]
pub struct AllowanceInfo {
    /// The account allowed to spend.
    pub spender: String,
    /// What it may still move.
    pub allowance: Uint128,
    /// When the allowance lapses.
    pub expires: Expiration,
}

/// The `all_allowances` query's answer.
#[cw_serde]
pub struct AllAllowancesResponse {
    /// The owner's allowances, by spender address.
    pub allowances: Vec<AllowanceInfo>,
}

/// One allowance held by a spender, in [`AllSpenderAllowancesResponse`].
#[cw_serde]
pub struct SpenderAllowanceInfo {
    /// The account whose tokens are spent.
    pub owner: String,
    /// What the spender may still move.
    pub allowance: Uint128,
    /// When the allowance lapses.
    pub expires: Expiration,
}

/// The `all_spender_allowances` query's answer.
#[cw_serde]
pub struct AllSpenderAllowancesResponse {
    /// The spender's allowances, by owner address.
    pub allowances: Vec<SpenderAllowanceInfo>,
}

/// The `all_accounts` query's answer.
#[cw_serde]
pub struct AllAccountsResponse {
    /// Account addresses, ascending.
    pub accounts: Vec<String>,
}

/// What a receiving contract gets from `send` / `send_from`, wrapped as
/// `{"receive": {"sender": …, "amount": …, "msg": …}}`.
#[cw_serde]
pub struct Cw20ReceiveMsg {
    /// The caller of `send` / `send_from` (for `send_from`, the spender, not the owner).
    pub sender: String,
    /// How many tokens arrived.
    pub amount: Uint128,
    /// The sender's message, unchanged.
    pub msg: Binary,
}

/// The receiver's side of the interface: the one variant a cw20 receiver must accept.
#[cw_serde]
pub enum Cw20ReceiverExecuteMsg {
    /// Tokens arrived.
    Receive(Cw20ReceiveMsg),
}

impl Cw20ReceiveMsg {
    /// This message as the receiver's JSON: `{"receive": {...}}`.
    pub fn into_json_binary(self) -> StdResult<Binary> {
        to_json_binary(&Cw20ReceiverExecuteMsg::Receive(self))
    }

    /// A call of `contract_addr`'s `receive` with this message and no funds.
    pub fn into_cosmos_msg<T: Into<String>>(self, contract_addr: T) -> StdResult<CosmosMsg> {
        Ok(WasmMsg::Execute {
            contract_addr: contract_addr.into(),
            msg: self.into_json_binary()?,
            funds: vec![],
        }
        .into())
    }
}

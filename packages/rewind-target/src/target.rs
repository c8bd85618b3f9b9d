//! What a contract tells the library about itself.

use cosmwasm_std::{Addr, Binary, Coin, Deps, DepsMut, Env, Reply, Response, StdError};
use rewind_journal::PlainNamespaces;
use rewind_types::restoration::ShortfallPolicy;
use rewind_types::{PauseScope, ScopeInfo};

/// Called once for each excluded account when a restoration's rollback has reached its
/// height (the account's state is then its state at that height), through journaled storage.
/// A contract whose ledger is the asset (cw20 balances, LP shares, NFTs) can move, burn or
/// earmark the account's holdings here; the library has already frozen every key containing
/// the account's address, so without a hook the holdings simply cannot move.
pub type FreezeHook<E> = fn(DepsMut, &Env, &Addr) -> Result<(), E>;

/// A voted configuration change (`Configure`, or `Release { config }` after a restoration):
/// the JSON of the contract's own config-update type, applied through journaled storage.
/// Typical uses: rotate a compromised minter, feeder or admin.
pub type ApplyConfig<E> = fn(DepsMut, &Env, &Binary) -> Result<(), E>;

/// Whether the contract would accept a configuration now (`CheckConfig`, asked by governance
/// when the change is proposed): parse and validate, write nothing.
pub type CheckConfig<E> = fn(Deps, &Env, &Binary) -> Result<(), E>;

/// Called when a restoration's replay is done, through journaled storage, with the voted
/// shortfall rule and the crank's limit (the units of work it may do). It returns
/// [`Settled::More`] to be called again by the next crank (a settlement over many accounts
/// in bounded batches), [`Settled::Done`] when the restoration may complete. A contract that holds native funds reconciles its ledger with its
/// bank balance here: the replay did not resend the bank sends of replayed executions (they
/// were paid when they first ran), and skipped executions' deposits and withdrawals are in
/// the bank balance but no longer in the ledger. Typical: cut every claim by the shortfall's
/// ratio (`ProRataHaircut`), or cover it from an insurance reserve first (`InsuranceFirst`).
pub type SettleHook<E> = fn(DepsMut, &Env, &ShortfallPolicy, u32) -> Result<Settled, E>;

/// What a settlement hook call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The settlement is complete: the restoration completes in this crank.
    Done,
    /// There is more: the next crank calls the hook again.
    More,
}

/// A voted, timelocked `Sweep { to }` (sent by the executor): move what no account may move
/// any more (the frozen accounts' remaining claims, a surplus above every claim) to `to`, or
/// to the contract's own default recipient when `None`. Runs through journaled storage
/// WITHOUT the frozen accounts' write refusal (taking their claims is the point), only on
/// the same code version, and never while a restoration runs or holds its lock.
pub type SweepHook<E> = fn(DepsMut, &Env, Option<String>) -> Result<Response, E>;

/// A contract that holds native funds declares them: what its ledger says it holds, per
/// denom ([`HeldFunds`]), and how to set it ([`SetHeldFunds`]). When a restoration's replay is
/// done the library reconciles each denom with the bank balance, `kept = min(held, bank)`,
/// and records what it did (`Settlement {}`): a shortfall is cut from every holder alike, as
/// their claims are shares of what is held (LP shares of reserves, vault shares of assets);
/// a surplus stays out of the ledger. Both rules give the same result for a contract without
/// an insurance reserve; a contract with one settles in its own [`SettleHook`].
pub type HeldFunds<E> = fn(Deps) -> Result<Vec<Coin>, E>;

/// See [`HeldFunds`]: writes what the ledger holds after the settlement, in the same order.
pub type SetHeldFunds<E> = fn(DepsMut, &[Coin]) -> Result<(), E>;

/// The amounts of a [`SetHeldFunds`] hook's coins, for a ledger that keeps `N` `Uint128`
/// reserves in the order [`HeldFunds`] gave them: fails on another count or an amount that
/// does not fit.
pub fn amounts<const N: usize>(
    held: &[Coin],
) -> cosmwasm_std::StdResult<[cosmwasm_std::Uint128; N]> {
    let wrong =
        || cosmwasm_std::StdError::msg(format!("{} held coins, the ledger keeps {N}", held.len()));
    let coins: &[Coin; N] = held.try_into().map_err(|_| wrong())?;
    let mut out = [cosmwasm_std::Uint128::zero(); N];
    for (slot, coin) in out.iter_mut().zip(coins) {
        *slot = coin
            .amount
            .try_into()
            .map_err(|e| cosmwasm_std::StdError::msg(format!("{}: {e}", coin.denom)))?;
    }
    Ok(out)
}

/// The contract's own `reply` entry point: it runs on journaled storage, and each reply is
/// recorded, so a restoration replays it after the execution whose submessage it answers.
pub type ReplyHandler<E> = fn(DepsMut, Env, Reply) -> Result<Response, E>;

/// A recorded reply run again: parses the `Reply` (the outer error) and runs the contract's
/// handler on it. Generated by `restorable!` only for a contract with a `reply:`, so a
/// contract without one carries no `Reply` parser.
pub type ReplayReply<E> = fn(DepsMut, Env, &[u8]) -> Result<Result<Response, E>, StdError>;

/// Exit-only mode (issue 15): takes `account`'s whole settled claim out of the ledger and
/// returns it (the funds the library sends to the successor with the claim record), through
/// journaled storage. A vault closes the account's positions at its fallback price and takes
/// its free collateral; an account with nothing returns nothing (the move is refused).
pub type ClaimHook<E> = fn(DepsMut, &Env, &Addr) -> Result<Vec<Coin>, E>;

/// What the ledger still owes every account, per denom (`RemainingClaims {}`).
pub type ClaimsTotal<E> = fn(Deps) -> Result<Vec<Coin>, E>;

/// How the library computes an account's claim for `MoveToSuccessor {}`.
pub enum ClaimRule<E: 'static> {
    /// The contract's own hooks (`claim: (take, total)`).
    Hook(ClaimHook<E>, ClaimsTotal<E>),
    /// A share ledger of the declared holdings (`shares: ("shares", "total_share")`): a
    /// `Map<&Addr, Uint128>` and an `Item<Uint128>` of those namespaces; the claim is the
    /// account's share of each held denom, rounded down.
    Shares {
        /// The namespace of the shares map.
        shares: &'static str,
        /// The namespace of the total share item.
        total: &'static str,
    },
}

/// A restorable contract's description: its cw2 identity, what stays out of the journal,
/// and its hooks. Built by [`restorable!`](crate::restorable).
pub struct Target<E: 'static> {
    /// The cw2 contract name the code writes.
    pub name: &'static str,
    /// The cw2 version the code writes.
    pub version: &'static str,
    /// Namespaces never journaled (configuration a rollback must not rewind). cw2's
    /// `contract_info` is always plain.
    pub plain: PlainNamespaces,
    /// The freeze hook, if the contract has one.
    pub freeze: Option<FreezeHook<E>>,
    /// How the contract checks and applies a voted configuration, if it takes one.
    pub config: Option<(CheckConfig<E>, ApplyConfig<E>)>,
    /// How to replay the contract's recorded replies, if it dispatches submessages with
    /// replies.
    pub reply: Option<ReplayReply<E>>,
    /// The funds the contract holds, reconciled with the bank by the library.
    pub holdings: Option<(HeldFunds<E>, SetHeldFunds<E>)>,
    /// The contract's own settlement, after the holdings' reconciliation, if it has one.
    pub settle: Option<SettleHook<E>>,
    /// The sweep hook, if the contract keeps frozen claims or a surplus to sweep.
    pub sweep: Option<SweepHook<E>>,
    /// How an account's claim moves to a successor, if the contract lets it.
    pub claim: Option<ClaimRule<E>>,
    /// The contract's in-line invariants, if it declares any ([`crate::invariant`]).
    pub invariants: Option<crate::invariant::Invariants<E>>,
    /// The scopes the contract declares ([`Gated::SCOPES`](crate::Gated::SCOPES)).
    pub scopes: &'static [ScopeInfo],
}

impl<E> Target<E> {
    /// The declaration of `scope` (its exit flag); `all`, never an exit, for a scope the
    /// contract does not declare: the strictest gate.
    pub fn declared(&self, scope: PauseScope) -> ScopeInfo {
        self.scopes
            .iter()
            .find(|s| s.scope == scope)
            .cloned()
            .unwrap_or(ScopeInfo::action(PauseScope::ALL))
    }

    /// Whether the contract declares `scope` (`all` is always known).
    pub fn knows(&self, scope: &PauseScope) -> bool {
        scope.is_all() || self.scopes.iter().any(|s| s.scope == *scope)
    }
}

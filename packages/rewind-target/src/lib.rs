//! # rewind-target: make any CosmWasm contract restorable by Rewind
//!
//! A contract keeps its own messages, its own handlers and its own cw-storage-plus storage
//! (`Item`, `Map`, `IndexedMap`, `SnapshotMap`, ...). It drops the `#[entry_point]`
//! attributes from its four entry functions, declares its own pause scopes and says which
//! gates each execute message ([`Gated`], [`gated!`]), and invokes [`restorable!`], which
//! generates the real entry points:
//!
//! ```text
//! // The contract's own pause scopes (`all` is implicit), and the one of each message.
//! rewind_target::gated!(ExecuteMsg {
//!     increment => ExecuteMsg::Increment { .. } | ExecuteMsg::Reset {},
//! });
//!
//! // cw2's name and version default to `crates.io:<package>` and the package version
//! // (cw-plus's convention); `name: ..., version: ...,` first overrides them.
//! rewind_target::restorable! {
//!     instantiate: instantiate(InstantiateMsg),
//!     execute: execute(ExecuteMsg) -> ContractError,
//!     query: query(QueryMsg) -> StdError,
//!     migrate: migrate(MigrateMsg),
//! }
//! ```
//!
//! The generated `entry` module holds `instantiate`, `execute`, `query` and `migrate`
//! (exported to the chain unless the crate's `library` feature is on; multi-tests wrap them
//! with `ContractWrapper`). They:
//! - accept the contract's own JSON unchanged, plus Rewind's messages (`gate`, `crank`,
//!   `prune`; the restorable queries, `scopes` and `check_config`; `upgrade`, `restore`,
//!   `release`, `configure`, `abandon`, `sweep`), told apart by the top-level key ([`msg`]);
//!   the instantiate message gains one field, `rewind`;
//! - check the message's pause scope before the handler runs (one storage read), refuse
//!   senders a restoration froze, and note who acted when (row G14);
//! - hand the handler a `deps.storage` that journals every write
//!   ([`rewind_journal::JournaledStorage`]): no `&mut Journal` anywhere in the contract,
//!   and no way for its code to write around the journal; the digest is flushed once per
//!   execution, and a write to a frozen account's key fails the execution;
//! - answer the restorable queries, run the crank, and handle the executor's restoration
//!   migrations, with cw2's `ensure_from_older_version` rule for upgrades.
//!
//! A restoration rolls the journaled state back to the voted height, then replays every
//! recorded execution after it whose sender is not excluded (with its original block, sender
//! and funds; outgoing messages are not sent again), then settles: a contract that holds
//! native funds declares them (`holdings:`), and the library reconciles them with the bank
//! balance by the voted rule; a contract with rules of its own adds a `settle:` hook.

pub mod error;
pub mod execute;
mod instantiate;
pub mod invariant;
mod journaled;
pub mod migrate;
pub mod msg;
pub mod offline;
mod query;
pub mod report;
pub mod state;
pub mod successor;
mod target;

pub use error::{ContractError, TargetError};
pub use execute::execute;
pub use instantiate::instantiate;
pub use invariant::{Invariant, InvariantEnv, InvariantPolicy, Invariants};
pub use journaled::run_journaled;
pub use migrate::migrate;
pub use msg::{
    ExecuteMsg, Gated, InstantiateMsg, MigrateMsg, NoMigrateMsg, QueryMsg, RewindSettings, Wrapped,
};
pub use query::query;
pub use rewind_journal::PlainNamespaces;
pub use rewind_types::ShortfallPolicy;
pub use rewind_types::{PauseScope, ScopeInfo};
pub use target::amounts;
pub use target::{
    ApplyConfig, CheckConfig, ClaimHook, ClaimRule, ClaimsTotal, FreezeHook, HeldFunds,
    ReplayReply, ReplyHandler, SetHeldFunds, SettleHook, Settled, SweepHook, Target,
};

/// Implements [`Gated`] for a contract's execute message: one arm per scope, named by a bare
/// identifier (1 to 32 characters of `[a-z0-9_]`), `#[exit]` before an exit scope, then the
/// patterns of the messages it gates. The arms form one exhaustive `match`, so a new variant
/// does not compile until it is given a scope.
///
/// ```text
/// rewind_target::gated!(ExecuteMsg {
///     mint => ExecuteMsg::Mint { .. },
///     #[exit] transfer => ExecuteMsg::Transfer { .. } | ExecuteMsg::Burn { .. },
///     feed => ExecuteMsg::SetPrice { .. },
///     receive => ExecuteMsg::Receive(_),
/// }
/// never_replay: ExecuteMsg::SetPrice { .. },
/// on_behalf: ExecuteMsg::Receive(r) => r.sender.as_str(),
/// offline: ExecuteMsg::Mint { .. },);
/// ```
/// The trailing sections are optional, each ends with a comma: `never_replay:` names the
/// messages a restoration must never replay ([`Gated::replayable`]); `on_behalf:` names the
/// account a callback acts for ([`Gated::on_behalf_of`]); `offline:` names messages outside
/// the exit scopes that still run in exit-only mode by the offline clock ([`Gated::offline`]).
#[macro_export]
macro_rules! gated {
    ($msg:ty { $( $(#[$exit:ident])? $scope:ident => $pat:pat ),+ $(,)? }
        $(never_replay: $never:pat,)?
        $(on_behalf: $behalf:pat => $account:expr,)?
        $(offline: $offline:pat,)?) => {
        impl $crate::Gated for $msg {
            const SCOPES: &'static [$crate::ScopeInfo] = &[$(
                $crate::ScopeInfo {
                    scope: $crate::PauseScope::named(stringify!($scope)),
                    exit: $crate::gated!(@exit $($exit)?),
                }
            ),+];

            fn scope(&self) -> $crate::PauseScope {
                match self {
                    $( $pat => $crate::PauseScope::named(stringify!($scope)), )+
                }
            }

            $(fn replayable(&self) -> bool {
                !matches!(self, $never)
            })?

            $(#[allow(unreachable_patterns)]
            fn on_behalf_of(&self) -> Option<&str> {
                match self {
                    $behalf => Some($account),
                    _ => None,
                }
            })?

            $(fn offline(&self) -> bool {
                matches!(self, $offline)
            })?
        }
    };
    (@exit) => { false };
    (@exit exit) => { true };
}

/// Generates a restorable contract's entry points in a module `entry`. See the crate doc.
///
/// `name:` and `version:` (the cw2 contract name and version that `migrate` checks) may be
/// left out when the contract uses cw-plus's convention, `crates.io:<package name>` and the
/// package version.
///
/// Optional, in this order after `migrate` (or after `query` for a contract without a migrate
/// of its own): `reply: my_reply,` the contract's reply handler (generated as
/// `entry::reply`, journaled and replayed); `plain: ["config", ...],` namespaces kept out of
/// the journal; `freeze:
/// my_hook,` a [`FreezeHook`]; `config: (check, apply),` a [`CheckConfig`] and an
/// [`ApplyConfig`], for voted configuration changes; `holdings: (held, set_held),` a
/// [`HeldFunds`] and a [`SetHeldFunds`], for a contract that holds native funds (the library
/// reconciles them with the bank after a restoration's replay); `settle: my_settle,` a
/// [`SettleHook`], for a contract with settlement rules of its own (an insurance reserve,
/// claims settled over several cranks); `sweep: my_sweep,` a [`SweepHook`], for one that
/// keeps frozen claims or a surplus (without it `Sweep` is refused: `NothingToSweep`);
/// `invariants: MY_INVARIANTS,` a const [`Invariants`], checked after each execution
/// ([`invariant`]); `claim: (take, total),` a [`ClaimHook`] and a [`ClaimsTotal`], or
/// `shares: ("shares", "total_share"),` a share ledger of the declared holdings, for
/// `MoveToSuccessor {}` (without either the move is refused: `NoClaimRule`).
#[macro_export]
macro_rules! restorable {
    (
        $(name: $name:expr, version: $version:expr,)?
        instantiate: $instantiate:ident($instantiate_msg:ty),
        execute: $execute:ident($execute_msg:ty) -> $error:ty,
        query: $query:ident($query_msg:ty) -> $query_error:ty,
        migrate: $migrate:ident($migrate_msg:ty)
        $(, reply: $reply:ident)?
        $(, plain: [$($plain:literal),* $(,)?])?
        $(, freeze: $freeze:ident)?
        $(, config: ($check:ident, $apply:ident))?
        $(, holdings: ($held:ident, $set_held:ident))?
        $(, settle: $settle:ident)?
        $(, sweep: $sweep:ident)?
        $(, invariants: $invariants:ident)?
        $(, claim: ($claim:ident, $claims_total:ident))?
        $(, shares: ($shares:literal, $total_share:literal))?
        $(,)?
    ) => {
        $crate::restorable!(@emit
            ($crate::restorable!(@name $($name)?), $crate::restorable!(@version $($version)?),
                [$($($plain),*)?], $crate::restorable!(@opt $($freeze)?),
                $crate::restorable!(@config $($check, $apply)?),
                $crate::restorable!(@config $($held, $set_held)?),
                $crate::restorable!(@opt $($settle)?), $crate::restorable!(@opt $($sweep)?),
                $crate::restorable!(@opt $($invariants)?), [$($reply)?],
                [$($claim $claims_total)?] [$($shares $total_share)?]),
            $instantiate, $instantiate_msg, $execute, $execute_msg, $error,
            $query, $query_msg, $query_error,
            $migrate_msg, Some(super::$migrate)
        );
    };
    (
        $(name: $name:expr, version: $version:expr,)?
        instantiate: $instantiate:ident($instantiate_msg:ty),
        execute: $execute:ident($execute_msg:ty) -> $error:ty,
        query: $query:ident($query_msg:ty) -> $query_error:ty
        $(, reply: $reply:ident)?
        $(, plain: [$($plain:literal),* $(,)?])?
        $(, freeze: $freeze:ident)?
        $(, config: ($check:ident, $apply:ident))?
        $(, holdings: ($held:ident, $set_held:ident))?
        $(, settle: $settle:ident)?
        $(, sweep: $sweep:ident)?
        $(, invariants: $invariants:ident)?
        $(, claim: ($claim:ident, $claims_total:ident))?
        $(, shares: ($shares:literal, $total_share:literal))?
        $(,)?
    ) => {
        $crate::restorable!(@emit
            ($crate::restorable!(@name $($name)?), $crate::restorable!(@version $($version)?),
                [$($($plain),*)?], $crate::restorable!(@opt $($freeze)?),
                $crate::restorable!(@config $($check, $apply)?),
                $crate::restorable!(@config $($held, $set_held)?),
                $crate::restorable!(@opt $($settle)?), $crate::restorable!(@opt $($sweep)?),
                $crate::restorable!(@opt $($invariants)?), [$($reply)?],
                [$($claim $claims_total)?] [$($shares $total_share)?]),
            $instantiate, $instantiate_msg, $execute, $execute_msg, $error,
            $query, $query_msg, $query_error,
            $crate::NoMigrateMsg, None
        );
    };
    (@name) => { concat!("crates.io:", env!("CARGO_PKG_NAME")) };
    (@name $name:expr) => { $name };
    (@version) => { env!("CARGO_PKG_VERSION") };
    (@version $version:expr) => { $version };
    (@config) => { None };
    (@config $check:ident, $apply:ident) => { Some((super::$check, super::$apply)) };
    (@replay) => { None };
    (@replay $reply:ident) => { Some(replay_reply) };
    (@claim [] []) => { None };
    (@claim [$claim:ident $total:ident] []) => {
        Some($crate::ClaimRule::Hook(super::$claim, super::$total))
    };
    (@claim [] [$shares:literal $total:literal]) => {
        Some($crate::ClaimRule::Shares { shares: $shares, total: $total })
    };
    (@opt) => { None };
    (@opt $freeze:ident) => { Some(super::$freeze) };
    (@emit
        ($name:expr, $version:expr, [$($plain:literal),*], $freeze:expr, $config:expr,
            $holdings:expr, $settle:expr, $sweep:expr, $invariants:expr, [$($reply:ident)?],
            [$($claim:ident $claims_total:ident)?] [$($shares:literal $total_share:literal)?]),
        $instantiate:ident, $instantiate_msg:ty, $execute:ident, $execute_msg:ty, $error:ty,
        $query:ident, $query_msg:ty, $query_error:ty,
        $migrate_msg:ty, $migrate:expr
    ) => {
        /// The contract's entry points, made restorable by rewind-target.
        pub mod entry {
            #[allow(unused_imports)]
            use super::*;

            /// What rewind-target knows of this contract.
            pub const TARGET: $crate::Target<$error> = $crate::Target {
                name: $name,
                version: $version,
                plain: $crate::PlainNamespaces(&[$($plain),*]),
                freeze: $freeze,
                config: $config,
                reply: $crate::restorable!(@replay $($reply)?),
                holdings: $holdings,
                settle: $settle,
                sweep: $sweep,
                claim: $crate::restorable!(@claim [$($claim $claims_total)?] [$($shares $total_share)?]),
                invariants: $invariants,
                scopes: <$execute_msg as $crate::Gated>::SCOPES,
            };

            /// Rewind's settings, then the contract's own instantiate.
            #[cfg_attr(not(feature = "library"), ::cosmwasm_std::entry_point)]
            pub fn instantiate(
                deps: ::cosmwasm_std::DepsMut,
                env: ::cosmwasm_std::Env,
                info: ::cosmwasm_std::MessageInfo,
                msg: $crate::InstantiateMsg<$instantiate_msg>,
            ) -> Result<::cosmwasm_std::Response, $crate::ContractError<$error>> {
                $crate::instantiate(deps, env, info, msg, &TARGET, super::$instantiate)
            }

            /// Rewind's `gate` and `crank`, or the contract's own message behind the gate.
            #[cfg_attr(not(feature = "library"), ::cosmwasm_std::entry_point)]
            pub fn execute(
                deps: ::cosmwasm_std::DepsMut,
                env: ::cosmwasm_std::Env,
                info: ::cosmwasm_std::MessageInfo,
                msg: $crate::ExecuteMsg<$execute_msg>,
            ) -> Result<::cosmwasm_std::Response, $crate::ContractError<$error>> {
                $crate::execute(deps, env, info, msg, &TARGET, super::$execute)
            }

            /// Rewind's restorable queries, or the contract's own.
            #[cfg_attr(not(feature = "library"), ::cosmwasm_std::entry_point)]
            pub fn query(
                deps: ::cosmwasm_std::Deps,
                env: ::cosmwasm_std::Env,
                msg: $crate::QueryMsg<$query_msg>,
            ) -> Result<::cosmwasm_std::Binary, $crate::ContractError<$query_error>> {
                $crate::query(deps, env, msg, &TARGET, super::$query, super::$execute)
            }

            $(
            /// The contract's own reply, on journaled storage and recorded for the replay.
            #[cfg_attr(not(feature = "library"), ::cosmwasm_std::entry_point)]
            pub fn reply(
                deps: ::cosmwasm_std::DepsMut,
                env: ::cosmwasm_std::Env,
                msg: ::cosmwasm_std::Reply,
            ) -> Result<::cosmwasm_std::Response, $crate::ContractError<$error>> {
                $crate::execute::reply(deps, env, msg, &TARGET, super::$reply)
            }

            /// A recorded reply, parsed and run again by a restoration's replay.
            fn replay_reply(
                deps: ::cosmwasm_std::DepsMut,
                env: ::cosmwasm_std::Env,
                msg: &[u8],
            ) -> Result<Result<::cosmwasm_std::Response, $error>, ::cosmwasm_std::StdError> {
                let reply: ::cosmwasm_std::Reply = ::cosmwasm_std::from_json(msg)?;
                Ok(super::$reply(deps, env, reply))
            }
            )?

            /// Rewind's upgrade and restoration migrations, or the contract's own.
            #[cfg_attr(not(feature = "library"), ::cosmwasm_std::entry_point)]
            pub fn migrate(
                deps: ::cosmwasm_std::DepsMut,
                env: ::cosmwasm_std::Env,
                msg: $crate::MigrateMsg<$migrate_msg>,
            ) -> Result<::cosmwasm_std::Response, $crate::ContractError<$error>> {
                $crate::migrate(deps, env, msg, &TARGET, $migrate)
            }
        }
    };
}

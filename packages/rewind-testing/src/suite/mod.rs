//! The whole real system in cw-multi-test: a [`SuiteBuilder`] with `with_*` setters and a
//! [`Suite`] with time helpers, actor helpers and queries.
//!
//! Deployment mirrors the deploy script (`scripts/toolkit/src/plan.ts`):
//! 1. rewind-stake;
//! 2. rewind-governance, which instantiates the timelock, guardian and executor in its own
//!    instantiate and wires them; its initial targets are the vaults' addresses, predicted
//!    with instantiate2 (cosmwasm_1_2), so each vault is registered from genesis;
//! 3. each rewind-vault by instantiate2 with the predicted address, governance and guardian
//!    as its roles and the executor as its wasm admin.
//!
//! No deployer key holds any authority afterwards. Every address comes from
//! `app.api().addr_make(..)` or the chain.

mod actions;
mod builder;
mod queries;

pub use crate::predict_address;
pub use actions::{attribute, RestorationProposal};
pub use builder::{target_salt, SuiteBuilder, TargetCode, TargetModules, VaultConfig};
pub use queries::{coin_u128, usdc};

use crate::SuiteBase;
use cosmwasm_std::{Addr, Decimal, HexBinary, Uint128};
use cw_multi_test::App;

/// The staked (voting) denom.
pub const STAKE_DENOM: &str = "ustake";
/// The proposal-deposit denom.
pub const GOV_DENOM: &str = "ugov";
/// The vaults' collateral denom.
pub const USDC: &str = "uusdc";
/// The vaults' market.
pub const MARKET: &str = "BTC-PERP";
/// Seconds per block.
pub use crate::base::BLOCK_SECONDS;
/// The proposal deposit.
pub const DEPOSIT: u128 = 1_000;
/// What every actor holds of each denom at genesis.
pub const GENESIS_BALANCE: u128 = 1_000_000_000_000;
/// Governance's instantiate2 salt: it is the wasm admin of itself, so its address is known
/// before it exists.
pub const GOVERNANCE_SALT: &str = "rewind-governance";
/// The vaults' instantiate2 salts, in vault order.
pub const VAULT_SALTS: [&str; 2] = ["rewind-vault-v1", "rewind-vault-v2"];
/// The most vaults a suite deploys.
pub const MAX_VAULTS: usize = VAULT_SALTS.len();
/// 1 hour.
pub const HOUR: u64 = 3600;
/// 1 day.
pub const DAY: u64 = 24 * HOUR;

/// A decimal from a string literal (tests only).
pub fn dec(s: &str) -> Decimal {
    s.parse().expect("a valid decimal literal")
}

/// The stored code ids.
#[derive(Clone, Copy, Debug)]
pub struct Codes {
    /// rewind-stake.
    pub stake: u64,
    /// rewind-governance.
    pub governance: u64,
    /// rewind-timelock.
    pub timelock: u64,
    /// rewind-guardian.
    pub guardian: u64,
    /// rewind-executor.
    pub executor: u64,
    /// rewind-vault.
    pub vault: u64,
}

/// The named actors of a suite.
#[derive(Clone, Debug)]
pub struct ActorNames {
    /// Token holders.
    pub holders: Vec<String>,
    /// Vault users.
    pub users: Vec<String>,
}

impl ActorNames {
    pub(crate) fn new(holders: usize, users: usize) -> Self {
        ActorNames {
            holders: (0..holders).map(|i| format!("holder{i}")).collect(),
            users: (0..users).map(|i| format!("user{i}")).collect(),
        }
    }

    /// Every funded name: holders, users and the fixed roles.
    pub fn all(&self) -> Vec<String> {
        let fixed = [
            "attacker",
            "guardian",
            "feeder",
            "insurance",
            "keeper",
            "deployer",
        ];
        self.holders
            .iter()
            .chain(self.users.iter())
            .cloned()
            .chain(fixed.iter().map(|s| s.to_string()))
            .collect()
    }
}

/// The running system.
pub struct Suite {
    /// The chain.
    pub app: App,
    /// The stored codes.
    pub codes: Codes,
    /// rewind-stake (the voting module).
    pub stake: Addr,
    /// rewind-governance.
    pub governance: Addr,
    /// rewind-timelock (instantiated by governance).
    pub timelock: Addr,
    /// rewind-guardian (instantiated by governance).
    pub guardian: Addr,
    /// rewind-executor (instantiated by governance; wasm admin of every vault).
    pub executor: Addr,
    /// The vaults, registered targets.
    pub vaults: Vec<Addr>,
    /// Every registered target: the vaults first, then the targets of any code
    /// ([`SuiteBuilder::with_target`]). The restoration, pause and journal helpers index it.
    pub targets: Vec<Addr>,
    /// The actors.
    pub names: ActorNames,
    /// The settings it was built with.
    pub config: SuiteBuilder,
}

impl Suite {
    /// Token holder `i`.
    pub fn holder(&self, i: usize) -> Addr {
        self.addr(&self.names.holders[i])
    }

    /// Vault user `i`.
    pub fn user(&self, i: usize) -> Addr {
        self.addr(&self.names.users[i])
    }

    /// The attacker.
    pub fn attacker(&self) -> Addr {
        self.addr("attacker")
    }

    /// The guardian key (a guardian of the guardian contract).
    pub fn guardian_key(&self) -> Addr {
        self.addr("guardian")
    }

    /// The price feeder.
    pub fn feeder(&self) -> Addr {
        self.addr("feeder")
    }

    /// The insurance account.
    pub fn insurance(&self) -> Addr {
        self.addr("insurance")
    }

    /// Anyone: the permissionless caller of close, execute and crank.
    pub fn keeper(&self) -> Addr {
        self.addr("keeper")
    }

    /// The amount of `denom` held by `who`.
    pub fn balance(&self, who: &Addr, denom: &str) -> u128 {
        let amount = self
            .app
            .wrap()
            .query_balance(who, denom)
            .expect("balance")
            .amount;
        Uint128::try_from(amount).expect("fits 128 bits").u128()
    }

    /// The expected digest of target `target` at `height`, as its `DigestAt` answers.
    pub fn expected_digest(&self, target: usize, height: u64) -> HexBinary {
        self.digest_at(target, height).digest
    }
}

impl crate::SuiteBase for Suite {
    fn app(&self) -> &App {
        &self.app
    }
    fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

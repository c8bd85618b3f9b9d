//! Typed queries over every contract of the suite.

use cosmwasm_std::{Addr, Uint128};
use rewind_types::executor::{QueryMsg as ExecutorQuery, RestorationResponse};
use rewind_types::governance::{
    ProposalResponse, QueryMsg as GovQuery, ScheduledSpecResponse, VoterResponse,
};
use rewind_types::guardian::{
    BudgetResponse, PauseHistoryResponse, PauseRecord, PauseStatusResponse as GuardianPauseStatus,
    QueryMsg as GuardianQuery,
};
use rewind_types::restorable::{
    DigestAtResponse, JournalInfoResponse, RestorableQueryMsg, RestorationCheckResponse,
    RestorationStatusResponse,
};
use rewind_types::stake::QueryMsg as StakeQuery;
use rewind_types::timelock::{OperationResponse, QueryMsg as TimelockQuery};
use rewind_types::vault::{
    AccountClaim, AccountResponse, ClaimsResponse, PauseStatusResponse as VaultPauseStatus,
    QueryMsg as VaultQuery, RestorationReport, TotalsResponse,
};
use rewind_types::voting::{TotalPowerAtHeightResponse, VotingPowerAtHeightResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{Suite, USDC};

impl Suite {
    /// A smart query that must succeed.
    pub fn query<T: DeserializeOwned>(&self, contract: &Addr, msg: &impl Serialize) -> T {
        self.app
            .wrap()
            .query_wasm_smart(contract, msg)
            .expect("query succeeds")
    }

    // ---- stake -------------------------------------------------------------------------

    /// `who`'s power at the start of block `height`.
    pub fn power_at(&self, who: &Addr, height: u64) -> u128 {
        let r: VotingPowerAtHeightResponse = self.query(
            &self.stake,
            &StakeQuery::VotingPowerAtHeight {
                address: who.to_string(),
                height: Some(height),
            },
        );
        r.power.u128()
    }

    /// The total power at the start of block `height`.
    pub fn total_power_at(&self, height: u64) -> u128 {
        let r: TotalPowerAtHeightResponse = self.query(
            &self.stake,
            &StakeQuery::TotalPowerAtHeight {
                height: Some(height),
            },
        );
        r.power.u128()
    }

    // ---- governance --------------------------------------------------------------------

    /// One proposal.
    pub fn proposal(&self, proposal_id: u64) -> ProposalResponse {
        self.query(&self.governance, &GovQuery::Proposal { proposal_id })
    }

    /// A voter's vote and power on a proposal.
    pub fn voter(&self, proposal_id: u64, voter: &Addr) -> VoterResponse {
        self.query(
            &self.governance,
            &GovQuery::Voter {
                proposal_id,
                voter: voter.to_string(),
            },
        )
    }

    /// The spec a passed restoration scheduled.
    pub fn scheduled_spec(&self, proposal_id: u64) -> ScheduledSpecResponse {
        self.query(&self.governance, &GovQuery::ScheduledSpec { proposal_id })
    }

    /// The timelock operation a closed restoration proposal queued.
    pub fn operation_of(&self, proposal_id: u64) -> u64 {
        self.proposal(proposal_id)
            .operation_id
            .expect("the proposal was queued")
    }

    // ---- timelock and executor ---------------------------------------------------------

    /// One timelock operation.
    pub fn operation(&self, operation_id: u64) -> OperationResponse {
        self.query(&self.timelock, &TimelockQuery::Operation { operation_id })
    }

    /// One executor restoration.
    pub fn restoration(&self, restoration_id: u64) -> RestorationResponse {
        self.query(
            &self.executor,
            &ExecutorQuery::Restoration { restoration_id },
        )
    }

    // ---- guardian ----------------------------------------------------------------------

    /// The guardian's view of target `target`'s pauses and lock.
    pub fn guardian_pause_status(&self, target: usize) -> GuardianPauseStatus {
        self.query(
            &self.guardian,
            &GuardianQuery::PauseStatus {
                target: self.targets[target].to_string(),
            },
        )
    }

    /// Every guardian pause record of target `target`, newest first.
    pub fn pause_history(&self, target: usize) -> Vec<PauseRecord> {
        let mut all: Vec<PauseRecord> = vec![];
        loop {
            let page: PauseHistoryResponse = self.query(
                &self.guardian,
                &GuardianQuery::PauseHistory {
                    target: self.targets[target].to_string(),
                    start_before: all.last().map(|r| r.id),
                    limit: Some(100),
                },
            );
            if page.pauses.is_empty() {
                return all;
            }
            all.extend(page.pauses);
        }
    }

    /// The guardian budget of target `target`.
    pub fn budget(&self, target: usize) -> BudgetResponse {
        self.query(
            &self.guardian,
            &GuardianQuery::Budget {
                target: self.targets[target].to_string(),
            },
        )
    }

    // ---- vault -------------------------------------------------------------------------

    /// An account of vault `vault`.
    pub fn account(&self, vault: usize, who: &Addr) -> AccountResponse {
        self.query(
            &self.vaults[vault],
            &VaultQuery::Account {
                address: who.to_string(),
            },
        )
    }

    /// An account's USDC collateral: free collateral plus the margin of its positions (its
    /// claim, were the vault restored to now).
    pub fn collateral(&self, vault: usize, who: &Addr) -> u128 {
        let account = self.account(vault, who);
        let free: u128 = account
            .collateral
            .iter()
            .filter(|c| c.denom == USDC)
            .map(coin_u128)
            .sum();
        let margin: u128 = account.positions.iter().map(|p| p.margin.u128()).sum();
        free + margin
    }

    /// The vault's total liabilities in USDC.
    pub fn liabilities(&self, vault: usize) -> u128 {
        let totals: TotalsResponse = self.query(&self.vaults[vault], &VaultQuery::Totals {});
        totals
            .totals
            .iter()
            .filter(|c| c.denom == USDC)
            .map(coin_u128)
            .sum()
    }

    /// The vault's pause state.
    pub fn vault_pause_status(&self, vault: usize) -> VaultPauseStatus {
        self.query(&self.vaults[vault], &VaultQuery::PauseStatus {})
    }

    // ---- any target (the interface of rewind_types::restorable) ------------------------

    /// Target `target`'s journal info.
    pub fn journal_info(&self, target: usize) -> JournalInfoResponse {
        self.query(&self.targets[target], &RestorableQueryMsg::JournalInfo {})
    }

    /// Target `target`'s digest at `height`.
    pub fn digest_at(&self, target: usize, height: u64) -> DigestAtResponse {
        self.query(
            &self.targets[target],
            &RestorableQueryMsg::DigestAt { height },
        )
    }

    /// The newest height `who` acted on target `target` at (what governance checks before it
    /// lets a proposal exclude `who`, row G14).
    pub fn last_acted(&self, target: usize, who: &Addr) -> Option<u64> {
        let check: RestorationCheckResponse = self.query(
            &self.targets[target],
            &RestorableQueryMsg::RestorationCheck {
                heights: vec![],
                accounts: vec![who.to_string()],
            },
        );
        check.activity[0].last_acted_height
    }

    /// Target `target`'s restoration status.
    pub fn restoration_status(&self, target: usize) -> RestorationStatusResponse {
        self.query(
            &self.targets[target],
            &RestorableQueryMsg::RestorationStatus {},
        )
    }

    /// The vault's last restoration report.
    pub fn restoration_report(&self, vault: usize) -> Option<RestorationReport> {
        self.query(
            &self.vaults[vault],
            &VaultQuery::RestorationReport {
                restoration_id: None,
            },
        )
    }

    /// Every claim fixed by the vault's last restoration.
    pub fn restoration_claims(&self, vault: usize) -> Vec<AccountClaim> {
        let mut all: Vec<AccountClaim> = vec![];
        loop {
            let page: ClaimsResponse = self.query(
                &self.vaults[vault],
                &VaultQuery::RestorationClaims {
                    restoration_id: None,
                    start_after: all.last().map(|c| c.account.to_string()),
                    limit: Some(100),
                },
            );
            if page.claims.is_empty() {
                return all;
            }
            all.extend(page.claims);
        }
    }

    /// The vault's USDC bank balance.
    pub fn vault_bank(&self, vault: usize) -> u128 {
        self.balance(&self.vaults[vault], USDC)
    }
}

/// A coin's amount as `u128` (every Rewind amount fits 128 bits).
pub fn coin_u128(c: &cosmwasm_std::Coin) -> u128 {
    Uint128::try_from(c.amount)
        .expect("amount fits 128 bits")
        .u128()
}

/// The USDC amount in a list of coins.
pub fn usdc(coins: &[cosmwasm_std::Coin]) -> u128 {
    coins
        .iter()
        .filter(|c| c.denom == USDC)
        .map(coin_u128)
        .sum()
}

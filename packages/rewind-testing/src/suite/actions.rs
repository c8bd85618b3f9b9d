//! What the actors do. Each helper returns the chain's result, so tests can assert both
//! successes and exact refusals.

use crate::SuiteBase;
use cosmwasm_std::{coin, coins, Addr, Decimal, Int128, StdResult, Uint128};
use cw_multi_test::{AppResponse, Executor};
use rewind_types::executor::{ExecuteMsg as ExecutorMsg, RestorationState};
use rewind_types::governance::{
    Candidate, ExecuteMsg as GovMsg, ParameterChange, ProposedTarget, VoteOption,
};
use rewind_types::guardian::ExecuteMsg as GuardianMsg;
use rewind_types::stake::ExecuteMsg as StakeMsg;
use rewind_types::timelock::ExecuteMsg as TimelockMsg;
use rewind_types::vault::ExecuteMsg as VaultMsg;
use rewind_types::{PauseScope, ShortfallPolicy};

use super::{Suite, DEPOSIT, GOV_DENOM, MARKET, STAKE_DENOM, USDC};

/// The value of attribute `key` in any event of `res`.
pub fn attribute(res: &AppResponse, key: &str) -> Option<String> {
    res.events
        .iter()
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

/// A restoration proposal's arguments.
#[derive(Clone, Debug)]
pub struct RestorationProposal {
    /// The targets (indexes into `Suite::targets`; the vaults come first).
    pub targets: Vec<usize>,
    /// Candidate heights; each digest is read from the target's `DigestAt`.
    pub heights: Vec<u64>,
    /// Excluded accounts.
    pub exclusions: Vec<Addr>,
    /// The shortfall policy.
    pub policy: ShortfallPolicy,
    /// The expedited track.
    pub expedited: bool,
}

impl Suite {
    // ---- stake -------------------------------------------------------------------------

    /// `who` stakes `amount`.
    pub fn stake(&mut self, who: &Addr, amount: u128) -> StdResult<AppResponse> {
        let stake = self.stake.clone();
        self.app.execute_contract(
            who.clone(),
            stake,
            &StakeMsg::Stake {},
            &coins(amount, STAKE_DENOM),
        )
    }

    /// `who` unstakes `amount`.
    pub fn unstake(&mut self, who: &Addr, amount: u128) -> StdResult<AppResponse> {
        let stake = self.stake.clone();
        self.app.execute_contract(
            who.clone(),
            stake,
            &StakeMsg::Unstake {
                amount: Uint128::new(amount),
            },
            &[],
        )
    }

    // ---- vault users -------------------------------------------------------------------

    /// `who` deposits `amount` of USDC into vault `vault`.
    pub fn deposit(&mut self, who: &Addr, vault: usize, amount: u128) -> StdResult<AppResponse> {
        let v = self.vaults[vault].clone();
        self.app
            .execute_contract(who.clone(), v, &VaultMsg::Deposit {}, &[coin(amount, USDC)])
    }

    /// `who` withdraws `amount` of USDC from vault `vault`.
    pub fn withdraw(&mut self, who: &Addr, vault: usize, amount: u128) -> StdResult<AppResponse> {
        let v = self.vaults[vault].clone();
        let msg = VaultMsg::Withdraw {
            denom: USDC.into(),
            amount: Uint128::new(amount),
        };
        self.app.execute_contract(who.clone(), v, &msg, &[])
    }

    /// `who` opens a position of signed `size` with `margin` in vault `vault`.
    pub fn open(
        &mut self,
        who: &Addr,
        vault: usize,
        size: i128,
        margin: u128,
    ) -> StdResult<AppResponse> {
        let v = self.vaults[vault].clone();
        let msg = VaultMsg::OpenPosition {
            market: MARKET.into(),
            size: Int128::new(size),
            margin: Uint128::new(margin),
        };
        self.app.execute_contract(who.clone(), v, &msg, &[])
    }

    /// `who` closes its position in vault `vault`.
    pub fn close_position(&mut self, who: &Addr, vault: usize) -> StdResult<AppResponse> {
        let v = self.vaults[vault].clone();
        let msg = VaultMsg::ClosePosition {
            market: MARKET.into(),
        };
        self.app.execute_contract(who.clone(), v, &msg, &[])
    }

    /// The feeder pushes `price` to vault `vault`.
    pub fn push_price(&mut self, vault: usize, price: Decimal) -> StdResult<AppResponse> {
        let v = self.vaults[vault].clone();
        let feeder = self.feeder();
        let msg = VaultMsg::PushPrice {
            market: MARKET.into(),
            price,
        };
        self.app.execute_contract(feeder, v, &msg, &[])
    }

    // ---- guardian ----------------------------------------------------------------------

    /// The guardian key pauses `scope` of target `target` for `seconds`.
    pub fn pause(
        &mut self,
        target: usize,
        scope: PauseScope,
        seconds: u64,
    ) -> StdResult<AppResponse> {
        let key = self.guardian_key();
        self.pause_by(&key, target, scope, seconds)
    }

    /// Guardian key `key` pauses `scope` on target `target` for `seconds`.
    pub fn pause_by(
        &mut self,
        key: &Addr,
        target: usize,
        scope: PauseScope,
        seconds: u64,
    ) -> StdResult<AppResponse> {
        let msg = GuardianMsg::Pause {
            target: self.targets[target].to_string(),
            scope,
            duration_seconds: seconds,
            reason: "exploit in progress".into(),
        };
        let guardian = self.guardian.clone();
        self.app.execute_contract(key.clone(), guardian, &msg, &[])
    }

    /// The guardian key ends its pause of `scope` on target `target`.
    pub fn end_pause(&mut self, target: usize, scope: PauseScope) -> StdResult<AppResponse> {
        let key = self.guardian_key();
        self.end_pause_by(&key, target, scope)
    }

    /// Guardian key `key` ends its pause of `scope` on target `target`.
    pub fn end_pause_by(
        &mut self,
        key: &Addr,
        target: usize,
        scope: PauseScope,
    ) -> StdResult<AppResponse> {
        let msg = GuardianMsg::EndPause {
            target: self.targets[target].to_string(),
            scope,
        };
        let guardian = self.guardian.clone();
        self.app.execute_contract(key.clone(), guardian, &msg, &[])
    }

    // ---- governance --------------------------------------------------------------------

    /// The `ProposeRestoration` message, with each expected digest read from the target's
    /// `DigestAt` (what a careful proposer does).
    pub fn restoration_msg(&self, p: &RestorationProposal) -> GovMsg {
        GovMsg::ProposeRestoration {
            title: "Restore after the oracle exploit".into(),
            description: "A compromised feeder pushed a manipulated price.".into(),
            targets: p
                .targets
                .iter()
                .map(|&v| ProposedTarget {
                    contract: self.targets[v].to_string(),
                    new_code: None,
                    post_restore_config: None,
                })
                .collect(),
            candidates: p
                .heights
                .iter()
                .map(|&h| Candidate {
                    height: h,
                    expected_digests: p
                        .targets
                        .iter()
                        .map(|&v| self.expected_digest(v, h))
                        .collect(),
                })
                .collect(),
            exclusions: p.exclusions.iter().map(|a| a.to_string()).collect(),
            shortfall_policy: p.policy,
            expedited: p.expedited,
        }
    }

    /// `proposer` proposes a restoration with the deposit; returns the proposal id.
    pub fn propose_restoration(
        &mut self,
        proposer: &Addr,
        p: &RestorationProposal,
    ) -> StdResult<u64> {
        let msg = self.restoration_msg(p);
        self.propose(proposer, &msg)
    }

    /// `proposer` sends any proposal message with the deposit; returns the proposal id.
    pub fn propose(&mut self, proposer: &Addr, msg: &GovMsg) -> StdResult<u64> {
        let gov = self.governance.clone();
        let res =
            self.app
                .execute_contract(proposer.clone(), gov, msg, &coins(DEPOSIT, GOV_DENOM))?;
        let id = attribute(&res, "proposal_id").expect("proposal_id attribute");
        Ok(id.parse().expect("numeric proposal id"))
    }

    /// `voter` votes `vote` on `proposal_id`.
    pub fn vote(
        &mut self,
        voter: &Addr,
        proposal_id: u64,
        vote: VoteOption,
    ) -> StdResult<AppResponse> {
        let gov = self.governance.clone();
        self.app
            .execute_contract(voter.clone(), gov, &GovMsg::Vote { proposal_id, vote }, &[])
    }

    /// Every holder votes for candidate `height`.
    pub fn vote_all_holders(&mut self, proposal_id: u64, height: u64) {
        for i in 0..self.names.holders.len() {
            let holder = self.holder(i);
            self.vote(&holder, proposal_id, VoteOption::Candidate { height })
                .expect("holder vote");
        }
    }

    /// Anyone closes `proposal_id`.
    pub fn close(&mut self, proposal_id: u64) -> StdResult<AppResponse> {
        let (keeper, gov) = (self.keeper(), self.governance.clone());
        self.app
            .execute_contract(keeper, gov, &GovMsg::Close { proposal_id }, &[])
    }

    /// Passes a parameter proposal on the normal track: proposed, every holder votes yes,
    /// the voting period passes, anyone closes it (it then waits in the timelock). Its id.
    pub fn pass_parameters(&mut self, title: &str, changes: Vec<ParameterChange>) -> u64 {
        let holder = self.holder(0);
        let msg = GovMsg::ProposeParameters {
            title: title.into(),
            description: "Voted on the normal track".into(),
            changes,
        };
        let id = self.propose(&holder, &msg).expect("parameter proposal");
        for i in 0..self.names.holders.len() {
            let h = self.holder(i);
            self.vote(&h, id, VoteOption::Yes).expect("holder vote");
        }
        let period = self.config.normal.voting_period_seconds;
        self.advance_by(period, period / 5);
        self.close(id).expect("close the passed proposal");
        id
    }

    // ---- timelock and executor ---------------------------------------------------------

    /// Anyone executes timelock operation `operation_id`.
    pub fn execute_op(&mut self, operation_id: u64) -> StdResult<AppResponse> {
        let (keeper, timelock) = (self.keeper(), self.timelock.clone());
        self.app.execute_contract(
            keeper,
            timelock,
            &TimelockMsg::Execute { operation_id },
            &[],
        )
    }

    /// `sender` cancels timelock operation `operation_id`.
    pub fn cancel_op(&mut self, sender: &Addr, operation_id: u64) -> StdResult<AppResponse> {
        let timelock = self.timelock.clone();
        self.app.execute_contract(
            sender.clone(),
            timelock,
            &TimelockMsg::Cancel { operation_id },
            &[],
        )
    }

    /// Anyone cranks the executor once.
    pub fn crank(
        &mut self,
        restoration_id: Option<u64>,
        limit: Option<u32>,
    ) -> StdResult<AppResponse> {
        let (keeper, executor) = (self.keeper(), self.executor.clone());
        self.app.execute_contract(
            keeper,
            executor,
            &ExecutorMsg::Crank {
                restoration_id,
                limit,
            },
            &[],
        )
    }

    /// Cranks restoration `restoration_id` (one block per crank) until it leaves `Running`;
    /// returns the number of cranks. Panics after `max_cranks`.
    pub fn crank_until_done(
        &mut self,
        restoration_id: u64,
        limit: Option<u32>,
        max_cranks: u32,
    ) -> u32 {
        let mut cranks = 0;
        while self.restoration(restoration_id).state == RestorationState::Running {
            assert!(
                cranks < max_cranks,
                "restoration still running after {cranks} cranks"
            );
            self.crank(Some(restoration_id), limit).expect("crank");
            cranks += 1;
            self.advance_blocks(1);
        }
        cranks
    }
}

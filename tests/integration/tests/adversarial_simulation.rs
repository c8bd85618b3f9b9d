//! The stateful adversarial simulation: random honest activity interleaved with attacker
//! strategies (blocking proposals plus pruning, borrowed and stale stake, pause spam by a
//! compromised guardian key, overlapping scopes, guardian cancels, breaker flapping by a
//! compromised feeder), around one exploit. Whatever the attacker does, these hold:
//!
//! - an honest restoration proposed inside the exploit window is carried out: it is accepted,
//!   passes, is queued, executes (after at most one guardian delay) and completes with its
//!   digest verified, and the target reopens (rows G12, G13, T4, R12);
//! - no action is ever stopped by guardian pauses, in any combination of scopes, for longer
//!   than `max_pause` at a stretch (rows P1, P5, P6);
//! - no dormant honest account loses anything, and no proposal can exclude it (row G14);
//! - the claims never exceed what the vault holds (rows R5, R11).
//!
//! Every attacker move is a real message to the real contracts; the invariants are checked
//! from the outside (the guardian model below is built from the pause responses only).
//! 256 cases run in CI; `..._10k` (ignored) runs 10,000.

mod common;

use rewind_testing::SuiteBase;
use std::collections::BTreeMap;

use common::snapshot;
use cosmwasm_std::{Addr, Decimal, HexBinary};
use cw_multi_test::Executor;
use proptest::prelude::*;
use rewind_testing::suite::{
    usdc, RestorationProposal, Suite, SuiteBuilder, VaultConfig, DAY, HOUR,
};
use rewind_types::executor::RestorationState;
use rewind_types::governance::{ExecuteMsg as GovMsg, ProposalStatus, VoteOption};
use rewind_types::restorable::DigestAtResponse;
use rewind_types::timelock::OperationStatus;

use rewind_types::vault::{DEPOSIT, LIQUIDATE, TRADE, WITHDRAW};
use rewind_types::{PauseScope, ShortfallPolicy};

/// `all`, then the scopes the vault declares.
const ALL_SCOPES: [PauseScope; 5] = [PauseScope::ALL, DEPOSIT, WITHDRAW, TRADE, LIQUIDATE];

/// The guardian cap of the suite's pause policy.
const MAX_PAUSE: u64 = 72 * HOUR;
/// Honest users: 0..=2 act; `DORMANT` deposits before the exploit and never acts again.
const ACTIVE_USERS: u8 = 3;
const DORMANT: usize = 3;

#[derive(Clone, Debug)]
enum Step {
    /// An honest user deposits, withdraws, opens or closes (refusals are the gate's to make).
    Honest { user: u8, kind: u8, amount: u16 },
    /// The attacker proposes a useless restoration (any candidate, maybe excluding the
    /// dormant honest account), deposit paid; holders vote it down.
    Block {
        back: u8,
        exclude_dormant: bool,
        expedited: bool,
    },
    /// The attacker prunes the vault's history as hard as it may.
    Prune { limit: u16 },
    /// The attacker borrows stake for one block and tries to vote with it.
    Borrow { amount: u32 },
    /// The compromised guardian key pauses a scope, maybe ending it at once.
    Spam {
        scope: u8,
        seconds: u32,
        end_now: bool,
    },
    /// The honest guardian pauses a scope.
    HonestPause { scope: u8, seconds: u32 },
    /// The compromised feeder pushes a price `bps` away from 100, up or down.
    Flap { up: bool, bps: u16 },
    /// Time and blocks pass.
    Wait { seconds: u32, blocks: u8 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..ACTIVE_USERS, 0..4u8, 1..5_000u16)
            .prop_map(|(user, kind, amount)| Step::Honest { user, kind, amount }),
        3 => (0..6u8, any::<bool>(), any::<bool>())
            .prop_map(|(back, exclude_dormant, expedited)| Step::Block { back, exclude_dormant, expedited }),
        3 => (1..500u16).prop_map(|limit| Step::Prune { limit }),
        2 => (1..300_000u32).prop_map(|amount| Step::Borrow { amount }),
        4 => (0..5u8, 1..(100 * HOUR as u32), any::<bool>())
            .prop_map(|(scope, seconds, end_now)| Step::Spam { scope, seconds, end_now }),
        1 => (0..5u8, 1..(80 * HOUR as u32))
            .prop_map(|(scope, seconds)| Step::HonestPause { scope, seconds }),
        3 => (any::<bool>(), 500..4_000u16).prop_map(|(up, bps)| Step::Flap { up, bps }),
        4 => (1..(8 * HOUR as u32), 1..8u8).prop_map(|(seconds, blocks)| Step::Wait { seconds, blocks }),
    ]
}

/// One case: the steps before the honest proposal (bounded in time, inside the window),
/// the steps during its vote, whether the attacker held stale stake across the height, and
/// whether the compromised key tries to cancel the queued restoration.
#[derive(Clone, Debug)]
struct Case {
    before: Vec<Step>,
    during: Vec<Step>,
    stale_stake: bool,
    cancel: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(step(), 0..6),
        prop::collection::vec(step(), 0..24),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(before, during, stale_stake, cancel)| Case {
            before,
            during,
            stale_stake,
            cancel,
        })
}

fn scope(i: u8) -> PauseScope {
    ALL_SCOPES[i as usize % ALL_SCOPES.len()].clone()
}

/// The world of one case, and what the invariants are checked against.
struct World {
    s: Suite,
    /// The compromised guardian key and the honest one.
    bad_key: Addr,
    good_key: Addr,
    /// The last good height and every account's collateral at its end.
    h: u64,
    at_h: BTreeMap<Addr, u128>,
    /// Every guardian pause that took effect, as `(scope, start, end)` seconds; an early end
    /// shortens its entry.
    guardian_pauses: Vec<(PauseScope, u64, u64)>,
    /// Proposals the attacker got accepted (holders vote them down).
    blocking: Vec<u64>,
    honest: Option<u64>,
    /// Stake the attacker borrowed after the height (at most what its votes may count).
    borrowed: u128,
}

impl World {
    fn new(stale_stake: bool) -> World {
        let vault = VaultConfig {
            // Short retention: only the proposal's hold and the incident freeze keep the
            // last good height restorable through voting, the timelock and a guardian delay.
            retention_blocks: 40,
            retention_seconds: 2 * DAY,
            ..VaultConfig::default()
        };
        let mut s = SuiteBuilder::new()
            .with_users(4)
            .with_vault_config(vault)
            .with_extra_guardian("guardian2")
            .build();
        let (bad_key, good_key) = (s.guardian_key(), s.addr("guardian2"));
        let attacker = s.attacker();
        let insurance = s.insurance();
        for u in 0..=DORMANT {
            let user = s.user(u);
            s.deposit(&user, 0, 50_000).unwrap();
        }
        s.deposit(&insurance, 0, 300_000).unwrap();
        s.deposit(&attacker, 0, 20_000).unwrap();
        if stale_stake {
            // More stake than every holder together, held across the height, gone by the
            // honest proposal's start (row G13).
            s.stake(&attacker, 4_000_000).unwrap();
        }
        s.advance_blocks(1);
        s.open(&attacker, 0, 1_000, 10_000).unwrap();
        let u1 = s.user(1);
        s.open(&u1, 0, -100, 2_000).unwrap();
        s.advance_blocks(1);
        let h = s.height();
        let at_h = snapshot(&s, 0);
        s.advance_blocks(1);

        // Block E: the compromised feeder moves the price under the breaker's bound; the
        // attacker closes at a profit and takes it out.
        s.push_price(0, Decimal::from_ratio(118u128, 1u128))
            .unwrap();
        s.close_position(&attacker, 0).unwrap();
        let stolen = s.collateral(0, &attacker);
        s.withdraw(&attacker, 0, stolen).unwrap();
        if stale_stake {
            s.unstake(&attacker, 4_000_000).unwrap();
        }
        s.advance_blocks(1);
        World {
            s,
            bad_key,
            good_key,
            h,
            at_h,
            guardian_pauses: vec![],
            blocking: vec![],
            honest: None,
            borrowed: 0,
        }
    }

    fn apply(&mut self, step: &Step) {
        let s = &mut self.s;
        match *step {
            Step::Honest { user, kind, amount } => {
                let who = s.user(user as usize);
                let amount = amount as u128;
                let _ = match kind {
                    0 => s.deposit(&who, 0, amount),
                    1 => s.withdraw(&who, 0, amount.min(s.collateral(0, &who))),
                    2 => s.open(&who, 0, 10, amount.max(100)),
                    _ => s.close_position(&who, 0),
                };
            }
            Step::Block {
                back,
                exclude_dormant,
                expedited,
            } => {
                let dormant = s.user(DORMANT);
                let height = s.height().saturating_sub(1 + back as u64).max(1);
                let p = RestorationProposal {
                    targets: vec![0],
                    heights: vec![height],
                    exclusions: if exclude_dormant {
                        vec![dormant.clone()]
                    } else {
                        vec![]
                    },
                    policy: ShortfallPolicy::ProRataHaircut,
                    expedited,
                };
                let attacker = s.attacker();
                let res = match s.app.wrap().query_wasm_smart::<DigestAtResponse>(
                    s.vaults[0].clone(),
                    &rewind_types::restorable::RestorableQueryMsg::DigestAt { height },
                ) {
                    Ok(_) => {
                        let msg = s.restoration_msg(&p);
                        s.propose(&attacker, &msg)
                    }
                    // A height the target refuses: the attacker proposes it anyway, with
                    // a made-up digest.
                    Err(_) => {
                        let mut msg = s.restoration_msg(&RestorationProposal {
                            heights: vec![s.height() - 1],
                            ..p.clone()
                        });
                        if let GovMsg::ProposeRestoration { candidates, .. } = &mut msg {
                            candidates[0].height = height;
                            candidates[0].expected_digests = vec![HexBinary::from(vec![7; 32])];
                        }
                        s.propose(&attacker, &msg)
                    }
                };
                if exclude_dormant {
                    let err = res.expect_err("a dormant honest account can never be excluded");
                    let text = format!("{err:?}");
                    assert!(
                        text.contains("did not act on any target")
                            || text.contains("power")
                            || text.contains("height"),
                        "refused for a reason of its own: {text}"
                    );
                } else if let Ok(id) = res {
                    self.blocking.push(id);
                    for i in 0..s.names.holders.len() {
                        let holder = s.holder(i);
                        let _ = s.vote(&holder, id, VoteOption::Reject);
                    }
                }
            }
            Step::Prune { limit } => {
                let (attacker, vault) = (s.attacker(), s.vaults[0].clone());
                s.app
                    .execute_contract(
                        attacker,
                        vault,
                        &rewind_types::restorable::RestorableExecuteMsg::Prune {
                            limit: Some(limit as u32),
                        },
                        &[],
                    )
                    .expect("prune is permissionless and never fails");
                s.advance_blocks(1);
            }
            Step::Borrow { amount } => {
                let attacker = s.attacker();
                let amount = amount as u128;
                if s.stake(&attacker, amount).is_ok() {
                    self.borrowed += amount;
                    s.advance_blocks(1);
                    if let Some(id) = self.honest {
                        let vote = s.vote(&attacker, id, VoteOption::Reject);
                        assert!(
                            vote.is_err(),
                            "stake borrowed after the start votes nothing"
                        );
                    }
                    s.unstake(&attacker, amount).unwrap();
                }
            }
            Step::Spam {
                scope: i,
                seconds,
                end_now,
            } => {
                let key = self.bad_key.clone();
                self.guardian_pause(&key, scope(i), seconds as u64);
                if end_now && self.s.end_pause_by(&key, 0, scope(i)).is_ok() {
                    let now = self.s.time().seconds();
                    if let Some(p) = self
                        .guardian_pauses
                        .iter_mut()
                        .rev()
                        .find(|p| p.0 == scope(i) && p.2 > now)
                    {
                        p.2 = now;
                    }
                }
            }
            Step::HonestPause { scope: i, seconds } => {
                let key = self.good_key.clone();
                self.guardian_pause(&key, scope(i), seconds as u64);
            }
            Step::Flap { up, bps } => {
                let bps = bps as u128;
                let price = if up { 10_000 + bps } else { 10_000 - bps };
                let _ = s.push_price(0, Decimal::from_ratio(price, 100u128));
            }
            Step::Wait { seconds, blocks } => s.advance_by(seconds as u64, blocks as u64),
        }
    }

    fn guardian_pause(&mut self, key: &Addr, scope: PauseScope, seconds: u64) {
        let now = self.s.time().seconds();
        if self.s.pause_by(key, 0, scope.clone(), seconds).is_ok() {
            self.guardian_pauses.push((scope, now, now + seconds));
        }
    }

    /// The honest holders propose restoring to the last good height, excluding the
    /// attacker (who acted after it), and vote for it at once.
    fn propose_honestly(&mut self) {
        let s = &mut self.s;
        let attacker = s.attacker();
        assert!(
            s.last_acted(0, &attacker).is_some_and(|at| at > self.h),
            "the attacker acted after the height"
        );
        let p = RestorationProposal {
            targets: vec![0],
            heights: vec![self.h],
            exclusions: vec![attacker.clone()],
            policy: ShortfallPolicy::InsuranceFirst,
            expedited: false,
        };
        let holder = s.holder(0);
        let id = s
            .propose_restoration(&holder, &p)
            .expect("no attacker move blocks an honest proposal in the window (G12)");
        s.advance_blocks(1);
        s.vote_all_holders(id, self.h);
        // Stake the attacker held across the height and gave up by the start counts nothing
        // (G13): at most what it still held at the start, i.e. what it borrowed since.
        if s.vote(&attacker, id, VoteOption::Reject).is_ok() {
            let counted = s.voter(id, &attacker).vote.expect("recorded").power.u128();
            assert!(
                counted <= self.borrowed,
                "the attacker's vote counts {counted}, more than the {} it still held",
                self.borrowed
            );
        }
        self.honest = Some(id);
    }

    /// The honest proposal passes, is queued, survives a guardian cancel, executes and
    /// completes; the vault reopens.
    fn carry_out(&mut self, cancel: bool) {
        let id = self.honest.expect("proposed");
        let s = &mut self.s;
        let end = s.proposal(id).end_time.seconds();
        let wait = end.saturating_sub(s.time().seconds());
        s.advance_by(wait + 1, wait / 5 + 2);
        prune_hard(s);
        assert_eq!(s.proposal(id).status, ProposalStatus::Passed);
        for &b in &self.blocking {
            let _ = s.close(b);
        }
        s.close(id).expect("close");
        assert_eq!(
            s.proposal(id).status,
            ProposalStatus::Executed,
            "the honest restoration is queued: no blocking proposal reserved the target"
        );
        let op = s.operation_of(id);
        assert_eq!(s.operation(op).status, OperationStatus::Queued);
        if cancel {
            let key = self.bad_key.clone();
            s.cancel_op(&key, op)
                .expect("a guardian cancel only delays (T4)");
            let again = s.cancel_op(&key, op);
            assert!(again.is_err(), "an operation is delayed at most once");
            let good = self.good_key.clone();
            assert!(s.cancel_op(&good, op).is_err(), "by any guardian");
        }
        let o = s.operation(op);
        assert_eq!(
            o.status,
            OperationStatus::Queued,
            "only governance cancels for good"
        );
        let secs = o.eta.seconds().saturating_sub(s.time().seconds());
        let blocks = o.eta_height.saturating_sub(s.height());
        s.advance_by(secs + 1, blocks + 1);
        prune_hard(s);
        s.execute_op(op)
            .expect("the held history keeps the height restorable");
        let mut cranks = 0;
        while s.restoration(op).state == RestorationState::Running {
            s.crank(Some(op), Some(37)).expect("crank");
            s.advance_blocks(1);
            cranks += 1;
            assert!(cranks < 500, "the crank finishes");
        }
        common::assert_complete(s, op, self.h);
        assert!(!s.journal_info(0).restoring, "released: the vault reopens");
    }

    fn check_no_loss_and_no_value_created(&self) {
        let s = &self.s;
        let dormant = s.user(DORMANT);
        let claims = s.restoration_claims(0);
        let total: u128 = claims.iter().map(|c| usdc(&c.after)).sum();
        assert!(
            total <= s.vault_bank(0),
            "claims {total} <= bank {} (R5, R11)",
            s.vault_bank(0)
        );
        let mine = claims
            .iter()
            .find(|c| c.account == dormant)
            .expect("the dormant account has a claim");
        assert!(!mine.frozen, "the dormant account is not frozen (G14)");
        assert_eq!(
            usdc(&mine.after),
            self.at_h[&dormant],
            "the dormant honest account loses nothing"
        );
        assert_eq!(s.collateral(0, &dormant), self.at_h[&dormant]);
    }

    /// No action was ever stopped by guardian pauses longer than the cap at a stretch.
    fn check_guardian_stretches(&self) {
        for action in [DEPOSIT, WITHDRAW, TRADE, LIQUIDATE] {
            let mut spans: Vec<(u64, u64)> = self
                .guardian_pauses
                .iter()
                .filter(|(sc, start, end)| (*sc == action || *sc == PauseScope::ALL) && end > start)
                .map(|(_, start, end)| (*start, *end))
                .collect();
            spans.sort();
            let mut run: Option<(u64, u64)> = None;
            for (start, end) in spans {
                run = match run {
                    Some((a, b)) if start <= b => Some((a, b.max(end))),
                    _ => Some((start, end)),
                };
                let (a, b) = run.unwrap();
                assert!(
                    b - a <= MAX_PAUSE,
                    "{action} stopped by guardians for {} s at a stretch",
                    b - a
                );
            }
        }
    }
}

/// The attacker prunes everything pruning may delete.
fn prune_hard(s: &mut Suite) {
    let (attacker, vault) = (s.attacker(), s.vaults[0].clone());
    for _ in 0..20 {
        s.app
            .execute_contract(
                attacker.clone(),
                vault.clone(),
                &rewind_types::restorable::RestorableExecuteMsg::Prune { limit: Some(500) },
                &[],
            )
            .expect("prune never fails");
    }
}

fn run(case: &Case) {
    let mut w = World::new(case.stale_stake);
    for step in &case.before {
        // Inside the window: the honest proposal comes within a day and a few blocks.
        if let Step::Wait { .. } = step {
            w.s.advance_by(HOUR, 1);
        } else {
            w.apply(step);
        }
    }
    w.propose_honestly();
    let voting_ends = w.s.proposal(w.honest.unwrap()).end_time.seconds();
    for step in &case.during {
        if let Step::Wait { seconds, .. } = step {
            if w.s.time().seconds() + *seconds as u64 >= voting_ends {
                continue;
            }
        }
        w.apply(step);
    }
    w.carry_out(case.cancel);
    w.check_no_loss_and_no_value_created();
    w.check_guardian_stretches();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, max_shrink_iters: 256, ..ProptestConfig::default() })]

    #[test]
    fn g12_g13_g14_t4_p5_p6_r11_honest_restoration_survives_every_attacker_strategy(case in case()) {
        run(&case);
    }
}

#[test]
#[ignore = "long: 10,000 cases"]
fn g12_g13_g14_t4_p5_p6_r11_honest_restoration_survives_every_attacker_strategy_10k() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 10_000,
        ..ProptestConfig::default()
    });
    runner
        .run(&case(), |c| {
            run(&c);
            Ok(())
        })
        .unwrap();
}

/// The strongest single sequence found by hand, pinned: a blocking proposal, hard pruning
/// across many blocks, tiny-pause spam on overlapping scopes, breaker flapping, stale stake
/// and a guardian cancel.
#[test]
fn g12_t4_p6_pinned_blocking_pruning_spam_and_cancel() {
    run(&Case {
        before: vec![
            Step::Block {
                back: 0,
                exclude_dormant: false,
                expedited: true,
            },
            Step::Spam {
                scope: 0,
                seconds: 1,
                end_now: true,
            },
            Step::Prune { limit: 499 },
        ],
        during: vec![
            Step::Spam {
                scope: 3,
                seconds: 1,
                end_now: true,
            },
            Step::Spam {
                scope: 0,
                seconds: 72 * HOUR as u32,
                end_now: false,
            },
            Step::Spam {
                scope: 3,
                seconds: 10,
                end_now: false,
            },
            Step::Flap {
                up: true,
                bps: 3_000,
            },
            Step::Flap {
                up: false,
                bps: 3_000,
            },
            Step::Wait {
                seconds: 7 * HOUR as u32,
                blocks: 7,
            },
            Step::Prune { limit: 499 },
            Step::Block {
                back: 5,
                exclude_dormant: true,
                expedited: false,
            },
            Step::Borrow { amount: 250_000 },
            Step::Wait {
                seconds: 7 * HOUR as u32,
                blocks: 7,
            },
            Step::Prune { limit: 499 },
        ],
        stale_stake: true,
        cancel: true,
    });
}

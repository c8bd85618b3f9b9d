//! Issue 16, item 4: the optimistic fast track through the whole system (rows F1-F9 of
//! docs/SECURITY.md). A vault whose in-line solvency check holds while closing every
//! position now would pay more than it holds (a long and a short netting to zero, the
//! short's loss floored at its margin); a permissionless `Report` proves it, and a
//! guardian proposes the restoration the vault's peacetime playbook pre-approves.

use cosmwasm_std::{Addr, Decimal, StdResult};
use cw_multi_test::{AppResponse, Executor};
use rewind_testing::suite::{dec, Suite, SuiteBuilder, VaultConfig, HOUR};
use rewind_testing::{assert_error, SuiteBase};
use rewind_types::executor::RestorationState;
use rewind_types::governance::{
    ExecuteMsg as GovMsg, ParameterChange, Playbook, ProposalStatus, QueryMsg as GovQuery,
    TargetsResponse, VoteOption, FAST_TRACK_MAX_VETO_SECONDS, FAST_TRACK_MIN_VETO_SECONDS,
};
use rewind_types::restorable::{Incident, RestorableExecuteMsg, RestorableQueryMsg};
use rewind_types::timelock::OperationStatus;
use rewind_types::vault::InvariantSettings;
use rewind_types::ShortfallPolicy;

const VAULT: usize = 0;
/// The playbook's veto window: 6 h.
const WINDOW: u64 = 6 * HOUR;

fn playbook() -> Playbook {
    Playbook {
        veto_window_seconds: WINDOW,
        veto_threshold: dec("0.3"),
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
        post_restore_config: None,
    }
}

/// What the scenario left: the suite, the incident, the honest short and the attacker.
struct Incidented {
    s: Suite,
    incident: Incident,
    honest: Addr,
    attacker: Addr,
}

/// The suite with the vault's solvency invariant and a playbook voted in peacetime, then
/// the exploit: the attacker's long and an honest short of the same size, a price move
/// the in-line check cannot see through (net PnL zero), and a keeper's report proving it.
fn incidented() -> Incidented {
    incidented_with(3)
}

/// [`incidented`] with `holders` equal token holders.
fn incidented_with(holders: usize) -> Incidented {
    incidented_in(SuiteBuilder::new().with_holders(holders, 1_000_000))
}

/// [`incidented`] on a suite built from `builder` (its vault config is replaced).
fn incidented_in(builder: SuiteBuilder) -> Incidented {
    let mut s = builder
        .with_vault_config(VaultConfig {
            breaker_bound_bps: 100_000,
            invariants: Some(InvariantSettings {
                solvency: true,
                reference_feeder: None,
                oracle_bound_bps: 500,
                in_line: true,
            }),
            ..VaultConfig::default()
        })
        .build();
    let target = s.vaults[VAULT].to_string();
    s.pass_parameters(
        "Fast-track playbook",
        vec![ParameterChange::SetPlaybook {
            target,
            playbook: Some(playbook()),
        }],
    );
    let (honest, attacker) = (s.user(0), s.attacker());
    for who in [&honest, &attacker] {
        s.deposit(who, VAULT, 1_000_000).unwrap();
    }
    s.advance_blocks(1);
    s.open(&attacker, VAULT, 100, 1_000).unwrap();
    s.open(&honest, VAULT, -100, 1_000).unwrap();
    s.advance_blocks(1);
    // +90 %: the long wins 9,000, the short's loss is floored at its margin of 1,000.
    s.push_price(VAULT, Decimal::from_ratio(190u128, 1u128))
        .unwrap();
    s.advance_blocks(1);
    let keeper = s.keeper();
    let vault = s.vaults[VAULT].clone();
    let report = RestorableExecuteMsg::Report {
        invariant: "solvency".into(),
        limit: None,
    };
    // One call scans, the next proves (the scan is batched).
    while s
        .app
        .execute_contract(keeper.clone(), vault.clone(), &report, &[])
        .map(|r| !r.events.iter().any(|e| e.ty == "wasm-incident"))
        .unwrap()
    {}
    let incident: Incident = s.query(&vault, &RestorableQueryMsg::Incident { id: 1 });
    s.advance_blocks(1);
    Incidented {
        s,
        incident,
        honest,
        attacker,
    }
}

fn fast_track_msg(s: &Suite, incident_id: u64, exclusions: Option<Vec<&Addr>>) -> GovMsg {
    GovMsg::ProposeFastTrack {
        target: s.vaults[VAULT].to_string(),
        incident_id,
        exclusions: exclusions.map(|list| list.iter().map(|a| a.to_string()).collect()),
    }
}

fn send(s: &mut Suite, sender: &Addr, msg: &GovMsg) -> StdResult<AppResponse> {
    let gov = s.governance.clone();
    s.app.execute_contract(sender.clone(), gov, msg, &[])
}

/// The guardian proposes the fast track for incident 1; the proposal id.
fn propose(s: &mut Suite) -> u64 {
    let guardian = s.guardian_key();
    let msg = fast_track_msg(s, 1, None);
    let res = send(s, &guardian, &msg).unwrap();
    rewind_testing::suite::attribute(&res, "proposal_id")
        .unwrap()
        .parse()
        .unwrap()
}

/// Rows F2 and F8, the story: the incident's height, its accounts, the playbook's rule; the
/// operation waits exactly the veto window, then executes and restores; the honest short is
/// replayed, the attacker's long is not.
#[test]
fn f2_f8_an_unvetoed_fast_track_restores_the_incidents_height_after_the_window() {
    let Incidented {
        mut s,
        incident,
        honest,
        attacker,
    } = incidented();
    let height = incident
        .last_held_height
        .expect("the incident names a height");
    assert_eq!(incident.accounts, vec![attacker.to_string()]);
    let proposed_at = s.time();
    let id = propose(&mut s);

    let p = s.proposal(id);
    assert!(p.fast_track);
    assert_eq!(p.status, ProposalStatus::Open);
    assert_eq!(p.end_time, proposed_at.plus_seconds(WINDOW));
    assert!(
        p.deposit.amount.is_zero(),
        "a guardian's fast track takes no deposit"
    );
    let spec = s.scheduled_spec(id).spec;
    assert_eq!(spec.height, height);
    assert_eq!(spec.exclusions, vec![attacker.clone()]);
    assert_eq!(spec.shortfall_policy, ShortfallPolicy::ProRataHaircut);
    assert_eq!(
        spec.targets[0].expected_digest,
        s.expected_digest(VAULT, height)
    );
    // Queued at once, due when the veto window ends.
    let op_id = p.operation_id.expect("queued with the proposal");
    let op = s.operation(op_id);
    assert_eq!(op.status, OperationStatus::Queued);
    assert_eq!(op.eta, proposed_at.plus_seconds(WINDOW));
    let targets: TargetsResponse = s.query(
        &s.governance,
        &GovQuery::Targets {
            start_after: None,
            limit: None,
        },
    );
    assert_eq!(targets.targets[0].active_proposal, Some(id));
    assert_eq!(targets.targets[0].playbook, Some(playbook()));

    // Row F8: not before the window ends.
    s.advance_by(WINDOW - 60, (WINDOW - 60) / 5);
    assert!(
        s.execute_op(op_id).is_err(),
        "not due before the window ends"
    );
    s.advance_by(60, 12);
    // Row F8: no veto once the window is over.
    let holder = s.holder(0);
    assert_error(
        s.vote(&holder, id, VoteOption::Veto),
        format!("voting on proposal {id} is closed"),
    );
    s.execute_op(op_id).unwrap();
    s.crank_until_done(op_id, None, 50);
    assert_eq!(s.restoration(op_id).state, RestorationState::Complete);
    s.close(id).unwrap();
    let closed = s.proposal(id);
    assert_eq!(closed.status, ProposalStatus::Executed);
    assert_eq!(closed.winning_height, Some(height));

    let vault = s.vaults[VAULT].clone();
    let account = |s: &Suite, who: &Addr| -> serde_json::Value {
        s.query(
            &vault,
            &rewind_types::vault::QueryMsg::Account {
                address: who.to_string(),
            },
        )
    };
    let attacker_account = account(&s, &attacker);
    assert_eq!(
        attacker_account["positions"],
        serde_json::json!([]),
        "the attacker's long is not replayed"
    );
    let honest_account = account(&s, &honest);
    assert_eq!(
        honest_account["positions"].as_array().map(Vec::len),
        Some(1),
        "the honest short is replayed"
    );
}

/// Row F5: holders veto with power at the power height. Stake taken after it counts for
/// nothing; a veto reaching the threshold of the total power cancels the operation at
/// once, releases the target, and nobody can vote or execute after it.
#[test]
fn f5_a_veto_of_the_threshold_of_total_power_cancels_it_at_once() {
    let Incidented { mut s, .. } = incidented();
    let id = propose(&mut s);
    let op_id = s.proposal(id).operation_id.unwrap();
    // A flash staker after the power height has no power here.
    let late = s.user(1);
    s.stake(&late, 1_000_000_000).unwrap();
    s.advance_blocks(1);
    assert!(s.vote(&late, id, VoteOption::Veto).is_err());
    // Only the veto counts on a fast track.
    let holder = s.holder(0);
    let height = s.proposal(id).winning_height.unwrap();
    for vote in [
        VoteOption::Candidate { height },
        VoteOption::Yes,
        VoteOption::Reject,
    ] {
        assert_error(
            s.vote(&holder, id, vote),
            format!("proposal {id} is a fast track: only Veto counts"),
        );
    }
    // One of three equal holders: 1/3 of the total power reaches the 0.3 threshold.
    let res = s.vote(&holder, id, VoteOption::Veto).unwrap();
    assert_eq!(
        rewind_testing::suite::attribute(&res, "vetoed").as_deref(),
        Some("true")
    );
    assert_eq!(s.proposal(id).status, ProposalStatus::Vetoed);
    assert_eq!(s.operation(op_id).status, OperationStatus::Cancelled);
    let other = s.holder(1);
    assert_error(
        s.vote(&other, id, VoteOption::Veto),
        format!("voting on proposal {id} is closed"),
    );
    s.advance_by(WINDOW, WINDOW / 5);
    assert!(
        s.execute_op(op_id).is_err(),
        "a vetoed fast track never executes"
    );
    s.close(id).unwrap();
    assert_eq!(s.proposal(id).status, ProposalStatus::Closed);
    let targets: TargetsResponse = s.query(
        &s.governance,
        &GovQuery::Targets {
            start_after: None,
            limit: None,
        },
    );
    assert_eq!(targets.targets[0].active_proposal, None);
}

/// Row F5: below the threshold the veto changes nothing: it executes after the window.
#[test]
fn f5_a_veto_below_the_threshold_does_not_stop_it() {
    // 1 of 4 equal holders is 0.25 of the total power, under the 0.3 threshold.
    let Incidented { mut s, .. } = incidented_with(4);
    let id = propose(&mut s);
    let op_id = s.proposal(id).operation_id.unwrap();
    let holder = s.holder(0);
    let res = s.vote(&holder, id, VoteOption::Veto).unwrap();
    assert_eq!(rewind_testing::suite::attribute(&res, "vetoed"), None);
    assert_eq!(s.proposal(id).status, ProposalStatus::Open);
    s.advance_by(WINDOW, WINDOW / 5);
    assert_eq!(s.proposal(id).status, ProposalStatus::Passed);
    s.execute_op(op_id).unwrap();
    assert_eq!(s.operation(op_id).status, OperationStatus::Executed);
}

/// Rows F1, F3, F4, F7 and G13: every other fast track is refused, and nothing is kept.
#[test]
fn f1_f3_f4_f7_what_the_proven_report_does_not_support_is_refused() {
    let Incidented {
        mut s,
        honest,
        attacker,
        ..
    } = incidented();
    let guardian = s.guardian_key();
    // F4: only a guardian.
    let stranger = s.holder(0);
    assert_error(
        {
            let msg = fast_track_msg(&s, 1, None);
            send(&mut s, &stranger, &msg)
        },
        format!("{stranger} is not a guardian: only a guardian proposes a fast track"),
    );
    // F1: only an incident the target recorded.
    assert!({
        let msg = fast_track_msg(&s, 2, None);
        send(&mut s, &guardian, &msg)
    }
    .is_err());
    // F3: no account the incident does not name.
    assert_error(
        {
            let msg = fast_track_msg(&s, 1, Some(vec![&attacker, &honest]));
            send(&mut s, &guardian, &msg)
        },
        format!("{honest} is not an account incident 1 names"),
    );
    // F7: one fast track per incident.
    let id = propose(&mut s);
    assert_error(
        {
            let msg = fast_track_msg(&s, 1, None);
            send(&mut s, &guardian, &msg)
        },
        format!(
            "incident 1 of {} already has fast-track proposal {id}",
            s.vaults[VAULT]
        ),
    );
    // F4: a target without a playbook.
    let target = s.vaults[VAULT].to_string();
    s.pass_parameters(
        "withdraw the playbook",
        vec![ParameterChange::SetPlaybook {
            target: target.clone(),
            playbook: None,
        }],
    );
    assert_error(
        {
            let msg = fast_track_msg(&s, 1, None);
            send(&mut s, &guardian, &msg)
        },
        format!("target {target} has no fast-track playbook"),
    );
}

/// Row F6: the veto window and the veto threshold are bounded in code, at the vote that
/// sets a playbook and in the timelock whatever governance sends.
#[test]
fn f6_playbooks_outside_the_bounds_in_code_are_refused() {
    let mut s = SuiteBuilder::new().build();
    let holder = s.holder(0);
    let target = s.vaults[VAULT].to_string();
    let too = |window: u64, threshold: &str| GovMsg::ProposeParameters {
        title: "bad playbook".into(),
        description: String::new(),
        changes: vec![ParameterChange::SetPlaybook {
            target: target.clone(),
            playbook: Some(Playbook {
                veto_window_seconds: window,
                veto_threshold: dec(threshold),
                ..playbook()
            }),
        }],
    };
    for (window, threshold) in [
        (FAST_TRACK_MIN_VETO_SECONDS - 1, "0.3"),
        (FAST_TRACK_MAX_VETO_SECONDS + 1, "0.3"),
        (WINDOW, "0"),
        (WINDOW, "0.51"),
    ] {
        let err = s.propose(&holder, &too(window, threshold)).unwrap_err();
        assert!(
            rewind_testing::contract_error_text(&err)
                .starts_with(&format!("invalid playbook for {target}")),
            "{err}"
        );
    }
    for bound in [FAST_TRACK_MIN_VETO_SECONDS, FAST_TRACK_MAX_VETO_SECONDS] {
        s.propose(&holder, &too(bound, "0.5")).unwrap();
    }
}

/// A suite whose expedited track votes in 1 h, shorter than the 6 h veto window, so a normal
/// restoration can close while a fast track waits; with that restoration (to the incident's
/// height, excluding the attacker) proposed and voted for by every holder. Its id.
fn short_expedited_restoration_voted() -> (Suite, u64) {
    let b = SuiteBuilder::new();
    let (normal, mut expedited) = (b.normal, b.expedited);
    expedited.voting_period_seconds = HOUR;
    let Incidented {
        mut s,
        incident,
        attacker,
        ..
    } = incidented_in(
        b.with_min_voting_period(HOUR)
            .with_voting_rules(normal, expedited),
    );
    let height = incident.last_held_height.unwrap();
    let msg = s.restoration_msg(&rewind_testing::suite::RestorationProposal {
        targets: vec![VAULT],
        heights: vec![height],
        exclusions: vec![attacker],
        policy: ShortfallPolicy::ProRataHaircut,
        expedited: true,
    });
    let holder = s.holder(0);
    let other = s.propose(&holder, &msg).unwrap();
    s.vote_all_holders(other, height);
    (s, other)
}

/// Row F7: while a fast track's operation waits, a normal restoration of the same target that
/// passes fails at its close, refunded, as under row G12: the fast track holds the target.
#[test]
fn f7_a_restoration_closing_while_a_fast_track_waits_fails() {
    let (mut s, other) = short_expedited_restoration_voted();
    let fast = propose(&mut s);
    s.advance_by(HOUR, HOUR / 5);
    s.close(other).unwrap();
    let failed = s.proposal(other);
    assert_eq!(failed.status, ProposalStatus::ExecutionFailed);
    let want = format!("reserved by the queued or running restoration of proposal {fast}");
    assert!(
        failed
            .execution_error
            .as_deref()
            .is_some_and(|e| e.contains(&want)),
        "{:?}",
        failed.execution_error
    );
    // The fast track still executes when its window ends.
    let op = s.proposal(fast).operation_id.unwrap();
    s.advance_by(WINDOW, WINDOW / 5);
    s.execute_op(op).unwrap();
}

/// Row F7: once another restoration of the target is queued, a fast track is refused.
#[test]
fn f7_a_fast_track_is_refused_while_another_restoration_holds_the_target() {
    let (mut s, other) = short_expedited_restoration_voted();
    s.advance_by(HOUR, HOUR / 5);
    s.close(other).unwrap();
    assert_eq!(s.proposal(other).status, ProposalStatus::Executed);
    let guardian = s.guardian_key();
    let msg = fast_track_msg(&s, 1, None);
    assert_error(
        send(&mut s, &guardian, &msg),
        format!(
            "target {} is reserved by the queued or running restoration of proposal {other}",
            s.vaults[VAULT]
        ),
    );
}

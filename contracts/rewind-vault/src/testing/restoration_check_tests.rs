//! `RestorationCheck`: `JournalInfo` plus one `DigestAt` outcome per height, in one query.

use cosmwasm_std::{from_json, to_json_vec, StdResult};
use rewind_journal::JournalError;
use rewind_testing::SuiteBase;
use rewind_types::restorable::{
    DigestAtOutcome, DigestAtResponse, JournalInfoResponse, RestorationCheckResponse,
    MAX_RESTORATION_CHECK_HEIGHTS,
};
use rewind_types::vault::QueryMsg;
use rewind_types::{RestorableQueryMsg, ShortfallPolicy};

use super::suite::*;

/// A vault with a deposit at each of `blocks` consecutive heights; returns the first one.
fn history(blocks: u64) -> (Suite, u64) {
    let mut s = SuiteBuilder::default().build();
    let alice = s.user("alice");
    let first = s.height();
    for i in 0..blocks {
        s.deposit(&alice, 10 + u128::from(i), USDC).unwrap();
        s.next_block();
    }
    (s, first)
}

fn check(s: &Suite, heights: &[u64]) -> StdResult<RestorationCheckResponse> {
    s.app.wrap().query_wasm_smart(
        s.vault.clone(),
        &RestorableQueryMsg::RestorationCheck {
            heights: heights.to_vec(),
            accounts: vec![],
        },
    )
}

/// What `DigestAt { height }` answers, as an outcome: the response, or its error's text.
fn digest_outcome(s: &Suite, height: u64) -> DigestAtOutcome {
    let r: StdResult<DigestAtResponse> = s
        .app
        .wrap()
        .query_wasm_smart(s.vault.clone(), &RestorableQueryMsg::DigestAt { height });
    match r {
        Ok(at) => DigestAtOutcome::Digest(at),
        Err(e) => DigestAtOutcome::Refused {
            height,
            error: e.to_string(),
        },
    }
}

/// The check's outcomes equal the `DigestAt` answers; a refusal's text is the one the
/// `DigestAt` query fails with (multi-test only prefixes it).
#[track_caller]
fn assert_matches_single_queries(s: &Suite, heights: &[u64]) -> RestorationCheckResponse {
    let r = check(s, heights).unwrap();
    let info: JournalInfoResponse = s.query(&RestorableQueryMsg::JournalInfo {});
    assert_eq!(r.journal, info);
    assert_eq!(r.digests.len(), heights.len());
    for (outcome, &height) in r.digests.iter().zip(heights) {
        assert_eq!(outcome.height(), height);
        match (outcome, digest_outcome(s, height)) {
            (DigestAtOutcome::Digest(got), DigestAtOutcome::Digest(want)) => {
                assert_eq!(*got, want)
            }
            (
                DigestAtOutcome::Refused { error, .. },
                DigestAtOutcome::Refused { error: single, .. },
            ) => assert!(single.ends_with(error.as_str()), "`{single}` vs `{error}`"),
            (got, want) => panic!("height {height}: check {got:?}, DigestAt {want:?}"),
        }
    }
    r
}

#[test]
fn the_shared_restoration_check_parses_as_the_vaults_own_query() {
    let shared = RestorableQueryMsg::RestorationCheck {
        heights: vec![3, 1, 3],
        accounts: vec![],
    };
    let parsed: rewind_target::QueryMsg<QueryMsg> =
        from_json(to_json_vec(&shared).unwrap()).unwrap();
    assert_eq!(
        parsed,
        rewind_target::Wrapped::Rewind(RestorableQueryMsg::RestorationCheck {
            heights: vec![3, 1, 3],
            accounts: vec![],
        })
    );
}

#[test]
fn restoration_check_answers_journal_info_and_every_digest_in_order() {
    let (s, first) = history(5);
    let heights = [first + 3, first, first + 1, first + 3, first + 4];
    let r = assert_matches_single_queries(&s, &heights);
    assert!(r
        .digests
        .iter()
        .all(|o| matches!(o, DigestAtOutcome::Digest(_))));
    // Each of these heights wrote, so each has its own digest.
    let digests: Vec<_> = r
        .digests
        .iter()
        .filter_map(|o| match o {
            DigestAtOutcome::Digest(at) => Some((at.recorded_at, at.digest.clone())),
            DigestAtOutcome::Refused { .. } => None,
        })
        .collect();
    assert_eq!(digests[0], digests[3]);
    assert_ne!(digests[0].1, digests[1].1);
    assert_eq!(digests[1].0, first);
}

#[test]
fn restoration_check_carries_each_refusal_with_the_digest_at_error() {
    let (s, first) = history(3);
    let now = s.height();
    let info: JournalInfoResponse = s.query(&RestorableQueryMsg::JournalInfo {});
    let before = info.retained_from - 1;
    let r = assert_matches_single_queries(&s, &[before, first + 1, now, now + 7]);
    let refused = |height: u64, e: JournalError| DigestAtOutcome::Refused {
        height,
        // rewind-target answers RestorationCheck: the journal's own text.
        error: e.to_string(),
    };
    assert_eq!(
        r.digests[0],
        refused(
            before,
            JournalError::BeforeRetainedHistory {
                height: before,
                retained_from: info.retained_from,
            }
        )
    );
    assert!(matches!(r.digests[1], DigestAtOutcome::Digest(_)));
    assert_eq!(
        r.digests[2],
        refused(
            now,
            JournalError::HeightNotInPast {
                height: now,
                current_height: now,
            }
        )
    );
    assert_eq!(
        r.digests[3],
        refused(
            now + 7,
            JournalError::HeightNotInPast {
                height: now + 7,
                current_height: now,
            }
        )
    );
}

#[test]
fn restoration_check_reports_rolled_back_heights_and_the_restoring_flag() {
    let (mut s, first) = history(4);
    s.restore(first + 1, &[], ShortfallPolicy::ProRataHaircut)
        .unwrap();
    let during = assert_matches_single_queries(&s, &[first + 1]);
    assert!(during.journal.restoring);
    s.crank_to_end(&[50]);
    s.next_block();
    let r = assert_matches_single_queries(&s, &[first + 1, first + 2, first + 3]);
    assert!(!r.journal.restoring);
    assert!(matches!(r.digests[0], DigestAtOutcome::Digest(_)));
    for outcome in &r.digests[1..] {
        let DigestAtOutcome::Refused { error, .. } = outcome else {
            panic!("a rolled-back height has no digest: {outcome:?}");
        };
        let erased = format!("was erased by the rollback to {}", first + 1);
        assert!(error.contains(&erased), "{error}");
    }
}

#[test]
fn restoration_check_refuses_more_heights_than_the_cap() {
    let (s, first) = history(1);
    let at_cap = vec![first; MAX_RESTORATION_CHECK_HEIGHTS];
    assert_eq!(
        check(&s, &at_cap).unwrap().digests.len(),
        MAX_RESTORATION_CHECK_HEIGHTS
    );
    let over = vec![first; MAX_RESTORATION_CHECK_HEIGHTS + 1];
    let err = check(&s, &over).unwrap_err().to_string();
    assert!(
        err.ends_with(&format!(
            "restoration check: {} heights, at most {MAX_RESTORATION_CHECK_HEIGHTS}",
            MAX_RESTORATION_CHECK_HEIGHTS + 1
        )),
        "{err}"
    );
    assert!(check(&s, &[]).unwrap().digests.is_empty());
}

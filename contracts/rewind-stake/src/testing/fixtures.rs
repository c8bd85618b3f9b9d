//! rewind-stake's JSON against DAO DAO's, field for field (issue 14, item 4).
//!
//! The fixtures in `tests/fixtures/` are written by hand from the published schema of
//! dao-voting-token-staked v2.3.0 and dao-interface (see their README). For each one:
//! the request parses into our `QueryMsg` and serialises back to the same JSON; the live
//! contract's answer to it is the fixture's response, as a `serde_json::Value`; and the
//! response parses into our typed response and serialises back unchanged. A field renamed
//! on either side fails the test.

use cosmwasm_schema::serde::{de::DeserializeOwned, Serialize};
use cosmwasm_std::Addr;
use rewind_testing::SuiteBase;
use serde_json::Value;

use super::suite::{instantiate_msg, stake_contract, Suite};
use crate::msg::{
    ClaimsResponse, ConfigResponse, DenomResponse, Duration, InfoResponse, InstantiateMsg,
    ListStakersResponse, QueryMsg, TotalPowerAtHeightResponse, VotingPowerAtHeightResponse,
};

/// The text of `tests/fixtures/<name>.json`.
macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../tests/fixtures/", $name, ".json")),
        )
    };
}

/// The state the fixtures describe: alice stakes 300 and bob 50 at height 12345, alice
/// unstakes 100 at 12346, and the queries run at 12347.
fn fixture_suite(unstaking_duration: Duration) -> Suite {
    let mut suite = Suite::with(
        &["alice", "bob"],
        1_000,
        |app| InstantiateMsg {
            unstaking_duration,
            ..instantiate_msg(app)
        },
        stake_contract(),
    );
    assert_eq!(suite.height(), 12_345);
    suite.stake("alice", 300).unwrap();
    suite.stake("bob", 50).unwrap();
    suite.next_block();
    suite.unstake("alice", 100).unwrap();
    suite.next_block();
    suite
}

/// Whether `ours` is `theirs`, where a member of ours that is absent from theirs must be
/// `null`: the schema makes an optional field absent or null, the same. Every member of
/// theirs must be in ours, so a renamed optional field is caught although serde accepts
/// unknown members in a variant.
fn same_json(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::Object(ours), Value::Object(theirs)) => {
            theirs
                .iter()
                .all(|(k, v)| ours.get(k).is_some_and(|o| same_json(o, v)))
                && ours
                    .iter()
                    .all(|(k, v)| theirs.contains_key(k) || v.is_null())
        }
        (Value::Array(ours), Value::Array(theirs)) => {
            ours.len() == theirs.len() && ours.iter().zip(theirs).all(|(o, t)| same_json(o, t))
        }
        (ours, theirs) => ours == theirs,
    }
}

/// Checks one fixture against `suite`; `R` is our type for its response.
fn check<R: Serialize + DeserializeOwned>(
    suite: &Suite,
    (name, text): (&str, &str),
) -> Result<(), String> {
    let fixture: Value = serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?;
    let request = fixture["request"].clone();
    let mut response = fixture["response"].clone();
    if name == "info" {
        // The fixture names today's version; the shape is what is compared.
        response["info"]["version"] = Value::from(env!("CARGO_PKG_VERSION"));
    }

    // The request, as the contract parses it (serde-json-wasm), and back.
    let bytes = serde_json::to_vec(&request).unwrap();
    let msg: QueryMsg =
        cosmwasm_std::from_json(&bytes).map_err(|e| format!("{name}: request: {e}"))?;
    let again = serde_json::to_value(&msg).unwrap();
    if !same_json(&again, &request) {
        return Err(format!("{name}: request {request} came back as {again}"));
    }

    // The live answer.
    let live: Value = suite
        .app
        .wrap()
        .query_wasm_smart(&suite.contract, &msg)
        .map_err(|e| format!("{name}: query: {e}"))?;
    if live != response {
        return Err(format!(
            "{name}: answered {live}, DAO DAO's shape is {response}"
        ));
    }

    // DAO DAO's response in our type, and back.
    let bytes = serde_json::to_vec(&response).unwrap();
    let typed: R = cosmwasm_std::from_json(&bytes).map_err(|e| format!("{name}: response: {e}"))?;
    let again = serde_json::to_value(&typed).unwrap();
    if again != response {
        return Err(format!("{name}: response {response} came back as {again}"));
    }
    Ok(())
}

#[test]
fn dao_dao_voting_queries_match_the_published_schema() {
    let suite = fixture_suite(Duration::Time(3_600));
    let results = [
        check::<VotingPowerAtHeightResponse>(&suite, fixture!("voting_power_at_height")),
        check::<VotingPowerAtHeightResponse>(&suite, fixture!("voting_power_at_height_current")),
        check::<TotalPowerAtHeightResponse>(&suite, fixture!("total_power_at_height")),
        check::<TotalPowerAtHeightResponse>(&suite, fixture!("total_power_at_height_current")),
        check::<Addr>(&suite, fixture!("dao")),
        check::<InfoResponse>(&suite, fixture!("info")),
    ];
    for result in results {
        result.unwrap();
    }
}

#[test]
fn dao_dao_staking_queries_match_the_published_schema() {
    let suite = fixture_suite(Duration::Time(3_600));
    let results = [
        check::<ConfigResponse>(&suite, fixture!("get_config")),
        check::<DenomResponse>(&suite, fixture!("denom")),
        check::<ListStakersResponse>(&suite, fixture!("list_stakers")),
        check::<ListStakersResponse>(&suite, fixture!("list_stakers_after")),
        check::<ClaimsResponse>(&suite, fixture!("claims")),
    ];
    for result in results {
        result.unwrap();
    }
}

#[test]
fn height_based_durations_and_claims_match_the_published_schema() {
    let suite = fixture_suite(Duration::Height(10));
    check::<ConfigResponse>(&suite, fixture!("get_config_height")).unwrap();
    check::<ClaimsResponse>(&suite, fixture!("claims_at_height")).unwrap();
}

#[test]
fn a_renamed_field_fails_the_check() {
    let suite = fixture_suite(Duration::Time(3_600));
    let (name, text) = fixture!("list_stakers");
    // A response field renamed: our answer no longer matches.
    let renamed = text.replace("\"balance\"", "\"staked\"");
    let err = check::<ListStakersResponse>(&suite, (name, &renamed)).unwrap_err();
    assert!(err.contains("answered"), "{err}");
    // A request field renamed, null or not: it does not come back.
    let renamed = text.replace("\"start_after\"", "\"start\"");
    let err = check::<ListStakersResponse>(&suite, (name, &renamed)).unwrap_err();
    assert!(err.contains("came back"), "{err}");
    let (name, text) = fixture!("list_stakers_after");
    let renamed = text.replace("\"start_after\"", "\"start\"");
    let err = check::<ListStakersResponse>(&suite, (name, &renamed)).unwrap_err();
    assert!(err.contains("came back"), "{err}");
    // A required request field renamed: our QueryMsg refuses it.
    let (name, text) = fixture!("claims");
    let renamed = text.replace("\"address\"", "\"addr\"");
    let err = check::<ClaimsResponse>(&suite, (name, &renamed)).unwrap_err();
    assert!(err.contains("request:"), "{err}");
    // A query renamed.
    let (name, text) = fixture!("get_config");
    let renamed = text.replace("get_config", "config");
    let err = check::<ConfigResponse>(&suite, (name, &renamed)).unwrap_err();
    assert!(err.contains("request"), "{err}");
}

//! Governance works with any DAO DAO voting module: the whole restoration story with a
//! second implementation (fixed member weights, `rewind_testing::voting_weights`) in place of
//! rewind-stake. Governance is that module's wasm admin too.

mod common;

use common::{assert_complete, pass_and_queue, proposal, wait_until_due};
use cosmwasm_std::testing::MockApi;
use cosmwasm_std::{to_json_binary, Uint128};
use cw_multi_test::Executor;
use rewind_testing::suite::SuiteBuilder;
use rewind_testing::voting_weights;
use rewind_testing::SuiteBase;
use rewind_types::governance::VoteOption;

const WEIGHT: u128 = 100;

#[test]
fn governance_restores_with_a_second_dao_dao_voting_module() {
    let api = MockApi::default();
    let holders: Vec<_> = (0..3)
        .map(|i| api.addr_make(&format!("holder{i}")))
        .collect();
    let members: Vec<_> = holders.iter().map(|h| (h, WEIGHT)).collect();
    let init = to_json_binary(&voting_weights::InstantiateMsg::new(None, &members)).unwrap();
    let mut s = SuiteBuilder::new()
        .with_voting_module(voting_weights::contract, init)
        .build();
    assert_eq!(
        s.app
            .wrap()
            .query_wasm_contract_info(&s.stake)
            .unwrap()
            .admin,
        Some(s.governance.clone()),
        "governance administers the voting module"
    );

    let (user, attacker) = (s.user(0), s.attacker());
    s.deposit(&user, 0, 10_000).unwrap();
    s.advance_blocks(1);
    let h = s.height();
    s.advance_blocks(1);
    s.deposit(&attacker, 0, 5_000).unwrap();
    s.advance_blocks(1);

    let id = s
        .propose_restoration(&s.holder(0), &proposal(&s, vec![0], h, false))
        .unwrap();
    let p = s.proposal(id);
    assert_eq!(
        p.total_power,
        Uint128::new(3 * WEIGHT),
        "power from the module"
    );
    // A non-member has no power there, whatever it staked elsewhere.
    assert!(s
        .vote(&attacker, id, VoteOption::Candidate { height: h })
        .is_err());
    let operation_id = pass_and_queue(&mut s, id, h);
    let voter = s
        .app
        .wrap()
        .query_wasm_smart::<rewind_types::governance::VoterResponse>(
            &s.governance,
            &rewind_types::governance::QueryMsg::Voter {
                proposal_id: id,
                voter: holders[0].to_string(),
            },
        )
        .unwrap();
    assert_eq!(voter.power, Uint128::new(WEIGHT));
    wait_until_due(&mut s, operation_id);
    s.execute_op(operation_id).unwrap();
    s.crank_until_done(operation_id, None, 50);
    assert_complete(&s, operation_id, h);
    assert_eq!(s.collateral(0, &user), 10_000);
    assert_eq!(
        s.collateral(0, &attacker),
        0,
        "the attacker's deposit after H is undone"
    );
    // The module's own DAO-only action still answers its DAO (here: the deployer).
    let deployer = s.addr("deployer");
    s.app
        .execute_contract(
            deployer,
            s.stake.clone(),
            &voting_weights::ExecuteMsg::UpdateMembers {
                remove: vec![],
                add: vec![],
            },
            &[],
        )
        .unwrap();
}

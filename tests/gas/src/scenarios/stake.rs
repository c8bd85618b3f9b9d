//! rewind-stake: stake (a new staker and a top-up), unstake, claim, and the voting-power
//! query governance sends (so its cost can be added to a vote's).

use cosmwasm_std::{coins, Uint128};
use rewind_types::stake::{ExecuteMsg, InstantiateMsg, QueryMsg};

use crate::harness::{Block, Vm};
use crate::report::{Figure, Report};

const C: &str = "rewind_stake";
const DENOM: &str = "ustake";
const UNBONDING: u64 = 14 * 24 * 3600;
/// Stakers already present, so the maps are not empty.
const BACKGROUND_STAKERS: u32 = 50;

pub fn run(vm: &Vm, report: &mut Report) {
    let mut c = vm.load(C, "stake").expect("load rewind_stake");
    let mut block = Block::genesis();
    let admin = vm.addr("admin");
    vm.instantiate(
        &mut c,
        block,
        &admin,
        &[],
        &InstantiateMsg {
            denom: DENOM.into(),
            dao: None,
            unstaking_duration: rewind_types::stake::Duration::Time(UNBONDING),
        },
    )
    .expect_ok("instantiate stake");
    block.advance(1);
    for i in 0..BACKGROUND_STAKERS {
        let who = vm.addr(&format!("staker{i}"));
        vm.execute(
            &mut c,
            block,
            &who,
            &coins(1_000 + u128::from(i), DENOM),
            &ExecuteMsg::Stake {},
        )
        .expect_ok("background stake");
    }
    block.advance(1);

    let alice = vm.addr("alice");
    let m = vm
        .execute(
            &mut c,
            block,
            &alice,
            &coins(5_000, DENOM),
            &ExecuteMsg::Stake {},
        )
        .expect_ok("stake new");
    report.push(Figure::from_measured(
        "stake.stake_new",
        C,
        "stake: a new staker",
        &m,
    ));

    block.advance(1);
    let m = vm
        .execute(
            &mut c,
            block,
            &alice,
            &coins(2_000, DENOM),
            &ExecuteMsg::Stake {},
        )
        .expect_ok("stake top-up");
    report.push(Figure::from_measured(
        "stake.stake_topup",
        C,
        "stake: top-up of an existing stake (new block)",
        &m,
    ));

    block.advance(1);
    let m = vm
        .execute(
            &mut c,
            block,
            &alice,
            &[],
            &ExecuteMsg::Unstake {
                amount: Uint128::new(3_000),
            },
        )
        .expect_ok("unstake");
    report.push(Figure::from_measured(
        "stake.unstake",
        C,
        "unstake (starts one unbonding entry)",
        &m,
    ));

    block.advance_seconds(UNBONDING + 60);
    let m = vm
        .execute(&mut c, block, &alice, &[], &ExecuteMsg::Claim {})
        .expect_ok("claim");
    report.push(Figure::from_measured(
        "stake.claim",
        C,
        "claim one matured unbonding entry",
        &m,
    ));

    let m = vm
        .query(
            &mut c,
            block,
            &QueryMsg::VotingPowerAtHeight {
                address: alice.to_string(),
                height: Some(block.height - 10),
            },
        )
        .expect_ok("voting power query");
    report.push(Figure::from_measured(
        "stake.query_voting_power",
        C,
        "query VotingPowerAtHeight (what governance's vote asks; not included in the vote figure)",
        &m,
    ));
    let m = vm
        .query(
            &mut c,
            block,
            &QueryMsg::TotalPowerAtHeight {
                height: Some(block.height - 10),
            },
        )
        .expect_ok("total power query");
    report.push(Figure::from_measured(
        "stake.query_total_power",
        C,
        "query TotalPowerAtHeight (what governance's propose asks)",
        &m,
    ));
}

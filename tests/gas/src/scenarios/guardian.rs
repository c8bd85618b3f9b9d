//! rewind-guardian: a guardian pauses a target and ends the pause early.

use rewind_types::guardian::{ExecuteMsg, GuardianSettings, InstantiateMsg, PausePolicy};
use rewind_types::ModuleAddresses;

use super::gas;
use crate::harness::{Block, Vm};
use crate::report::{Figure, Report};

const C: &str = "rewind_guardian";

pub const GOALS: &[(&str, &str)] = &[("pause", "pause <= 120k")];

pub fn run(vm: &Vm, report: &mut Report) {
    let mut c = vm.load(C, "guardian").expect("load rewind_guardian");
    let mut block = Block::genesis();
    let governance = vm.addr("governance");
    let guardians: Vec<_> = (0..5).map(|i| vm.addr(&format!("guardian{i}"))).collect();
    let settings = GuardianSettings {
        guardians: guardians.iter().map(|g| g.to_string()).collect(),
        policy: PausePolicy {
            max_pause_seconds: 72 * 3600,
            cooldown_seconds: 24 * 3600,
            budget_seconds: 7 * 24 * 3600,
            budget_window_seconds: 30 * 24 * 3600,
            min_charge_seconds: 3600,
        },
    };
    let modules = ModuleAddresses {
        governance: governance.clone(),
        timelock: vm.addr("timelock"),
        guardian: c.address.clone(),
        executor: vm.addr("executor"),
    };
    let init = InstantiateMsg {
        modules,
        settings,
        targets: vec![],
    };
    vm.instantiate(&mut c, block, &governance, &[], &init)
        .expect_ok("instantiate guardian");
    let targets: Vec<_> = (0..3).map(|i| vm.addr(&format!("target{i}"))).collect();
    for t in &targets {
        let msg = ExecuteMsg::SetTarget {
            target: t.to_string(),
            exits_pausable: true,
            scopes: rewind_types::vault::SCOPES.to_vec(),
        };
        vm.execute(&mut c, block, &governance, &[], &msg)
            .expect_ok("set target");
    }
    block.advance(1);

    let pause = ExecuteMsg::Pause {
        target: targets[1].to_string(),
        scope: rewind_types::vault::TRADE,
        duration_seconds: 12 * 3600,
        reason: "oracle deviation on BTC-PERP, investigating".into(),
    };
    let m = vm
        .execute(&mut c, block, &guardians[2], &[], &pause)
        .expect_ok("pause");
    let pause_gas = report.push(Figure::from_measured(
        "guardian.pause",
        C,
        "a guardian pauses one scope of a target",
        &m,
    ));
    block.advance(100);
    let end = ExecuteMsg::EndPause {
        target: targets[1].to_string(),
        scope: rewind_types::vault::TRADE,
    };
    let m = vm
        .execute(&mut c, block, &guardians[2], &[], &end)
        .expect_ok("end pause");
    report.push(Figure::from_measured(
        "guardian.end_pause",
        C,
        "the guardian ends its pause early",
        &m,
    ));
    report.goal("pause", GOALS[0].1, gas(pause_gas), pause_gas <= 120_000);
}

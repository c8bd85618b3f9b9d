//! rewind-timelock: governance queues a passed restoration; anyone executes it when due.

use cosmwasm_std::HexBinary;
use rewind_types::timelock::{ExecuteMsg, InstantiateMsg, TimelockSettings};
use rewind_types::{ModuleAddresses, RestorationSpec, RestorationTarget, ShortfallPolicy};

use crate::harness::{Block, Vm};
use crate::report::{Figure, Report};

const C: &str = "rewind_timelock";

/// A restoration spec of `targets` targets and `exclusions` excluded accounts, as governance
/// builds it when a proposal passes.
pub fn spec(
    vm: &Vm,
    proposal_id: u64,
    height: u64,
    targets: usize,
    exclusions: usize,
) -> RestorationSpec {
    RestorationSpec {
        proposal_id,
        height,
        targets: (0..targets)
            .map(|i| RestorationTarget {
                contract: vm.addr(&format!("target{i}")),
                contract_name: "crates.io:rewind-vault".into(),
                code_id: 7,
                checksum: HexBinary::from(vec![0xab; 32]),
                expected_digest: HexBinary::from(vec![0xcd; 32]),
                post_restore_config: None,
            })
            .collect(),
        exclusions: (0..exclusions)
            .map(|i| vm.addr(&format!("attacker{i}")))
            .collect(),
        shortfall_policy: ShortfallPolicy::ProRataHaircut,
    }
}

pub fn run(vm: &Vm, report: &mut Report) {
    let mut c = vm.load(C, "timelock").expect("load rewind_timelock");
    let mut block = Block::genesis();
    let governance = vm.addr("governance");
    let settings = TimelockSettings {
        delay_seconds: 12 * 3600,
        min_delay_seconds: 12 * 3600,
        max_delay_seconds: 14 * 24 * 3600,
        min_delay_blocks: 100,
        grace_period_seconds: 7 * 24 * 3600,
        guardian_delay_seconds: 24 * 3600,
        guardian_delay_blocks: 200,
    };
    let modules = ModuleAddresses {
        governance: governance.clone(),
        timelock: c.address.clone(),
        guardian: vm.addr("guardian"),
        executor: vm.addr("executor"),
    };
    let init = InstantiateMsg { modules, settings };
    vm.instantiate(&mut c, block, &governance, &[], &init)
        .expect_ok("instantiate timelock");
    block.advance(1);

    let spec = spec(vm, 1, block.height - 1, 1, 1);
    let content_hash = spec.content_hash().expect("content hash");
    let m = vm
        .execute(
            &mut c,
            block,
            &governance,
            &[],
            &ExecuteMsg::Queue {
                spec,
                content_hash,
                veto_window_seconds: None,
            },
        )
        .expect_ok("queue");
    let id: u64 = m
        .attr("operation_id")
        .and_then(|s| s.parse().ok())
        .expect("operation id");
    report.push(Figure::from_measured(
        "timelock.queue",
        C,
        "queue a passed restoration (1 target, 1 exclusion)",
        &m,
    ));

    block.advance_seconds(12 * 3600 + 60);
    let anyone = vm.addr("anyone");
    let m = vm
        .execute(
            &mut c,
            block,
            &anyone,
            &[],
            &ExecuteMsg::Execute { operation_id: id },
        )
        .expect_ok("execute");
    report.push(Figure::from_measured(
        "timelock.execute",
        C,
        "execute a due operation (dispatches Apply)",
        &m,
    ));
}

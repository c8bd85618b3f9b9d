//! rewind-executor: start a restoration (`Apply` from the timelock, then the migrate reply)
//! and one crank (dispatch, then its reply). The target's own migrate and crank are measured
//! in the vault scenario; here the target answers through the mock querier.

use cosmwasm_std::{Reply, SubMsgResponse, SubMsgResult};
use rewind_types::executor::{ExecuteMsg, ExecutorSettings, InstantiateMsg};
use rewind_types::restorable::{RestorationPhase, RestorationStatusResponse};
use rewind_types::ModuleAddresses;

use super::timelock::spec;
use crate::backend::chain_query_cost;
use crate::harness::{Block, Measured, Vm};
use crate::report::{Figure, Report};

const C: &str = "rewind_executor";

/// The reply to the first submessage of `m`'s response, as the chain would send it.
fn reply_to(m: &Measured) -> Reply {
    let sub = m
        .response
        .as_ref()
        .and_then(|r| r.messages.iter().find(|s| s.id != 0))
        .expect("a submessage with a reply");
    #[allow(deprecated)]
    let result = SubMsgResult::Ok(SubMsgResponse {
        events: vec![],
        data: None,
        msg_responses: vec![],
    });
    Reply {
        id: sub.id,
        payload: sub.payload.clone(),
        gas_used: 0,
        result,
    }
}

pub fn run(vm: &Vm, report: &mut Report) {
    let mut c = vm.load(C, "executor").expect("load rewind_executor");
    let mut block = Block::genesis();
    let governance = vm.addr("governance");
    let timelock = vm.addr("timelock");
    let settings = ExecutorSettings {
        default_crank_limit: 50,
        max_crank_limit: 200,
        lock_seconds: 7 * 24 * 3600,
        exit_only_seconds: 7 * 24 * 3600,
    };
    let modules = ModuleAddresses {
        governance: governance.clone(),
        timelock: timelock.clone(),
        guardian: vm.addr("guardian"),
        executor: c.address.clone(),
    };
    let init = InstantiateMsg { modules, settings };
    vm.instantiate(&mut c, block, &governance, &[], &init)
        .expect_ok("instantiate executor");
    block.advance(1);

    let spec = spec(vm, 1, block.height - 1, 1, 1);
    let target = spec.targets[0].clone();
    let executor = c.address.to_string();
    c.querier
        .set_contract_info(target.contract.as_str(), target.code_id, Some(&executor));
    c.querier
        .set_code_info(target.code_id, "creator", &[0xab; 32]);
    c.querier
        .set_cw2(target.contract.as_str(), &target.contract_name, "0.1.0");
    let height = spec.height;
    c.querier
        .set_smart(target.contract.as_str(), move |_query| {
            let status = RestorationStatusResponse {
                undone_entries: 200,
                ..RestorationStatusResponse::at(RestorationPhase::RollingBack, Some(height))
            };
            cosmwasm_std::to_json_binary(&status).map_err(|e| e.to_string())
        });

    let content_hash = spec.content_hash().expect("content hash");
    let apply = ExecuteMsg::Apply {
        operation_id: 1,
        spec,
        content_hash,
    };
    let m = vm
        .execute(&mut c, block, &timelock, &[], &apply)
        .expect_ok("apply");
    report.push(Figure::from_measured(
        "executor.apply",
        C,
        "start a restoration: Apply from the timelock (1 target)",
        &m,
    ));
    let r = vm
        .reply(&mut c, block, &reply_to(&m))
        .expect_ok("migrate reply");
    report.push(Figure::from_measured(
        "executor.migrate_reply",
        C,
        "the target's migrate succeeded (reply)",
        &r,
    ));

    block.advance(1);
    let anyone = vm.addr("cranker");
    let crank = ExecuteMsg::Crank {
        restoration_id: None,
        limit: Some(200),
    };
    let m = vm
        .execute(&mut c, block, &anyone, &[], &crank)
        .expect_ok("crank");
    report.push(Figure::from_measured(
        "executor.crank",
        C,
        "crank: read progress, dispatch the target's crank",
        &m,
    ));
    let r = vm
        .reply(&mut c, block, &reply_to(&m))
        .expect_ok("crank reply");
    report.push(Figure::from_measured(
        "executor.crank_reply",
        C,
        "the target's crank returned (reply)",
        &r,
    ));
    with_queries(report);
}

/// Apply and crank with the queries they send, which the mock querier answers for free:
/// `Apply` reads each target's ContractInfo and its code's CodeInfo; a crank asks each
/// target's `RestorationStatus` (a smart query: the target's 60k load plus its execution,
/// as measured on the vault).
fn with_queries(report: &mut Report) {
    let q = |id: &str| report.figure(id).map(|f| f.sdk_gas);
    let (Some(apply), Some(crank), Some(status)) = (
        q("executor.apply"),
        q("executor.crank"),
        q("vault.query_restoration_status"),
    ) else {
        return;
    };
    let rows = [
        (
            "executor.apply_with_queries",
            "Apply (1 target), with its queries",
            apply + chain_query_cost::CONTRACT_INFO + chain_query_cost::CODE_INFO,
            "apply + the target's ContractInfo + its code's CodeInfo",
        ),
        (
            "executor.crank_with_queries",
            "crank (1 target), with its query",
            crank + status,
            "crank + the target's RestorationStatus (vault.query_restoration_status, its 60k load included)",
        ),
    ];
    for (id, op, g, note) in rows {
        report.push(Figure::derived(id, C, op, g, note));
    }
}

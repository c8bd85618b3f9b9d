//! The harness refuses what wasmd refuses: the raw cargo output (before wasm-opt lowers the
//! bulk-memory instructions Rust >= 1.87 emits) is rejected when stored through
//! `Cache::save_wasm`, the call wasmd makes, while the lowered artifact of the same crate is
//! accepted.

use rewind_gas::harness::Vm;

fn wasm(var: &str) -> Vec<u8> {
    let path = std::env::var(var)
        .unwrap_or_else(|_| panic!("{var} must name a wasm file (scripts/gas.sh sets it)"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// Whether the code section uses `memory.copy` (0xFC 0x0A 0x00 0x00) or `memory.fill`
/// (0xFC 0x0B 0x00): the instructions the lowering removes.
fn has_bulk_memory_ops(wasm: &[u8]) -> bool {
    wasm.windows(4).any(|w| w == [0xFC, 0x0A, 0x00, 0x00])
        || wasm.windows(3).any(|w| w == [0xFC, 0x0B, 0x00])
}

#[test]
fn unlowered_artifact_is_refused() {
    let raw = wasm("REWIND_RAW_WASM");
    assert!(
        has_bulk_memory_ops(&raw),
        "the raw cargo output should contain bulk-memory instructions"
    );
    let vm = Vm::new(std::env::temp_dir()).unwrap();
    let err = vm
        .store_code(&raw)
        .expect_err("a bulk-memory build must be refused")
        .to_string();
    assert!(
        err.to_lowercase().contains("bulk memory"),
        "refused for another reason: {err}"
    );
}

#[test]
fn lowered_artifact_is_accepted() {
    let lowered = wasm("REWIND_LOWERED_WASM");
    let vm = Vm::new(std::env::temp_dir()).unwrap();
    vm.store_code(&lowered)
        .expect("the lowered artifact passes the static checks");
}

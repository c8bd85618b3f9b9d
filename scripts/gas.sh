#!/usr/bin/env bash
# The real-VM gas and size report (docs/GAS.md).
#
# Builds the artifacts (scripts/build.sh) and the benchmark-only contract tests/journal-bench
# the same way, builds and tests the harness tests/gas (cosmwasm-vm 3.0.10 with wasmd's gas
# table), runs it, and writes tests/gas/report.json and docs/GAS.md.
#
# Usage: scripts/gas.sh [--check] [--reuse-artifacts | --no-build]
#   --check     measure again and fail if any figure grew more than 10 % over the committed
#               report (git show HEAD:tests/gas/report.json). If the working tree's report
#               differs from HEAD's (the report is regenerated in this change), compare against
#               the working tree's instead. Writes nothing.
#   --reuse-artifacts  use the artifacts scripts/build.sh already wrote to artifacts/ (what
#               test.sh does, so each artifact is built once per run); still builds the
#               benchmark-only contract.
#   --no-build  use the artifacts already in artifacts/ and the target dir.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

CHECK=false
BUILD_ARTIFACTS=true
BUILD_BENCH=true
for arg in "$@"; do
  case "$arg" in
    --check) CHECK=true ;;
    --reuse-artifacts) BUILD_ARTIFACTS=false ;;
    --no-build) BUILD_ARTIFACTS=false; BUILD_BENCH=false ;;
    *) die "unknown argument: $arg (usage: scripts/gas.sh [--check] [--reuse-artifacts | --no-build])" ;;
  esac
done

REPORT=tests/gas/report.json
MARKDOWN=docs/GAS.md
target_dir="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
# One target dir for the contracts' workspace and the harness's own workspace.
export CARGO_TARGET_DIR="$target_dir"
bench_dir="$target_dir/rewind-gas"
raw_bench="$target_dir/wasm32-unknown-unknown/release/rewind_journal_bench.wasm"

if $BUILD_ARTIFACTS; then
  "$SCRIPTS_DIR/build.sh" --skip-checks
else
  for name in $(list_artifact_crates | awk '{ gsub("-", "_", $2); print $2 }'); do
    [ -f "$ARTIFACTS_DIR/$name.wasm" ] || die "artifacts/$name.wasm is missing: run scripts/build.sh first"
  done
fi
if $BUILD_BENCH; then
  # The benchmark contract is not a deployable contract (build.sh builds contracts/ only):
  # built here with the same flags and lowering as build.sh.
  log "cargo build rewind-journal-bench (wasm32, release)"
  RUSTFLAGS="-C link-arg=-s --remap-path-prefix=$REPO_ROOT=/rewind --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo" \
    cargo build --release --lib --locked --target wasm32-unknown-unknown -p rewind-journal-bench --quiet
  mkdir -p "$bench_dir"
  "$(wasm_opt_bin)" -Os \
    --enable-bulk-memory --enable-sign-ext --enable-reference-types --enable-multivalue \
    --enable-mutable-globals --enable-nontrapping-float-to-int \
    --signext-lowering --llvm-memory-copy-fill-lowering --llvm-nontrapping-fptoint-lowering \
    "$raw_bench" -o "$bench_dir/rewind_journal_bench.wasm"
fi
[ -f "$bench_dir/rewind_journal_bench.wasm" ] || die "missing $bench_dir/rewind_journal_bench.wasm: run without --no-build"

log "build and test the harness (tests/gas)"
export REWIND_RAW_WASM="$raw_bench"
export REWIND_LOWERED_WASM="$bench_dir/rewind_journal_bench.wasm"
(cd tests/gas && cargo build --release --locked --quiet && cargo test --release --locked --quiet)
harness="$target_dir/release/rewind-gas"

if ! $CHECK; then
  mkdir -p docs
  log "measure"
  "$harness" run --artifacts "$ARTIFACTS_DIR" --bench "$bench_dir" --json "$REPORT" --markdown "$MARKDOWN"
  log "wrote $REPORT and $MARKDOWN"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log "measure (check mode)"
"$harness" run --artifacts "$ARTIFACTS_DIR" --bench "$bench_dir" --json "$tmp/current.json"

if git show "HEAD:$REPORT" > "$tmp/head.json" 2>/dev/null; then
  baseline="$tmp/head.json"
  if [ -f "$REPORT" ] && ! cmp -s "$REPORT" "$tmp/head.json"; then
    echo "note: $REPORT is regenerated in this change; comparing against the working tree's report"
    baseline="$REPORT"
  fi
elif [ -f "$REPORT" ]; then
  echo "note: no $REPORT at HEAD; comparing against the working tree's report"
  baseline="$REPORT"
else
  die "no committed $REPORT to compare against: run scripts/gas.sh and commit the report"
fi
"$harness" check --baseline "$baseline" --current "$tmp/current.json"

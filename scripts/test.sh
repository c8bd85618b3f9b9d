#!/usr/bin/env bash
# Runs every check: setup, fmt, clippy, the Rust tests, the wasm build with both checkers,
# the schema diff, the generated TypeScript client, the end-to-end scenario on the
# simulated chain, and the real-VM gas regression gate.
# Ends with one summary line; exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

passed=()
failed=()
stage() {
  local name=$1
  shift
  log "stage: $name"
  local start=$SECONDS
  if "$@"; then
    passed+=("$name")
    log "stage $name passed in $((SECONDS - start))s"
  else
    failed+=("$name")
    printf '\033[1;31mstage %s FAILED\033[0m\n' "$name" >&2
  fi
}

schema_is_fresh() {
  ./scripts/schema.sh || return 1
  if [ -n "$(git status --porcelain -- schema)" ]; then
    git status --porcelain -- schema >&2
    echo "schema/ is stale: run ./scripts/schema.sh and commit the result" >&2
    return 1
  fi
}

# Setup is a prerequisite: nothing else can run without it.
./scripts/setup.sh

stage fmt cargo fmt --all -- --check
stage clippy cargo clippy --workspace --all-targets --locked -- -D warnings
stage unit-and-multitest cargo test --workspace --locked
stage wasm-build-and-check ./scripts/build.sh
stage schema schema_is_fresh
stage twin-diffs python3 scripts/twin_diff.py --self-test --check
stage attack-map-checker python3 scripts/test_attack_map.py
stage attack-rows-have-tests python3 scripts/attack_map.py --check
stage ts-client ./scripts/codegen.sh --check
stage typescript bash -c 'cd scripts && node_modules/.bin/tsc --noEmit -p .'
stage e2e-simulated-chain ./scripts/e2e.sh
stage browser-dashboard bash -c 'cd scripts && npm run --silent test:browser'
# The wasm stage built every artifact; the gas stage measures those same files.
stage gas-regression ./scripts/gas.sh --check --reuse-artifacts

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed stages: ${failed[*]}"
fi
echo "stages: ${#passed[@]} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]

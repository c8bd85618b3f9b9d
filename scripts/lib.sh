# Shared helpers for the Rewind scripts. Source it; do not run it.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${REWIND_TOOLS_DIR:-$REPO_ROOT/.tools}"
ARTIFACTS_DIR="$REPO_ROOT/artifacts"
SCRIPTS_DIR="$REPO_ROOT/scripts"

# The two checker versions every artifact must pass: 3.0.10 (CosmWasm 3 chains) and 2.3.5
# (chains still on CosmWasm 2.x). Each lives in its own cargo install root.
COSMWASM_CHECK_VERSIONS=(3.0.10 2.3.5)

cosmwasm_check_bin() { echo "$TOOLS_DIR/cosmwasm-check-$1/bin/cosmwasm-check"; }
wasm_opt_bin() { echo "$SCRIPTS_DIR/node_modules/.bin/wasm-opt"; }

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Every contract crate under contracts/: "<dir> <crate name>" per line, no hand-written list.
# The example contracts under examples/ (plain twins and their restorable copies): built,
# checked and measured like the core contracts, but they have no schema of their own.
list_examples() {
  local manifest name
  for manifest in "$REPO_ROOT"/examples/*/Cargo.toml; do
    [ -f "$manifest" ] || continue
    name=$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$manifest" | head -n1)
    echo "$(dirname "$manifest") $name"
  done
}

# Every crate built into artifacts/: the contracts, then the examples.
list_artifact_crates() {
  list_contracts
  list_examples
}

list_contracts() {
  local manifest name
  for manifest in "$REPO_ROOT"/contracts/*/Cargo.toml; do
    [ -f "$manifest" ] || continue
    name=$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$manifest" | head -n1)
    echo "$(dirname "$manifest") $name"
  done
}

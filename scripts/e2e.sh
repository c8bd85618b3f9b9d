#!/usr/bin/env bash
# End to end on the simulated chain, over the built artifacts: the toolkit tests
# (scripts/toolkit/test: patches, deploy --network local, networks, the rewind CLI's checks,
# the digest port, the dashboard's tx encoders) plus the demo scenario, its invariants, the
# adversarial variants, the failed-restoration story (its exits, invariants and the R11 variant)
# and the CLI against the local backend (scripts/toolkit/e2e), in one
# node --test run (`npm run test:e2e`; it closes with `# pass N` / `# fail N`). Needs
# artifacts/*.wasm (scripts/build.sh) and scripts/node_modules (scripts/setup.sh). The
# dashboard's browser test is separate: `npm run test:browser` (test.sh stage browser-dashboard).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi

[ -x "$SCRIPTS_DIR/node_modules/.bin/tsx" ] || die "scripts/node_modules is missing: run scripts/setup.sh"
for name in rewind_stake rewind_governance rewind_timelock rewind_guardian rewind_executor rewind_vault claims_vault; do
  [ -f "$ARTIFACTS_DIR/$name.wasm" ] || die "artifacts/$name.wasm is missing: run scripts/build.sh"
done

cd "$SCRIPTS_DIR"
npm run --silent test:e2e

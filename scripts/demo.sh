#!/usr/bin/env bash
# The main job: sets up, builds the artifacts, then runs the full Rewind restoration scenario
# on the simulated chain over the BUILT artifacts (scripts/toolkit/src/demo.ts).
# Options: --story default|undetected|fast-track|failed-restoration, --batch-size N, --accounts N,
# --policy pro-rata|insurance-first, --no-build, --no-probes; see --help. Exits non-zero when
# an invariant fails.
# --serve [--port N]: runs the story up to the open proposal and keeps the dashboard and its
# LCD endpoints open on 127.0.0.1 (prints the URL); Ctrl-C stops it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

build=1
needs=(rewind_stake rewind_governance rewind_timelock rewind_guardian rewind_executor rewind_vault)
prev=
for arg in "$@"; do
  # The failed-restoration story also deploys the successor (examples/claims-vault).
  if [ "$prev" = "--story" ] && [ "$arg" = "failed-restoration" ] || [ "$arg" = "--story=failed-restoration" ]; then
    needs+=(claims_vault)
  fi
  prev=$arg
  case "$arg" in
    -h|--help)
      if [ -x "$SCRIPTS_DIR/node_modules/.bin/tsx" ]; then
        (cd "$SCRIPTS_DIR" && node_modules/.bin/tsx toolkit/src/demo.ts --help)
      else
        sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
      fi
      exit 0
      ;;
    --no-build) build=0 ;;
  esac
done

if [ "$build" = 1 ]; then
  ./scripts/setup.sh
  ./scripts/build.sh
else
  [ -x "$SCRIPTS_DIR/node_modules/.bin/tsx" ] || die "scripts/node_modules is missing: run scripts/setup.sh (or drop --no-build)"
  for name in "${needs[@]}"; do
    [ -f "$ARTIFACTS_DIR/$name.wasm" ] || die "artifacts/$name.wasm is missing: run scripts/build.sh (or drop --no-build)"
  done
fi

cd "$SCRIPTS_DIR"
exec node --import tsx toolkit/src/demo.ts "$@"

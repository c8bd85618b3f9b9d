#!/usr/bin/env bash
# The main job: sets up, builds the artifacts, and shows them. The full restoration
# scenario on the simulated chain arrives with the contracts it needs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi

./scripts/setup.sh
./scripts/build.sh

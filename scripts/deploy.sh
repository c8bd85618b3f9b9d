#!/usr/bin/env bash
# Deploys the Rewind contracts in artifacts/ to a network from scripts/networks/.
#   scripts/deploy.sh --network <name> [--dry-run] [--assume-wasmvm X.Y.Z] [--force]
#   scripts/deploy.sh --network local          # the embedded simulated chain, no network
# Live networks read the signer's mnemonic from REWIND_MNEMONIC (never logged) and write
# deployments/<network>.json. See scripts/toolkit/FINDINGS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
if [ ! -x node_modules/.bin/tsx ]; then
  echo "installing scripts/ dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund >&2
fi
exec node_modules/.bin/tsx toolkit/src/deploy.ts "$@"

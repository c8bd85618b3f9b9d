#!/usr/bin/env bash
# Installs everything the build and tests need. Idempotent: each step is skipped when its
# result is already present. Nothing is installed by hand.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

command -v cargo >/dev/null || die "cargo not found: install rustup (https://rustup.rs)"
command -v npm >/dev/null || die "npm not found: install Node.js 20"

# The pinned toolchain (rust-toolchain.toml) and its wasm target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# Node tools (binaryen's wasm-opt, the simulated chain, ts-codegen), from the lockfile.
# npm ci wipes node_modules, so run it only when the lockfile changed since the last install.
lock_hash=$(sha256sum "$SCRIPTS_DIR/package-lock.json" | cut -d' ' -f1)
stamp="$SCRIPTS_DIR/node_modules/.rewind-lock-hash"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  log "npm ci (scripts/)"
  (cd "$SCRIPTS_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" > "$stamp"
fi

# cosmwasm-check, each version in its own root. ~5 minutes each the first time.
for version in "${COSMWASM_CHECK_VERSIONS[@]}"; do
  bin=$(cosmwasm_check_bin "$version")
  if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "$version"; then
    continue
  fi
  log "cargo install cosmwasm-check $version (first time only)"
  cargo install cosmwasm-check --version "$version" --locked --root "$TOOLS_DIR/cosmwasm-check-$version"
done

log "setup complete"

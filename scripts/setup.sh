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

# The rewind CLI on a documented path: scripts/rewind, linked as .tools/bin/rewind.
mkdir -p "$TOOLS_DIR/bin"
if [ "$(readlink "$TOOLS_DIR/bin/rewind" 2>/dev/null)" != "$SCRIPTS_DIR/rewind" ]; then
  ln -sfn "$SCRIPTS_DIR/rewind" "$TOOLS_DIR/bin/rewind"
fi

# Debian's chromium for the dashboard's browser test (driven by playwright-core, which
# downloads no browser). Skipped when /usr/bin/chromium exists; works as root in CI with no
# stdin, or through passwordless sudo.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    die "chromium is missing and this user cannot install it: run 'apt-get install chromium' as root"
  fi
  command -v apt-get >/dev/null || die "chromium is missing and apt-get is not available: install Debian's chromium at /usr/bin/chromium"
  log "apt-get install chromium (first time only)"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium </dev/null
  [ -x /usr/bin/chromium ] || die "apt-get install chromium did not provide /usr/bin/chromium"
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

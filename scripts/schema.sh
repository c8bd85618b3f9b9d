#!/usr/bin/env bash
# Regenerates schema/<contract>/ for every contract through its `write_api!` binary.
# The generated files are committed; scripts/test.sh fails when they are stale.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

while read -r dir crate; do
  [ -f "$dir/src/bin/schema.rs" ] || die "$crate has no src/bin/schema.rs"
  log "schema: $crate"
  # write_api! writes ./schema relative to the working directory.
  mkdir -p "$work/$crate"
  cargo build --locked --quiet -p "$crate" --bin schema
  (cd "$work/$crate" && "${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/schema" >/dev/null)
  rm -rf "$REPO_ROOT/schema/$crate"
  mkdir -p "$REPO_ROOT/schema"
  mv "$work/$crate/schema" "$REPO_ROOT/schema/$crate"
done < <(list_contracts)

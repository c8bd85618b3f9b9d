#!/usr/bin/env bash
# Regenerates the TypeScript client scripts/ts-client/ from the committed schema/ with
# @cosmwasm/ts-codegen (exact version in scripts/package.json).
#   scripts/codegen.sh           regenerate scripts/ts-client/
#   scripts/codegen.sh --check   regenerate into a temp dir, fail on any difference with the
#                                committed client, then type-check it (tsc --noEmit)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SCRIPTS_DIR"

mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option $1 (see --help)" ;;
esac

[ -x node_modules/.bin/tsx ] || die "scripts/node_modules is missing: run scripts/setup.sh"
client_dir="$SCRIPTS_DIR/ts-client"

# The generated client is compiled with its own (strict) flags: generated files import more
# names than they use, so noUnusedLocals, which the toolkit's tsconfig sets, is off here.
typecheck() {
  log "tsc --noEmit ts-client/"
  node_modules/.bin/tsc --noEmit --strict --noImplicitOverride --skipLibCheck \
    --target ES2022 --module commonjs --moduleResolution node --esModuleInterop \
    --types node "$client_dir"/*.ts
}

if [ "$mode" = write ]; then
  rm -rf "$client_dir"
  node_modules/.bin/tsx toolkit/src/codegen.ts "$client_dir" >/dev/null
  log "wrote scripts/ts-client/ ($(ls "$client_dir" | wc -l) files)"
  typecheck
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node_modules/.bin/tsx toolkit/src/codegen.ts "$work/ts-client" >/dev/null
if ! diff -ru "$client_dir" "$work/ts-client" >"$work/diff"; then
  head -n 80 "$work/diff" >&2
  die "scripts/ts-client/ is stale: run scripts/codegen.sh and commit the result"
fi
log "scripts/ts-client/ matches schema/"
typecheck
log "codegen check passed"

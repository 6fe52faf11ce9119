#!/usr/bin/env bash
# Provides a real Pulumi CLI for the end-to-end tests and the demo.
#
#   scripts/ensure-pulumi-cli.sh          `pulumi` + `pulumi-language-nodejs`: runs programs and policy packs
#                                         (`pulumi preview --policy-pack`).
#   scripts/ensure-pulumi-cli.sh --audit  a `pulumi` that has `pulumi policy analyze --file` (audit of a stack
#                                         export); it runs Node.js packs but not Node.js programs.
#
# Prints the directory holding `pulumi` on stdout (exit 0), or exits 3 when neither a suitable `pulumi` nor Go is
# available (4 when ALINUX_GUARD_NO_BUILD is set and a build would be needed). Order: `pulumi` already on PATH → the cache → a build from Go modules (pinned version) into the cache.
# Binaries live outside the repository and are never committed. Progress goes to stderr; stdout carries only the
# directory.
set -euo pipefail

MODE=main
case "${1:-}" in
  "") ;;
  --audit) MODE=audit ;;
  *) printf 'usage: %s [--audit]\n' "$0" >&2; exit 2 ;;
esac

CACHE_ROOT="${ALINUX_GUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alinux-guard}"
if [ "$MODE" = main ]; then
  # v3.68.0 is the newest release whose Node.js language host (pulumi-language-nodejs) still lives inside the
  # github.com/pulumi/pulumi/sdk/v3 module; later releases moved it to a module of its own that the Go module proxy
  # reachable here refuses (403 "This module version is not available"). CLIs of that age start Node.js policy packs
  # through the `pulumi-analyzer-policy` plugin, a two-line shell script shipped in the same sdk module.
  VERSION="${PULUMI_CLI_VERSION:-v3.68.0}"
  BIN_DIR="$CACHE_ROOT/pulumi-$VERSION/bin"
else
  # `pulumi policy analyze` arrived in v3.229.0 and `--file` in v3.249.0. Only `pulumi` itself (pkg/v3) is built: a
  # CLI that finds no Node.js language host starts Node.js packs through an analyzer plugin named
  # `pulumi-analyzer-policy-nodejs` (pkg/resource/plugin/analyzer_plugin.go), which this script writes next to it.
  VERSION="${PULUMI_AUDIT_CLI_VERSION:-v3.252.0}"
  BIN_DIR="$CACHE_ROOT/pulumi-audit-$VERSION/bin"
fi

log() { printf 'ensure-pulumi-cli: %s\n' "$*" >&2; }

if [ -z "${ALINUX_GUARD_FORCE_BUILD:-}" ] && command -v pulumi >/dev/null 2>&1; then
  dir=$(dirname "$(command -v pulumi)")
  if [ "$MODE" = main ]; then
    if [ -x "$dir/pulumi-language-nodejs" ] || command -v pulumi-language-nodejs >/dev/null 2>&1; then
      log "using pulumi from PATH: $dir/pulumi"
      printf '%s\n' "$dir"
      exit 0
    fi
    log "pulumi on PATH has no pulumi-language-nodejs beside it; falling back to the cache"
  elif PULUMI_SKIP_UPDATE_CHECK=true pulumi policy analyze --help 2>/dev/null | grep -q -- '--file'; then
    log "using pulumi from PATH for policy analyze: $dir/pulumi"
    printf '%s\n' "$dir"
    exit 0
  fi
fi

ready() { [ -x "$BIN_DIR/pulumi" ] && { [ "$MODE" = audit ] || [ -x "$BIN_DIR/pulumi-language-nodejs" ]; }; }

if ready; then
  printf '%s\n' "$BIN_DIR"
  exit 0
fi

if [ -n "${ALINUX_GUARD_NO_BUILD:-}" ]; then
  log "Pulumi CLI $VERSION is not built yet and ALINUX_GUARD_NO_BUILD is set: run scripts/ensure-pulumi-cli.sh${1:+ $1}"
  exit 4
fi

if ! command -v go >/dev/null 2>&1; then
  log "neither 'pulumi' nor Go is installed: cannot provide the Pulumi CLI"
  exit 3
fi

# One build at a time per cache (the demo and the tests may start together): wait for a running build, then reuse it.
mkdir -p "$CACHE_ROOT"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.build-$MODE-$VERSION.lock"
  if ! flock -n 9; then
    log "another build of Pulumi CLI $VERSION is running; waiting for it"
    flock 9
  fi
  if ready; then
    printf '%s\n' "$BIN_DIR"
    exit 0
  fi
fi

if [ "$MODE" = main ]; then
  log "building Pulumi CLI $VERSION from Go modules into $BIN_DIR (first time only; about 5-10 minutes on 2 cores with empty Go caches)"
else
  log "building Pulumi CLI $VERSION (for pulumi policy analyze) from Go modules into $BIN_DIR (first time only; 10-20 minutes on 2 cores with empty Go caches)"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
cd "$work"
go mod init alinux-guard-pulumi-cli-build >/dev/null 2>&1
log "resolving modules"
go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$VERSION" "github.com/pulumi/pulumi/sdk/v3@$VERSION" >&2
# Same clipboard fork as upstream (affects only Windows, kept for parity).
go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
if [ "$MODE" = main ]; then
  go get "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@$VERSION" >&2
fi
sdk_dir=$(go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")
rm -rf "$BIN_DIR.partial"
mkdir -p "$BIN_DIR.partial"
# -checklinkname=0: v3.68.0 depends on github.com/pgavlin/text, which reaches into internal/bytealg with
# //go:linkname; Go >= 1.23 refuses that at link time ("invalid reference to internal/bytealg.MaxLen") unless the
# check is switched off. Harmless for the rest of the build. The version is stamped into both version packages:
# `pulumi version` of v3.68.0 reads pkg/v3/version, plugin version checks read sdk/v3/go/common/version.
linkname_flag=""
go_minor=$(go env GOVERSION | sed -nE 's/^go1\.([0-9]+).*/\1/p')
if [ "${go_minor:-0}" -ge 23 ]; then linkname_flag="-checklinkname=0"; fi
flags=(-trimpath -tags osusergo,grpcnotrace -ldflags "-s -w $linkname_flag
  -X github.com/pulumi/pulumi/pkg/v3/version.Version=$VERSION
  -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$VERSION")
log "compiling pulumi"
go build "${flags[@]}" -o "$BIN_DIR.partial/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
if [ "$MODE" = main ]; then
  log "compiling pulumi-language-nodejs"
  go build "${flags[@]}" -o "$BIN_DIR.partial/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
  install -m 0755 "$sdk_dir/nodejs/dist/pulumi-analyzer-policy" "$BIN_DIR.partial/pulumi-analyzer-policy"
else
  # The same job as the old `pulumi-analyzer-policy` script: run @pulumi/pulumi/cmd/run-policy-pack, resolved from
  # the policy pack's directory (the engine starts the plugin there), with the engine's arguments.
  cat >"$BIN_DIR.partial/pulumi-analyzer-policy-nodejs" <<'SHIM'
#!/bin/sh
# Starts a Node.js policy pack for a Pulumi CLI that has no Node.js language host beside it (written by
# alinux-guard scripts/ensure-pulumi-cli.sh --audit).
run_policy_pack=$(node -e "try { console.log(require.resolve('@pulumi/pulumi/cmd/run-policy-pack')) } catch (e) { console.error(e.message) }")
[ -n "$run_policy_pack" ] || exit 1
exec node "$run_policy_pack" "$@"
SHIM
  chmod 0755 "$BIN_DIR.partial/pulumi-analyzer-policy-nodejs"
fi
rm -rf "$BIN_DIR"
mv "$BIN_DIR.partial" "$BIN_DIR"
log "done: $BIN_DIR"
printf '%s\n' "$BIN_DIR"

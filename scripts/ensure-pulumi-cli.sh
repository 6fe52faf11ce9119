#!/usr/bin/env bash
# Provides a real Pulumi CLI (pulumi + pulumi-language-nodejs) for the end-to-end tests and the demo.
#
#   scripts/ensure-pulumi-cli.sh        prints the directory holding `pulumi` on stdout (exit 0),
#                                       or exits 3 when neither `pulumi` nor Go is available.
#
# Order: `pulumi` already on PATH (with pulumi-language-nodejs beside it or on PATH) → the cache → a build from
# Go modules (pinned PULUMI_CLI_VERSION) into the cache. Binaries live outside the repository and are never
# committed. Progress goes to stderr; stdout carries only the directory.
set -euo pipefail

# v3.68.0 is the newest release whose Node.js language host (pulumi-language-nodejs) still lives inside the
# github.com/pulumi/pulumi/sdk/v3 module; later releases moved it to a module of its own that the Go module proxy
# reachable here refuses (403 "This module version is not available"). CLIs of that age start Node.js policy packs
# through the `pulumi-analyzer-policy` plugin, a two-line shell script shipped in the same sdk module.
VERSION="${PULUMI_CLI_VERSION:-v3.68.0}"
CACHE_ROOT="${ALINUX_GUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alinux-guard}"
BIN_DIR="$CACHE_ROOT/pulumi-$VERSION/bin"

log() { printf 'ensure-pulumi-cli: %s\n' "$*" >&2; }

if [ -z "${ALINUX_GUARD_FORCE_BUILD:-}" ] && command -v pulumi >/dev/null 2>&1; then
  dir=$(dirname "$(command -v pulumi)")
  if [ -x "$dir/pulumi-language-nodejs" ] || command -v pulumi-language-nodejs >/dev/null 2>&1; then
    log "using pulumi from PATH: $dir/pulumi"
    printf '%s\n' "$dir"
    exit 0
  fi
  log "pulumi on PATH has no pulumi-language-nodejs beside it; falling back to the cache"
fi

if [ -x "$BIN_DIR/pulumi" ] && [ -x "$BIN_DIR/pulumi-language-nodejs" ]; then
  printf '%s\n' "$BIN_DIR"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "neither 'pulumi' nor Go is installed: cannot provide the Pulumi CLI"
  exit 3
fi

# One build at a time per cache (the demo and the tests may start together): wait for a running build, then reuse it.
mkdir -p "$CACHE_ROOT"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.build-$VERSION.lock"
  if ! flock -n 9; then
    log "another build of Pulumi CLI $VERSION is running; waiting for it"
    flock 9
  fi
  if [ -x "$BIN_DIR/pulumi" ] && [ -x "$BIN_DIR/pulumi-language-nodejs" ]; then
    printf '%s\n' "$BIN_DIR"
    exit 0
  fi
fi

log "building Pulumi CLI $VERSION from Go modules into $BIN_DIR (first time only; about 5-10 minutes on 2 cores with empty Go caches)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
cd "$work"
go mod init alinux-guard-pulumi-cli-build >/dev/null 2>&1
log "resolving modules"
go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$VERSION" "github.com/pulumi/pulumi/sdk/v3@$VERSION" >&2
# Same clipboard fork as upstream (affects only Windows, kept for parity).
go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
go get "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@$VERSION" >&2
sdk_dir=$(go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")
mkdir -p "$BIN_DIR.partial"
# -checklinkname=0: v3.68.0 depends on github.com/pgavlin/text, which reaches into internal/bytealg with
# //go:linkname; Go >= 1.23 refuses that at link time ("invalid reference to internal/bytealg.MaxLen") unless the
# check is switched off. Harmless for the rest of the build. The version is stamped into both version packages:
# `pulumi version` of this era reads pkg/v3/version, plugin version checks read sdk/v3/go/common/version.
linkname_flag=""
go_minor=$(go env GOVERSION | sed -nE 's/^go1\.([0-9]+).*/\1/p')
if [ "${go_minor:-0}" -ge 23 ]; then linkname_flag="-checklinkname=0"; fi
flags=(-trimpath -tags osusergo,grpcnotrace -ldflags "-s -w $linkname_flag
  -X github.com/pulumi/pulumi/pkg/v3/version.Version=$VERSION
  -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$VERSION")
log "compiling pulumi"
go build "${flags[@]}" -o "$BIN_DIR.partial/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
log "compiling pulumi-language-nodejs"
go build "${flags[@]}" -o "$BIN_DIR.partial/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
install -m 0755 "$sdk_dir/nodejs/dist/pulumi-analyzer-policy" "$BIN_DIR.partial/pulumi-analyzer-policy"
rm -rf "$BIN_DIR"
mv "$BIN_DIR.partial" "$BIN_DIR"
log "done: $BIN_DIR"
printf '%s\n' "$BIN_DIR"

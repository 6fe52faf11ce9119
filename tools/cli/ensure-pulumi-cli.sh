#!/usr/bin/env bash
# Provides a real Pulumi CLI for the end-to-end tests and the demo.
#
#   tools/cli/ensure-pulumi-cli.sh            `pulumi` + `pulumi-language-nodejs`: runs programs and policy packs
#                                             (`pulumi preview --policy-pack`).
#   tools/cli/ensure-pulumi-cli.sh --current  a current `pulumi` (v3.276.0) + `pulumi-language-yaml`: previews of
#                                             YAML programs and `pulumi policy analyze --file` (audit of a stack
#                                             export); it runs Node.js packs (through
#                                             tools/cli/policy-pack-launcher.sh) but not Node.js programs.
#
# Prints the directory holding `pulumi` on stdout (exit 0), or exits 3 when neither a suitable `pulumi` nor Go is
# available (4 when ALINUX_GUARD_NO_BUILD is set and a build would be needed). Order: `pulumi` already on PATH → the cache → a build from Go modules (pinned version) into the cache.
# Binaries live outside the repository and are never committed. Progress goes to stderr; stdout carries only the
# directory.
set -euo pipefail

MODE=main
case "${1:-}" in
  "") ;;
  --current) MODE=current ;;
  *) printf 'usage: %s [--current]\n' "$0" >&2; exit 2 ;;
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
  # `pulumi policy analyze` arrived in v3.229.0 and `--file` in v3.249.0. The Node.js language host of current CLIs
  # is a module of its own that the proxy refuses, so only `pulumi` itself (pkg/v3) is built. Such a CLI cannot start
  # a Node.js pack given as a directory (v3.274.0+ start one only through the language host's RunPlugin; earlier
  # ones had a fallback plugin, `pulumi-analyzer-policy-nodejs`), but it starts an executable given as
  # `--policy-pack <file>` as the analyzer: tools/cli/policy-pack-launcher.sh writes one that starts the pack process
  # exactly as the language host does. Programs run on this CLI are YAML, through `pulumi-language-yaml`
  # (github.com/pulumi/pulumi-yaml), built beside it. v3.276.0 is the newest pkg/v3 the proxy served on 2026-12-02.
  VERSION="${PULUMI_CURRENT_CLI_VERSION:-v3.276.0}"
  YAML_VERSION="${PULUMI_YAML_VERSION:-v1.25.0}"
  BIN_DIR="$CACHE_ROOT/pulumi-current-$VERSION-yaml-$YAML_VERSION/bin"
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
  elif PULUMI_SKIP_UPDATE_CHECK=true pulumi policy analyze --help 2>/dev/null | grep -q -- '--file' &&
    { [ -x "$dir/pulumi-language-yaml" ] || command -v pulumi-language-yaml >/dev/null 2>&1; }; then
    log "using pulumi from PATH for YAML programs and policy analyze: $dir/pulumi"
    printf '%s\n' "$dir"
    exit 0
  fi
fi

ready() {
  [ -x "$BIN_DIR/pulumi" ] && if [ "$MODE" = main ]; then [ -x "$BIN_DIR/pulumi-language-nodejs" ]; else
    [ -x "$BIN_DIR/pulumi-language-yaml" ]; fi
}

if ready; then
  printf '%s\n' "$BIN_DIR"
  exit 0
fi

if [ -n "${ALINUX_GUARD_NO_BUILD:-}" ]; then
  log "Pulumi CLI $VERSION is not built yet and ALINUX_GUARD_NO_BUILD is set: run tools/cli/ensure-pulumi-cli.sh${1:+ $1}"
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
  log "building Pulumi CLI $VERSION + pulumi-language-yaml $YAML_VERSION from Go modules into $BIN_DIR (first time only; 10-20 minutes on 2 cores with empty Go caches)"
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
  # pulumi-yaml's go.mod has no replace directives, so `go install` works; it keeps its own pkg/sdk pins (the
  # language host talks to newer engines over the stable gRPC protocol), built in module mode outside $work.
  log "compiling pulumi-language-yaml $YAML_VERSION"
  (cd / && GOBIN="$BIN_DIR.partial" GOFLAGS= go install -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$YAML_VERSION" \
    "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$YAML_VERSION") >&2
fi
rm -rf "$BIN_DIR"
mv "$BIN_DIR.partial" "$BIN_DIR"
log "done: $BIN_DIR"
printf '%s\n' "$BIN_DIR"

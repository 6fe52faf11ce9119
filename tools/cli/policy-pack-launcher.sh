#!/usr/bin/env bash
# Prints the path of an executable that starts the Node.js policy pack in <pack-dir> as an analyzer plugin, for a
# Pulumi CLI that has no Node.js language host beside it (the current CLI that ensure-pulumi-cli.sh --current builds:
# the Go module proxy reachable here refuses the language host's module).
#
#   tools/cli/policy-pack-launcher.sh <pack-dir>
#   pulumi preview --policy-pack "$(tools/cli/policy-pack-launcher.sh policies)"
#
# Why: such a CLI starts a *directory* pack through the language host's RunPlugin (ExecPlugin,
# pkg/resource/plugin/plugin.go; before v3.274.0 there was also a fallback plugin, `pulumi-analyzer-policy-nodejs`).
# But `--policy-pack <executable file>` is started directly as a binary analyzer plugin (NewPolicyAnalyzer,
# pkg/resource/plugin/analyzer_plugin.go, v3.260.0 and later), with the engine's address as its one argument and the
# PulumiPolicy.yaml beside it read for the pack's name and version. The executable written here does what the
# Node.js language host's RunPlugin does for a policy pack: in the pack's directory (as that host does "for backwards
# compatibility"), `node <@pulumi/pulumi/cmd/run-policy-pack, resolved from the pack> <engine address> <pack dir>`. So the pack process is the one a normal install starts; only the launcher
# differs. A normal Pulumi install has the language host and needs none of this: pass the directory.
#
# The launcher lives outside the repository, in ${ALINUX_GUARD_CACHE:-${XDG_CACHE_HOME:-~/.cache}/alinux-guard}/
# pack-launchers/<hash of the pack's path>/ (an executable `analyzer` and a copy of PulumiPolicy.yaml), rewritten
# atomically on every call so it follows the pack. Exit 2 on bad usage or a directory without PulumiPolicy.yaml or
# without @pulumi/pulumi installed.
set -euo pipefail

if [ "$#" -ne 1 ]; then
  printf 'usage: %s <pack-dir>\n' "$0" >&2
  exit 2
fi
pack=$(cd "$1" && pwd)
if [ ! -f "$pack/PulumiPolicy.yaml" ]; then
  printf 'policy-pack-launcher: no PulumiPolicy.yaml in %s\n' "$pack" >&2
  exit 2
fi
case "$pack" in
  *"'"* | *$'\n'*)
    printf 'policy-pack-launcher: the pack path must not contain a quote or a newline: %s\n' "$pack" >&2
    exit 2
    ;;
esac
# Resolved from the pack's directory, as the language host does (locateModule).
if ! run_policy_pack=$(cd "$pack" && node -p 'require.resolve("@pulumi/pulumi/cmd/run-policy-pack")' 2>/dev/null); then
  printf 'policy-pack-launcher: @pulumi/pulumi is not installed for the pack in %s (run npm install there)\n' "$pack" >&2
  exit 2
fi

CACHE_ROOT="${ALINUX_GUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alinux-guard}"
dir="$CACHE_ROOT/pack-launchers/$(printf '%s' "$pack" | sha256sum | cut -c1-16)"
mkdir -p "$dir"
tmp=$(mktemp "$dir/.analyzer.XXXXXX")
cat >"$tmp" <<LAUNCHER
#!/bin/sh
# Starts the policy pack in $pack as an analyzer plugin (written by alinux-guard tools/cli/policy-pack-launcher.sh).
cd '$pack' || exit 1
exec node '$run_policy_pack' "\$1" '$pack'
LAUNCHER
chmod 0755 "$tmp"
cp "$pack/PulumiPolicy.yaml" "$tmp.yaml"
mv -f "$tmp.yaml" "$dir/PulumiPolicy.yaml"
mv -f "$tmp" "$dir/analyzer"
printf '%s\n' "$dir/analyzer"

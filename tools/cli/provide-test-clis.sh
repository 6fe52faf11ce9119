#!/usr/bin/env bash
# Provides both Pulumi CLIs the end-to-end tests use (tools/cli/ensure-pulumi-cli.sh: PATH, cache, or a build from Go
# modules): v3.68.0 with its Node.js language host, and the current one (v3.276.0 + pulumi-language-yaml) for the YAML
# examples and `pulumi policy analyze --file`, which v3.68.0 lacks. It cannot run Node.js programs (no Node.js
# language host is buildable here), hence two CLIs. Never fatal: the specs that need a missing CLI skip loudly.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

say() { printf 'provide-test-clis: %s\n' "$*" >&2; }

if cli_dir=$(bash tools/cli/ensure-pulumi-cli.sh); then
  say "Pulumi CLI: $cli_dir"
else
  say "WARNING: no Pulumi CLI (neither 'pulumi' nor Go found); the end-to-end tests will be skipped"
fi

if current_dir=$(bash tools/cli/ensure-pulumi-cli.sh --current); then
  say "current Pulumi CLI (YAML programs, policy analyze): $current_dir"
else
  say "WARNING: no current Pulumi CLI; the YAML and policy analyze end-to-end tests will be skipped"
fi
exit 0

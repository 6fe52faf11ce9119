#!/usr/bin/env bash
# Runs before `npm test` (the `pretest` script): provides what the test suite needs beyond npm packages.
# - shellcheck (Debian package) for the hotfix script's lint test, installed with apt-get when missing and possible;
# - a real Pulumi CLI for the end-to-end tests (tools/cli/ensure-pulumi-cli.sh: PATH, cache, or a build from Go modules),
#   and the current one (v3.260.0 + pulumi-language-yaml) for the YAML examples and `pulumi policy analyze --file`.
# Neither is fatal here: the specs that need them skip loudly, naming what is missing.
set -uo pipefail
cd "$(dirname "$0")/.."

say() { printf 'prepare-test-machine: %s\n' "$*" >&2; }

if ! command -v shellcheck >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "installing shellcheck (Debian package)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck; } >/dev/null 2>&1 ||
      say "WARNING: could not install shellcheck; the shellcheck test will be skipped"
  else
    say "WARNING: shellcheck is missing and cannot be installed here (needs root and apt-get); its test will be skipped"
  fi
fi

if cli_dir=$(bash tools/cli/ensure-pulumi-cli.sh); then
  say "Pulumi CLI: $cli_dir"
else
  say "WARNING: no Pulumi CLI (neither 'pulumi' nor Go found); the end-to-end tests will be skipped"
fi

# The current CLI (v3.260.0 + pulumi-language-yaml): YAML programs and `pulumi policy analyze --file`, which v3.68.0
# lacks. It cannot run Node.js programs (no Node.js language host is buildable here), hence two CLIs.
if current_dir=$(bash tools/cli/ensure-pulumi-cli.sh --current); then
  say "current Pulumi CLI (YAML programs, policy analyze): $current_dir"
else
  say "WARNING: no current Pulumi CLI; the YAML and policy analyze end-to-end tests will be skipped"
fi
exit 0

#!/usr/bin/env bash
# Runs before `npm test` (the `pretest` script): provides what the test suite needs beyond npm packages.
# - shellcheck (Debian package) for the hotfix script's lint test, installed with apt-get when missing and possible;
# - the two Pulumi CLIs of the end-to-end tests (tools/cli/provide-test-clis.sh).
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

bash tools/cli/provide-test-clis.sh
exit 0

// `alinux-guard report` as CI runs it: the package's bin in a child process, on the captured streams and on bad input.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../tools/e2e/pulumiCli";
import { captured } from "../reports/support/capturedStreams";
import { validateSarif } from "../reports/support/sarifValidator";

const BIN = path.join(
  REPO_ROOT,
  (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin[
    "alinux-guard"
  ],
);
const tmp = mkdtempSync(path.join(os.tmpdir(), "alinux-guard-report-"));
// Each run starts Node, tsx and the pack's modules (about 2 s of CPU): room for a busy 2-core machine.
const TIMEOUT = 180_000;

function cli(args: readonly string[]) {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function expectUsageError(res: ReturnType<typeof cli>, pattern: RegExp) {
  expect(res.code, res.stderr).toBe(2);
  expect(res.stderr).toMatch(pattern);
  expect(res.stderr.trim().split("\n")).toHaveLength(1);
  expect(res.stderr).not.toMatch(/\n\s+at /);
}

describe("alinux-guard report", () => {
  const affected = captured("v3.68.0", "affected-instance").path;

  it(
    "writes the four reports for a blocked example and exits 1",
    () => {
      const out = (f: string) => path.join(tmp, "blocked", f);
      const res = cli([
        "report",
        "--events",
        affected,
        "--program-dir",
        "examples/affected-instance",
        "--sarif",
        out("r.sarif"),
        "--junit",
        out("r.xml"),
        "--json",
        out("r.json"),
        "--markdown",
        out("r.md"),
      ]);
      expect(res.code, res.stderr).toBe(1);
      expect(res.stdout.split("\n")[0]).toBe(
        "alinux-guard: BLOCKED: 1 mandatory violation, 3 advisories (--fail-on mandatory)",
      );
      expect(validateSarif(out("r.sarif")).filter((f) => f.level === "error")).toEqual([]);
      expect(XMLValidator.validate(readFileSync(out("r.xml"), "utf8"))).toBe(true);
      expect((JSON.parse(readFileSync(out("r.json"), "utf8")) as { verdict: { status: string } }).verdict.status).toBe(
        "blocked",
      );
      expect(readFileSync(out("r.md"), "utf8")).toMatch(/^## ⛔ alinux-guard: BLOCKED/);
    },
    TIMEOUT,
  );

  it(
    "exits 0 on a passing run, and --fail-on moves the bar both ways",
    () => {
      const fixed = captured("v3.68.0", "fixed-image").path;
      expect(cli(["report", "--events", fixed]).code).toBe(0);
      expect(cli(["report", "--events", fixed, "--fail-on", "advisory"]).code).toBe(1);
      expect(cli(["report", "--events", affected, "--fail-on", "none"]).code).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "exits 1 for a recorded run the engine failed before any policy ran (a rejected config): fail closed",
    () => {
      const res = cli(["report", "--events", captured("v3.68.0", "invalid-config").path]);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/NO VERDICT/);
    },
    TIMEOUT,
  );

  it(
    "usage and input errors exit 2 with one line and no stack trace",
    () => {
      expectUsageError(cli(["report"]), /report needs --events <file>/);
      expectUsageError(cli(["report", "--events", path.join(tmp, "nope.jsonl")]), /no such events file/);
      expectUsageError(cli(["report", "--events", affected, "--colour"]), /Unknown option '--colour'/);
      expectUsageError(
        cli(["report", "--events", affected, "--fail-on", "sometimes"]),
        /--fail-on must be one of mandatory, advisory, none/,
      );
      expectUsageError(
        cli(["report", "--events", affected, "--program-dir", path.join(tmp, "absent")]),
        /--program-dir .* is not a directory/,
      );
      expectUsageError(cli(["frobnicate"]), /unknown command frobnicate/);
      const empty = path.join(tmp, "empty.jsonl");
      writeFileSync(empty, "");
      expectUsageError(cli(["report", "--events", empty]), /is empty/);
      const notJson = path.join(tmp, "log.txt");
      writeFileSync(notJson, "Previewing update (dev):\nerror: preview failed\n");
      expectUsageError(cli(["report", "--events", notJson]), /no engine event/);
      expect(existsSync(path.join(tmp, "blocked-nothing"))).toBe(false);
    },
    TIMEOUT,
  );
});

// The CI-reports part of `npm run demo`: `alinux-guard report` on the event log of one blocked example's preview,
// writing SARIF, JUnit, JSON and Markdown into demo-reports/<example>/ (git-ignored) and printing the Markdown.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { EXAMPLES_DIR, REPO_ROOT, type PreviewRun } from "../tools/e2e/pulumiCli";

export const DEMO_REPORTS_DIR = path.join(REPO_ROOT, "demo-reports");

const BIN = path.join(
  REPO_ROOT,
  (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin[
    "alinux-guard"
  ],
);

export interface DemoReports {
  readonly dir: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly output: string;
  readonly markdown: string;
}

/** Runs the real command on the preview's event log (copied next to the reports, so it can be run again). */
export function writeDemoReports(example: string, run: PreviewRun): DemoReports {
  const dir = path.join(DEMO_REPORTS_DIR, example);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rel = (p: string) => path.relative(REPO_ROOT, p);
  const events = path.join(dir, "events.jsonl");
  if (!run.eventLog) throw new Error(`the ${example} run wrote no event log to report on`);
  copyFileSync(run.eventLog, events);
  const args = [
    "report",
    "--events",
    rel(events),
    "--program-dir",
    rel(path.join(EXAMPLES_DIR, example)),
    "--sarif",
    rel(path.join(dir, "alinux-guard.sarif")),
    "--junit",
    rel(path.join(dir, "junit.xml")),
    "--json",
    rel(path.join(dir, "report.json")),
    "--markdown",
    rel(path.join(dir, "summary.md")),
  ];
  const res = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: "utf8" });
  let markdown = "";
  try {
    markdown = readFileSync(path.join(dir, "summary.md"), "utf8");
  } catch {
    // Reported by the caller from the exit code and output.
  }
  return {
    dir,
    command: `npx alinux-guard ${args.join(" ")}`,
    exitCode: res.status,
    output: `${res.stdout}${res.stderr}`,
    markdown,
  };
}

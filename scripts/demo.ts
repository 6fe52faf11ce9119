// `npm run demo`: the policy pack run by the real Pulumi CLI over the bundled examples, printing per example what was
// blocked and why.
//
// Local only: a temporary PULUMI_HOME and file backend, an empty passphrase, and the STAND-IN alicloud provider
// (stand-in/), which answers everything from fixed data. Nothing calls Alibaba Cloud or Pulumi Cloud. The first run
// on a machine builds the Pulumi CLIs from Go modules (tools/cli/ensure-pulumi-cli.sh); later runs reuse them. Each
// example runs on the CLI that can run its program: TypeScript on v3.68.0 (it has a Node.js language host), YAML
// and `policy analyze` on the current CLI (v3.276.0 + pulumi-language-yaml). Every run names its CLI version.
import { existsSync } from "node:fs";
import * as path from "node:path";
import {
  EXAMPLES_DIR,
  POLICY_PACK_DIR,
  PulumiSession,
  REPO_ROOT,
  STAND_IN_PROVIDER_DIR,
  ensurePulumiCli,
  type CliStatus,
  type PolicyEvent,
  type PreviewRun,
} from "../tools/e2e/pulumiCli";
import { runtimeOf, SCENARIOS, type Outcome, type ProgramRuntime, type Scenario } from "../tools/e2e/scenarios";
import { writeDemoReports } from "./demo-reports";
import { createPackRules } from "../reports/packRules";
import { ensurePackBuilt } from "../tools/engine/packBuild";

const useColor = process.stdout.isTTY === true && !process.env["NO_COLOR"];
const paint = (code: string) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = paint("1");
const dim = paint("2");
const red = paint("31");
const green = paint("32");
const yellow = paint("33");

const WIDTH = Math.max(80, Math.min(process.stdout.columns ?? 110, 130));

/** Word-wraps each paragraph; `first` replaces `indent` on the first line of the first paragraph (hanging indent). */
function wrap(text: string, indent: string, first = indent): string {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    const prefix = () => (out.length === 0 ? first : indent);
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && prefix().length + line.length + 1 + word.length > WIDTH) {
        out.push(prefix() + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) out.push(prefix() + line);
  }
  return out.join("\n");
}

const rel = (p: string) => path.relative(REPO_ROOT, p) || ".";
const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
const typeOf = (urn: string) => urn.split("::")[2] ?? "";

const packRules = createPackRules();

/**
 * What the policy reported: without the policy's description line, which the SDK puts first when a policy reports in
 * the documented form (the pack's advisory policies report without it, policies/src/runtime/violationReport.ts).
 */
function reported(event: PolicyEvent): string {
  return packRules
    .reportedText(event.policyPackName, event.policyName, event.message)
    .split("\n")
    .filter((l) => l.trim() !== "")
    .join("\n");
}

function firstSentence(text: string): string {
  const line = text.split("\n")[0] ?? "";
  const m = /^(.+?\.)(\s|$)/.exec(line);
  return m?.[1] ?? line;
}

function outcomeOf(run: PreviewRun): Outcome {
  if (run.exitCode === 0) return "passes";
  if (run.policyEvents.some((e) => e.enforcementLevel === "mandatory")) return "blocked";
  if (run.errors.some((e) => e.includes("policy config"))) return "config-rejected";
  return "blocked"; // Non-zero for another reason: shown with the CLI's own output below.
}

const OUTCOME_LABEL: Record<Outcome, string> = {
  blocked: "BLOCKED",
  passes: "PASSED",
  "config-rejected": "CONFIG REJECTED",
};

function commandLine(s: Scenario): string {
  const exampleDir = path.join(EXAMPLES_DIR, s.example);
  const pack = path.relative(exampleDir, POLICY_PACK_DIR);
  const config = s.policyPackConfig
    ? ` --policy-pack-config ${path.relative(exampleDir, path.join(REPO_ROOT, s.policyPackConfig))}`
    : "";
  return `(cd ${rel(exampleDir)} && pulumi preview --policy-pack ${pack}${config})`;
}

function printRun(index: number, s: Scenario, run: PreviewRun): boolean {
  const outcome = outcomeOf(run);
  const asExpected =
    outcome === s.expected &&
    (outcome !== "blocked" || run.policyEvents.some((e) => e.enforcementLevel === "mandatory"));
  const verdictColor = outcome === "passes" ? green : red;
  console.log(`\n${bold(`[${index}/${SCENARIOS.length}] ${s.id}`)} — ${s.title} ${dim(`(pulumi ${run.cliVersion})`)}`);
  console.log(dim(`  $ ${commandLine(s)}`));
  console.log(
    `  ${verdictColor(bold(OUTCOME_LABEL[outcome]))}  exit code ${run.exitCode}, ${(run.durationMs / 1000).toFixed(1)} s  ` +
      (asExpected ? green("(as expected)") : red(bold(`(UNEXPECTED: expected ${OUTCOME_LABEL[s.expected]})`))),
  );

  const blocking = run.policyEvents.filter((e) => e.enforcementLevel === "mandatory");
  for (const e of blocking) {
    console.log(
      `  ${red("✖")} ${bold(nameOf(e.resourceUrn))} ${dim(`(${typeOf(e.resourceUrn)})`)} blocked by ${e.policyName}:`,
    );
    console.log(wrap(reported(e), "      "));
  }
  if (outcome === "config-rejected") {
    for (const err of run.errors.filter((x) => x !== "preview failed"))
      console.log(wrap(err, "      ", `  ${red("✖")} `));
  }
  const advisories = run.policyEvents.filter((e) => e.enforcementLevel !== "mandatory");
  for (const e of advisories) {
    console.log(
      wrap(
        `advisory ${e.policyName} on ${nameOf(e.resourceUrn)}: ${firstSentence(reported(e))}`,
        "      ",
        `  ${yellow("!")} `,
      ),
    );
  }
  if (outcome === "passes" && blocking.length === 0 && advisories.length === 0)
    console.log(`  ${green("✔")} no policy findings`);
  if (run.exitCode !== 0 && blocking.length === 0 && outcome !== "config-rejected") {
    console.log(red("  the CLI failed without a policy violation; its output:"));
    console.log(wrap(run.output.slice(-4000), "    "));
  }
  return asExpected;
}

function ensurePolicyPackBuilt(): void {
  if (!existsSync(path.join(POLICY_PACK_DIR, "node_modules", "@pulumi", "policy"))) {
    console.error(red("The policy pack's dependencies are missing: run `npm ci` at the repository root first."));
    process.exit(1);
  }
  // Rebuilds bin/ when it is missing or older than the pack's sources, so the demo never runs a stale pack.
  ensurePackBuilt(POLICY_PACK_DIR);
}

async function main(): Promise<void> {
  console.log(bold("alinux-guard demo: the policy pack run by the real Pulumi CLI over the bundled examples"));
  ensurePolicyPackBuilt();

  console.log(
    dim(
      "Providing the Pulumi CLIs (tools/cli/ensure-pulumi-cli.sh; the first run on a machine builds them from Go modules, 5-20 minutes each)…",
    ),
  );
  const provide = (label: string, current: boolean): CliStatus => {
    const started = Date.now();
    const status = ensurePulumiCli({ current });
    const seconds = (Date.now() - started) / 1000;
    if (status.available)
      console.log(
        `  ${label}: Pulumi CLI ${status.version} at ${status.binDir}${seconds > 5 ? ` (ready after ${seconds.toFixed(0)} s)` : ""}`,
      );
    else console.log(yellow(`  ${label}: unavailable (${status.reason})`));
    return status;
  };
  const cli = provide("TypeScript programs", false);
  if (!cli.available) {
    console.error(red(bold(`\nCannot run the demo: ${cli.reason}.`)));
    console.error(
      "Install Go (>= 1.23, for the one-time build from the Go module proxy) or a Pulumi CLI with pulumi-language-nodejs, then rerun `npm run demo`.",
    );
    process.exit(3);
  }
  const current = provide("YAML programs and policy analyze", true);
  console.log(
    `  Policy pack: ${rel(POLICY_PACK_DIR)}/   alicloud provider: local STAND-IN (${rel(STAND_IN_PROVIDER_DIR)}/), no cloud calls`,
  );
  console.log("  State: a temporary local file backend; nothing is deployed.");

  const session = new PulumiSession(cli.binDir, cli.version);
  const currentSession = current.available ? new PulumiSession(current.binDir, current.version) : undefined;
  const sessionFor: Record<ProgramRuntime, PulumiSession | undefined> = { nodejs: session, yaml: currentSession };
  const disposeAll = () => {
    session.dispose();
    currentSession?.dispose();
  };
  const cleanup = () => {
    disposeAll();
    process.exit(130);
  };
  process.on("SIGINT", cleanup);
  process.on("SIGTERM", cleanup);

  const results: { s: Scenario; run: PreviewRun; ok: boolean }[] = [];
  const skipped: Scenario[] = [];
  let auditOk = true;
  let reportsOk = true;
  let auditSummary: string | undefined;
  try {
    let i = 0;
    for (const s of SCENARIOS) {
      i++;
      const runner = sessionFor[runtimeOf(s)];
      if (!runner) {
        console.log(
          `\n${bold(`[${i}/${SCENARIOS.length}] ${s.id}`)} — ${s.title}\n  ${yellow("!")} skipped: no CLI for ${runtimeOf(s)} programs`,
        );
        skipped.push(s);
        continue;
      }
      const run = await runner.preview(s.example, { policyPackConfig: s.policyPackConfig });
      results.push({ s, run, ok: printRun(i, s, run) });
    }

    const blocked = results.find((r) => r.s.expected === "blocked" && r.ok);
    if (blocked) {
      console.log(`\n${bold("CI reports")} — alinux-guard report on the event log of ${blocked.s.id}'s preview`);
      const reports = writeDemoReports(blocked.s.example, blocked.run);
      console.log(dim(`  $ ${reports.command}`));
      console.log(
        `  exit code ${reports.exitCode} ${reports.exitCode === 1 ? green("(as expected: a mandatory violation)") : red(bold("(UNEXPECTED: expected 1)"))}; reports in ${rel(reports.dir)}/`,
      );
      if (reports.exitCode !== 1) {
        reportsOk = false;
        console.log(wrap(reports.output, "    "));
      }
      for (const line of reports.markdown.trimEnd().split("\n")) console.log(`    ${line}`);
    }

    console.log(`\n${bold("Audit of an already-deployed stack")} — examples/audit-export/stack-export.json`);
    const exportFile = path.join(EXAMPLES_DIR, "audit-export", "stack-export.json");
    const hasAnalyze = await session.hasCommand(["policy", "analyze"]);
    // The preview CLI (v3.68.0) predates `policy analyze`; the current CLI has it.
    const analyzer = hasAnalyze ? session : currentSession;
    if (analyzer) {
      const run = await analyzer.analyzeExport(exportFile);
      console.log(dim(`  $ pulumi policy analyze --file ${rel(exportFile)} --policy-pack ${rel(POLICY_PACK_DIR)}`));
      const verdict = run.exitCode === 0 ? green(bold("PASSED")) : red(bold("VIOLATIONS FOUND"));
      console.log(`  ${verdict}  exit code ${run.exitCode}  ${dim(`(pulumi ${run.cliVersion})`)}`);
      // The CLI's own report, as printed (its indentation matters, so no re-wrapping).
      for (const line of run.output.trim().split("\n")) console.log(`    ${line}`);
      auditSummary =
        `  ${run.exitCode !== 0 ? green("✔") : red("✖")} ${"audit-export (analyze)".padEnd(28)} ` +
        `${(run.exitCode === 0 ? green : red)((run.exitCode === 0 ? "PASSED" : "VIOLATIONS FOUND").padEnd(16))} exit ${String(run.exitCode).padEnd(4)} ${dim(`pulumi ${run.cliVersion}`)}`;
      if (run.exitCode === 0) {
        console.log(red(bold("  UNEXPECTED: the audit should find the mandatory violation on 'web' (non-zero exit).")));
        auditOk = false;
      }
    } else {
      console.log(
        wrap(
          `skipped: this Pulumi CLI (${cli.version}) has no \`pulumi policy analyze\` (added in v3.229.0; --file in v3.249.0), ` +
            "and the current CLI is unavailable (`bash tools/cli/ensure-pulumi-cli.sh --current` builds it: 10-20 minutes the first time). " +
            `With a current CLI: pulumi policy analyze --file ${rel(exportFile)} --policy-pack ${rel(POLICY_PACK_DIR)} ` +
            "(exits non-zero on a mandatory violation, like preview).",
          "    ",
          `  ${yellow("!")} `,
        ),
      );
    }
  } finally {
    disposeAll();
  }

  console.log(`\n${bold("Summary")}`);
  for (const { s, run, ok } of results) {
    const outcome = outcomeOf(run);
    const label = OUTCOME_LABEL[outcome].padEnd(16);
    const blocked = [
      ...new Set(run.policyEvents.filter((e) => e.enforcementLevel === "mandatory").map((e) => nameOf(e.resourceUrn))),
    ];
    console.log(
      `  ${ok ? green("✔") : red("✖")} ${s.id.padEnd(28)} ${(outcome === "passes" ? green : red)(label)} exit ${String(run.exitCode).padEnd(4)} ` +
        dim(`pulumi ${run.cliVersion}`) +
        (blocked.length ? `  blocked: ${blocked.join(", ")}` : ""),
    );
  }
  for (const s of skipped)
    console.log(
      `  ${yellow("!")} ${s.id.padEnd(28)} ${yellow("SKIPPED".padEnd(16))} no CLI for ${runtimeOf(s)} programs`,
    );
  if (auditSummary) console.log(auditSummary);
  const failures = results.filter((r) => !r.ok).length + (auditOk ? 0 : 1) + (reportsOk ? 0 : 1);
  if (failures > 0) {
    console.log(red(bold(`\n${failures} run(s) did not behave as expected.`)));
    process.exit(1);
  }
  console.log(
    green(
      `\nAll ${results.length + (auditSummary ? 1 : 0)} runs behaved as expected. Mandatory violations make \`pulumi preview\` exit non-zero, so CI stops there.`,
    ),
  );
}

main().catch((err: unknown) => {
  console.error(red(err instanceof Error ? (err.stack ?? err.message) : String(err)));
  process.exit(1);
});

// `alinux-guard check` end to end: the package's bin runs `pulumi preview` with the pack through the Automation API
// and the real CLI (hermetic, tools/e2e/pulumiCli.ts), on the bundled examples; and the README's two CI snippets, run as
// written (with `npx alinux-guard` as `node <bin>`, which is what npx runs), on a blocked example.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { POLICY_PACK_DIR, PulumiSession, REPO_ROOT, ensurePulumiCli } from "../../tools/e2e/pulumiCli";
import { POLICY } from "../support/contract";
import { ensurePackBuilt } from "../../tools/engine/packBuild";
import { validateSarif } from "../reports/support/sarifValidator";

const cli = ensurePulumiCli();
if (!cli.available)
  console.warn(`\n!! SKIPPING alinux-guard check end to end (test/e2e/check.spec.ts): ${cli.reason}.\n`);

const TIMEOUT = 240_000;
const BIN = path.join(
  REPO_ROOT,
  (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin[
    "alinux-guard"
  ],
);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runIn(cwd: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The fenced YAML block after `<!-- ci-snippet: <name> -->` in the README. */
function readmeSnippet(name: string): Record<string, unknown> {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const m = new RegExp(`<!-- ci-snippet: ${name} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!m) throw new Error(`README.md has no ci-snippet ${name}`);
  return parseYaml(m[1]) as Record<string, unknown>;
}

/** A snippet's shell line, with `npx alinux-guard` as the bin it resolves to. */
const asBin = (line: string) => line.replace(/^npx alinux-guard\b/, `"${process.execPath}" "${BIN}"`);

const words = (line: string) => line.match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"|"$/g, ""));
const optionOf = (line: string, option: string) => {
  const w = words(line);
  return w[w.indexOf(option) + 1];
};

(cli.available ? describe : describe.skip)(
  `alinux-guard check (real CLI ${cli.available ? cli.version : "unavailable"})`,
  () => {
    let session: PulumiSession;
    const out = mkdtempSync(path.join(os.tmpdir(), "alinux-guard-check-"));

    beforeAll(() => {
      if (!cli.available) return;
      ensurePackBuilt(POLICY_PACK_DIR);
      session = new PulumiSession(cli.binDir);
    });
    afterAll(() => session?.dispose());

    async function check(example: string, args: readonly string[]): Promise<Run & { dir: string }> {
      const dir = await session.stackFor(example);
      const run = await runIn(REPO_ROOT, process.execPath, [BIN, "check", "--cwd", dir, "--stack", "e2e", ...args], {
        ...session.env,
        PULUMI_BACKEND_URL: session.backendFor(example),
      });
      return { ...run, dir };
    }

    it(
      "blocks the affected instance: exit 1, the CLI's own output, and the four reports",
      async () => {
        const f = (n: string) => path.join(out, "affected", n);
        const run = await check("affected-instance", [
          "--sarif",
          f("r.sarif"),
          "--junit",
          f("r.xml"),
          "--json",
          f("r.json"),
          "--markdown",
          f("r.md"),
        ]);
        expect(run.code, run.stdout + run.stderr).toBe(1);
        expect(run.stdout + run.stderr).toContain("Policy Violations:");
        expect(run.stdout).toContain(
          "alinux-guard: BLOCKED: 1 mandatory violation, 3 advisories (--fail-on mandatory)",
        );
        expect(validateSarif(f("r.sarif")).filter((x) => x.level === "error")).toEqual([]);
        const sarif = JSON.parse(readFileSync(f("r.sarif"), "utf8")) as {
          runs: {
            results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
          }[];
        };
        const blocked = sarif.runs[0].results.find((r) => r.ruleId === POLICY.overlayfs)!;
        // The work copy's index.ts, relative to the working directory (the repository root here).
        expect(blocked.locations[0].physicalLocation.artifactLocation.uri).toBe(
          path.relative(REPO_ROOT, path.join(run.dir, "index.ts")),
        );
        expect(XMLValidator.validate(readFileSync(f("r.xml"), "utf8"))).toBe(true);
        expect((JSON.parse(readFileSync(f("r.json"), "utf8")) as { source: { kind: string } }).source.kind).toBe(
          "engine-events",
        );
        expect(readFileSync(f("r.md"), "utf8")).toMatch(/^## ⛔ alinux-guard: BLOCKED/);
      },
      TIMEOUT,
    );

    it(
      "passes a fixed image: exit 0, the advisory in the reports",
      async () => {
        const json = path.join(out, "fixed.json");
        const run = await check("fixed-image", ["--json", json]);
        expect(run.code, run.stdout + run.stderr).toBe(0);
        const report = JSON.parse(readFileSync(json, "utf8")) as {
          verdict: { status: string };
          counts: { advisory: number };
        };
        expect(report.verdict.status).toBe("passed");
        expect(report.counts.advisory).toBeGreaterThan(0);
      },
      TIMEOUT,
    );

    it(
      "passes the CLI's own exit code through when the preview fails without a policy verdict (rejected config)",
      async () => {
        const json = path.join(out, "rejected.json");
        const run = await check("exempted-instance", [
          "--policy-pack-config",
          path.join(REPO_ROOT, "examples/exempted-instance/policy-config.invalid.json"),
          "--json",
          json,
        ]);
        expect(run.code, run.stdout + run.stderr).toBe(255); // v3.68.0's generic failure code
        expect(run.stdout + run.stderr).toContain("validating policy config");
        expect((JSON.parse(readFileSync(json, "utf8")) as { verdict: { status: string } }).verdict.status).toBe(
          "error",
        );
      },
      TIMEOUT,
    );

    it(
      "usage errors exit 2 with one line: no such stack, no Pulumi project, unknown option",
      async () => {
        const dir = await session.stackFor("fixed-image");
        const env = { ...session.env, PULUMI_BACKEND_URL: session.backendFor("fixed-image") };
        const noStack = await runIn(
          REPO_ROOT,
          process.execPath,
          [BIN, "check", "--cwd", dir, "--stack", "does-not-exist"],
          env,
        );
        expect(noStack.code, noStack.stderr).toBe(2);
        expect(noStack.stderr.trim()).toBe(`alinux-guard: no stack named does-not-exist in ${dir}`);
        const noProject = await runIn(REPO_ROOT, process.execPath, [BIN, "check", "--cwd", out], env);
        expect(noProject.code).toBe(2);
        expect(noProject.stderr.trim()).toBe(`alinux-guard: no Pulumi project in ${out} (no Pulumi.yaml)`);
        const unknown = await runIn(REPO_ROOT, process.execPath, [BIN, "check", "--stak", "e2e"], env);
        expect(unknown.code).toBe(2);
        expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
      },
      TIMEOUT,
    );

    it(
      "`npx alinux-guard` resolves to the root package's bin",
      () => {
        const res = spawnSync("npx", ["--no-install", "alinux-guard", "report", "--help"], {
          cwd: REPO_ROOT,
          encoding: "utf8",
          env: { ...process.env, npm_config_yes: "true" },
        });
        expect(res.status, res.stderr).toBe(0);
        expect(res.stdout).toMatch(/^usage: alinux-guard report --events <file>/);
      },
      TIMEOUT,
    );

    describe("the README's CI snippets", () => {
      it(
        "GitHub Actions: check writes the SARIF that upload-sarif uploads (also when check fails), and the step summary",
        async () => {
          const workflow = readmeSnippet("github-actions") as {
            permissions: Record<string, string>;
            jobs: Record<
              string,
              {
                env: Record<string, string>;
                steps: { run?: string; uses?: string; if?: string; with?: Record<string, string> }[];
              }
            >;
          };
          expect(workflow.permissions["security-events"]).toBe("write");
          const job = Object.values(workflow.jobs)[0];
          const steps = job.steps;
          const checkStep = steps.find((s) => s.run?.includes("alinux-guard check"))!;
          const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!;
          expect(steps.indexOf(upload)).toBeGreaterThan(steps.indexOf(checkStep));
          expect(upload.if).toMatch(/always\(\)/);
          expect(steps.some((s) => s.run === "npm ci")).toBe(true);
          const sarifFile = optionOf(checkStep.run!, "--sarif");
          expect(upload.with?.["sarif_file"]).toBe(sarifFile);

          const dir = await session.stackFor("affected-instance");
          const workspace = mkdtempSync(path.join(os.tmpdir(), "alinux-guard-gha-"));
          const summary = path.join(workspace, "step-summary.md");
          const run = await runIn(workspace, "bash", ["-c", asBin(checkStep.run!)], {
            ...session.env,
            PULUMI_BACKEND_URL: session.backendFor("affected-instance"),
            ...job.env,
            PROGRAM_DIR: dir,
            STACK: "e2e",
            GITHUB_STEP_SUMMARY: summary,
          });
          expect(run.code, run.stdout + run.stderr).toBe(1);
          const sarif = path.join(workspace, sarifFile);
          expect(validateSarif(sarif).filter((x) => x.level === "error")).toEqual([]);
          expect(readFileSync(sarif, "utf8")).toContain(POLICY.overlayfs);
          expect(readFileSync(summary, "utf8")).toMatch(/^## ⛔ alinux-guard: BLOCKED/);
        },
        TIMEOUT,
      );

      it(
        "GitLab CI: check writes the JUnit file that artifacts:reports:junit names, with the violation as a failure",
        async () => {
          const pipeline = readmeSnippet("gitlab") as Record<
            string,
            {
              variables: Record<string, string>;
              script: string[];
              artifacts: { when: string; reports: { junit: string }; paths: string[] };
            }
          >;
          const job = Object.values(pipeline)[0];
          expect(job.artifacts.when).toBe("always");
          const line = job.script.find((l) => l.includes("alinux-guard check"))!;
          expect(job.script.indexOf("npm ci")).toBeLessThan(job.script.indexOf(line));
          expect(optionOf(line, "--junit")).toBe(job.artifacts.reports.junit);

          const dir = await session.stackFor("affected-instance");
          const workspace = mkdtempSync(path.join(os.tmpdir(), "alinux-guard-gitlab-"));
          const run = await runIn(workspace, "bash", ["-c", asBin(line)], {
            ...session.env,
            PULUMI_BACKEND_URL: session.backendFor("affected-instance"),
            ...job.variables,
            PROGRAM_DIR: dir,
            STACK: "e2e",
          });
          expect(run.code, run.stdout + run.stderr).toBe(1);
          const junit = readFileSync(path.join(workspace, job.artifacts.reports.junit), "utf8");
          expect(XMLValidator.validate(junit)).toBe(true);
          const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(junit) as {
            testsuites: { failures: string };
          };
          expect(doc.testsuites.failures).toBe("1");
          for (const p of job.artifacts.paths) expect(existsSync(path.join(workspace, p)), p).toBe(true);
        },
        TIMEOUT,
      );
    });
  },
);

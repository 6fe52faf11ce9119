// End to end on a current engine: `pulumi preview --policy-pack policies` on the bundled YAML examples, and
// `pulumi policy analyze --file` on the bundled stack export, with the current CLI (pulumi v3.276.0 and
// pulumi-language-yaml v1.25.0, from tools/cli/ensure-pulumi-cli.sh --current). That CLI has no Node.js language host
// (the Go module proxy refuses it), so the session gives it the pack as an executable analyzer
// (tools/cli/policy-pack-launcher.sh, which starts the same pack process as the language host would), and it runs
// YAML programs only; the stand-in provider answers GetSchema for them.
//
// Verdicts come from the engine's events (`--event-log` for preview, `--json` for analyze), including the
// stack-policy summaries current engines emit; the CLI's text is checked only for what a person sees.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  POLICY_PACK_DIR,
  PulumiSession,
  REPO_ROOT,
  ensurePulumiCli,
  shownPolicyResult,
  type PreviewRun,
} from "../../tools/e2e/pulumiCli";
import { runtimeOf, SCENARIOS } from "../../tools/e2e/scenarios";
import { POLICY } from "../support/contract";
import { ensurePackBuilt } from "../../tools/engine/packBuild";
import { advisories, explain, mandatory, nameOf, PREVIEW_TIMEOUT } from "./runQueries";

const cli = ensurePulumiCli({ current: true });
if (!cli.available) {
  console.warn(
    `\n${"!".repeat(100)}\n!! SKIPPING the end-to-end tests on the current CLI: ${cli.reason}.\n${"!".repeat(100)}\n`,
  );
}

const YAML_SCENARIOS = SCENARIOS.filter((s) => runtimeOf(s) === "yaml");

function stackVerdict(run: PreviewRun, policy: string): "passed" | "failed" | "absent" {
  const summaries = run.stackSummaries.filter((s) => s.policyPackName === "alinux-guard");
  if (summaries.some((s) => s.failed.includes(policy))) return "failed";
  if (summaries.some((s) => s.passed.includes(policy))) return "passed";
  return "absent";
}

(cli.available ? describe : describe.skip)(
  `current engine: YAML programs and policy analyze (real CLI ${cli.available ? cli.version : "unavailable"})`,
  () => {
    let session: PulumiSession;
    const runs = new Map<string, PreviewRun>();

    async function scenario(id: string): Promise<PreviewRun> {
      const s = YAML_SCENARIOS.find((x) => x.id === id);
      if (!s) throw new Error(`no YAML scenario ${id}`);
      const cached = runs.get(id);
      if (cached) return cached;
      const run = await session.preview(s.example, { policyPackConfig: s.policyPackConfig });
      runs.set(id, run);
      return run;
    }

    beforeAll(() => {
      if (!cli.available) return;
      ensurePackBuilt(POLICY_PACK_DIR);
      session = new PulumiSession(cli.binDir, cli.version);
    });

    afterAll(() => {
      session?.dispose();
    });

    it("covers the five situations of the TypeScript suite", () => {
      expect(YAML_SCENARIOS.map((s) => s.expected).sort()).toEqual([
        "blocked",
        "blocked",
        "config-rejected",
        "passes",
        "passes",
      ]);
    });

    for (const s of YAML_SCENARIOS.filter((x) => x.expected === "blocked")) {
      it(
        `${s.id}: blocked — non-zero exit, mandatory events on exactly ${s.blockedResources?.join(", ")}, the stack policy failed`,
        async () => {
          const run = await scenario(s.id);
          expect(run.exitCode, explain(run)).not.toBe(0);
          expect(new Set(mandatory(run).map((e) => nameOf(e.resourceUrn))), explain(run)).toEqual(
            new Set(s.blockedResources),
          );
          expect(
            mandatory(run).every((e) => e.severity === "critical" && e.policyPackName === "alinux-guard"),
            explain(run),
          ).toBe(true);
          expect(stackVerdict(run, POLICY.overlayfs), explain(run)).toBe("failed");
        },
        PREVIEW_TIMEOUT,
      );
    }

    for (const s of YAML_SCENARIOS.filter((x) => x.expected === "passes")) {
      it(
        `${s.id}: passes — exit 0, no mandatory event, the stack policy passed`,
        async () => {
          const run = await scenario(s.id);
          expect(run.exitCode, explain(run)).toBe(0);
          expect(mandatory(run), explain(run)).toEqual([]);
          expect(stackVerdict(run, POLICY.overlayfs), explain(run)).toBe("passed");
        },
        PREVIEW_TIMEOUT,
      );
    }

    it(
      "yaml-affected-instance: the person reading CI sees the mandatory result on the instance, with the advisory on it",
      async () => {
        const run = await scenario("yaml-affected-instance");
        expect(run.stdout, explain(run)).toMatch(
          shownPolicyResult("mandatory", POLICY.overlayfs, { type: "alicloud:ecs/instance:Instance", name: "web" }),
        );
        expect(mandatory(run)[0]?.message).toContain("aliyun_2_1903_x64_20G_alibase_20210120.vhd");
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "yaml-hotfix-cloud-assistant: the pack did judge the instance (end-of-life advisory on fleet-0), and let it through",
      async () => {
        const run = await scenario("yaml-hotfix-cloud-assistant");
        expect(
          advisories(run, POLICY.endOfLife).map((e) => nameOf(e.resourceUrn)),
          explain(run),
        ).toContain("fleet-0");
        expect(run.stdout).toMatch(shownPolicyResult("advisory", POLICY.endOfLife));
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "yaml-exempted-instance without its exemption is blocked on legacy-batch",
      async () => {
        const run = await session.preview("yaml-exempted-instance");
        expect(run.exitCode, explain(run)).not.toBe(0);
        expect(
          mandatory(run).map((e) => nameOf(e.resourceUrn)),
          explain(run),
        ).toEqual(["legacy-batch"]);
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "yaml-invalid-config: the engine rejects the pack config before any policy runs, naming the field",
      async () => {
        const run = await scenario("yaml-invalid-config");
        expect(run.exitCode, explain(run)).not.toBe(0);
        expect(run.policyEvents).toEqual([]);
        const message = run.errors.join("\n");
        expect(message, explain(run)).toContain(POLICY.overlayfs);
        expect(message).toMatch(/exemptions\.0\.reason/);
        expect(run.output).toMatch(/exemptions\.0\.reason/);
      },
      PREVIEW_TIMEOUT,
    );

    it("previewed every YAML scenario of the table (a new example needs its case above)", () => {
      expect([...runs.keys()].sort()).toEqual(YAML_SCENARIOS.map((s) => s.id).sort());
    });

    describe("pulumi policy analyze --file (audit of the bundled stack export)", () => {
      const exportFile = path.join(REPO_ROOT, "examples", "audit-export", "stack-export.json");

      it(
        "blocks the affected instance: non-zero exit, the mandatory event on web, shown to the reader",
        async () => {
          const events = await session.analyzeExportEvents(exportFile);
          expect(events.exitCode, explain(events)).not.toBe(0);
          expect(
            mandatory(events).map((e) => nameOf(e.resourceUrn)),
            explain(events),
          ).toEqual(["web"]);
          const shown = await session.analyzeExport(exportFile);
          expect(shown.exitCode).toBe(events.exitCode);
          expect(shown.output).toMatch(
            shownPolicyResult("mandatory", POLICY.overlayfs, { type: "alicloud:ecs/instance:Instance", name: "web" }),
          );
        },
        PREVIEW_TIMEOUT,
      );

      it(
        "an advisory override in --policy-pack-config turns it into an advisory and exit 0",
        async () => {
          const run = await session.analyzeExportEvents(exportFile, {
            policyPackConfig: "test/e2e/fixtures/downgrade-to-advisory.json",
          });
          expect(run.exitCode, explain(run)).toBe(0);
          expect(mandatory(run)).toEqual([]);
          expect(
            advisories(run, POLICY.overlayfs).map((e) => nameOf(e.resourceUrn)),
            explain(run),
          ).toEqual(["web"]);
        },
        PREVIEW_TIMEOUT,
      );
    });
  },
);

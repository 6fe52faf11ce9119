// End to end: the policy pack run by the real Pulumi CLI (`pulumi preview --policy-pack policies`) over the bundled
// TypeScript examples, on a local file backend with the STAND-IN alicloud provider and no cloud credentials. The CLI
// is the one with a Node.js language host (v3.68.0); the YAML examples and `policy analyze` run on the current CLI
// (yamlCurrentCli.spec.ts). Verdicts come from the engine's events (`--event-log`); the CLI's text is checked only
// for what a person sees, in a form every CLI version prints (shownPolicyResult).
//
// The CLI comes from tools/cli/ensure-pulumi-cli.sh (PATH, cache, or a build from Go modules). When that script exits 3
// (neither `pulumi` nor Go on this machine) the whole suite is skipped, loudly.
import { readFileSync } from "node:fs";
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
import { ensurePackBuilt } from "../../tools/engine/packBuild";
import { runtimeOf, SCENARIOS } from "../../tools/e2e/scenarios";
import { POLICY } from "../support/contract";
import { T } from "../support/stackFixtures";
import { advisories, explain, mandatory, nameOf, PREVIEW_TIMEOUT } from "./runQueries";

const cli = ensurePulumiCli();
if (!cli.available) {
  console.warn(
    `\n${"!".repeat(100)}\n!! SKIPPING the end-to-end tests (test/e2e): ${cli.reason}.\n` +
      `!! Install Go (>= 1.23) or put a Pulumi CLI on PATH to run them.\n${"!".repeat(100)}\n`,
  );
}

(cli.available ? describe : describe.skip)(
  `pulumi preview --policy-pack policies (real CLI ${cli.available ? cli.version : "unavailable"})`,
  () => {
    let session: PulumiSession;
    const runs = new Map<string, PreviewRun>();

    async function scenario(id: string): Promise<PreviewRun> {
      const cached = runs.get(id);
      if (cached) return cached;
      const s = SCENARIOS.find((x) => x.id === id);
      if (!s) throw new Error(`no scenario ${id}`);
      const run = await session.preview(s.example, { policyPackConfig: s.policyPackConfig });
      runs.set(id, run);
      return run;
    }

    beforeAll(() => {
      if (!cli.available) return;
      ensurePackBuilt(POLICY_PACK_DIR); // rebuilds a stale bin/ (after a source edit), under the harness's lock
      session = new PulumiSession(cli.binDir, cli.version);
    });

    afterAll(() => {
      session?.dispose();
    });

    it(
      "blocks an instance on an affected image: non-zero exit, the mandatory violation in the output",
      async () => {
        const run = await scenario("affected-instance");
        expect(run.exitCode, explain(run)).not.toBe(0);
        const blocked = mandatory(run);
        expect(
          blocked.map((e) => nameOf(e.resourceUrn)),
          explain(run),
        ).toEqual(["web"]);
        expect(blocked[0]?.message).toContain("aliyun_2_1903_x64_20G_alibase_20210120.vhd");
        // What a person sees in CI: the mandatory result on the instance, in the CLI's own report.
        expect(run.stdout).toMatch(
          shownPolicyResult("mandatory", POLICY.overlayfs, { type: "alicloud:ecs/instance:Instance", name: "web" }),
        );
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "lets the companion stack through (hotfix via Cloud Assistant): exit 0, no mandatory violation",
      async () => {
        const run = await scenario("companion-stack");
        expect(run.exitCode, explain(run)).toBe(0);
        expect(mandatory(run), explain(run)).toEqual([]);
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "lets a fixed image through: exit 0, the end-of-life advisory shows but does not fail",
      async () => {
        const run = await scenario("fixed-image");
        expect(run.exitCode, explain(run)).toBe(0);
        expect(mandatory(run)).toEqual([]);
        expect(advisories(run, POLICY.endOfLife).map((e) => nameOf(e.resourceUrn))).toContain("web");
        expect(run.stdout).toMatch(shownPolicyResult("advisory", POLICY.endOfLife));
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "shows the two later advisories for the 2021-03-25 image and lets it through; blocks it once they are mandatory",
      async () => {
        const run = await scenario("overlayfs-fixed-image");
        expect(run.exitCode, explain(run)).toBe(0);
        expect(mandatory(run), explain(run)).toEqual([]);
        for (const policy of [POLICY.releasedInode, POLICY.pageFault])
          expect(
            advisories(run, policy).map((e) => nameOf(e.resourceUrn)),
            policy,
          ).toEqual(["web"]);
        const strict = await scenario("overlayfs-fixed-image-strict");
        expect(strict.exitCode, explain(strict)).not.toBe(0);
        for (const policy of [POLICY.releasedInode, POLICY.pageFault])
          expect(
            mandatory(strict, policy).map((e) => nameOf(e.resourceUrn)),
            policy,
          ).toEqual(["web"]);
        expect(mandatory(strict), "the OverlayFS policy still passes it").toEqual([]);
      },
      PREVIEW_TIMEOUT * 2,
    );

    it(
      "blocks a launch template, the scaling group using it and a scaling configuration",
      async () => {
        const run = await scenario("launch-template-scaling");
        expect(run.exitCode, explain(run)).not.toBe(0);
        const names = mandatory(run).map((e) => nameOf(e.resourceUrn));
        expect(names, explain(run)).toEqual(expect.arrayContaining(["workers-template", "batch-config"]));
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "blocks an instance and the instance launched from an ecs.Image made from it (lineage at preview)",
      async () => {
        const run = await scenario("image-lineage");
        expect(run.exitCode, explain(run)).not.toBe(0);
        const blocked = mandatory(run);
        expect(blocked.map((e) => nameOf(e.resourceUrn)).sort(), explain(run)).toEqual(["app", "builder"]);
        const app = blocked.find((e) => nameOf(e.resourceUrn) === "app");
        expect(app?.message).toContain(
          "made in this stack from image aliyun_2_1903_x64_20G_alibase_20210120.vhd (image 'golden' of this stack, made from ECS instance 'builder'",
        );
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "blocks the Lingjun node that joins a node group on the affected image without the hotfix in its own user data",
      async () => {
        const run = await scenario("lingjun-node-group");
        expect(run.exitCode, explain(run)).not.toBe(0);
        const blocked = mandatory(run);
        expect(
          blocked.map((e) => nameOf(e.resourceUrn)),
          explain(run),
        ).toEqual(["gpu-node-b"]);
        expect(blocked[0]?.message).toContain(
          "Lingjun node 'gpu-node-b' launches from image aliyun_2_1903_x64_20G_alibase_20210120.vhd (through node group 'gpu-group')",
        );
        const shown = { type: T.nodeGroupAttachment, name: "gpu-node-b" };
        expect(run.stdout).toMatch(shownPolicyResult("mandatory", POLICY.overlayfs, shown));
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "only warns about a custom image whose kernel is undeclared (advisory, exit 0)",
      async () => {
        const run = await scenario("custom-image-undeclared");
        expect(run.exitCode, explain(run)).toBe(0);
        expect(mandatory(run)).toEqual([]);
        expect(
          advisories(run, POLICY.kernelUnknown).map((e) => nameOf(e.resourceUrn)),
          explain(run),
        ).toContain("api");
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "blocks the same custom image once its affected kernel is declared in --policy-pack-config",
      async () => {
        const run = await scenario("custom-image-declared");
        expect(run.exitCode, explain(run)).not.toBe(0);
        expect(
          mandatory(run).map((e) => nameOf(e.resourceUrn)),
          explain(run),
        ).toEqual(["api"]);
        expect(advisories(run, POLICY.kernelUnknown)).toEqual([]);
      },
      PREVIEW_TIMEOUT,
    );

    describe("exemptions", () => {
      it(
        "an active exemption lets the exempted instance through (exit 0)",
        async () => {
          const run = await scenario("exempted-instance");
          expect(run.exitCode, explain(run)).toBe(0);
          expect(mandatory(run)).toEqual([]);
        },
        PREVIEW_TIMEOUT,
      );

      it(
        "without the exemption the same program is blocked",
        async () => {
          const run = await session.preview("exempted-instance");
          expect(run.exitCode, explain(run)).not.toBe(0);
          expect(mandatory(run).map((e) => nameOf(e.resourceUrn))).toEqual(["legacy-batch"]);
        },
        PREVIEW_TIMEOUT,
      );

      it(
        "an expired exemption no longer holds, and the violation says so",
        async () => {
          const run = await session.preview("exempted-instance", {
            policyPackConfig: "test/e2e/fixtures/expired-exemption.json",
          });
          expect(run.exitCode, explain(run)).not.toBe(0);
          const blocked = mandatory(run);
          expect(blocked.map((e) => nameOf(e.resourceUrn))).toEqual(["legacy-batch"]);
          expect(blocked[0]?.message).toMatch(/expired/i);
          expect(blocked[0]?.message).toContain("2021-06-30");
        },
        PREVIEW_TIMEOUT,
      );
    });

    it(
      "rejects an invalid config file in the engine, before any policy runs, with a clear message",
      async () => {
        const run = await scenario("invalid-config");
        expect(run.exitCode, explain(run)).not.toBe(0);
        expect(run.policyEvents).toEqual([]);
        const message = run.errors.join("\n");
        expect(message, explain(run)).toContain("validating policy config");
        expect(message).toContain(POLICY.overlayfs);
        expect(message).toMatch(/exemptions\.0\.reason/);
        expect(run.output).toContain("validating policy config");
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "refuses a declared kernel the pack could not use, with the engine's own config error",
      async () => {
        const run = await scenario("invalid-kernel");
        expect(run.exitCode, explain(run)).not.toBe(0);
        expect(run.policyEvents).toEqual([]);
        const message = run.errors.join("\n");
        expect(message, explain(run)).toContain("validating policy config");
        expect(message).toMatch(/imageKernels\.m-bp1standin0golden: Does not match pattern/);
      },
      PREVIEW_TIMEOUT,
    );

    it(
      "honours an enforcement override in --policy-pack-config: the violation shows as advisory and passes",
      async () => {
        const run = await session.preview("affected-instance", {
          policyPackConfig: "test/e2e/fixtures/downgrade-to-advisory.json",
        });
        expect(run.exitCode, explain(run)).toBe(0);
        expect(mandatory(run)).toEqual([]);
        expect(advisories(run, POLICY.overlayfs).map((e) => nameOf(e.resourceUrn))).toEqual(["web"]);
      },
      PREVIEW_TIMEOUT,
    );

    it("previewed every TypeScript scenario of the table (a new example needs its case above)", () => {
      const expected = SCENARIOS.filter((s) => runtimeOf(s) === "nodejs").map((s) => s.id);
      expect([...runs.keys()].sort()).toEqual([...expected].sort());
    });

    describe("audit of an already-deployed stack (bundled export)", () => {
      const exportFile = path.join(REPO_ROOT, "examples", "audit-export", "stack-export.json");

      it(
        "the real CLI accepts the bundled export, and a preview over that deployed state still blocks the instance",
        async () => {
          const deployment = JSON.parse(readFileSync(exportFile, "utf8")) as {
            deployment: { resources: { type: string }[] };
          };
          expect(deployment.deployment.resources.map((r) => r.type)).toContain("alicloud:ecs/instance:Instance");
          // The export's URNs name the stack "production": import it into a stack of that name.
          await session.initStack("affected-instance", "production");
          const imported = await session.inExample("affected-instance", [
            "stack",
            "import",
            "--file",
            exportFile,
            "--stack",
            "production",
            "--non-interactive",
          ]);
          expect(imported.exitCode, imported.output).toBe(0);
          // The resources exist already: the engine analyses them as unchanged ("same") steps, and the pack still
          // blocks the one on the affected image.
          const run = await session.preview("affected-instance", { stack: "production" });
          expect(run.exitCode, explain(run)).not.toBe(0);
          expect(
            mandatory(run).map((e) => nameOf(e.resourceUrn)),
            explain(run),
          ).toEqual(["web"]);
        },
        PREVIEW_TIMEOUT,
      );
    });
  },
);

// Shapes of real engine traffic that hand-written helpers tend to miss (see test/engine/engineCapture.spec.ts):
// the engine also analyses the root stack, components and provider resources, and sends AnalyzeStack resources in
// map order, not registration order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicyPackHarness } from "../../tools/engine/analyzerClient";
import type { AnalyzeResult } from "../../tools/engine/protocolViews";
import type { StackResourceInput } from "../../tools/engine/requests";
import { unknown } from "../../tools/engine/sentinels";
import { IMAGES } from "../support/contract";
import { command, HOTFIX_SCRIPT, previewInstance, previewInvocation, resource, T } from "../support/stackFixtures";
import { startPack } from "./packSession";

let h: PolicyPackHarness;
beforeAll(async () => {
  h = await startPack();
});
afterAll(async () => {
  await h?.stop();
});

const summary = (r: AnalyzeResult) =>
  r.diagnostics
    .map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn} ${d.message.startsWith("can't run") ? "cant-run" : ""}`)
    .sort();

describe("engine-registered resources", () => {
  it("the root stack, a component and the default provider are analysed without findings or errors", async () => {
    const targets = [
      { type: "pulumi:pulumi:Stack", name: `${h.project}-${h.stack}`, urn: h.stackUrn, provider: null, props: {} },
      { type: "acme:fleet:Fleet", name: "fleet", props: {} },
      {
        type: "pulumi:providers:alicloud",
        name: "default_3_108_0",
        provider: null,
        props: { version: "3.108.0", region: unknown() },
      },
    ];
    for (const t of targets) {
      const r = await h.analyze(t);
      expect(r.diagnostics, t.type).toEqual([]);
      const remediated = await h.remediate(t);
      expect(remediated.remediations, t.type).toEqual([]);
    }
  });
});

describe("AnalyzeStack order", () => {
  it("the verdicts do not depend on the order the engine lists resources in", async () => {
    const fleet = resource("acme:fleet:Fleet", "fleet", {});
    const a = { ...previewInstance("a", IMAGES.affectedHotfixable), parent: fleet };
    const b = { ...previewInstance("b", IMAGES.belowHotfixRange), parent: fleet };
    const c = { ...previewInstance("c", IMAGES.affectedHotfixable), parent: fleet };
    const lt = resource(T.ecsLaunchTemplate, "lt", {
      id: unknown(),
      imageId: IMAGES.affected2019,
      launchTemplateName: "lt",
    });
    const sg = resource(
      T.scalingGroup,
      "sg",
      { launchTemplateId: unknown() },
      { propertyDependencies: { launchTemplateId: [lt] } },
    );
    const cmd = command("hotfix", HOTFIX_SCRIPT);
    const inv = previewInvocation("apply", cmd, [a]);
    const stack: StackResourceInput[] = [fleet, a, b, c, lt, sg, cmd, inv];
    const forward = summary(await h.analyzeStack(stack));
    expect(forward.length).toBeGreaterThan(0);
    expect(summary(await h.analyzeStack([...stack].reverse()))).toEqual(forward);
    expect(summary(await h.analyzeStack([inv, sg, cmd, c, lt, b, fleet, a]))).toEqual(forward);
  });

  it("with an unknown image somewhere, the known violations and the advisory come back whatever the order", async () => {
    const known = previewInstance("known", IMAGES.affectedHotfixable);
    const pending = previewInstance("pending", unknown());
    const forward = summary(await h.analyzeStack([known, pending]));
    expect(summary(await h.analyzeStack([pending, known]))).toEqual(forward);
  });
});

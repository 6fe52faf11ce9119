// The harness's requests against what a real engine sent for the same program (captured once with a recording
// pack; see fixtures/engine-capture-v3.68.0.json): URNs, parents, dependencies, property dependencies, providers,
// the root stack and default provider resources, and the property values a policy reads (unknowns as sentinels,
// secrets unwrapped). Order is not compared: the engine sends AnalyzeStack resources in map order.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyPackHarness } from "../../tools/engine/analyzerClient";
import type { StackResourceInput } from "../../tools/engine/requests";
import { makeLinkedTempPackDir, writeProtocolFixturePack } from "../../tools/engine/fixturePacks";
import { secret, SECRET_SIG, SPECIAL_SIG_KEY, unknown } from "../../tools/engine/sentinels";

interface CapturedStackResource {
  type: string;
  urn: string;
  name: string;
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  provider?: string;
  props: Record<string, unknown>;
}
const capture = JSON.parse(
  fs.readFileSync(path.join(__dirname, "fixtures", "engine-capture-v3.68.0.json"), "utf8"),
) as {
  project: string;
  stack: string;
  analyze: Array<{ type: string; urn: string; name: string; provider?: string; props: Record<string, unknown> }>;
  analyzeStack: CapturedStackResource[];
};

/** What a policy sees of a value: deserializeProperties unwraps secrets. */
function policyView(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(policyView);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SPECIAL_SIG_KEY] === SECRET_SIG) return policyView(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, policyView(x)]));
  }
  return v;
}

let h: PolicyPackHarness;
let dir: string;
beforeAll(async () => {
  dir = makeLinkedTempPackDir("alinux-guard-capture-");
  writeProtocolFixturePack(dir);
  h = await PolicyPackHarness.start({ packDir: dir, project: capture.project, stack: capture.stack });
});
afterAll(async () => {
  await h?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

// The captured program, described with the harness.
const fleet: StackResourceInput = { type: "acme:fleet:Fleet", name: "fleet", props: {} };
const web: StackResourceInput = {
  type: "alicloud:ecs/instance:Instance",
  name: "web",
  parent: fleet,
  props: {
    imageId: "aliyun_2_1903_x64_20G_alibase_20210120.vhd",
    instanceType: "ecs.g7.large",
    vswitchId: "vsw-123",
    securityGroups: ["sg-1"],
    userData: secret("echo hi"),
  },
};
const cmd: StackResourceInput = {
  type: "alicloud:ecs/command:Command",
  name: "hotfix",
  parent: fleet,
  props: {
    commandContent: Buffer.from("yum install -y kernel-hotfix-4375449").toString("base64"),
    type: "RunShellScript",
  },
};
const inv: StackResourceInput = {
  type: "alicloud:ecs/ecsInvocation:EcsInvocation",
  name: "apply",
  parent: fleet,
  props: { commandId: unknown(), instanceIds: [unknown()] },
  dependencies: [cmd, web],
  propertyDependencies: { commandId: [cmd], instanceIds: [web] },
};

describe("harness requests match a real engine's (CLI v3.68.0)", () => {
  it("AnalyzeStack: same resources, links, providers and policy-visible props", () => {
    const req = h.buildAnalyzeStackRequest([fleet, web, cmd, inv]);
    const built: CapturedStackResource[] = req.getResourcesList().map((r) => {
      const propertyDependencies: Record<string, string[]> = {};
      r.getPropertydependenciesMap().forEach((v, k) => (propertyDependencies[k] = v.getUrnsList()));
      return {
        type: r.getType(),
        urn: r.getUrn(),
        name: r.getName(),
        parent: r.getParent() || undefined,
        dependencies: [...r.getDependenciesList()].sort(),
        propertyDependencies,
        provider: r.getProvider()?.getUrn() || undefined,
        props: policyView(r.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
      };
    });
    const norm = (xs: CapturedStackResource[]) =>
      xs
        .map((x) => ({ ...x, dependencies: [...x.dependencies].sort() }))
        .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    expect(norm(built)).toEqual(norm(capture.analyzeStack));
  });

  it("Analyze: same URNs, providers and props for every registration the engine analysed", () => {
    const byUrn = new Map([fleet, web, cmd, inv].map((r) => [h.urnOf(r), r]));
    for (const c of capture.analyze) {
      const r = byUrn.get(c.urn);
      if (!r) {
        // The root stack and the default provider are registered by the engine itself.
        expect(c.urn === h.stackUrn || c.type.startsWith("pulumi:providers:"), c.urn).toBe(true);
        continue;
      }
      const req = h.buildAnalyzeRequest(r);
      expect(req.getUrn()).toBe(c.urn);
      expect(req.getProvider()?.getUrn() || undefined).toBe(c.provider);
      expect(policyView(req.getProperties()?.toJavaScript())).toEqual(c.props);
    }
    expect(capture.analyze.map((c) => c.urn)).toContain(h.stackUrn);
  });
});

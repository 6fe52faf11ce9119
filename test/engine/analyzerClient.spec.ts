// The harness itself, verified against a generated protocol-fixture pack that shares policies/node_modules
// (so this spec does not depend on the real pack's policies).
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnalyzerRpcError, PolicyConfigureError, PolicyPackHarness } from "../../tools/engine/analyzerClient";
import { PackStartError, parseEnginePort } from "../../tools/engine/packProcess";
import type { StackResourceInput } from "../../tools/engine/requests";
import {
  makeLinkedTempPackDir,
  writeCrashingPack,
  writeNoisyPack,
  writeProtocolFixturePack,
} from "../../tools/engine/fixturePacks";
import { PolicyConfigValidationError, PolicyPackConfigParseError } from "../../tools/engine/policyPackConfig";
import { secret, unknown, UNKNOWN } from "../../tools/engine/sentinels";

const INSTANCE = "alicloud:ecs/instance:Instance";
const dirs: string[] = [];
let h: PolicyPackHarness;

beforeAll(async () => {
  const dir = makeLinkedTempPackDir("alinux-guard-fixture-");
  dirs.push(dir);
  writeProtocolFixturePack(dir, { yamlVersion: "9.9.9" });
  h = await PolicyPackHarness.start({
    packDir: dir,
    stackTags: { team: "infra" },
    stackConfig: { "proj:region": "cn-hangzhou" },
  });
});

afterAll(async () => {
  await h?.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("start-up like the language host", () => {
  it("reads a clean port line and tolerates the unimplemented Handshake", () => {
    expect(h.firstStdoutLine).toMatch(/^\d+$/);
    expect(h.port).toBe(Number(h.firstStdoutLine));
    expect(h.handshake).toBe("unimplemented");
    expect(h.isRunning).toBe(true);
  });

  it("parses ports exactly like the engine", () => {
    expect(parseEnginePort(" 4242 \r")).toBe(4242);
    expect(parseEnginePort("\x1b[?1h\x1b=4242")).toBe(4242);
    expect(parseEnginePort("loading policies...")).toBeUndefined();
    expect(parseEnginePort("70000")).toBeUndefined();
  });

  it("rejects a pack that writes to stdout before its port, as the engine would", async () => {
    const dir = makeLinkedTempPackDir("alinux-guard-noisy-");
    dirs.push(dir);
    writeNoisyPack(dir);
    const err = await PolicyPackHarness.start({ packDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackStartError);
    expect(String(err)).toContain("wrote an invalid port to stdout");
  });

  it("a pack that crashes while loading: exit code and stderr, as the engine would show them", async () => {
    const dir = makeLinkedTempPackDir("alinux-guard-crashing-");
    dirs.push(dir);
    writeCrashingPack(dir);
    const err = await PolicyPackHarness.start({ packDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackStartError);
    expect((err as PackStartError).exitCode).not.toBe(0);
    expect((err as PackStartError).stderr).toContain("policy pack failed to load");
  });

  it("reports Cancel as unimplemented (@pulumi/policy 1.21)", async () => {
    expect(await h.cancel()).toBe(false);
  });
});

describe("metadata", () => {
  it("returns GetAnalyzerInfo as plain data", async () => {
    const info = await h.getAnalyzerInfo();
    expect(info.name).toBe("protocol-fixture");
    expect(info.supportsConfig).toBe(true);
    const p = info.policies.find((x) => x.name === "fixture-resource");
    expect(p).toMatchObject({
      policyType: "resource",
      enforcementLevel: "mandatory",
      severity: "high",
      displayName: "Fixture resource policy",
      tags: ["fixture"],
      framework: { name: "fixture-fw", version: "1", reference: "ref", specification: "spec" },
    });
    expect(info.policies.find((x) => x.name === "fixture-stack")).toMatchObject({
      policyType: "stack",
      enforcementLevel: "advisory",
    });
  });

  it("uses the PulumiPolicy.yaml version in engine messages", async () => {
    expect(await h.engineVersion()).toBe("9.9.9");
  });
});

describe("Analyze", () => {
  it("applies schema defaults, stack tags, provider and parent like the engine", async () => {
    await h.configure();
    const r = await h.analyze({ type: INSTANCE, name: "web", props: { imageId: "bad-image" } });
    const d = r.diagnostics.find((x) => x.policyName === "fixture-resource");
    expect(d?.enforcementLevel).toBe("mandatory");
    expect(d?.severity).toBe("high");
    expect(d?.message).toContain(`cfg={"denied":["bad-image"],"mode":"strict"}`);
    expect(d?.message).toContain(`tags={"team":"infra"}`);
    expect(d?.message).toContain("provider=pulumi:providers:alicloud");
    expect(d?.message).toContain(`parent=${h.stackUrn}`);
    expect(r.notApplicable).toContainEqual({ policyName: "fixture-na", reason: "not today" });
  });

  it("the SDK's typed fast path reports other types as not applicable", async () => {
    const r = await h.analyze({ type: "alicloud:oss/bucket:Bucket", name: "b", props: {} });
    expect(r.notApplicable).toContainEqual({
      policyName: "fixture-resource",
      reason: `Policy only applies to resources of type '${INSTANCE}'`,
    });
  });

  it("an unknown read turns into the SDK's advisory", async () => {
    const r = await h.analyze({ type: INSTANCE, name: "web", props: { imageId: unknown() } });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].enforcementLevel).toBe("advisory");
    expect(r.diagnostics[0].message).toBe(
      "can't run policy 'fixture-resource' from policy pack 'protocol-fixture@v0.0.1' during preview: string value at .imageId can't be known during preview",
    );
  });

  it("a policy that throws fails the RPC, which fails the engine's preview", async () => {
    const err = await h.analyze({ type: INSTANCE, name: "web", props: { imageId: "boom" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnalyzerRpcError);
    expect((err as AnalyzerRpcError).details).toContain(
      "Error validating resource with policy 'fixture-resource' from policy pack 'protocol-fixture@v0.0.1'",
    );
    expect((err as AnalyzerRpcError).details).toContain("boom: policy bug");
  });

  it("secrets arrive in plaintext to the policy", async () => {
    const r = await h.analyze({ type: INSTANCE, name: "web", props: { imageId: secret("bad-image") } });
    expect(r.diagnostics.map((d) => d.policyName)).toContain("fixture-resource");
  });

  it("file config: per-policy object, 'all', disabled", async () => {
    await h.configure({ "fixture-resource": { denied: ["other"] } });
    expect((await h.analyze({ type: INSTANCE, name: "w", props: { imageId: "bad-image" } })).diagnostics).toEqual([]);
    await h.configure({ all: "disabled" });
    const r = await h.analyze({ type: INSTANCE, name: "w", props: { imageId: "bad-image" } });
    expect(r.diagnostics).toEqual([]);
    expect(r.notApplicable).toEqual([]);
    await h.configure({ all: "advisory", "fixture-resource": "mandatory" });
    expect(
      (await h.analyze({ type: INSTANCE, name: "w", props: { imageId: "bad-image" } })).diagnostics[0].enforcementLevel,
    ).toBe("mandatory");
    await h.configure(JSON.stringify({ "fixture-resource": { enforcementLevel: "advisory" } }));
    expect(
      (await h.analyze({ type: INSTANCE, name: "w", props: { imageId: "bad-image" } })).diagnostics[0].enforcementLevel,
    ).toBe("advisory");
    await h.configure();
  });
});

describe("config errors as the engine reports them", () => {
  it("schema violations fail before any Configure, with the engine's sorted lines", async () => {
    const err = await h
      .configure({ "fixture-resource": { mode: "loud", limit: 0, owner: {} } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyConfigValidationError);
    expect((err as PolicyConfigValidationError).lines).toEqual([
      "validating policy config: protocol-fixture 9.9.9  fixture-resource: limit: Must be greater than or equal to 1",
      `validating policy config: protocol-fixture 9.9.9  fixture-resource: mode: mode must be one of the following: "strict", "lenient"`,
      "validating policy config: protocol-fixture 9.9.9  fixture-resource: owner: team is required",
    ]);
    // The previous (valid) configuration is still in force.
    expect((await h.analyze({ type: INSTANCE, name: "w", props: { imageId: "bad-image" } })).diagnostics).toHaveLength(
      1,
    );
  });

  it("invalid levels are parse errors", async () => {
    await expect(h.configure({ "fixture-resource": "block" as never })).rejects.toBeInstanceOf(
      PolicyPackConfigParseError,
    );
  });

  it("properties for a policy the pack does not have: the engine's Configure refuses the empty level", async () => {
    await expect(h.configure({ "no-such-policy": { foo: 1 } })).rejects.toBeInstanceOf(PolicyConfigureError);
    // ...while a level alone is silently forwarded.
    await expect(h.configure({ "no-such-policy": "mandatory" })).resolves.toBeDefined();
    await h.configure();
  });
});

describe("AnalyzeStack", () => {
  it("links parents, dependencies and property dependencies; includes the root stack and providers", async () => {
    const inst: StackResourceInput = { type: INSTANCE, name: "i1", props: { imageId: "bad-image" } };
    const comp: StackResourceInput = { type: "my:component:Fleet", name: "fleet", provider: null };
    const inv: StackResourceInput = {
      type: "alicloud:ecs/ecsInvocation:EcsInvocation",
      name: "inv",
      parent: comp,
      props: { instanceIds: [UNKNOWN.string] },
      dependencies: [inst],
      propertyDependencies: { instanceIds: [inst] },
    };
    const r = await h.analyzeStack([inst, comp, inv]);
    const msgs = r.diagnostics.map((d) => [d.urn, d.message.split("\n")[1]]);
    expect(msgs).toContainEqual([h.urnOf(inst), "linked i1 parent=my:component:Fleet deps=i1"]);
    expect(msgs).toContainEqual([h.urnOf(inst), "bad image on i1"]);
    expect(msgs).toContainEqual(["", "stack-level violation"]);
    expect(h.urnOf(inv)).toBe(
      `urn:pulumi:dev::alinux-guard-harness::my:component:Fleet$alicloud:ecs/ecsInvocation:EcsInvocation::inv`,
    );
    const req = h.buildAnalyzeStackRequest([inst]);
    expect(req.getResourcesList().map((x) => x.getType())).toEqual([
      "pulumi:pulumi:Stack",
      "pulumi:providers:alicloud",
      INSTANCE,
    ]);
  });

  it("pre-encoded requests (the benchmark's path): raw response bytes decode to what the typed call returns", async () => {
    const inst: StackResourceInput = { type: INSTANCE, name: "i1", props: { imageId: "bad-image" } };
    const typed = await h.analyzeStack([inst]);
    const raw = await h.analyzeBytesUndecoded("AnalyzeStack", h.buildAnalyzeStackRequest([inst]).serializeBinary());
    expect(raw).toBeInstanceOf(Uint8Array);
    expect(raw.length).toBeGreaterThan(0);
    expect(h.decodeAnalyzeResponse(raw)).toEqual(typed);
    expect(await h.analyzeBytes("AnalyzeStack", h.buildAnalyzeStackRequest([inst]).serializeBinary())).toEqual(typed);
  });

  it("one unknown aborts the stack policy into the SDK advisory", async () => {
    const r = await h.analyzeStack([{ type: INSTANCE, name: "i1", props: { imageId: unknown() } }]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ policyName: "fixture-stack", enforcementLevel: "advisory" });
    expect(r.diagnostics[0].message).toMatch(
      /^can't run policy 'fixture-stack' from policy pack 'protocol-fixture@v0.0.1' during preview: /,
    );
  });
});

describe("Remediate", () => {
  it("runs remediate-level policies and returns the new props", async () => {
    const r = await h.remediate({ type: INSTANCE, name: "i1", props: { imageId: "x", tags: { a: "b" } } });
    expect(r.remediations).toHaveLength(1);
    expect(r.remediations[0]).toMatchObject({
      policyName: "fixture-remediate",
      properties: { imageId: "x", tags: { a: "b", remediated: "yes" } },
    });
  });

  it("nothing runs when no policy is at remediate level", async () => {
    await h.configure({ "fixture-remediate": "advisory" });
    const r = await h.remediate({ type: INSTANCE, name: "i1", props: { imageId: "x" } });
    expect(r.remediations).toEqual([]);
    await h.configure();
  });
});

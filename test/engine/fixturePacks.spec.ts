// The generated packs the benchmark compares the real pack with: they must load from the same module tree, and the
// replay pack must answer exactly what the real pack answered, or the benchmark's split of the cost would be wrong.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PolicyPackHarness } from "../../tools/engine/analyzerClient";
import {
  makeLinkedTempPackDir,
  writeDoNothingPack,
  writeProtocolFixturePack,
  writeReplayPack,
} from "../../tools/engine/fixturePacks";
import { ensurePackBuilt } from "../../tools/engine/packBuild";
import { defaultPackDir } from "../../tools/engine/packTree";
import { IMAGES } from "../support/contract";
import { command, HOTFIX_SCRIPT, previewInstance, previewInvocation, resource, T } from "../support/stackFixtures";

/**
 * A preview-shaped stack of `instances` instances over every kind of image (affected, below the hotfix range, fixed,
 * fixed for the OverlayFS leak only, custom), launch templates with scaling groups, and a hotfix invocation.
 */
function sampleStack(instances: number) {
  const images = [
    IMAGES.affectedHotfixable,
    IMAGES.belowHotfixRange,
    IMAGES.fixed,
    IMAGES.overlayfsFixedOnly,
    IMAGES.custom,
  ];
  const fleet = Array.from({ length: instances }, (_, i) => previewInstance(`web-${i}`, images[i % images.length]));
  const template = (i: number) => resource(T.ecsLaunchTemplate, `lt-${i}`, { imageId: images[i % images.length] });
  const templates = Array.from({ length: instances / 10 }, (_, i) => template(i));
  const groups = templates.map((lt, i) =>
    resource(T.scalingGroup, `sg-${i}`, {}, { propertyDependencies: { launchTemplateId: [lt] } }),
  );
  const hotfix = command("hotfix", HOTFIX_SCRIPT);
  return [...fleet, ...templates, ...groups, hotfix, previewInvocation("apply", hotfix, fleet.slice(0, instances / 5))];
}

const dirs: string[] = [];
const harnesses: PolicyPackHarness[] = [];
const start = async (packDir: string) => {
  const h = await PolicyPackHarness.start({ packDir, project: "bench", stack: "ci" });
  harnesses.push(h);
  return h;
};

afterAll(async () => {
  for (const h of harnesses) await h.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("do-nothing pack", () => {
  it("has the shape asked for and reports nothing", async () => {
    const dir = makeLinkedTempPackDir("alinux-guard-noop-");
    dirs.push(dir);
    writeDoNothingPack({ resourcePolicies: 2, stackPolicies: 1, dir });
    const h = await start(dir);
    const info = await h.getAnalyzerInfo();
    expect(info.policies.map((p) => p.policyType)).toEqual(["resource", "resource", "stack"]);
    const stack = sampleStack(200);
    expect((await h.analyzeStack(stack)).diagnostics).toEqual([]);
  });
});

describe("replay pack", () => {
  it("answers the real pack's AnalyzeStack response byte for byte, without analysing", async () => {
    ensurePackBuilt();
    const pack = await start(defaultPackDir);
    const info = await pack.getAnalyzerInfo();
    const bytes = pack.buildAnalyzeStackRequest(sampleStack(400)).serializeBinary();
    const packRaw = await pack.analyzeBytesUndecoded("AnalyzeStack", bytes);
    const real = pack.decodeAnalyzeResponse(packRaw);
    expect(real.diagnostics.length).toBeGreaterThan(0);

    const dir = makeLinkedTempPackDir("alinux-guard-replay-");
    dirs.push(dir);
    writeReplayPack({ dir, info, diagnostics: real.diagnostics });
    expect(fs.existsSync(path.join(dir, "replay.json"))).toBe(true);
    const replay = await start(dir);
    const replayRaw = await replay.analyzeBytesUndecoded("AnalyzeStack", bytes);
    expect(Buffer.from(replayRaw).equals(Buffer.from(packRaw))).toBe(true);
  });

  it("replays an empty message as empty (the SDK then sends the description alone)", async () => {
    const fixture = makeLinkedTempPackDir("alinux-guard-fixture-");
    dirs.push(fixture);
    writeProtocolFixturePack(fixture);
    const source = await start(fixture);
    const info = await source.getAnalyzerInfo();
    const stackPolicy = info.policies.find((p) => p.policyType === "stack");
    const description = stackPolicy?.description ?? "";
    const diagnostics = [
      {
        policyName: stackPolicy?.name ?? "",
        policyPackName: info.name,
        policyPackVersion: info.version,
        description,
        message: description,
        urn: "urn:a",
        enforcementLevel: "mandatory" as const,
      },
      {
        policyName: stackPolicy?.name ?? "",
        policyPackName: info.name,
        policyPackVersion: info.version,
        description,
        message: `${description}\nsaid`,
        urn: "urn:b",
        enforcementLevel: "mandatory" as const,
      },
    ];
    const dir = makeLinkedTempPackDir("alinux-guard-replay-");
    dirs.push(dir);
    writeReplayPack({ dir, info, diagnostics });
    expect(JSON.parse(fs.readFileSync(path.join(dir, "replay.json"), "utf8"))).toEqual({
      [stackPolicy?.name ?? ""]: [
        { urn: "urn:a", message: "" },
        { urn: "urn:b", message: "said" },
      ],
    });
  });
});

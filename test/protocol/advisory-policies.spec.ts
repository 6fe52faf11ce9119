// Every advisory row of data/advisories.json through the engine protocol: its own stack policy, its default level,
// its range edges, and its level raised to mandatory by the pack config as the engine sends it (Configure).
import { describe, expect, it } from "vitest";
import { bundledAdvisories } from "../../policies/src/knowledge/advisories";
import { IMAGES } from "../support/contract";
import { previewInstance } from "../support/stackFixtures";
import { byPolicy, usePackPerSpecFile } from "./packSession";

const pack = usePackPerSpecFile();

/** Which of the bundled images each advisory's range holds (kernels stated in the release notes). */
const INSIDE = {
  "alinux2-overlayfs-dentry-leak": [IMAGES.affectedHotfixable],
  "alinux2-released-inode-crash": [IMAGES.affectedHotfixable, IMAGES.overlayfsFixedOnly],
  "alinux2-page-fault-crash": [IMAGES.affectedHotfixable, IMAGES.overlayfsFixedOnly],
} as const;

describe.each(bundledAdvisories.map((a) => [a.policy.name, a] as const))("%s", (name, advisory) => {
  const inside: readonly string[] = INSIDE[name as keyof typeof INSIDE] ?? [];
  const outside = [IMAGES.fixed, IMAGES.alinux3, ...[IMAGES.overlayfsFixedOnly].filter((id) => !inside.includes(id))];

  it("has a row in this spec's table (a new advisory adds its range here)", () => {
    expect(inside.length, name).toBeGreaterThan(0);
  });

  it(`reports images inside its range at its default level (${advisory.policy.enforcementLevel}), and nothing else`, async () => {
    const targets = [...inside, ...outside].map((image, i) => previewInstance(`web${i}`, image));
    const r = await pack().analyzeStack(targets);
    const got = byPolicy(r, name);
    expect(got.map((d) => d.urn).sort()).toEqual(targets.slice(0, inside.length).map((t) => pack().urnOf(t)).sort());
    for (const d of got) expect(d, name).toMatchObject({ enforcementLevel: advisory.policy.enforcementLevel, severity: advisory.policy.severity });
  });

  it("is mandatory when the config says so", async () => {
    await pack().configure({ [name]: { enforcementLevel: "mandatory" } });
    const r = await pack().analyzeStack([previewInstance("web", inside[inside.length - 1])]);
    expect(byPolicy(r, name).map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
  });

  it("recommends an image past every advisory", async () => {
    const r = await pack().analyzeStack([previewInstance("web", inside[0])]);
    const [d] = byPolicy(r, name);
    expect(d.message).toContain(`use fixed image ${IMAGES.fixed}`);
  });
});

// Every advisory row of data/advisories.json through the engine protocol: its own stack policy, its default level,
// its range edges (the catalog's images with the row's last affected and first fixed kernels), its level raised to
// mandatory by the pack config as the engine sends it (Configure), and a recommendation past every advisory.
// A new row is tested by adding it; the catalog must hold an image at each of its edges.
import { describe, expect, it } from "vitest";
import { ADVISORY_ROWS, IMAGES, rangeEdgeImages } from "../support/contract";
import { previewInstance } from "../support/stackFixtures";
import { byPolicy, usePackPerSpecFile } from "./packSession";

const pack = usePackPerSpecFile();

describe.each(ADVISORY_ROWS.map((row) => [row.policy.name, row] as const))("%s", (name, row) => {
  const { lastAffected, firstFixed } = rangeEdgeImages(row);
  /** Inside: the last affected kernel and the first 2019 image (a row's range starts at the first kernel). */
  const inside = [lastAffected, IMAGES.affected2019];
  const outside = [...new Set([firstFixed, IMAGES.fixed, IMAGES.alinux3])];

  const level = row.policy.enforcementLevel;
  it(`reports images inside its range (through ${row.affectedThrough}) at its default level (${level}), and nothing else`, async () => {
    const targets = [...inside, ...outside].map((image, i) => previewInstance(`web${i}`, image));
    const got = byPolicy(await pack().analyzeStack(targets), name);
    expect(got.map((d) => d.urn).sort()).toEqual(
      targets
        .slice(0, inside.length)
        .map((t) => pack().urnOf(t))
        .sort(),
    );
    for (const d of got)
      expect(d, name).toMatchObject({ enforcementLevel: row.policy.enforcementLevel, severity: row.policy.severity });
  });

  it("is mandatory when the config says so", async () => {
    await pack().configure({ [name]: { enforcementLevel: "mandatory" } });
    const r = await pack().analyzeStack([previewInstance("web", lastAffected)]);
    expect(byPolicy(r, name).map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
  });

  it("recommends an image past every advisory", async () => {
    const [d] = byPolicy(await pack().analyzeStack([previewInstance("web", lastAffected)]), name);
    expect(d.message).toContain(`use fixed image ${IMAGES.fixed}`);
  });
});

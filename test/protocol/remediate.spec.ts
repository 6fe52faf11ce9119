// The engine calls Remediate before Analyze for every registration, in preview too. The pack remediates nothing;
// it must answer cleanly, and a "remediate" level must not weaken its verdicts.
import { describe, expect, it } from "vitest";
import { secret, unknown } from "../../tools/engine/sentinels";
import { IMAGES, POLICY } from "../support/contract";
import { previewInstance, T } from "../support/stackFixtures";
import { byPolicy, usePackPerSpecFile } from "./packSession";

const pack = usePackPerSpecFile();

describe("Remediate", () => {
  it("with the default levels nothing runs and nothing changes", async () => {
    for (const type of Object.values(T)) {
      const r = await pack().remediate({
        type,
        name: "x",
        props: { imageId: IMAGES.affectedHotfixable, userData: secret("s"), vswitchId: unknown() },
      });
      expect(r.remediations, type).toEqual([]);
    }
  });

  it('with "all": "remediate" the policies report that they do not remediate, and keep blocking as mandatory', async () => {
    await pack().configure({ all: "remediate" });
    const r = await pack().remediate({ type: T.instance, name: "web", props: { imageId: IMAGES.affectedHotfixable } });
    expect(r.remediations).toEqual([]);
    const na = r.notApplicable.map((n) => n.policyName).sort();
    expect(na).toEqual([POLICY.kernelUnknown, POLICY.endOfLife].sort());

    const a = await pack().analyze({ type: T.instance, name: "web", props: { imageId: IMAGES.custom } });
    expect(byPolicy(a, POLICY.kernelUnknown)[0]?.enforcementLevel).toBe("mandatory");
    const i = previewInstance("web", IMAGES.affectedHotfixable);
    const s = await pack().analyzeStack([i]);
    expect(byPolicy(s, POLICY.overlayfs).filter((d) => d.urn === pack().urnOf(i))[0]?.enforcementLevel).toBe(
      "mandatory",
    );
  });
});

// alinux2-end-of-life through Analyze.
import { describe, expect, it } from "vitest";
import type { AnalyzeResult } from "../../tools/engine/protocolViews";
import { secret, unknown } from "../../tools/engine/sentinels";
import { IMAGES, POLICY } from "../support/contract";
import { previewInstance, T } from "../support/stackFixtures";
import { byPolicy, isCantRunAdvisory, usePackPerSpecFile } from "./packSession";

const pack = usePackPerSpecFile();

const eol = (r: AnalyzeResult) => byPolicy(r, POLICY.endOfLife);

describe("alinux2-end-of-life", () => {
  it("any Alibaba Cloud Linux 2 image, fixed or not: advisory naming the image", async () => {
    for (const image of [IMAGES.fixed, IMAGES.affectedHotfixable, IMAGES.affected2019, IMAGES.alinux2Unrecognised]) {
      const d = eol(await pack().analyze({ type: T.instance, name: "web", props: { imageId: image } }));
      expect(d, image).toHaveLength(1);
      expect(d[0].enforcementLevel).toBe("advisory");
      expect(d[0].message).toContain(image);
      expect(d[0].message).toMatch(/2026-03-31/);
    }
  });

  it("other operating systems and custom images are not reported", async () => {
    for (const image of [IMAGES.alinux3, IMAGES.ubuntu, IMAGES.centos, IMAGES.windows, IMAGES.custom]) {
      expect(eol(await pack().analyze({ type: T.instance, name: "web", props: { imageId: image } })), image).toEqual(
        [],
      );
    }
  });

  it("an ACK node pool picking Alibaba Cloud Linux 2 by imageType", async () => {
    expect(
      eol(await pack().analyze({ type: T.nodePool, name: "np", props: { imageType: "AliyunLinux" } })),
    ).toHaveLength(1);
    expect(eol(await pack().analyze({ type: T.nodePool, name: "np", props: { imageType: "AliyunLinux3" } }))).toEqual(
      [],
    );
  });

  it("every image-bearing launch surface", async () => {
    for (const type of [
      T.instanceSet,
      T.launchTemplate,
      T.ecsLaunchTemplate,
      T.scalingConfiguration,
      T.nodePool,
      T.kubernetes,
    ]) {
      expect(eol(await pack().analyze({ type, name: "x", props: { imageId: IMAGES.fixed } })), type).toHaveLength(1);
    }
  });

  it("preview: unknown image gives the can't-run advisory; unknown unrelated fields do not", async () => {
    const d = eol(await pack().analyze({ type: T.instance, name: "web", props: { imageId: unknown() } }));
    expect(d).toHaveLength(1);
    expect(isCantRunAdvisory(d[0], POLICY.endOfLife)).toBe(true);
    const e = eol(
      await pack().analyze({
        type: T.instance,
        name: "web",
        props: { imageId: IMAGES.fixed, vswitchId: unknown(), tags: unknown("object") },
      }),
    );
    expect(e).toHaveLength(1);
    expect(e[0].message).not.toMatch(/^can't run/);
  });

  it("secrets are never echoed", async () => {
    const token = "S3CRET-eol-91c";
    const r = await pack().analyze({
      type: T.instance,
      name: "web",
      props: { imageId: IMAGES.fixed, userData: secret(token), password: secret(token) },
    });
    expect(eol(r)).toHaveLength(1);
    expect(JSON.stringify(r)).not.toContain(token);
  });

  it("not applicable to resources that launch nothing; absent from AnalyzeStack", async () => {
    const r = await pack().analyze({ type: T.vswitch, name: "vsw", props: { cidrBlock: "10.0.0.0/24" } });
    expect(r.notApplicable.map((n) => n.policyName)).toContain(POLICY.endOfLife);
    expect(eol(await pack().analyzeStack([previewInstance("web", IMAGES.fixed)]))).toEqual([]);
  });

  it("disabled by config", async () => {
    await pack().configure({ [POLICY.endOfLife]: "disabled" });
    expect(eol(await pack().analyze({ type: T.instance, name: "web", props: { imageId: IMAGES.fixed } }))).toEqual([]);
  });
});

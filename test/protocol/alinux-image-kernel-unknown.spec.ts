// alinux-image-kernel-unknown through Analyze (resource inputs, per registration) and its absence from AnalyzeStack.
import { describe, expect, it } from "vitest";
import type { AnalyzeResult } from "../../tools/engine/protocolViews";
import type { ResourceInput } from "../../tools/engine/requests";
import { secret, unknown } from "../../tools/engine/sentinels";
import { IMAGES, POLICY } from "../support/contract";
import { previewInstance, resource, T } from "../support/stackFixtures";
import { byPolicy, isCantRunAdvisory, usePackPerSpecFile } from "./packSession";

const pack = usePackPerSpecFile();

const ku = (r: AnalyzeResult) => byPolicy(r, POLICY.kernelUnknown);
const instance = (imageId: unknown, props: Record<string, unknown> = {}): ResourceInput => ({
  type: T.instance,
  name: "web",
  props: { imageId, ...props },
});

describe("reports launch surfaces whose kernel cannot be determined", () => {
  it("a custom/marketplace image not declared in imageKernels: advisory, names the image", async () => {
    const d = ku(await pack().analyze(instance(IMAGES.custom)));
    expect(d).toHaveLength(1);
    expect(d[0].enforcementLevel).toBe("advisory");
    expect(d[0].severity).toBeDefined();
    expect(d[0].urn).toBe("");
    expect(d[0].message).toContain(IMAGES.custom);
  });

  it("an ID that looks like Alibaba Cloud Linux 2 but follows no scheme", async () => {
    const d = ku(await pack().analyze(instance(IMAGES.alinux2Unrecognised)));
    expect(d).toHaveLength(1);
    expect(d[0].message).toContain(IMAGES.alinux2Unrecognised);
  });

  it("an ACK node pool choosing Alibaba Cloud Linux 2 by imageType alone", async () => {
    for (const imageType of ["AliyunLinux", "AliyunLinuxUEFI"]) {
      const d = ku(await pack().analyze({ type: T.nodePool, name: "np", props: { imageType, clusterId: unknown() } }));
      expect(d, imageType).toHaveLength(1);
      expect(d[0].message).toContain(imageType);
    }
  });

  // Every other launch surface with a custom image: launchSurfaces.generated.spec.ts.
});

describe("does not report", () => {
  it("images of other operating systems and known Alinux 2 images", async () => {
    for (const image of [
      IMAGES.alinux3,
      IMAGES.ubuntu,
      IMAGES.centos,
      IMAGES.windows,
      IMAGES.fixed,
      IMAGES.affectedHotfixable,
    ]) {
      expect(ku(await pack().analyze(instance(image))), image).toEqual([]);
    }
  });

  it("a custom image whose kernel is declared in imageKernels", async () => {
    await pack().configure({ [POLICY.kernelUnknown]: { imageKernels: { [IMAGES.custom]: "4.19.91-27.al7.x86_64" } } });
    expect(ku(await pack().analyze(instance(IMAGES.custom)))).toEqual([]);
  });

  it("resources that launch nothing: not applicable", async () => {
    const r = await pack().analyze({ type: T.bucket, name: "b", props: { bucket: "b" } });
    expect(ku(r)).toEqual([]);
    expect(r.notApplicable.map((n) => n.policyName)).toContain(POLICY.kernelUnknown);
  });
});

describe("preview", () => {
  it("an unknown image: the engine's can't-run advisory", async () => {
    const d = ku(await pack().analyze(instance(unknown())));
    expect(d).toHaveLength(1);
    expect(isCantRunAdvisory(d[0], POLICY.kernelUnknown)).toBe(true);
  });

  it("unknown unrelated fields do not stop the verdict", async () => {
    const d = ku(
      await pack().analyze(
        instance(IMAGES.custom, { vswitchId: unknown(), securityGroups: [unknown()], tags: unknown("object") }),
      ),
    );
    expect(d).toHaveLength(1);
    expect(d[0].message).not.toMatch(/^can't run/);
  });

  it("secret user data is never echoed", async () => {
    const token = "S3CRET-kernel-unknown-77a";
    const r = await pack().analyze(instance(IMAGES.custom, { userData: secret(`echo ${token}`) }));
    expect(ku(r)).toHaveLength(1);
    expect(JSON.stringify(r)).not.toContain(token);
  });
});

describe("levels and placement", () => {
  it("can be made mandatory or disabled by config", async () => {
    await pack().configure({ [POLICY.kernelUnknown]: "mandatory" });
    expect(ku(await pack().analyze(instance(IMAGES.custom)))[0].enforcementLevel).toBe("mandatory");
    await pack().configure({ all: "disabled" });
    expect(ku(await pack().analyze(instance(IMAGES.custom)))).toEqual([]);
  });

  it("a resource policy does not run in AnalyzeStack", async () => {
    const r = await pack().analyzeStack([previewInstance("web", IMAGES.custom)]);
    expect(ku(r)).toEqual([]);
    expect(byPolicy(r, POLICY.overlayfs)).toEqual([]);
  });

  it("every launch surface type gets a verdict, never a protocol error", async () => {
    for (const type of [
      T.instance,
      T.instanceSet,
      T.launchTemplate,
      T.ecsLaunchTemplate,
      T.scalingConfiguration,
      T.scalingGroup,
      T.autoProvisioningGroup,
      T.nodePool,
      T.kubernetes,
    ]) {
      await expect(pack().analyze(resource(type, "x", {}))).resolves.toBeDefined();
    }
  });
});

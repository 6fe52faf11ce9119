import { describe, expect, it } from "vitest";
import { createEndOfLifePolicy, END_OF_LIFE_POLICY_NAME } from "../../../policies/src/policies/alinux2EndOfLife";
import { createPackContext } from "../../../policies/src/pack/packContext";
import { PolicyRun, runResourcePolicies, UNKNOWN } from "../../support/policyRuntime";
import { resource, T } from "../../support/stackFixtures";
import { IMAGES } from "../../support/contract";

const analyze = (type: string, props: Record<string, unknown>, today = "2026-11-27") =>
  runResourcePolicies(resource(type, "r", props), {}, { context: createPackContext({ today: () => today }) });
const ofPolicy = (run: PolicyRun) => run.violations.filter((v) => v.policyName === END_OF_LIFE_POLICY_NAME);

describe("alinux2-end-of-life metadata", () => {
  const policy = createEndOfLifePolicy(createPackContext());
  it("is an advisory resource policy whose description states the end-of-life date", () => {
    expect(policy.name).toBe("alinux2-end-of-life");
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.severity).toBe("medium");
    expect(policy.description).toContain("2026-03-31");
    for (const sentence of policy.description.split(/(?<=\.) /)) expect(sentence).toMatch(/^[A-Z].*\.$/);
    expect(policy.url).toMatch(/^https:\/\/www\.alibabacloud\.com\//);
    const steps = policy.remediationSteps?.split("\n") ?? [];
    steps.forEach((step, i) => expect(step.startsWith(`${i + 1}. `)).toBe(true));
  });
});

describe("alinux2-end-of-life", () => {
  it("reports every Alibaba Cloud Linux 2 image, affected or fixed, as past its end of life", async () => {
    for (const imageId of [IMAGES.affectedHotfixable, IMAGES.fixed, "aliyun_2_1903_x64_20G_alibase_20240628.vhd"]) {
      const [violation] = ofPolicy(await analyze(T.instance, { imageId }));
      expect(violation.enforcementLevel).toBe("advisory");
      expect(violation.message).toContain(imageId);
      expect(violation.message).toContain("reached end of life on 2026-03-31");
    }
  });

  it("says the date is still ahead when it is", async () => {
    const [violation] = ofPolicy(await analyze(T.instance, { imageId: IMAGES.fixed }, "2026-01-15"));
    expect(violation.message).toContain("reaches end of life on 2026-03-31");
  });

  it("reports ACK node pools choosing Alinux 2 by type, not other operating systems or custom images", async () => {
    expect(ofPolicy(await analyze(T.nodePool, { imageType: "AliyunLinux" }))).toHaveLength(1);
    expect(ofPolicy(await analyze(T.kubernetes, { platform: "AliyunLinux" }))).toHaveLength(1);
    expect(ofPolicy(await analyze(T.kubernetes, { platform: "AliyunLinux3" }))).toEqual([]);
    expect(ofPolicy(await analyze(T.instance, { imageId: IMAGES.alinux3 }))).toEqual([]);
    expect(ofPolicy(await analyze(T.instance, { imageId: "m-custom1" }))).toEqual([]);
  });

  it("defers to the engine when the image is unknown at preview", async () => {
    const [violation] = ofPolicy(await analyze(T.instance, { imageId: UNKNOWN }));
    expect(violation.message).toMatch(/during preview/);
  });

  it("says nothing about resources that only name a launch template, even while its ID is unknown", async () => {
    for (const type of [T.scalingGroup, T.autoProvisioningGroup, T.instance]) {
      const run = await analyze(type, { launchTemplateId: UNKNOWN });
      expect(ofPolicy(run)).toEqual([]);
    }
  });

  it("reports Qboot Alinux 2 clusters, but not node pools whose image type does not say its major version", async () => {
    expect(ofPolicy(await analyze(T.kubernetes, { platform: "QbootAliyunLinux" }))).toHaveLength(1);
    expect(ofPolicy(await analyze(T.nodePool, { imageType: "AliyunLinuxSecurity" }))).toEqual([]);
  });
});

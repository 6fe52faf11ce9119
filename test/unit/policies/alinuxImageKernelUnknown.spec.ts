import { describe, expect, it } from "vitest";
import {
  createKernelUnknownPolicy,
  KERNEL_UNKNOWN_POLICY_NAME,
} from "../../../policies/src/policies/alinuxImageKernelUnknown";
import { createPackContext } from "../../../policies/src/pack/packContext";
import { PolicyRun, runResourcePolicies, secret, UNKNOWN } from "../../support/policyRuntime";
import { resource, T } from "../../support/stackFixtures";
import { IMAGES } from "../../support/contract";

const context = createPackContext({ today: () => "2026-11-27" });
const analyze = (type: string, props: Record<string, unknown>, config = {}) =>
  runResourcePolicies(resource(type, "r", props), config, { context });
const ofPolicy = (run: PolicyRun) => run.violations.filter((v) => v.policyName === KERNEL_UNKNOWN_POLICY_NAME);

describe("alinux-image-kernel-unknown metadata", () => {
  const policy = createKernelUnknownPolicy(context);
  it("is an advisory resource policy with a medium severity and full-sentence description", () => {
    expect(policy.name).toBe("alinux-image-kernel-unknown");
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.severity).toBe("medium");
    expect(policy.validateResource).toBeTypeOf("function");
    for (const sentence of policy.description.split(/(?<=\.) /)) expect(sentence).toMatch(/^[A-Z].*\.$/);
    expect(policy.url).toMatch(/^https:\/\//);
    const steps = policy.remediationSteps?.split("\n") ?? [];
    steps.forEach((step, i) => expect(step.startsWith(`${i + 1}. `)).toBe(true));
    expect(Object.keys(policy.configSchema?.properties ?? {})).toEqual(["imageKernels"]);
  });
});

describe("alinux-image-kernel-unknown", () => {
  it.each([
    ["a custom image", "m-bp1abcdefg", /custom, shared or marketplace/],
    [
      "an Alinux 2 lookalike following no scheme",
      "aliyun_2_1903_x64_20G_alibase_latest.vhd",
      /none of the known ID schemes/,
    ],
    ["an Alinux 2 image family name", "acs:alibaba_cloud_linux_2_1903_lts_x64", /none of the known ID schemes/],
  ])("reports %s, naming the image and the fix", async (_what, imageId, why) => {
    const [violation, ...rest] = ofPolicy(await analyze(T.instance, { imageId }));
    expect(rest).toEqual([]);
    expect(violation.enforcementLevel).toBe("advisory");
    expect(violation.message).toContain(imageId);
    expect(violation.message).toMatch(why);
    expect(violation.message).toContain("imageKernels");
  });

  it.each([
    IMAGES.affectedHotfixable,
    IMAGES.fixed,
    IMAGES.alinux3,
    "ubuntu_22_04_x64_20G_alibase_20230208.vhd",
    "win2022_21H2_x64_dtc_zh-cn_40G_alibase_20230915.vhd",
  ])("does not report %s, whose kernel or OS is known", async (imageId) => {
    expect(ofPolicy(await analyze(T.instance, { imageId }))).toEqual([]);
  });

  it("stops reporting a custom image once its kernel is declared", async () => {
    const config = { "alinux-image-kernel-unknown": { imageKernels: { "m-bp1abcdefg": "4.19.91-24.al7.x86_64" } } };
    expect(ofPolicy(await analyze(T.instance, { imageId: "m-bp1abcdefg" }, config))).toEqual([]);
  });

  it("reports ACK node pools that choose Alinux 2 by imageType (or the deprecated platform) alone", async () => {
    for (const props of [{ imageType: "AliyunLinux" }, { imageType: "AliyunLinuxUEFI" }, { platform: "AliyunLinux" }]) {
      const [violation] = ofPolicy(await analyze(T.nodePool, props));
      expect(violation.message).toMatch(/picks its image by (imageType|platform) AliyunLinux/);
    }
    expect(ofPolicy(await analyze(T.nodePool, { imageType: "AliyunLinux3" }))).toEqual([]);
    expect(ofPolicy(await analyze(T.nodePool, { imageType: "AliyunLinux", imageId: IMAGES.fixed }))).toEqual([]);
  });

  it("reports scaling configurations and launch templates too, and is not applicable to other types", async () => {
    expect(ofPolicy(await analyze(T.scalingConfiguration, { imageName: "m-xyz123" }))).toHaveLength(1);
    expect(ofPolicy(await analyze(T.ecsLaunchTemplate, { imageId: "m-xyz123" }))).toHaveLength(1);
    const bucket = await analyze(T.bucket, { bucket: "b" });
    expect(bucket.notApplicable.find((n) => n.policyName === KERNEL_UNKNOWN_POLICY_NAME)?.reason).toContain(T.bucket);
  });

  it("becomes the engine's advisory when the image is unknown at preview, and reads no other field", async () => {
    const [violation] = ofPolicy(await analyze(T.instance, { imageId: UNKNOWN }));
    expect(violation.message).toMatch(/can't run policy 'alinux-image-kernel-unknown' .* during preview/);
    expect(
      ofPolicy(await analyze(T.instance, { imageId: IMAGES.fixed, userData: UNKNOWN, vswitchId: UNKNOWN })),
    ).toEqual([]);
  });

  it("never echoes secret user data", async () => {
    const run = await analyze(T.instance, { imageId: "m-abc", userData: secret("TOPSECRET-value") });
    expect(ofPolicy(run)).toHaveLength(1);
    for (const v of run.violations) expect(v.message).not.toContain("TOPSECRET");
  });

  it("says nothing about resources that only name a launch template, even while its ID is unknown", async () => {
    for (const type of [T.scalingGroup, T.autoProvisioningGroup, T.instance]) {
      const run = await analyze(type, { launchTemplateId: UNKNOWN });
      expect(ofPolicy(run)).toEqual([]);
    }
  });

  it("reports node pools on AliyunLinuxSecurity, whose major version is not documented, and Qboot Alinux 2 clusters", async () => {
    const [security] = ofPolicy(await analyze(T.nodePool, { imageType: "AliyunLinuxSecurity" }));
    expect(security.message).toContain("major version is not documented");
    expect(ofPolicy(await analyze(T.kubernetes, { platform: "QbootAliyunLinux" }))).toHaveLength(1);
  });
});

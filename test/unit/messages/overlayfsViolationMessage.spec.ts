import { describe, expect, it } from "vitest";
import { getAdvisory } from "../../../policies/src/knowledge/advisories";
import { parseKernelRelease } from "../../../policies/src/knowledge/kernelRelease";
import { overlayfsViolationMessage, OverlayfsViolation } from "../../../policies/src/messages/overlayfsViolationMessage";

const advisory = getAdvisory("alinux2-overlayfs-dentry-leak");
const base: OverlayfsViolation = {
  label: "ECS instance",
  name: "web",
  imageId: "aliyun_2_1903_x64_20G_qboot_alibase_20210120.vhd",
  resolution: {
    outcome: "resolved",
    imageId: "aliyun_2_1903_x64_20G_qboot_alibase_20210120.vhd",
    kernel: parseKernelRelease("4.19.91-22.2.al7")!,
    basis: "base-image",
    confidence: "medium",
    explanation: "INFERRED from its base image aliyun_2_1903_x64_20G_alibase_20210120.vhd",
    variant: "qboot",
  },
  assessment: "affected-hotfixable",
  mitigationNotes: [],
  invocationTarget: true,
  fixedImage: { imageId: "aliyun_2_1903_x64_20G_qboot_alibase_20210325.vhd", kernel: "4.19.91-23.al7", kernelStated: false, otherVariant: false },
};

describe("overlayfsViolationMessage", () => {
  it("names the resource, image, kernel, how it was determined and its confidence", () => {
    const message = overlayfsViolationMessage(base, advisory);
    expect(message).toContain("ECS instance 'web' launches from image aliyun_2_1903_x64_20G_qboot_alibase_20210120.vhd, kernel 4.19.91-22.2.al7");
    expect(message).toContain("INFERRED from its base image");
    expect(message).toContain("confidence medium");
    expect(message).toContain(advisory.urls.en);
  });

  it("offers both ways out for kernels the hotfix covers, marking an inferred fixed kernel", () => {
    const message = overlayfsViolationMessage(base, advisory);
    expect(message).toMatch(/Fix it one of two ways: \(1\) launch from a fixed image of the same variant: aliyun_2_1903_x64_20G_qboot_alibase_20210325\.vhd \(kernel 4\.19\.91-23\.al7, INFERRED\)/);
    expect(message).toMatch(/\(2\) apply the live hotfix at provisioning — attach the companion OverlayfsHotfix component/);
  });

  it("points user-data-only surfaces at user data, not at invocations", () => {
    const message = overlayfsViolationMessage({ ...base, label: "scaling configuration", invocationTarget: false }, advisory);
    expect(message).not.toContain("invoked on this instance");
    expect(message).toContain("hotfixUserData()");
  });

  it("for kernels older than the hotfix range, says the hotfix alone cannot fix them and why", () => {
    const message = overlayfsViolationMessage(
      { ...base, assessment: "affected-needs-kernel-update", resolution: { ...base.resolution, kernel: parseKernelRelease("4.19.91-18.al7")! } },
      advisory,
    );
    expect(message).not.toContain("one of two ways");
    expect(message).toContain("cannot fix this kernel on its own: it covers 4.19.91-19.1.al7 to 4.19.91-22.2.al7 only");
    expect(message).toContain("yum update kernel");
  });

  it("explains rejected mitigations and expired or invalid exemptions", () => {
    const message = overlayfsViolationMessage(
      {
        ...base,
        mitigationNotes: ["its userData does not install kernel-hotfix-4375449"],
        exemption: { state: "expired", exemption: { resource: "web", reason: "ticket OPS-7", expires: "2026-01-31" } },
      },
      advisory,
    );
    expect(message).toContain("Not a mitigation: its userData does not install kernel-hotfix-4375449.");
    expect(message).toContain("An exemption for this resource expired on 2026-01-31 (reason: ticket OPS-7).");
    const invalid = overlayfsViolationMessage(
      { ...base, exemption: { state: "invalid", exemption: { resource: "web", reason: " ", expires: "2027-01-01" }, problem: "it has no reason" } },
      advisory,
    );
    expect(invalid).toContain("An exemption matches this resource but is ignored: it has no reason.");
  });

  it("falls back to the base variant, and says so, when no fixed image of the variant is known", () => {
    const message = overlayfsViolationMessage(
      { ...base, fixedImage: { imageId: "aliyun_2_1903_x64_20G_alibase_20210630.vhd", kernel: "4.19.91-24.al7", kernelStated: true, otherVariant: true } },
      advisory,
    );
    expect(message).toContain("no fixed image of this variant is known; this is the base variant");
    expect(overlayfsViolationMessage({ ...base, fixedImage: undefined }, advisory)).toContain("Alibaba Cloud Linux 3");
  });
});

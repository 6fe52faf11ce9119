import { describe, expect, it } from "vitest";
import { getAdvisory } from "../../../policies/src/knowledge/advisories";
import { parseKernelRelease } from "../../../policies/src/knowledge/kernelRelease";
import { advisoryViolationMessage, AdvisoryViolation } from "../../../policies/src/messages/advisoryViolationMessage";

const advisory = getAdvisory("alinux2-overlayfs-dentry-leak");
const base: AdvisoryViolation = {
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
  fixedImage: {
    imageId: "aliyun_2_1903_x64_20G_qboot_alibase_20210325.vhd",
    kernel: "4.19.91-23.al7",
    kernelStated: false,
    otherVariant: false,
  },
};

describe("advisoryViolationMessage", () => {
  it("names the resource, image, kernel, how it was determined and its confidence", () => {
    const message = advisoryViolationMessage(base, advisory);
    expect(message).toContain(
      "ECS instance 'web' launches from image aliyun_2_1903_x64_20G_qboot_alibase_20210120.vhd, kernel 4.19.91-22.2.al7",
    );
    expect(message).toContain("INFERRED from its base image");
    expect(message).toContain("confidence medium");
  });

  it("repeats nothing the policy description above it says (the advisory, its link), nor a confidence the explanation implies", () => {
    const message = advisoryViolationMessage(base, advisory);
    expect(message).not.toContain(advisory.shortTitle);
    expect(message).not.toContain(advisory.urls.zh);
    const stated = advisoryViolationMessage(
      {
        ...base,
        resolution: {
          ...base.resolution,
          basis: "catalog",
          confidence: "high",
          explanation: "stated in its release notes",
        },
      },
      advisory,
    );
    expect(stated).toContain("kernel 4.19.91-22.2.al7 (stated in its release notes).");
    expect(stated).not.toContain("confidence");
  });

  it("offers both ways out for kernels the hotfix covers, marking an inferred fixed kernel", () => {
    const message = advisoryViolationMessage(base, advisory);
    expect(message).toContain(
      "Fix: use fixed image aliyun_2_1903_x64_20G_qboot_alibase_20210325.vhd (kernel 4.19.91-23.al7, INFERRED) or Alibaba Cloud Linux 3",
    );
    expect(message).toContain(
      ", or apply kernel-hotfix-4375449 at provisioning (the companion's OverlayfsHotfix, or hotfixUserData() as user data).",
    );
  });

  it("points user-data-only surfaces at user data, not at invocations", () => {
    const message = advisoryViolationMessage(
      { ...base, label: "scaling configuration", invocationTarget: false },
      advisory,
    );
    expect(message).not.toContain("OverlayfsHotfix component");
    expect(message).toContain("hotfixUserData()");
  });

  it("for kernels older than the hotfix range, says the hotfix alone cannot fix them and why", () => {
    const message = advisoryViolationMessage(
      {
        ...base,
        assessment: "affected-needs-kernel-update",
        resolution: { ...base.resolution, kernel: parseKernelRelease("4.19.91-18.al7")! },
      },
      advisory,
    );
    expect(message).not.toContain("apply kernel-hotfix");
    expect(message).toContain(
      ", or a kernel update and a reboot at provisioning (kernel-hotfix-4375449 covers 4.19.91-19.1.al7 to 4.19.91-22.2.al7 only).",
    );
  });

  it("explains rejected mitigations and expired or invalid exemptions", () => {
    const message = advisoryViolationMessage(
      {
        ...base,
        mitigationNotes: ["its userData does not install kernel-hotfix-4375449"],
        exemption: { state: "expired", exemption: { resource: "web", reason: "ticket OPS-7", expires: "2026-01-31" } },
      },
      advisory,
    );
    expect(message).toContain("Not a mitigation: its userData does not install kernel-hotfix-4375449.");
    expect(message).toContain("An exemption for this resource expired on 2026-01-31 (reason: ticket OPS-7).");
    const invalid = advisoryViolationMessage(
      {
        ...base,
        exemption: {
          state: "invalid",
          exemption: { resource: "web", reason: " ", expires: "2027-01-01" },
          problem: "it has no reason",
        },
      },
      advisory,
    );
    expect(invalid).toContain("An exemption matches this resource but is ignored: it has no reason.");
  });

  it("claims no 'same variant' for an image whose variant is unknown (a custom image with a declared kernel)", () => {
    const { variant: _variant, ...noVariant } = base.resolution;
    const message = advisoryViolationMessage(
      {
        ...base,
        resolution: { ...noVariant, basis: "declared", confidence: "declared" },
        fixedImage: {
          imageId: "aliyun_2_1903_x64_20G_alibase_20210630.vhd",
          kernel: "4.19.91-24.al7",
          kernelStated: true,
          otherVariant: false,
        },
      },
      advisory,
    );
    expect(message).toContain(
      "use fixed image aliyun_2_1903_x64_20G_alibase_20210630.vhd (base variant) or Alibaba Cloud Linux 3",
    );
  });

  it("falls back to the base variant, and says so, when no fixed image of the variant is known", () => {
    const message = advisoryViolationMessage(
      {
        ...base,
        fixedImage: {
          imageId: "aliyun_2_1903_x64_20G_alibase_20210630.vhd",
          kernel: "4.19.91-24.al7",
          kernelStated: true,
          otherVariant: true,
        },
      },
      advisory,
    );
    expect(message).toContain("base variant, none of this variant is known");
    expect(advisoryViolationMessage({ ...base, fixedImage: undefined }, advisory)).toContain("Alibaba Cloud Linux 3");
  });

  it("for an advisory without a hotfix, offers a fixed image or the kernel route, marked INFERRED, and no hotfix", () => {
    const inode = getAdvisory("alinux2-released-inode-crash");
    const message = advisoryViolationMessage(
      {
        ...base,
        assessment: "affected-needs-kernel-update",
        resolution: { ...base.resolution, kernel: parseKernelRelease("4.19.91-23.al7")! },
      },
      inode,
    );
    expect(message).toContain(", or yum update -y kernel and a reboot at provisioning (INFERRED).");
    expect(message).not.toContain("kernel-hotfix");
    expect(message).not.toContain("OverlayfsHotfix");
  });
});

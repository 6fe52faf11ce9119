import { describe, expect, it } from "vitest";
import advisoryData from "../../../policies/data/advisories.json";
import { assessKernel, getAdvisory, isAffected, KernelAssessment, parseAdvisory } from "../../../policies/src/knowledge/advisories";
import { compareKernelReleases, formatKernelRelease, KernelRelease, parseKernelRelease } from "../../../policies/src/knowledge/kernelRelease";

const ADVISORY_ID = "alinux2-overlayfs-dentry-leak";
const advisory = getAdvisory(ADVISORY_ID);

function kernel(text: string): KernelRelease {
  const parsed = parseKernelRelease(text);
  if (!parsed) throw new Error(`test setup: '${text}' is not a kernel`);
  return parsed;
}
const assess = (text: string): KernelAssessment => assessKernel(advisory, kernel(text));

describe("advisories.json: the OverlayFS dentry-leak advisory", () => {
  it("parses, with the bounds of the advisory (shared/README.md, alinux2-facts.md §2–§3)", () => {
    expect(formatKernelRelease(advisory.affectedThrough)).toBe("4.19.91-22.2.al7");
    expect(formatKernelRelease(advisory.firstFixedKernel)).toBe("4.19.91-23.al7");
    expect(formatKernelRelease(advisory.hotfix.appliesFrom)).toBe("4.19.91-19.1.al7");
    expect(formatKernelRelease(advisory.hotfix.appliesThrough)).toBe("4.19.91-22.2.al7");
    expect(advisory.kernelDistTag).toBe("al7");
  });

  it("is internally consistent: the hotfix range ends where the affected range ends, the fix comes after it", () => {
    expect(compareKernelReleases(advisory.hotfix.appliesThrough, advisory.affectedThrough)).toBe(0);
    expect(compareKernelReleases(advisory.hotfix.appliesFrom, advisory.hotfix.appliesThrough)).toBe(-1);
    expect(compareKernelReleases(advisory.firstFixedKernel, advisory.affectedThrough)).toBe(1);
  });

  it("names the hotfix package and the advisory's install command (sub-version from `uname -r`)", () => {
    expect(advisory.hotfix.package).toBe("kernel-hotfix-4375449");
    expect(advisory.hotfix.installCommand).toContain("yum install -y kernel-hotfix-4375449-");
    expect(advisory.hotfix.installCommand).toContain(`uname -r | awk -F"-" '{print $NF}'`);
  });

  it("links the Alibaba advisory pages (knowledge base 273061)", () => {
    expect(advisory.urls.zh).toBe("https://help.aliyun.com/knowledge_detail/273061.html");
    expect(advisory.urls.en).toBe("https://www.alibabacloud.com/help/en/alinux/support/alibaba-cloud-linux-2-ecs-instance-overlayfs-dentry-leak-causes");
  });

  it("says the first fixed kernel is INFERRED, and names sources", () => {
    expect(advisory.firstFixedKernelBasis).toContain("INFERRED");
    for (const raw of advisoryData.advisories) expect(raw.sources.length).toBeGreaterThan(0);
  });

  it("every advisory in the file parses and is reachable by id", () => {
    for (const raw of advisoryData.advisories) expect(getAdvisory(raw.id).id).toBe(raw.id);
  });

  it("an unknown advisory id is a programming error", () => {
    expect(() => getAdvisory("no-such-advisory")).toThrowError(/no-such-advisory/);
  });

  it("parseAdvisory rejects a malformed kernel bound, naming the advisory", () => {
    const raw = advisoryData.advisories[0];
    expect(() => parseAdvisory({ ...raw, affectedThrough: "22.2.al7" })).toThrowError(new RegExp(raw.id));
    expect(() => parseAdvisory({ ...raw, hotfix: { ...raw.hotfix, appliesFrom: "soon" } })).toThrowError(/soon/);
  });
});

describe("assessKernel: boundaries", () => {
  it.each([
    ["4.19.24-9.al7", "affected-needs-kernel-update"],
    ["4.19.81-17.2.al7", "affected-needs-kernel-update"],
    ["4.19.91-18.al7", "affected-needs-kernel-update"],
    ["4.19.91-18.al7.x86_64", "affected-needs-kernel-update"],
    ["4.19.91-19.1.al7", "affected-hotfixable"],
    ["4.19.91-19.2.al7", "affected-hotfixable"],
    ["4.19.91-21.al7", "affected-hotfixable"],
    ["4.19.91-22.fc.1.al7", "affected-hotfixable"],
    ["4.19.91-22.2.al7", "affected-hotfixable"],
    ["kernel-4.19.91-22.2.al7.x86_64", "affected-hotfixable"],
    ["4.19.91-23.al7", "not-affected"],
    ["4.19.91-23.al7.x86_64", "not-affected"],
    ["4.19.91-27.7.al7", "not-affected"],
    ["4.19.91-22.2.el7", "other-os"],
    ["3.10.0-1160.el7.x86_64", "other-os"],
    ["5.10.134-13.al8.x86_64", "other-os"],
    ["4.19.91-22.2.al8", "other-os"],
  ])("%s → %s", (text, expected) => {
    expect(assess(text)).toBe(expected);
  });

  it("follows the RPM order of every AL2 4.19 build Alibaba lists (alinux2-facts.md §2)", () => {
    const listed = [
      "24-7", "24-7.14", "24-9", "34-11", "36-12", "43-13.2", "57-15.1", "81-17", "81-17.1", "81-17.2", "91-18",
      "91-19.1", "91-19.2", "91-21", "91-21.2", "91-22", "91-22.fc.1", "91-22.1", "91-22.2",
      "91-23", "91-23.1", "91-24", "91-24.1", "91-25", "91-25.1", "91-25.3", "91-25.6", "91-25.7", "91-25.8",
      "91-26", "91-26.1", "91-26.6", "91-27", "91-27.7",
    ].map((short) => `4.19.${short}.al7.x86_64`);
    const hotfixFrom = listed.indexOf("4.19.91-19.1.al7.x86_64");
    const lastAffected = listed.indexOf("4.19.91-22.2.al7.x86_64");
    listed.forEach((text, index) => {
      const expected = index < hotfixFrom ? "affected-needs-kernel-update" : index <= lastAffected ? "affected-hotfixable" : "not-affected";
      expect(assess(text), text).toBe(expected);
    });
  });
});

describe("isAffected", () => {
  it("is true exactly for the two affected assessments", () => {
    expect(isAffected("affected-hotfixable")).toBe(true);
    expect(isAffected("affected-needs-kernel-update")).toBe(true);
    expect(isAffected("not-affected")).toBe(false);
    expect(isAffected("other-os")).toBe(false);
  });
});

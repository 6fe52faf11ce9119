import { describe, expect, it } from "vitest";
import {
  assessKernel,
  bundledAdvisories,
  bundledAdvisoryRows,
  getAdvisory,
  isAffected,
  isFixedForAll,
  KernelAdvisory,
  KernelAssessment,
  KernelHotfix,
  parseAdvisory,
} from "../../../policies/src/knowledge/advisories";
import {
  compareKernelReleases,
  formatKernelRelease,
  KernelRelease,
  parseKernelRelease,
} from "../../../policies/src/knowledge/kernelRelease";

const ADVISORY_ID = "alinux2-overlayfs-dentry-leak";
const advisory = getAdvisory(ADVISORY_ID);
const hotfix = advisory.hotfix as KernelHotfix;

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
    expect(formatKernelRelease(hotfix.appliesFrom)).toBe("4.19.91-19.1.al7");
    expect(formatKernelRelease(hotfix.appliesThrough)).toBe("4.19.91-22.2.al7");
    expect(advisory.kernelDistTag).toBe("al7");
  });

  it("is internally consistent: the hotfix range ends where the affected range ends, the fix comes after it", () => {
    expect(compareKernelReleases(hotfix.appliesThrough, advisory.affectedThrough)).toBe(0);
    expect(compareKernelReleases(hotfix.appliesFrom, hotfix.appliesThrough)).toBe(-1);
    expect(compareKernelReleases(advisory.firstFixedKernel, advisory.affectedThrough)).toBe(1);
  });

  it("names the hotfix package and the advisory's install command (sub-version from `uname -r`)", () => {
    expect(hotfix.package).toBe("kernel-hotfix-4375449");
    expect(hotfix.installCommand).toContain("yum install -y kernel-hotfix-4375449-");
    expect(hotfix.installCommand).toContain(`uname -r | awk -F"-" '{print $NF}'`);
  });

  it("links the Alibaba advisory pages (knowledge base 273061)", () => {
    expect(advisory.urls.zh).toBe("https://help.aliyun.com/knowledge_detail/273061.html");
    expect(advisory.urls.en).toBe(
      "https://www.alibabacloud.com/help/en/alinux/support/alibaba-cloud-linux-2-ecs-instance-overlayfs-dentry-leak-causes",
    );
  });

  it("says the first fixed kernel is INFERRED, and names sources", () => {
    expect(advisory.firstFixedKernelBasis).toContain("INFERRED");
    for (const raw of bundledAdvisoryRows) expect(raw.sources.length).toBeGreaterThan(0);
  });

  it("every advisory in the file parses and is reachable by id", () => {
    for (const raw of bundledAdvisoryRows) expect(getAdvisory(raw.id).id).toBe(raw.id);
  });

  it("an unknown advisory id is a programming error", () => {
    expect(() => getAdvisory("no-such-advisory")).toThrowError(/no-such-advisory/);
  });

  it("parseAdvisory rejects a malformed kernel bound, naming the advisory", () => {
    const raw = bundledAdvisoryRows[0];
    expect(() => parseAdvisory({ ...raw, affectedThrough: "22.2.al7" })).toThrowError(new RegExp(raw.id));
    expect(() => parseAdvisory({ ...raw, hotfix: { ...raw.hotfix!, appliesFrom: "soon" } })).toThrowError(/soon/);
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
      "24-7",
      "24-7.14",
      "24-9",
      "34-11",
      "36-12",
      "43-13.2",
      "57-15.1",
      "81-17",
      "81-17.1",
      "81-17.2",
      "91-18",
      "91-19.1",
      "91-19.2",
      "91-21",
      "91-21.2",
      "91-22",
      "91-22.fc.1",
      "91-22.1",
      "91-22.2",
      "91-23",
      "91-23.1",
      "91-24",
      "91-24.1",
      "91-25",
      "91-25.1",
      "91-25.3",
      "91-25.6",
      "91-25.7",
      "91-25.8",
      "91-26",
      "91-26.1",
      "91-26.6",
      "91-27",
      "91-27.7",
    ].map((short) => `4.19.${short}.al7.x86_64`);
    const hotfixFrom = listed.indexOf("4.19.91-19.1.al7.x86_64");
    const lastAffected = listed.indexOf("4.19.91-22.2.al7.x86_64");
    listed.forEach((text, index) => {
      const expected =
        index < hotfixFrom
          ? "affected-needs-kernel-update"
          : index <= lastAffected
            ? "affected-hotfixable"
            : "not-affected";
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

// The two advisories of shared/reference/alinux2-more-advisories.md §A, both "kernel-4.19.91-23.al7 or earlier", with
// no documented hotfix and an INFERRED first fixed kernel 4.19.91-24.al7 (§A.1, §A.2, §C).
const MORE = [
  { id: "alinux2-released-inode-crash", kb: "272587", zh: "https://help.aliyun.com/document_detail/272587.html" },
  { id: "alinux2-page-fault-crash", kb: "277447", zh: "https://help.aliyun.com/knowledge_detail/277447.html" },
] as const;

describe.each(MORE)("advisories.json: $id (knowledge base $kb)", ({ id, kb, zh }) => {
  const row: KernelAdvisory = getAdvisory(id);

  it("covers Alibaba Cloud Linux 2 kernels through 4.19.91-23.al7, first fixed 4.19.91-24.al7 (INFERRED)", () => {
    expect(row.os).toBe("Alibaba Cloud Linux 2.1903 LTS 64-bit");
    expect(formatKernelRelease(row.affectedThrough)).toBe("4.19.91-23.al7");
    expect(formatKernelRelease(row.firstFixedKernel)).toBe("4.19.91-24.al7");
    expect(row.firstFixedKernelInferred).toBe(true);
    expect(row.knowledgeBaseId).toBe(kb);
    expect(row.urls.zh).toBe(zh);
  });

  it("knows no hotfix and says why; only the kernel route (update, reboot) is offered, marked INFERRED", () => {
    expect(row.hotfix).toBeUndefined();
    expect(row.noHotfixBasis).toMatch(/No hotfix/);
    expect(row.kernelUpdate).toMatchObject({ command: "yum update -y kernel", rebootRequired: true });
    expect(row.kernelUpdate.basis).toMatch(/^INFERRED/);
  });

  it("feeds an advisory-level, high-severity policy of its own name", () => {
    expect(row.policy).toMatchObject({ name: id, enforcementLevel: "advisory", severity: "high" });
  });

  it.each([
    ["4.19.24-9.al7", "affected-needs-kernel-update"],
    ["4.19.91-22.2.al7", "affected-needs-kernel-update"],
    ["4.19.91-23.al7", "affected-needs-kernel-update"],
    ["4.19.91-23.al7.x86_64", "affected-needs-kernel-update"],
    ["4.19.91-23.1.al7", "not-affected"],
    ["4.19.91-24.al7", "not-affected"],
    ["4.19.91-27.7.al7", "not-affected"],
    ["5.10.134-13.al8.x86_64", "other-os"],
  ])("%s → %s (RPM order at the edges)", (text, expected) => {
    expect(assessKernel(row, kernel(text))).toBe(expected);
  });
});

describe("every row of advisories.json", () => {
  it("is a bundled advisory, in file order, each with a distinct id and policy name", () => {
    expect(bundledAdvisories.map((a) => a.id)).toEqual(bundledAdvisoryRows.map((raw) => raw.id));
    expect(new Set(bundledAdvisories.map((a) => a.policy.name)).size).toBe(bundledAdvisories.length);
  });

  it("names its sources, a first fixed kernel after its range, and either a hotfix or why there is none", () => {
    for (const row of bundledAdvisories) {
      expect(row.sources.length, row.id).toBeGreaterThan(0);
      expect(compareKernelReleases(row.firstFixedKernel, row.affectedThrough), row.id).toBe(1);
      expect(row.hotfix !== undefined || (row.noHotfixBasis ?? "").length > 0, row.id).toBe(true);
    }
  });

  it("4.19.91-22.2.al7 is inside all three; 4.19.91-23.al7 only inside the two later ones", () => {
    expect(bundledAdvisories.map((a) => isAffected(assessKernel(a, kernel("4.19.91-22.2.al7"))))).toEqual([
      true,
      true,
      true,
    ]);
    expect(bundledAdvisories.map((a) => isAffected(assessKernel(a, kernel("4.19.91-23.al7"))))).toEqual([
      false,
      true,
      true,
    ]);
  });

  it("parseAdvisory rejects a row without hotfix and without a reason, an unknown level, or a fix before the range", () => {
    const raw = bundledAdvisoryRows[1];
    expect(() => parseAdvisory({ ...raw, noHotfixBasis: null })).toThrowError(/noHotfixBasis/);
    expect(() => parseAdvisory({ ...raw, policy: { ...raw.policy, enforcementLevel: "remediate" } })).toThrowError(
      /enforcementLevel/,
    );
    expect(() => parseAdvisory({ ...raw, firstFixedKernel: "4.19.91-23.al7" })).toThrowError(/not after/);
  });
});

describe("isFixedForAll", () => {
  it("is true only for a kernel of the advisories' OS past every one of them", () => {
    expect(isFixedForAll(bundledAdvisories, kernel("4.19.91-24.al7"))).toBe(true);
    expect(isFixedForAll(bundledAdvisories, kernel("4.19.91-23.al7"))).toBe(false);
    expect(isFixedForAll(bundledAdvisories, kernel("5.10.134-13.al8"))).toBe(false);
    expect(isFixedForAll([], kernel("4.19.91-24.al7"))).toBe(false);
  });
});

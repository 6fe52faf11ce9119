// The Markdown summary: verdict, the tables, escaping, and GitHub's 1 MiB step-summary limit.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GITHUB_STEP_SUMMARY_LIMIT_BYTES, markdownReport } from "../../reports/markdownReport";
import { POLICY } from "../support/contract";
import { reportOf, reportOfText } from "./support/buildFromCapture";
import { captured } from "./support/capturedStreams";

const V3_68 = "v3.68.0";
const rowsOf = (md: string, heading: string) => {
  const section = md.split(`### ${heading}`)[1]?.split("\n\n")[1] ?? "";
  return section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Resource"));
};

describe("Markdown summary", () => {
  it("starts with the verdict, then a table of the mandatory violations and one of the advisories", () => {
    const md = markdownReport(reportOf(captured(V3_68, "affected-instance")));
    expect(md.split("\n")[0]).toBe(
      "## ⛔ alinux-guard: BLOCKED: 1 mandatory violation, 3 advisories (--fail-on mandatory)",
    );
    expect(md).toContain("| Resource | Type | Policy | Level | Image | Kernel | Fix |");
    const [blocked] = rowsOf(md, "Mandatory violations (1)");
    expect(blocked.split(" | ").map((c) => c.replace(/^\| /, ""))).toEqual([
      "`web`",
      "`alicloud:ecs/instance:Instance`",
      POLICY.overlayfs,
      "mandatory",
      "`aliyun_2_1903_x64_20G_alibase_20210120.vhd`",
      "`4.19.91-22.2.al7`",
      expect.stringMatching(/^use fixed image aliyun_2_1903_x64_20G_alibase_20210630\.vhd .* \|$/),
    ]);
    const advisoryRows = rowsOf(md, "Advisories (3)");
    expect(advisoryRows).toHaveLength(3);
    for (const policy of [POLICY.endOfLife, POLICY.releasedInode, POLICY.pageFault])
      expect(
        advisoryRows.some((row) => row.includes(policy)),
        policy,
      ).toBe(true);
  });

  it("says PASSED for a passing run and NO VERDICT with the engine's reason for a rejected config", () => {
    expect(markdownReport(reportOf(captured(V3_68, "fixed-image"))).split("\n")[0]).toMatch(
      /^## ✅ alinux-guard: PASSED: 0 mandatory violations, 1 advisory/,
    );
    const rejected = markdownReport(reportOf(captured(V3_68, "invalid-config")));
    expect(rejected.split("\n")[0]).toMatch(/NO VERDICT/);
    expect(rejected).toContain("validating policy config: alinux-guard 0.1.0");
  });

  it("escapes pipes and HTML in cells so a message cannot break the table", () => {
    const text = readFileSync(captured(V3_68, "affected-instance").path, "utf8").replace(
      "Fix: use fixed image",
      "Fix: a | b <script>x</script> use fixed image",
    );
    const md = markdownReport(reportOfText(text));
    const row = rowsOf(md, "Mandatory violations (1)")[0];
    expect(row).toContain("a \\| b &lt;script&gt;x&lt;/script&gt;");
    expect(row.split(/(?<!\\)\|/).length).toBe(9);
  });

  it("stays under GitHub's 1 MiB limit on a huge run and says how many rows it left out", () => {
    const lines = readFileSync(captured(V3_68, "launch-template-scaling").path, "utf8").trim().split("\n");
    const violation = lines.find((l) => l.includes('"policyEvent"') && l.includes(POLICY.overlayfs))!;
    const many = Array.from({ length: 6000 }, (_, i) =>
      violation.replace(/::([\w-]+)","message"/, `::$1-${i}","message"`),
    );
    const report = reportOfText([...many, ...lines].join("\n"));
    expect(report.violations.length).toBeGreaterThan(6000);
    const md = markdownReport(report);
    expect(Buffer.byteLength(md, "utf8")).toBeLessThan(GITHUB_STEP_SUMMARY_LIMIT_BYTES);
    const shown = rowsOf(md, `Mandatory violations (${report.counts.mandatory})`).length;
    const omitted = Number(/\*\*(\d+) more violations not shown\*\*/.exec(md)?.[1]);
    expect(shown).toBeGreaterThan(100);
    expect(shown + omitted + rowsOf(md, `Advisories (${report.counts.advisory})`).length).toBe(
      report.violations.length,
    );
  });
});

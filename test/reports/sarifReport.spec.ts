// SARIF from the captured streams: valid under Microsoft's SARIF validator with GitHub's ingestion rules, rules from
// the pack's own metadata, results at the resource's declaration.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as Sarif from "sarif";
import { describe, expect, it } from "vitest";
import { sarifReport } from "../../reports/sarifReport";
import { POLICY } from "../support/contract";
import { reportOf, reportOfText } from "./support/buildFromCapture";
import { captured, capturedStreams } from "./support/capturedStreams";
import { validateSarif } from "./support/sarifValidator";

const tmp = mkdtempSync(path.join(os.tmpdir(), "alinux-guard-sarif-"));
const V3_68 = "v3.68.0";

function write(name: string, log: Sarif.Log): string {
  const file = path.join(tmp, name);
  writeFileSync(file, JSON.stringify(log, null, 2));
  return file;
}

describe("SARIF validator (sarif-multitool, --rule-kind Gh;Sarif)", () => {
  it("reports an error for a SARIF file GitHub would reject (so a clean result means something)", () => {
    const log = sarifReport(reportOf(captured(V3_68, "affected-instance")));
    delete (log.runs[0].results![0] as { locations?: unknown }).locations;
    const findings = validateSarif(write("broken.sarif", log));
    expect(findings.filter((f) => f.level === "error").map((f) => f.ruleId)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^GH\d+$/)]),
    );
  });

  it.each(capturedStreams().map((s) => [`${s.cli} ${s.scenario} (${s.source})`, s] as const))(
    "finds no error in the SARIF of %s",
    (name, stream) => {
      const findings = validateSarif(write(`${name.replace(/\W+/g, "_")}.sarif`, sarifReport(reportOf(stream))));
      expect(findings.filter((f) => f.level === "error")).toEqual([]);
    },
  );
});

describe("SARIF content", () => {
  const log = sarifReport(reportOf(captured(V3_68, "affected-instance")));
  const run = log.runs[0];
  const rule = (id: string) => run.tool.driver.rules!.find((r) => r.id === id)!;

  it("describes this pack's policies from their metadata: name, descriptions, remediation, advisory URL, severity, tags", () => {
    const r = rule(POLICY.overlayfs);
    expect(r.name).toBe("Alinux2OverlayfsDentryLeak");
    expect(r.shortDescription?.text).toBe("Alibaba Cloud Linux 2 OverlayFS dentry-leak kernel");
    expect(r.fullDescription?.text).toMatch(
      /^Blocks launches on kernels up to 4\.19\.91-22\.2\.al7 without kernel-hotfix-4375449/,
    );
    expect(r.help?.text).toMatch(/^1\. Prefer a fixed image/);
    expect(r.helpUri).toMatch(/^https:\/\/www\.alibabacloud\.com\/help\//);
    expect(r.properties?.["security-severity"]).toBe("9.5");
    expect(r.properties?.["tags"]).toEqual(expect.arrayContaining(["overlayfs", "security"]));
    expect(r.defaultConfiguration?.level).toBe("error");
    expect(rule(POLICY.endOfLife).properties?.["security-severity"]).toBe("5.5");
  });

  it("gives each violation its level, URN, a stable fingerprint and the line that declares the resource", () => {
    const blocked = run.results!.find((r) => r.ruleId === POLICY.overlayfs)!;
    expect(blocked.level).toBe("error");
    expect(run.results!.find((r) => r.ruleId === POLICY.endOfLife)?.level).toBe("warning");
    const urn = "urn:pulumi:e2e::affected-instance::alicloud:ecs/instance:Instance::web";
    expect(blocked.message.text).toMatch(
      new RegExp(`^${urn.replace(/[.$]/g, "\\$&")}: ECS instance 'web' launches from image`),
    );
    expect(blocked.locations![0].logicalLocations).toEqual([
      { name: "web", fullyQualifiedName: urn, kind: "resource" },
    ]);
    const physical = blocked.locations![0].physicalLocation!;
    expect(physical.artifactLocation?.uri).toBe("examples/affected-instance/index.ts");
    const source = readFileSync(path.resolve(__dirname, "../../examples/affected-instance/index.ts"), "utf8").split(
      "\n",
    );
    expect(source[physical.region!.startLine! - 1]).toContain('new alicloud.ecs.Instance("web"');
    // Same policy and URN from another capture (the same program and stack): the same fingerprint.
    const again = sarifReport(reportOf(captured(V3_68, "affected-instance"))).runs[0].results!.find(
      (r) => r.ruleId === POLICY.overlayfs,
    )!;
    expect(again.partialFingerprints).toEqual(blocked.partialFingerprints);
    const other = sarifReport(reportOf(captured(V3_68, "custom-image-declared"))).runs[0].results!.find(
      (r) => r.ruleId === POLICY.overlayfs,
    )!;
    expect(other.partialFingerprints).not.toEqual(blocked.partialFingerprints);
  });

  it("points at the project file when the declaration cannot be found", () => {
    // The same stream with the resource renamed to a name the program does not contain.
    const text = readFileSync(captured(V3_68, "affected-instance").path, "utf8")
      .split("::web")
      .join("::nowhere-declared");
    const missing = sarifReport(reportOfText(text, path.resolve(__dirname, "../../examples/affected-instance"))).runs[0]
      .results!;
    expect(missing.length).toBeGreaterThan(0);
    expect(missing[0].locations![0].physicalLocation).toEqual({
      artifactLocation: { uri: "examples/affected-instance/Pulumi.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1, endLine: 1 },
    });
    expect(missing[0].properties?.["sourceLocation"]).toBe("project-file");
  });

  it("gives another pack's policies a minimal rule, and the file still validates", () => {
    const text = [
      readFileSync(captured(V3_68, "fixed-image").path, "utf8").trim(),
      JSON.stringify({
        sequence: 999,
        timestamp: 0,
        policyEvent: {
          resourceUrn: "urn:pulumi:e2e::fixed-image::alicloud:ecs/instance:Instance::web",
          message: "No public IP.",
          color: "never",
          policyName: "no-public-ip",
          policyPackName: "acme-baseline",
          policyPackVersion: "2.0.0",
          policyPackVersionTag: "2.0.0",
          enforcementLevel: "mandatory",
          severity: "high",
        },
      }),
    ].join("\n");
    const foreign = sarifReport(reportOfText(text, path.resolve(__dirname, "../../examples/fixed-image")));
    const r = foreign.runs[0].tool.driver.rules!.find((x) => x.id === "acme-baseline/no-public-ip")!;
    expect(r.shortDescription?.text).toBe("no-public-ip");
    expect(r.properties?.["security-severity"]).toBe("8.0");
    expect(validateSarif(write("foreign.sarif", foreign)).filter((f) => f.level === "error")).toEqual([]);
  });
});

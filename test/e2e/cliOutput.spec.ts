// The e2e helpers that read CLI runs (tools/e2e/pulumiCli.ts), on lines as the two CLIs print them: engine events (one
// JSON object per line, from `--event-log` or `policy analyze --json`) and the policy report a person reads.
import { describe, expect, it } from "vitest";
import { parseEngineEvents, shownPolicyResult } from "../../tools/e2e/pulumiCli";

const INSTANCE = { type: "alicloud:ecs/instance:Instance", name: "web" };

describe("shownPolicyResult", () => {
  const mandatoryOnWeb = shownPolicyResult("mandatory", "alinux2-overlayfs-dentry-leak", INSTANCE);

  it("matches the v3.68.0 and the current CLIs' report lines (v3.260.0, v3.276.0)", () => {
    expect(
      "    [mandatory]  alinux-guard v0.1.0  alinux2-overlayfs-dentry-leak (alicloud:ecs/instance:Instance: web)",
    ).toMatch(mandatoryOnWeb);
    expect(
      "        - [mandatory] [severity: critical]  alinux2-overlayfs-dentry-leak  (alicloud:ecs:Instance: web)",
    ).toMatch(mandatoryOnWeb);
  });

  it("does not match another level, policy or resource, nor parts spread over lines", () => {
    expect(
      "- [advisory] [severity: critical]  alinux2-overlayfs-dentry-leak  (alicloud:ecs:Instance: web)",
    ).not.toMatch(mandatoryOnWeb);
    expect(
      "- [mandatory] [severity: critical]  alinux2-overlayfs-dentry-leak  (alicloud:ecs:Instance: web2)",
    ).not.toMatch(mandatoryOnWeb);
    expect(
      "- [mandatory] [severity: critical]  alinux2-overlayfs-dentry-leak-x  (alicloud:ecs:Instance: web)",
    ).not.toMatch(mandatoryOnWeb);
    expect(
      "- [mandatory] [severity: critical]  alinux2-overlayfs-dentry-leak  (alicloud:ess:Instance: web)",
    ).not.toMatch(mandatoryOnWeb);
    expect("- [mandatory]\n  alinux2-overlayfs-dentry-leak  (alicloud:ecs:Instance: web)").not.toMatch(mandatoryOnWeb);
  });
});

describe("parseEngineEvents", () => {
  const lines = [
    { sequence: 1, timestamp: 1, preludeEvent: { config: {} } },
    {
      sequence: 2,
      timestamp: 1,
      policyEvent: {
        resourceUrn: "urn:pulumi:e2e::p::alicloud:ecs/instance:Instance::web",
        message: "…",
        color: "never",
        policyName: "alinux2-overlayfs-dentry-leak",
        policyPackName: "alinux-guard",
        policyPackVersion: "0.1.0",
        policyPackVersionTag: "0.1.0",
        enforcementLevel: "mandatory",
        severity: "critical",
      },
    },
    {
      sequence: 3,
      timestamp: 1,
      policyAnalyzeStackSummaryEvent: {
        policyPackName: "alinux-guard",
        policyPackVersion: "0.1.0",
        failed: ["alinux2-overlayfs-dentry-leak"],
      },
    },
    { sequence: 4, timestamp: 1, diagnosticEvent: { message: "preview failed\n", severity: "error", color: "never" } },
    {
      sequence: 5,
      timestamp: 1,
      diagnosticEvent: { message: "using pulumi-resource-alicloud from $PATH", severity: "warning", color: "never" },
    },
  ];

  it("collects policy events, stack summaries (absent lists empty) and error diagnostics", () => {
    const parsed = parseEngineEvents(`${lines.map((l) => JSON.stringify(l)).join("\n")}\n{"sequence":6,"timest`);
    expect(parsed.policyEvents.map((e) => [e.policyName, e.enforcementLevel, e.severity])).toEqual([
      ["alinux2-overlayfs-dentry-leak", "mandatory", "critical"],
    ]);
    expect(parsed.stackSummaries).toEqual([
      { policyPackName: "alinux-guard", passed: [], failed: ["alinux2-overlayfs-dentry-leak"] },
    ]);
    expect(parsed.errors).toEqual(["preview failed"]);
  });

  it("reads non-JSON output (v3.68.0 has no stack summaries; text before JSON) as no events", () => {
    expect(parseEngineEvents("Previewing update (e2e):\n\n")).toEqual({
      policyEvents: [],
      stackSummaries: [],
      errors: [],
    });
  });
});

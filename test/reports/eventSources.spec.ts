// Reading engine event streams: the streams captured from real CLIs, and inputs that are not (or no longer) one.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, parseEventStream, readEventStream } from "../../reports/eventSources";
import { POLICY } from "../support/contract";
import { ANALYZE_CLIS, captured, capturedStreams, CURRENT_CLI } from "./support/capturedStreams";

const V3_68 = "v3.68.0";
const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean);

describe("captured streams", () => {
  it("has streams from the current CLI for every YAML scenario and the audit (regenerate with scripts/capture-event-fixtures.ts)", () => {
    const scenarios = capturedStreams()
      .filter((s) => s.cli === CURRENT_CLI)
      .map((s) => `${s.scenario} (${s.source})`);
    expect(scenarios).toEqual(
      expect.arrayContaining([
        "yaml-affected-instance (event-log)",
        "yaml-affected-instance (streaming-json)",
        "yaml-invalid-config (event-log)",
        "audit-export (policy-analyze-json)",
      ]),
    );
  });

  it("has streams from CLI v3.68.0 for every scenario (regenerate with scripts/capture-event-fixtures.ts)", () => {
    const scenarios = capturedStreams()
      .filter((s) => s.cli === V3_68)
      .map((s) => s.scenario);
    expect(scenarios).toEqual(
      expect.arrayContaining(["affected-instance", "fixed-image", "launch-template-scaling", "invalid-config"]),
    );
  });

  it.each(capturedStreams().map((s) => [`${s.cli} ${s.scenario} (${s.source})`, s] as const))(
    "reads %s",
    (_, stream) => {
      const run = readEventStream(stream.path);
      expect(run.source).toBe(stream.source === "policy-analyze-json" ? "policy-analyze" : "engine-events");
      // A preview the CLI failed (exit != 0) has a mandatory violation, or engine errors (a rejected config).
      if (stream.exitCode !== 0)
        expect(run.violations.some((v) => v.level === "mandatory") || run.errors.length > 0).toBe(true);
      else expect(run.violations.filter((v) => v.level === "mandatory")).toEqual([]);
    },
  );

  it("takes the policy events of v3.68.0 as they are: pack, version, level, URN, and no severity (v3.203.0+)", () => {
    const run = readEventStream(captured(V3_68, "affected-instance").path);
    const blocked = run.violations.filter((v) => v.level === "mandatory");
    expect(blocked.map((v) => [v.policyPack, v.policyPackVersion, v.policy, v.resourceUrn])).toEqual([
      [
        "alinux-guard",
        "0.1.0",
        POLICY.overlayfs,
        "urn:pulumi:e2e::affected-instance::alicloud:ecs/instance:Instance::web",
      ],
    ]);
    expect(blocked[0]?.severity).toBeUndefined();
    expect(run.complete).toBe(true);
    expect(run.checksReported).toBe(false);
    expect(run.project).toBe("affected-instance");
    expect(run.stack).toBe("e2e");
    expect(run.resourceTypes.get(blocked[0].resourceUrn)).toBe("alicloud:ecs/instance:Instance");
    // v3.68.0 keys a local pack in summaryEvent.PolicyPacks as " (<path>)": the name comes from the events.
    expect([...run.policyPacks]).toEqual([["alinux-guard", "0.1.0"]]);
  });

  it("records the engine's rejection of a config file as errors, and the missing summary as an incomplete run", () => {
    const run = readEventStream(captured(V3_68, "invalid-config").path);
    expect(run.violations).toEqual([]);
    expect(run.errors.join("\n")).toContain("validating policy config");
    expect(run.complete).toBe(false);
    expect(run.skipped.map((s) => s.reason).join("\n")).toMatch(/no summaryEvent/);
  });
});

describe("engine event shapes of newer CLIs (apitype/events.go)", () => {
  const base = lines(captured(V3_68, "affected-instance").path).map((l) => JSON.parse(l) as Record<string, unknown>);

  it("reads severity (v3.203.0+) and the passed/failed policies of the summary events (v3.196.0+)", () => {
    const urn = "urn:pulumi:e2e::affected-instance::alicloud:ecs/instance:Instance::web";
    const events = [
      ...base.filter((e) => !("summaryEvent" in e) && !("cancelEvent" in e)),
      {
        sequence: 900,
        timestamp: 0,
        policyAnalyzeSummaryEvent: {
          resourceUrn: urn,
          policyPackName: "alinux-guard",
          policyPackVersion: "0.1.0",
          policyPackVersionTag: "0.1.0",
          passed: ["alinux-image-kernel-unknown"],
          failed: ["alinux2-end-of-life"],
        },
      },
      {
        sequence: 901,
        timestamp: 0,
        policyAnalyzeStackSummaryEvent: {
          policyPackName: "alinux-guard",
          policyPackVersion: "0.1.0",
          policyPackVersionTag: "0.1.0",
          failed: [POLICY.overlayfs],
        },
      },
      {
        sequence: 902,
        timestamp: 0,
        policyEvent: {
          resourceUrn: urn,
          message: "m",
          color: "never",
          policyName: "p",
          policyPackName: "other",
          policyPackVersion: "1.0.0",
          policyPackVersionTag: "1.0.0",
          enforcementLevel: "mandatory",
          severity: "high",
        },
      },
      {
        sequence: 903,
        timestamp: 0,
        summaryEvent: {
          maybeCorrupt: false,
          durationSeconds: 1,
          resourceChanges: { create: 5 },
          PolicyPacks: { "alinux-guard": "v0.1.0", other: "v1.0.0" },
          isPreview: true,
          result: "failed",
        },
      },
    ];
    const run = parseEventStream(events.map((e) => JSON.stringify(e)).join("\n"));
    expect(run.checksReported).toBe(true);
    expect(run.checks.map((c) => [c.policy, c.resourceUrn === "" ? "stack" : "web", c.passed])).toEqual([
      ["alinux-image-kernel-unknown", "web", true],
      ["alinux2-end-of-life", "web", false],
      [POLICY.overlayfs, "stack", false],
    ]);
    expect(run.violations.find((v) => v.policyPack === "other")?.severity).toBe("high");
    expect(run.result).toBe("failed");
    expect(run.isPreview).toBe(true);
    expect(run.policyPacks.get("other")).toBe("1.0.0");
  });

  it.each(ANALYZE_CLIS)(
    "recognises `pulumi policy analyze --json` (captured from %s): severity on the events, the stack from the URNs",
    (cli) => {
      const run = readEventStream(captured(cli, "audit-export", "policy-analyze-json").path);
      expect(run.source).toBe("policy-analyze");
      expect(run.stack).toBe("production");
      expect(run.isPreview).toBe(false);
      expect(run.result).toBe("failed");
      expect(run.violations.map((v) => [v.policy, v.level, v.severity])).toEqual(
        expect.arrayContaining([[POLICY.overlayfs, "mandatory", "critical"]]),
      );
    },
  );

  it("accepts a JSON array of events and an apitype.EngineEventBatch", () => {
    expect(parseEventStream(JSON.stringify(base)).source).toBe("engine-event-batch");
    const batch = parseEventStream(JSON.stringify({ events: base }, null, 2));
    expect(batch.source).toBe("engine-event-batch");
    expect(batch.violations.length).toBe(readEventStream(captured(V3_68, "affected-instance").path).violations.length);
  });
});

describe("bad input: exit-2 errors or reports that say what they skipped, never a crash", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "alinux-guard-events-"));
  const file = (name: string, text: string) => {
    const f = path.join(tmp, name);
    writeFileSync(f, text);
    return f;
  };

  it("a missing file, a directory, an empty file and a file that is not JSON are input errors", () => {
    expect(() => readEventStream(path.join(tmp, "missing.jsonl"))).toThrow(
      new InputError(`no such events file: ${path.join(tmp, "missing.jsonl")}`),
    );
    expect(() => readEventStream(tmp)).toThrow(/is a directory/);
    expect(() => readEventStream(file("empty.jsonl", "\n  \n"))).toThrow(/is empty/);
    expect(() =>
      readEventStream(file("text.jsonl", "Previewing update (dev):\n + pulumi:pulumi:Stack create\n")),
    ).toThrow(InputError);
    expect(() => readEventStream(file("objects.jsonl", '{"a":1}\n{"b":2}\n'))).toThrow(/no engine event/);
  });

  it("the digest of a non-streaming `preview --json` is refused with the way to get policy events", () => {
    const digest = JSON.stringify({ config: {}, steps: [], diagnostics: [], changeSummary: { create: 1 } }, null, 4);
    expect(() => readEventStream(file("digest.json", digest))).toThrow(
      /pulumi\/pulumi#18851.*--event-log.*PULUMI_ENABLE_STREAMING_JSON_PREVIEW/,
    );
  });

  it("a truncated stream keeps every complete event and says it was cut short", () => {
    const text = readFileSync(captured(V3_68, "affected-instance").path, "utf8");
    // Stopped while writing the summary: everything before it is whole, the summary line is torn.
    const summaryLine = text.lastIndexOf("\n", text.indexOf('"summaryEvent"')) + 1;
    const cut = text.slice(0, summaryLine + 60);
    const run = parseEventStream(cut);
    expect(run.violations.filter((v) => v.level === "mandatory")).toHaveLength(1);
    expect(run.complete).toBe(false);
    const reasons = run.skipped.map((s) => s.reason).join("\n");
    expect(reasons).toMatch(/truncated last line/);
    expect(reasons).toMatch(/no summaryEvent/);
  });

  it("unknown event kinds, non-JSON lines and unknown levels are counted, the rest is read", () => {
    const text = readFileSync(captured(V3_68, "affected-instance").path, "utf8");
    const noisy = [
      '{"sequence":1000,"timestamp":0,"futureThingEvent":{"x":1}}',
      '{"sequence":1001,"timestamp":0,"futureThingEvent":{"x":2}}',
      "warning: something printed into the stream",
      '{"sequence":1002,"timestamp":0,"policyEvent":{"policyName":"p","policyPackName":"x","enforcementLevel":"shouting","message":"m"}}',
      text,
    ].join("\n");
    const run = parseEventStream(noisy);
    expect(run.violations.filter((v) => v.level === "mandatory")).toHaveLength(1);
    expect(run.skipped).toEqual(
      expect.arrayContaining([
        { reason: "events of unknown kind (futureThingEvent)", count: 2 },
        { reason: "lines that are not JSON", count: 1 },
        { reason: "policy events with an unknown enforcement level (shouting)", count: 1 },
      ]),
    );
  });
});

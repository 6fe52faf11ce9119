// JUnit XML from the captured streams, read back with an XML parser (fast-xml-parser) as GitLab and Jenkins read it.
import { readFileSync } from "node:fs";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { junitReport } from "../../reports/junitReport";
import { SCENARIOS } from "../../tools/e2e/scenarios";
import { POLICY } from "../support/contract";
import { reportOf, reportOfText } from "./support/buildFromCapture";
import { captured, capturedStreams } from "./support/capturedStreams";

const V3_68 = "v3.68.0";
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => ["testsuite", "testcase", "property"].includes(name),
});

interface Case {
  classname: string;
  name: string;
  file?: string;
  line?: string;
  failure?: { type: string; message: string; "#text": string };
  error?: unknown;
  "system-out"?: string;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  testcase: Case[];
}
interface Doc {
  testsuites: { tests: string; failures: string; errors: string; testsuite: Suite[] };
}

function parse(xml: string): Doc {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as Doc;
}

describe("JUnit XML", () => {
  it.each(capturedStreams().map((s) => [`${s.cli} ${s.scenario} (${s.source})`, s] as const))(
    "is well-formed and its counts add up for %s",
    (_, stream) => {
      const doc = parse(junitReport(reportOf(stream)));
      const suites = doc.testsuites.testsuite;
      expect(Number(doc.testsuites.tests)).toBe(suites.reduce((n, s) => n + s.testcase.length, 0));
      for (const s of suites) expect(Number(s.failures)).toBe(s.testcase.filter((c) => c.failure).length);
      const blocked = new Set(
        reportOf(stream)
          .violations.filter((v) => v.level === "mandatory")
          .map((v) => `${v.policy} ${v.resourceUrn}`),
      );
      expect(Number(doc.testsuites.failures)).toBe(blocked.size);
      // A rejected config fails the run without a verdict (an `error` case), so it has no failure.
      const rejected = SCENARIOS.find((x) => x.id === stream.scenario)?.expected === "config-rejected";
      expect(Number(doc.testsuites.failures) > 0).toBe(stream.exitCode !== 0 && !rejected);
    },
  );

  it("one suite per pack, one case per policy × resource; mandatory fails, advisory is output only", () => {
    const doc = parse(junitReport(reportOf(captured(V3_68, "launch-template-scaling"))));
    const pack = doc.testsuites.testsuite.find((s) => s.name === "alinux-guard")!;
    const failed = pack.testcase.filter((c) => c.failure);
    expect(failed.map((c) => c.classname)).toEqual(failed.map(() => `alinux-guard.${POLICY.overlayfs}`));
    expect(failed.map((c) => c.name.split(" ")[0]).sort()).toEqual(
      expect.arrayContaining(["batch-config", "workers-template"]),
    );
    expect(failed[0].failure!.type).toBe("mandatory");
    expect(failed[0].failure!["#text"]).toMatch(/^urn:pulumi:e2e::launch-template-scaling::/);
    const advisory = pack.testcase.filter((c) => c.classname === `alinux-guard.${POLICY.endOfLife}`);
    expect(advisory.length).toBeGreaterThan(0);
    for (const c of advisory) {
      expect(c.failure).toBeUndefined();
      expect(c["system-out"]).toMatch(/^advisory: urn:pulumi:/);
    }
    const keys = pack.testcase.map((c) => `${c.classname} ${c.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(pack.testcase.find((c) => c.name.startsWith("batch-config"))?.file).toBe(
      "examples/launch-template-scaling/index.ts",
    );
  });

  it("a run the engine failed before any policy ran is an error, not a pass", () => {
    const doc = parse(junitReport(reportOf(captured(V3_68, "invalid-config"))));
    const run = doc.testsuites.testsuite.find((s) => s.name === "alinux-guard run")!;
    expect(run.testcase[0].error).toBeDefined();
    expect(doc.testsuites.errors).toBe("1");
  });

  it("lists passed checks from the summary events when the CLI sends them (v3.196.0+)", () => {
    const text = readFileSync(captured(V3_68, "fixed-image").path, "utf8").trim();
    const urn = "urn:pulumi:e2e::fixed-image::alicloud:ecs/instance:Instance::web";
    const summary = JSON.stringify({
      sequence: 999,
      timestamp: 0,
      policyAnalyzeSummaryEvent: {
        resourceUrn: urn,
        policyPackName: "alinux-guard",
        policyPackVersion: "0.1.0",
        policyPackVersionTag: "0.1.0",
        passed: [POLICY.kernelUnknown],
        failed: [POLICY.endOfLife],
      },
    });
    const doc = parse(junitReport(reportOfText(`${summary}\n${text}`)));
    const cases = doc.testsuites.testsuite.find((s) => s.name === "alinux-guard")!.testcase;
    expect(cases.map((c) => c.classname).sort()).toEqual(
      [`alinux-guard.${POLICY.kernelUnknown}`, `alinux-guard.${POLICY.endOfLife}`].sort(),
    );
    expect(cases.find((c) => c.classname.endsWith("kernel-unknown"))).toMatchObject({
      name: "web (alicloud:ecs/instance:Instance)",
    });
  });

  it("escapes markup and replaces characters XML cannot carry", () => {
    const text = readFileSync(captured(V3_68, "affected-instance").path, "utf8").replace(
      "ECS instance 'web' launches from image",
      "ECS <instance> & \\u0007 'web' ]]> launches from image",
    );
    const doc = parse(junitReport(reportOfText(text)));
    const failure = doc.testsuites.testsuite[0].testcase.find((c) => c.failure)!.failure!;
    expect(failure["#text"]).toContain("ECS <instance> & \uFFFD 'web' ]]> launches");
  });
});

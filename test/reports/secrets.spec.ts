// No report carries a secret: resource inputs and outputs, the stack's config, remediation values and program or
// provider errors may hold them (the engine blinds only values marked secret), and none of them reaches a report.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsonReport } from "../../reports/jsonReport";
import { junitReport } from "../../reports/junitReport";
import { markdownReport } from "../../reports/markdownReport";
import { sarifReport } from "../../reports/sarifReport";
import { reportOfText } from "./support/buildFromCapture";
import { captured } from "./support/capturedStreams";

const SECRET = "s3cr3t-db-password-4f2a";

/** Puts the secret into every string of every resource event's inputs and outputs, and the prelude's config. */
function plant(value: unknown): unknown {
  if (typeof value === "string") return `${value}${SECRET}`;
  if (Array.isArray(value)) return value.map(plant);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plant(v)]));
  return value;
}

describe("secrets", () => {
  it("a secret in inputs, outputs, config, remediations or an error never reaches SARIF, JUnit, JSON or Markdown", () => {
    const events = readFileSync(captured("v3.68.0", "launch-template-scaling").path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
    let planted = 0;
    for (const e of events) {
      for (const kind of ["resourcePreEvent", "resOutputsEvent"]) {
        const state = e[kind]?.["metadata"] as
          { old?: Record<string, unknown>; new?: Record<string, unknown> } | undefined;
        for (const side of [state?.old, state?.new]) {
          if (!side) continue;
          side["inputs"] = plant(side["inputs"]);
          side["outputs"] = plant(side["outputs"]);
          planted++;
        }
      }
      if (e["preludeEvent"]) e["preludeEvent"]["config"] = { "app:dbPassword": SECRET };
    }
    expect(planted).toBeGreaterThan(4);
    const urn = (events.find((e) => e["policyEvent"])!["policyEvent"]["resourceUrn"] as string) ?? "";
    events.push(
      {
        policyRemediationEvent: {
          resourceUrn: urn,
          policyName: "p",
          policyPackName: "x",
          before: { userData: SECRET },
          after: { userData: "" },
        },
      },
      {
        diagnosticEvent: {
          urn,
          message: `provider rejected userData "${SECRET}"\n`,
          severity: "error",
          color: "never",
        },
      },
    );
    const report = reportOfText(events.map((e, i) => JSON.stringify({ sequence: i, timestamp: 0, ...e })).join("\n"));
    expect(report.violations.length).toBeGreaterThan(3);
    for (const [format, text] of [
      ["sarif", JSON.stringify(sarifReport(report))],
      ["junit", junitReport(report)],
      ["json", jsonReport(report)],
      ["markdown", markdownReport(report)],
    ] as const) {
      expect(text.includes(SECRET), `${format} report contains the secret`).toBe(false);
    }
    expect(report.errors.join("\n")).toMatch(/left out of reports because it may quote property values/);
  });
});

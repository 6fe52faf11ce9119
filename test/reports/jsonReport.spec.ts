// The JSON report against its versioned JSON Schema (reports/schema/), with ajv.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { jsonReport, REPORT_SCHEMA_FILE } from "../../reports/jsonReport";
import { REPORT_SCHEMA_ID } from "../../reports/reportModel";
import { POLICY } from "../support/contract";
import { reportOf } from "./support/buildFromCapture";
import { captured, capturedStreams } from "./support/capturedStreams";

const schema = JSON.parse(readFileSync(path.resolve(__dirname, "../..", REPORT_SCHEMA_FILE), "utf8")) as {
  $id: string;
};
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

describe("JSON report", () => {
  it("names its schema by the schema file's $id", () => {
    expect(schema.$id).toBe(REPORT_SCHEMA_ID);
  });

  it.each(capturedStreams().map((s) => [`${s.cli} ${s.scenario} (${s.source})`, s] as const))(
    "validates against the schema for %s",
    (_, stream) => {
      const doc: unknown = JSON.parse(jsonReport(reportOf(stream)));
      expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
    },
  );

  it("the schema rejects what the format does not allow (an unknown field, a wrong level)", () => {
    const doc = JSON.parse(jsonReport(reportOf(captured("v3.68.0", "affected-instance")))) as {
      violations: Record<string, unknown>[];
    } & Record<string, unknown>;
    expect(validate({ ...doc, extra: 1 })).toBe(false);
    expect(validate({ ...doc, violations: [{ ...doc.violations[0], level: "error" }] })).toBe(false);
  });

  it("carries the verdict, the image, kernel and fix of a blocked instance", () => {
    const doc = reportOf(captured("v3.68.0", "affected-instance"));
    expect(doc.verdict).toMatchObject({ status: "blocked", failed: true });
    expect(doc.violations.find((v) => v.policy === POLICY.overlayfs)).toMatchObject({
      resourceName: "web",
      resourceType: "alicloud:ecs/instance:Instance",
      image: "aliyun_2_1903_x64_20G_alibase_20210120.vhd",
      kernel: "4.19.91-22.2.al7",
      fix: expect.stringMatching(/^use fixed image aliyun_2_1903_x64_20G_alibase_20210630\.vhd/),
      location: { uri: "examples/affected-instance/index.ts", declaration: true },
    });
  });
});

// The JSON report: the report model itself (reports/reportModel.ts), in this project's own versioned format,
// described by reports/schema/alinux-guard-report.v1.schema.json (JSON Schema draft-07; test/reports validates every
// report written from the captured streams against it). `reportVersion` follows semver: a new optional field is a
// minor change, a removed or retyped field a new major version and a new schema file.
import type { PolicyReport } from "./reportModel";

export const REPORT_SCHEMA_FILE = "reports/schema/alinux-guard-report.v1.schema.json";

export function jsonReport(report: PolicyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

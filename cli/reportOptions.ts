// The options `report` and `check` share: which reports to write, where the program is, and what fails the run.
import { FAIL_ON_VALUES, type FailOn } from "../reports/policyRun";
import type { ReportFiles } from "../reports/writeReports";
import { UsageError } from "./usageError";

export const REPORT_OPTIONS = {
  sarif: { type: "string" },
  junit: { type: "string" },
  json: { type: "string" },
  markdown: { type: "string" },
  "program-dir": { type: "string" },
  "fail-on": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const REPORT_OPTIONS_HELP = `  --sarif <file>              SARIF 2.1.0 for GitHub code scanning (upload with github/codeql-action/upload-sarif)
  --junit <file>              JUnit XML (GitLab artifacts:reports:junit, Jenkins)
  --json <file>               JSON in this project's format (reports/schema/alinux-guard-report.v1.schema.json)
  --markdown <file>           Markdown summary (e.g. "$GITHUB_STEP_SUMMARY"), under GitHub's 1 MiB limit
  --program-dir <dir>         the Pulumi program, to point findings at the lines that declare the resources
  --fail-on <level>           mandatory (default) | advisory | none: exit 1 when a violation is at or above it

Exit codes: 0 nothing at or above --fail-on; 1 violations at or above it (or a run that gave no policy verdict);
2 usage or input error.`;

export interface ReportOptionValues {
  readonly files: ReportFiles;
  readonly programDir?: string;
  readonly failOn: FailOn;
}

export function reportOptionValues(values: Record<string, string | boolean | undefined>): ReportOptionValues {
  const failOn = (values["fail-on"] ?? "mandatory") as FailOn;
  if (!FAIL_ON_VALUES.includes(failOn))
    throw new UsageError(`--fail-on must be one of ${FAIL_ON_VALUES.join(", ")} (got ${String(values["fail-on"])})`);
  const str = (k: string) => {
    const v = values[k];
    if (v === "") throw new UsageError(`--${k} needs a file name`);
    return typeof v === "string" ? v : undefined;
  };
  const files: ReportFiles = {
    ...(str("sarif") ? { sarif: str("sarif") } : {}),
    ...(str("junit") ? { junit: str("junit") } : {}),
    ...(str("json") ? { json: str("json") } : {}),
    ...(str("markdown") ? { markdown: str("markdown") } : {}),
  };
  const programDir = str("program-dir");
  return { files, ...(programDir ? { programDir } : {}), failOn };
}

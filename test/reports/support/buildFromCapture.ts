// Reports built the way `alinux-guard report --events <capture> --program-dir examples/<example>` builds them.
import * as path from "node:path";
import { readEventStream, parseEventStream } from "../../../reports/eventSources";
import { createPackRules } from "../../../reports/packRules";
import { buildReport, type PolicyReport } from "../../../reports/reportModel";
import { SourceLocator } from "../../../reports/sourceLocations";
import type { FailOn } from "../../../reports/policyRun";
import { REPO_ROOT } from "../../../tools/e2e/pulumiCli";
import { EXAMPLES_ROOT, type Captured } from "./capturedStreams";

const rules = createPackRules();

export function reportOf(stream: Captured, failOn: FailOn = "mandatory"): PolicyReport {
  return buildReport(
    readEventStream(stream.path),
    rules,
    new SourceLocator(path.join(EXAMPLES_ROOT, stream.example), REPO_ROOT),
    { failOn },
  );
}

export function reportOfText(text: string, programDir?: string, failOn: FailOn = "mandatory"): PolicyReport {
  return buildReport(parseEventStream(text), rules, new SourceLocator(programDir, REPO_ROOT), { failOn });
}
